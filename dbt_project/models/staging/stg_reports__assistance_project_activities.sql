with source as (
    select * from {{ source('reports', 'assistance_project_activities') }}
)

select
    md5(source_sha256 || ':' || activity_key) as assistance_activity_id,
    md5(source_sha256 || ':' || cast(indicator_number as varchar)) as assistance_indicator_id,
    source_sha256,
    activity_key,
    cast(indicator_number as integer) as indicator_number,
    cast(activity_position as integer) as activity_position,
    date_text,
    cast(start_date as date) as start_date,
    cast(end_date as date) as end_date,
    place,
    kind,
    title,
    cast(participants_count as integer) as participants_count
from source
