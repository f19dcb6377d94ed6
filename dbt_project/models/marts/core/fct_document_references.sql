with references_ as (
    select * from {{ ref('stg_reports__document_references') }}
),

measures as (
    select plan_measure_id, source_sha256, item_number from {{ ref('fct_plan_measures') }}
),

anticorruption_measures as (
    select anticorruption_measure_id, source_sha256, measure_key
    from {{ ref('fct_anticorruption_measures') }}
),

service_stage_steps as (
    select service_stage_step_id, source_sha256, step_key
    from {{ ref('fct_service_stages') }}
)

select
    references_.document_reference_id,
    -- Plan-execution references hang on a measure (record_key is its item number).
    measures.plan_measure_id,
    -- Anticorruption references hang on a measure too (record_key is its measure_key).
    anticorruption_measures.anticorruption_measure_id,
    -- Service cards cite acts in a stage step's description or deadline (record_key = step_key).
    service_stage_steps.service_stage_step_id,
    references_.source_sha256,
    references_.doc_type,
    references_.record_key,
    references_.cited_in_field,
    references_.position_in_field,
    references_.reference_kind,
    references_.reference_kind_text,
    references_.issuer,
    references_.reference_date,
    references_.reference_number,
    references_.reference_text
from references_
left join measures
    on references_.doc_type = 'plan_execution'
    and measures.source_sha256 = references_.source_sha256
    and measures.item_number = references_.record_key
left join anticorruption_measures
    on references_.doc_type = 'anticorruption'
    and anticorruption_measures.source_sha256 = references_.source_sha256
    and anticorruption_measures.measure_key = references_.record_key
left join service_stage_steps
    on references_.doc_type = 'service_card'
    and service_stage_steps.source_sha256 = references_.source_sha256
    and service_stage_steps.step_key = references_.record_key
