-- A reference hangs on its citing record by the id staging computed for both
-- (cited_by_record_id); the per-type columns name that record for the types that cite acts.
select
    document_reference_id,
    plan_measure_id,
    anticorruption_measure_id,
    service_stage_step_id,
    cited_by_record_id,
    source_sha256,
    doc_type,
    record_key,
    cited_in_field,
    position_in_field,
    reference_kind,
    reference_kind_text,
    issuer,
    reference_date,
    reference_number,
    reference_text
from {{ ref('stg_reports__document_references') }}
left join (select plan_measure_id from {{ ref('stg_reports__plan_execution') }})
    on plan_measure_id = cited_by_record_id
left join (select anticorruption_measure_id from {{ ref('stg_reports__anticorruption') }})
    on anticorruption_measure_id = cited_by_record_id
left join (select service_stage_step_id from {{ ref('stg_reports__service_card') }})
    on service_stage_step_id = cited_by_record_id
