with cards as (
    select
        service_id,
        source_sha256,
        -- The card approved last, then loaded last, is the service's card for the summary marts.
        {{ is_latest_report('service_id', newest_first=['order_date']) }} as is_latest_card
    from {{ ref('stg_reports__service_card_services') }}
)

select
    service_stage_step_id,
    service_id,
    stage_number,
    stage_number_printed,
    step_position,
    stage_step_count,
    record_key as step_key,
    step_index,
    description,
    official,
    unit,
    deadline_text,
    deadline_amount,
    deadline_unit,
    deadline_event,
    -- Calendar-day equivalent of the deadline (see the model docs for the convention).
    round(
        case deadline_unit
            when 'same_day' then 0
            when 'calendar_days' then deadline_amount
            when 'working_days' then deadline_amount * 7.0 / 5
            when 'weeks' then deadline_amount * 7
            when 'months' then deadline_amount * 30
            when 'years' then deadline_amount * 365
        end,
        2
    ) as deadline_days,
    deadline_unit = 'same_day' as is_same_day,
    is_latest_card,
    source_sha256,
    source_file,
    {{ read_from_pages('records') }}
from {{ ref('stg_reports__service_card') }} as records
inner join cards using (source_sha256)
