-- Counted on each programme year's latest loaded report only (fct_anticorruption_measures.is_latest_report).
with counted as (
    select
        programme_year,
        appendix_number,
        min(appendix_title) as appendix_title,
        area_number,
        min(area_title) as area_title,
        -- Permanent or regular work and measures needing no action count as executed.
        {{ status_counts('anticorruption.status', executed=['done', 'ongoing', 'not_required']) }}
    from {{ ref('fct_anticorruption_measures') }}
    where is_latest_report
    group by programme_year, appendix_number, area_number
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
)

select
    counted.*,
    coalesce(units.responsible_units, []::varchar[]) as responsible_units
from counted
left join units using (programme_year, appendix_number, area_number)
