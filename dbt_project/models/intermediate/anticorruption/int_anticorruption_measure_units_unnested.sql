-- One row per anticorruption measure and responsible unit (persons count through their unit).
select distinct
    anticorruption_measure_id,
    programme_year,
    appendix_number,
    area_number,
    status,
    is_latest_report,
    trim(unit) as unit_code
from {{ ref('fct_anticorruption_measures') }}, unnest(responsible_units) as responsible(unit)
where trim(unit) <> ''
