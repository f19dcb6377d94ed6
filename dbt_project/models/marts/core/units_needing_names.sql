-- The data owner's to-do list: every unit code no source names yet (dim_units.needs_name), most
-- mentioned first, with the documents that use it. Fill seeds/units.csv (unit_name + name_source).
with uses as (
    select bridge.unit_code, measures.source_file
    from {{ ref('bridge_plan_measure_units') }} as bridge
    inner join {{ ref('fct_plan_measures') }} as measures using (plan_measure_id)
    union
    select bridge.unit_code, measures.source_file
    from {{ ref('bridge_anticorruption_measure_units') }} as bridge
    inner join {{ ref('fct_anticorruption_measures') }} as measures using (anticorruption_measure_id)
),

files as (
    select unit_code, list_sort(list(distinct source_file)) as source_files
    from uses
    group by unit_code
)

select
    units.unit_code,
    units.unit_kind,
    units.is_in_seed,
    units.plan_measures,
    units.anticorruption_measures,
    (units.plan_measures + units.anticorruption_measures)::bigint as measures,
    coalesce(files.source_files, []::varchar[]) as source_files
from {{ ref('dim_units') }} as units
left join files using (unit_code)
where units.needs_name
