-- The ledger, with the title of each loaded document from raw.document_titles (the ledger itself
-- holds no document text).
select
    documents.document_sha256,
    file_name,
    doc_type,
    titles.title,
    report_year,
    page_count,
    file_format,
    state,
    state = 'loaded' as is_loaded,
    rows_loaded > 0 as has_rows,
    reason_code,
    reason,
    extractor_version,
    rows_loaded,
    first_seen_at,
    processed_at,
    loaded_at
from {{ ref('stg_reports__documents') }} as documents
left join {{ ref('stg_reports__document_titles') }} as titles
    on titles.document_sha256 = documents.document_sha256
