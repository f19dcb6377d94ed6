with source as (
    select * from {{ source('reports', 'service_card') }}
)

select
    -- Stable across re-loads of the same bytes; step_key (stage|position) is unique within a card.
    md5(source_sha256 || ':' || step_key) as service_stage_step_id,
    source_sha256,
    source_file,
    cast(step_index as integer) as step_index,
    step_key,
    stage_number_printed,
    cast(stage_number as integer) as stage_number,
    cast(step_position as integer) as step_position,
    cast(stage_step_count as integer) as stage_step_count,
    description,
    official,
    unit,
    deadline_text,
    cast(deadline_amount as integer) as deadline_amount,
    deadline_unit,
    deadline_event,
    cast(page_first as integer) as page_first,
    cast(page_last as integer) as page_last
from source
