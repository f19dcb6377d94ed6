-- One row per plan measure and executing unit (the bridge), with what the summaries group by.
select
    bridge.plan_measure_id,
    measures.report_year,
    measures.status,
    measures.is_latest_report,
    bridge.unit_code
from {{ ref('bridge_plan_measure_units') }} as bridge
inner join {{ ref('fct_plan_measures') }} as measures using (plan_measure_id)
