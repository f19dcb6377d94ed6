-- record_key: the item number, "#<measure_index + 1>" without one.
select {{ record_id('record_key') }} as plan_measure_id, *
from {{ source('reports', 'plan_execution') }}
