-- One row per plan measure and executing unit it lists (every document; filter on the measure's
-- is_latest_report), so "units with the most unfinished measures" is a join, not an unnest().
{{ measure_units_bridge(ref('fct_plan_measures'), 'plan_measure_id', 'executors') }}
