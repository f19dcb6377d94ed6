-- Counted on each programme year's latest loaded report only (fct_anticorruption_measures.is_latest_report).
with counted as (
    select
        programme_year,
        appendix_number,
        min(appendix_title) as appendix_title,
        area_number,
        min(area_title) as area_title,
        -- execution_rate is done / measures, as for plan reports (status_counts). These reports
        -- also write permanent or regular work (ongoing) and measures needing no action
        -- (not_required): their wider share has its own name.
        {{ status_counts('anticorruption.status') }},
        {{ share_of("status in ('done', 'ongoing', 'not_required')") }}
            as done_ongoing_or_not_required_rate
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
