with seeded as (
    select
        unit_code,
        unit_name,
        unit_kind,
        name_source
    from {{ ref('units') }}
),

seen_in_facts as (
    select unit_code from {{ ref('int_plan_measure_executors_unnested') }}
    union
    select unit_code from {{ ref('int_anticorruption_measure_units_unnested') }}
),

units as (
    select
        unit_code,
        unit_name,
        unit_kind,
        name_source,
        true as is_in_seed
    from seeded

    union all

    -- Codes the reports use that the seed does not list yet: kept so every fact joins a unit.
    select
        seen_in_facts.unit_code,
        null as unit_name,
        null as unit_kind,
        null as name_source,
        false as is_in_seed
    from seen_in_facts
    anti join seeded on seeded.unit_code = seen_in_facts.unit_code
),

-- How often the latest reports name each unit: what a data owner filling in names starts from.
plan_mentions as (
    select unit_code, count(*) as plan_measures
    from {{ ref('int_plan_measure_executors_unnested') }}
    where is_latest_report
    group by unit_code
),

anticorruption_mentions as (
    select unit_code, count(*) as anticorruption_measures
    from {{ ref('int_anticorruption_measure_units_unnested') }}
    where is_latest_report
    group by unit_code
)

select
    units.unit_code,
    units.unit_name,
    units.unit_kind,
    units.name_source,
    units.is_in_seed,
    units.unit_name is null as needs_name,
    coalesce(plan_mentions.plan_measures, 0)::bigint as plan_measures,
    coalesce(anticorruption_mentions.anticorruption_measures, 0)::bigint as anticorruption_measures
from units
left join plan_mentions using (unit_code)
left join anticorruption_mentions using (unit_code)
