with measures as (
    select * from {{ ref('stg_reports__anticorruption') }}
),

documents as (
    select document_sha256, loaded_at from {{ ref('stg_reports__documents') }}
),

ranked as (
    select
        measures.*,
        -- Several documents can report the same programme year (a PDF and its DOCX): the latest
        -- loaded one is the year's report for the summary marts.
        dense_rank() over (
            partition by measures.programme_year
            order by documents.loaded_at desc nulls last, measures.source_sha256
        ) as report_rank
    from measures
    left join documents on documents.document_sha256 = measures.source_sha256
)

select
    anticorruption_measure_id,
    programme_year,
    appendix_number,
    appendix_title,
    area_number,
    area_title,
    measure_key,
    measure_index,
    measure_number,
    measure_position,
    item_label,
    measure,
    deadline_text,
    deadline_kind,
    deadline_start_date,
    deadline_end_date,
    deadline_dates,
    deadline_is_recurring,
    deadline_is_event_relative,
    deadline_condition,
    responsible_units,
    responsible_persons,
    responsible_text,
    status_text,
    status,
    report_rank = 1 as is_latest_report,
    source_sha256,
    source_file,
    page_first,
    page_last
from ranked
