-- One row per anticorruption measure and responsible unit (the bridge), with what the summaries
-- group by.
select
    bridge.anticorruption_measure_id,
    measures.programme_year,
    measures.appendix_number,
    measures.area_number,
    measures.status,
    measures.is_latest_report,
    bridge.unit_code
from {{ ref('bridge_anticorruption_measure_units') }} as bridge
inner join {{ ref('fct_anticorruption_measures') }} as measures using (anticorruption_measure_id)
