with reports as (
    select * from {{ ref('stg_reports__assistance_project') }}
),

spending as (
    select
        source_sha256,
        count(*) as spending_categories,
        count(*) filter (where is_reported) as spending_categories_reported
    from {{ ref('stg_reports__assistance_project_spending') }}
    group by source_sha256
),

indicators as (
    select
        source_sha256,
        count(*) as indicators,
        count(distinct goal_number) as goals
    from {{ ref('stg_reports__assistance_project_indicators') }}
    group by source_sha256
)

select
    reports.assistance_project_report_id,
    reports.project_title,
    reports.project_code,
    reports.monitoring_type,
    reports.monitoring_type_text,
    reports.reporting_period_text,
    reports.period_start_date,
    reports.period_end_date,
    reports.partner,
    reports.beneficiaries,
    reports.recipients,
    reports.registration_card_number,
    reports.registration_card_date,
    reports.total_spent_uah,
    coalesce(spending.spending_categories, 0) as spending_categories,
    coalesce(spending.spending_categories_reported, 0) as spending_categories_reported,
    coalesce(indicators.goals, 0) as goals,
    coalesce(indicators.indicators, 0) as indicators,
    reports.results_summary,
    reports.links,
    reports.assessment,
    reports.problems,
    reports.signer_position,
    reports.signer_name,
    reports.source_sha256,
    reports.source_file
from reports
left join spending on spending.source_sha256 = reports.source_sha256
left join indicators on indicators.source_sha256 = reports.source_sha256
