-- One row per plan measure and executing unit: a measure counts for every unit it lists (once).
with measures as (
    select * from {{ ref('fct_plan_measures') }}
),

unnested as (
    select
        plan_measure_id,
        report_year,
        status,
        is_latest_report,
        trim(unnest(executors)) as unit_code
    from measures
)

select distinct
    plan_measure_id,
    report_year,
    status,
    is_latest_report,
    unit_code
from unnested
where unit_code is not null and unit_code <> ''
