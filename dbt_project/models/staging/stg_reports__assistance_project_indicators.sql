with source as (
    select * from {{ source('reports', 'assistance_project_indicators') }}
)

select
    md5(source_sha256 || ':' || cast(indicator_number as varchar)) as assistance_indicator_id,
    source_sha256,
    cast(indicator_index as integer) as indicator_index,
    cast(goal_number as integer) as goal_number,
    goal_title,
    cast(indicator_number as integer) as indicator_number,
    criterion,
    planned,
    actual,
    cast(actual_merged_into as integer) as actual_merged_into,
    cast(page_first as integer) as page_first,
    cast(page_last as integer) as page_last
from source
