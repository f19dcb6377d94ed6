-- record_key: stage_number|step_position, unique within a card.
select {{ record_id('record_key') }} as service_stage_step_id, *
from {{ source('reports', 'service_card') }}
