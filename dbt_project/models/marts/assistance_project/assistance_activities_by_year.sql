with activities as (
    select * from {{ ref('fct_assistance_activities') }}
)

-- Per report: the PDF and the DOCX of one report are two reports here, never summed together.
select
    assistance_project_report_id,
    project_code,
    project_title,
    activity_year,
    kind,
    count(*) as activities,
    count(participants_count) as activities_with_participants,
    -- sum() of integers is HUGEINT, which pandas and BI drivers read badly: BIGINT.
    coalesce(sum(participants_count), 0)::bigint as participants_total,
    sum(duration_days)::bigint as activity_days
from activities
group by assistance_project_report_id, project_code, project_title, activity_year, kind
