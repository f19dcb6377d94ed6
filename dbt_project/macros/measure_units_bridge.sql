{#- One row per measure of `model` and unit in its `units` list column (trimmed, blanks dropped),
    with the unit's first place in the list (`unit_position`, 1 = named first): the body of the
    bridge_*_measure_units marts, so per-unit questions are joins, not unnest(). -#}
{% macro measure_units_bridge(model, measure_id, units) -%}
with measures as (
    select {{ measure_id }}, {{ units }} from {{ model }}
)

select
    {{ measure_id }},
    trim(unit) as unit_code,
    min(unit_position)::integer as unit_position
from measures, unnest({{ units }}) with ordinality as listed(unit, unit_position)
where trim(unit) <> ''
group by {{ measure_id }}, trim(unit)
{%- endmacro %}
