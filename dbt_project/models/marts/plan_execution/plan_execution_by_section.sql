-- Counted on each year's latest loaded report only (see fct_plan_measures.is_latest_report).
with measures as (
    select * from {{ ref('fct_plan_measures') }}
    where is_latest_report
)

select
    report_year,
    section_number,
    min(section_title) as section_title,
    {{ status_counts('plan_execution.status') }}
from measures
group by report_year, section_number
