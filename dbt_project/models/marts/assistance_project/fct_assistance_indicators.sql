with indicators as (
    select * from {{ ref('stg_reports__assistance_project_indicators') }}
),

reports as (
    select source_sha256, project_title, project_code
    from {{ ref('stg_reports__assistance_project') }}
),

activities as (
    select
        source_sha256,
        indicator_number,
        count(*) as activities_count,
        sum(participants_count) as participants_total
    from {{ ref('stg_reports__assistance_project_activities') }}
    group by source_sha256, indicator_number
)

select
    indicators.assistance_indicator_id,
    indicators.source_sha256 as assistance_project_report_id,
    reports.project_title as project,
    reports.project_code,
    indicators.goal_number,
    indicators.goal_title,
    indicators.indicator_number,
    indicators.criterion,
    indicators.planned,
    indicators.actual,
    indicators.actual_merged_into,
    coalesce(activities.activities_count, 0) as activities_count,
    coalesce(activities.participants_total, 0) as participants_total,
    indicators.source_sha256,
    indicators.page_first,
    indicators.page_last
from indicators
inner join reports on reports.source_sha256 = indicators.source_sha256
left join activities
    on activities.source_sha256 = indicators.source_sha256
    and activities.indicator_number = indicators.indicator_number
