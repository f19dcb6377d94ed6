select
    assistance_activity_id,
    assistance_indicator_id,
    source_sha256 as assistance_project_report_id,
    project_title,
    project_code,
    goal_number,
    indicator_number,
    activity_position,
    record_key as activity_key,
    date_text,
    start_date,
    end_date,
    extract(year from start_date) as activity_year,
    datediff('day', start_date, end_date) + 1 as duration_days,
    place,
    kind,
    title,
    participants_count,
    source_sha256
from {{ ref('stg_reports__assistance_project_activities') }}
-- The indicator whose actual results list the activity (its id comes from staging).
left join (
    select source_sha256, indicator_number, assistance_indicator_id, goal_number
    from {{ ref('stg_reports__assistance_project_indicators') }}
) using (source_sha256, indicator_number)
inner join {{ assistance_project_names() }} using (source_sha256)
