-- record_key: the category's position (category_index).
select {{ record_id('record_key') }} as assistance_spending_id, *
from {{ source('reports', 'assistance_project_spending') }}
