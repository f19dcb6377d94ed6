with source as (
    select * from {{ source('reports', 'assistance_project_spending') }}
)

select
    md5(source_sha256 || ':' || cast(category_index as varchar)) as assistance_spending_id,
    source_sha256,
    cast(category_index as integer) as category_index,
    category,
    value_text,
    cast(amount_uah as decimal(18, 2)) as amount_uah,
    is_reported,
    cast(page_first as integer) as page_first,
    cast(page_last as integer) as page_last
from source
