with source as (
    select * from {{ source('reports', 'document_references') }}
)

select
    md5(
        source_sha256 || ':' || coalesce(doc_type, '') || ':' || coalesce(record_key, '') || ':'
        || coalesce(field, '') || ':' || cast(position as varchar)
    ) as document_reference_id,
    source_sha256,
    doc_type,
    record_key,
    field as cited_in_field,
    cast(position as integer) as position_in_field,
    kind as reference_kind,
    kind_text as reference_kind_text,
    issuer,
    cast(reference_date as date) as reference_date,
    number as reference_number,
    text as reference_text
from source
