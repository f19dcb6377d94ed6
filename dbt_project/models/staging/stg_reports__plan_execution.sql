with source as (
    select * from {{ source('reports', 'plan_execution') }}
)

select
    -- Stable across re-loads of the same bytes; item numbers are unique within a report.
    md5(source_sha256 || ':' || coalesce(item_number, '#' || measure_index)) as plan_measure_id,
    source_sha256,
    source_file,
    cast(report_year as integer) as report_year,
    cast(measure_index as integer) as measure_index,
    cast(section_number as integer) as section_number,
    section_title,
    item_number,
    measure,
    executors_text,
    executors,
    deadline_text,
    deadline_kind,
    cast(deadline_start_date as date) as deadline_start_date,
    cast(deadline_end_date as date) as deadline_end_date,
    deadline_condition,
    status_text,
    status,
    status_reason,
    justification,
    evidence,
    cast(page_first as integer) as page_first,
    cast(page_last as integer) as page_last
from source
