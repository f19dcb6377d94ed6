with source as (
    select * from {{ source('reports', 'documents') }}
)

select
    sha256 as document_sha256,
    file_name,
    doc_type,
    title,
    cast(report_year as integer) as report_year,
    cast(pages as integer) as page_count,
    format as file_format,
    state,
    reason_code,
    reason,
    extractor_version,
    cast(rows_loaded as bigint) as rows_loaded,
    first_seen_at,
    processed_at,
    loaded_at
from source
