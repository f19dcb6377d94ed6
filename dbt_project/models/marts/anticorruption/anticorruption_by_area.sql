-- Counted on each programme year's latest loaded report only (fct_anticorruption_measures.is_latest_report).
with measures as (
    select * from {{ ref('fct_anticorruption_measures') }}
    where is_latest_report
),

units as (
    select
        programme_year,
        appendix_number,
        area_number,
        list_sort(list(distinct unit_code)) as responsible_units
    from {{ ref('int_anticorruption_measure_units_unnested') }}
    where is_latest_report
    group by programme_year, appendix_number, area_number
),

counted as (
    select
        programme_year,
        appendix_number,
        area_number,
        min(appendix_title) as appendix_title,
        min(area_title) as area_title,
        count(*) as measures,
        {%- for status in ['done', 'ongoing', 'not_required', 'partially_done', 'not_done', 'unknown'] %}
        count(*) filter (where status = '{{ status }}') as {{ status }},
        {%- endfor %}
        round(count(*) filter (where status in ('done', 'ongoing', 'not_required')) / count(*), 4)
            as execution_rate
    from measures
    group by programme_year, appendix_number, area_number
)

select
    counted.programme_year,
    counted.appendix_number,
    counted.appendix_title,
    counted.area_number,
    counted.area_title,
    counted.measures,
    counted.done,
    counted.ongoing,
    counted.not_required,
    counted.partially_done,
    counted.not_done,
    counted.unknown,
    counted.execution_rate,
    coalesce(units.responsible_units, []::varchar[]) as responsible_units
from counted
left join units
    on units.programme_year = counted.programme_year
    and units.appendix_number = counted.appendix_number
    and units.area_number = counted.area_number
