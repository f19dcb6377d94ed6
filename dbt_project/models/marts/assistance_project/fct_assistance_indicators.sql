with activities as (
    select
        source_sha256,
        indicator_number,
        count(*) as activities_count,
        sum(participants_count)::bigint as participants_total
    from {{ ref('stg_reports__assistance_project_activities') }}
    group by source_sha256, indicator_number
)

select
    assistance_indicator_id,
    source_sha256 as assistance_project_report_id,
    project_title as project,
    project_code,
    goal_number,
    goal_title,
    indicator_number,
    criterion,
    planned,
    actual,
    actual_merged_into,
    coalesce(activities_count, 0) as activities_count,
    coalesce(participants_total, 0) as participants_total,
    source_sha256,
    {{ read_from_pages('records') }}
from {{ ref('stg_reports__assistance_project_indicators') }} as records
inner join {{ assistance_project_names() }} using (source_sha256)
left join activities using (source_sha256, indicator_number)
