-- record_key: appendix|area|measure_number|measure_position.
select {{ record_id('record_key') }} as anticorruption_measure_id, *
from {{ source('reports', 'anticorruption') }}
