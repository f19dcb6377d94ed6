with steps as (
    select * from {{ ref('stg_reports__service_card') }}
),

cards as (
    select * from {{ ref('stg_reports__service_card_services') }}
),

documents as (
    select document_sha256, loaded_at from {{ ref('stg_reports__documents') }}
),

ranked_cards as (
    select
        cards.service_id,
        cards.source_sha256,
        -- Several cards can describe one service (a PDF and its DOCX, a newer order): the one
        -- approved last, then loaded last, is the service's card for the summary marts.
        row_number() over (
            partition by cards.service_id
            order by cards.order_date desc nulls last, documents.loaded_at desc nulls last,
                cards.source_sha256
        ) as card_rank
    from cards
    left join documents on documents.document_sha256 = cards.source_sha256
)

select
    steps.service_stage_step_id,
    ranked_cards.service_id,
    steps.stage_number,
    steps.stage_number_printed,
    steps.step_position,
    steps.stage_step_count,
    steps.step_key,
    steps.step_index,
    steps.description,
    steps.official,
    steps.unit,
    steps.deadline_text,
    steps.deadline_amount,
    steps.deadline_unit,
    steps.deadline_event,
    -- Calendar-day equivalent of the deadline (see the model docs for the convention).
    round(
        case steps.deadline_unit
            when 'same_day' then 0
            when 'calendar_days' then steps.deadline_amount
            when 'working_days' then steps.deadline_amount * 7.0 / 5
            when 'weeks' then steps.deadline_amount * 7
            when 'months' then steps.deadline_amount * 30
            when 'years' then steps.deadline_amount * 365
        end,
        2
    ) as deadline_days,
    steps.deadline_unit = 'same_day' as is_same_day,
    ranked_cards.card_rank = 1 as is_latest_card,
    steps.source_sha256,
    steps.source_file,
    steps.page_first,
    steps.page_last
from steps
inner join ranked_cards on ranked_cards.source_sha256 = steps.source_sha256
