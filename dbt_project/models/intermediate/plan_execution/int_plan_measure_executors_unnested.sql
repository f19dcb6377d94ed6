-- One row per plan measure and executing unit: a measure counts for every unit it lists (once).
select distinct plan_measure_id, report_year, status, is_latest_report, trim(unit) as unit_code
from {{ ref('fct_plan_measures') }}, unnest(executors) as executor(unit)
where trim(unit) <> ''
