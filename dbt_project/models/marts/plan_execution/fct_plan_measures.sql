with measures as (
    select * from {{ ref('stg_reports__plan_execution') }}
),

documents as (
    select document_sha256, loaded_at from {{ ref('stg_reports__documents') }}
),

ranked as (
    select
        measures.*,
        -- Several documents can report the same year (a PDF and its DOCX, a corrected version):
        -- the latest loaded one is the year's report for the rate marts.
        dense_rank() over (
            partition by measures.report_year
            order by documents.loaded_at desc nulls last, measures.source_sha256
        ) as report_rank
    from measures
    left join documents on documents.document_sha256 = measures.source_sha256
)

select
    plan_measure_id,
    report_year,
    section_number,
    section_title,
    item_number,
    measure_index,
    measure,
    executors,
    executors_text,
    deadline_text,
    deadline_kind,
    deadline_start_date,
    deadline_end_date,
    deadline_condition,
    status_text,
    status,
    status_reason,
    justification,
    evidence,
    report_rank = 1 as is_latest_report,
    source_sha256,
    source_file,
    page_first,
    page_last
from ranked
