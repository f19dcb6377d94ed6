-- One row per anticorruption measure and responsible unit (persons count through their unit).
with measures as (
    select * from {{ ref('fct_anticorruption_measures') }}
),

unnested as (
    select
        anticorruption_measure_id,
        programme_year,
        appendix_number,
        area_number,
        status,
        is_latest_report,
        trim(unnest(responsible_units)) as unit_code
    from measures
)

select distinct
    anticorruption_measure_id,
    programme_year,
    appendix_number,
    area_number,
    status,
    is_latest_report,
    unit_code
from unnested
where unit_code is not null and unit_code <> ''
