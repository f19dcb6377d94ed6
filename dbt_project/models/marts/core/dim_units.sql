with seeded as (
    select
        unit_code,
        unit_name,
        unit_kind
    from {{ ref('units') }}
),

seen_in_facts as (
    select unit_code from {{ ref('int_plan_measure_executors_unnested') }}
    union
    select unit_code from {{ ref('int_anticorruption_measure_units_unnested') }}
)

select
    unit_code,
    unit_name,
    unit_kind,
    true as is_in_seed
from seeded

union all

-- Codes the reports use that the seed does not list yet: kept so every fact joins a unit.
select
    seen_in_facts.unit_code,
    null as unit_name,
    null as unit_kind,
    false as is_in_seed
from seen_in_facts
anti join seeded on seeded.unit_code = seen_in_facts.unit_code
