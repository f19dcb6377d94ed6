with cards as (
    select * from {{ ref('stg_reports__service_card_services') }}
),

latest as (
    select distinct service_id, source_sha256
    from {{ ref('fct_service_stages') }}
    where is_latest_card
),

card_counts as (
    select service_id, count(*) as cards_loaded
    from cards
    group by service_id
)

select
    cards.service_id,
    cards.service_name,
    cards.title,
    cards.approving_body,
    cards.order_date,
    cards.order_number,
    cards.appeal_text,
    cards.note_text,
    cards.extra_rows,
    cards.numbering_gaps,
    cards.has_numbering_gaps,
    cards.stage_count,
    cards.step_count,
    cards.signer_position,
    cards.signer_name,
    card_counts.cards_loaded,
    cards.source_sha256,
    cards.source_file
from cards
inner join latest
    on latest.service_id = cards.service_id
    and latest.source_sha256 = cards.source_sha256
inner join card_counts on card_counts.service_id = cards.service_id
