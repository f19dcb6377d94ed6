-- Counts of the report's records: category and indicator numbers are their record keys, so
-- counting them distinct is not thrown off by the two joins.
with counts as (
    select
        reports.source_sha256,
        count(distinct spending.category_index) as spending_categories,
        count(distinct spending.category_index) filter (where spending.is_reported)
            as spending_categories_reported,
        count(distinct indicators.goal_number) as goals,
        count(distinct indicators.indicator_number) as indicators
    from {{ ref('stg_reports__assistance_project') }} as reports
    left join {{ ref('stg_reports__assistance_project_spending') }} as spending
        on spending.source_sha256 = reports.source_sha256
    left join {{ ref('stg_reports__assistance_project_indicators') }} as indicators
        on indicators.source_sha256 = reports.source_sha256
    group by reports.source_sha256
)

select
    assistance_project_report_id,
    project_title,
    project_code,
    monitoring_type,
    monitoring_type_text,
    reporting_period_text,
    period_start_date,
    period_end_date,
    partner,
    beneficiaries,
    recipients,
    registration_card_number,
    registration_card_date,
    total_spent_uah,
    spending_categories,
    spending_categories_reported,
    goals,
    indicators,
    results_summary,
    links,
    assessment,
    problems,
    signer_position,
    signer_name,
    source_sha256,
    source_file
from {{ ref('stg_reports__assistance_project') }}
inner join counts using (source_sha256)
