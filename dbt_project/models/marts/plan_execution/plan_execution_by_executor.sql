-- A measure counts once for every unit it lists; each year's latest loaded report only.
with measure_units as (
    select * from {{ ref('int_plan_measure_executors_unnested') }}
    where is_latest_report
)

select
    report_year,
    unit_code,
    {{ status_counts('plan_execution.status') }}
from measure_units
group by report_year, unit_code
