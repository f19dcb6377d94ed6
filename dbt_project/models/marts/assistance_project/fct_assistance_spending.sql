select
    assistance_spending_id,
    source_sha256 as assistance_project_report_id,
    project_title,
    project_code,
    category_index,
    category,
    value_text,
    amount_uah,
    is_reported,
    source_sha256,
    {{ read_from_pages('records') }}
from {{ ref('stg_reports__assistance_project_spending') }} as records
inner join {{ assistance_project_names() }} using (source_sha256)
