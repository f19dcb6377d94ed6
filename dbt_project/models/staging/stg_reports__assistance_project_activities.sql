-- record_key: indicator_number|activity_position.
select {{ record_id('record_key') }} as assistance_activity_id, *
from {{ source('reports', 'assistance_project_activities') }}
