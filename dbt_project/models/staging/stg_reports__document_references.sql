select
    {{ record_id("doc_type || ':' || record_key || ':' || field || ':' || position") }}
        as document_reference_id,
    -- The citing record's id, as its own staging model computes it (plan_measure_id ...).
    {{ record_id('record_key') }} as cited_by_record_id,
    * rename (
        field as cited_in_field,
        position as position_in_field,
        kind as reference_kind,
        kind_text as reference_kind_text,
        number as reference_number,
        text as reference_text
    )
from {{ source('reports', 'document_references') }}
