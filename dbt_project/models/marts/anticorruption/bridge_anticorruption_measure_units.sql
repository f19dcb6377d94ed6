-- One row per anticorruption measure and responsible unit (persons count through their unit; every
-- document: filter on the measure's is_latest_report), so per-unit questions are a join.
{{ measure_units_bridge(ref('fct_anticorruption_measures'), 'anticorruption_measure_id', 'responsible_units') }}
