with source as (
    select * from {{ source('reports', 'service_card_services') }}
)

select
    -- One service across cards: the name with case and spacing normalised.
    md5(lower(trim(regexp_replace(service_name, '\s+', ' ', 'g')))) as service_id,
    source_sha256,
    source_file,
    title,
    service_name,
    approving_body,
    cast(order_date as date) as order_date,
    order_number,
    appeal_text,
    note_text,
    extra_rows,
    numbering_gaps,
    has_numbering_gaps,
    cast(stage_count as integer) as stage_count,
    cast(step_count as integer) as step_count,
    signer_position,
    signer_name
from source
