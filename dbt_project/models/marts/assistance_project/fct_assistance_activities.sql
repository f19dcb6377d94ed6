with activities as (
    select * from {{ ref('stg_reports__assistance_project_activities') }}
),

indicators as (
    select source_sha256, indicator_number, goal_number
    from {{ ref('stg_reports__assistance_project_indicators') }}
),

reports as (
    select source_sha256, project_title, project_code
    from {{ ref('stg_reports__assistance_project') }}
)

select
    activities.assistance_activity_id,
    activities.assistance_indicator_id,
    activities.source_sha256 as assistance_project_report_id,
    reports.project_title,
    reports.project_code,
    indicators.goal_number,
    activities.indicator_number,
    activities.activity_position,
    activities.activity_key,
    activities.date_text,
    activities.start_date,
    activities.end_date,
    extract(year from activities.start_date) as activity_year,
    datediff('day', activities.start_date, activities.end_date) + 1 as duration_days,
    activities.place,
    activities.kind,
    activities.title,
    activities.participants_count,
    activities.source_sha256
from activities
inner join reports on reports.source_sha256 = activities.source_sha256
left join indicators
    on indicators.source_sha256 = activities.source_sha256
    and indicators.indicator_number = activities.indicator_number
