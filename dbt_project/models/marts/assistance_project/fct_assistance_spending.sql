with spending as (
    select * from {{ ref('stg_reports__assistance_project_spending') }}
),

reports as (
    select source_sha256, project_title, project_code
    from {{ ref('stg_reports__assistance_project') }}
)

select
    spending.assistance_spending_id,
    spending.source_sha256 as assistance_project_report_id,
    reports.project_title,
    reports.project_code,
    spending.category_index,
    spending.category,
    spending.value_text,
    spending.amount_uah,
    spending.is_reported,
    spending.source_sha256,
    spending.page_first,
    spending.page_last
from spending
inner join reports on reports.source_sha256 = spending.source_sha256
