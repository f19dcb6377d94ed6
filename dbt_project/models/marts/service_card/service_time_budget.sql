-- Per service, on its latest card only (fct_service_stages.is_latest_card).
with steps as (
    select * from {{ ref('fct_service_stages') }}
    where is_latest_card
),

services as (
    select service_id, service_name from {{ ref('dim_services') }}
),

stages as (
    select
        service_id,
        stage_number,
        -- The steps of one stage run in sequence: their deadlines add up.
        sum(deadline_days) as stage_days,
        count(*) as steps,
        count(*) filter (where deadline_days is null) as steps_without_deadline,
        bool_and(is_same_day) as is_same_day
    from steps
    group by service_id, stage_number
)

select
    stages.service_id,
    services.service_name,
    count(*) as stages,
    -- sum() of BIGINT is HUGEINT, which pandas and BI drivers read badly: counts stay BIGINT.
    sum(stages.steps)::bigint as steps,
    round(coalesce(sum(stages.stage_days), 0), 2) as longest_path_days,
    sum(stages.steps_without_deadline)::bigint as steps_without_deadline,
    count(*) filter (where stages.is_same_day) as same_day_stages,
    round(count(*) filter (where stages.is_same_day) / count(*), 4) as same_day_share
from stages
inner join services on services.service_id = stages.service_id
group by stages.service_id, services.service_name
