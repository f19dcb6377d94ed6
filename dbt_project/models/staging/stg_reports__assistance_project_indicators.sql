-- record_key: the indicator number.
select {{ record_id('record_key') }} as assistance_indicator_id, *
from {{ source('reports', 'assistance_project_indicators') }}
