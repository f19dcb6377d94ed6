with source as (
    select * from {{ source('reports', 'assistance_project') }}
)

select
    -- One report per file content: the document's sha256 is the report's key.
    source_sha256 as assistance_project_report_id,
    source_sha256,
    source_file,
    project_title,
    project_code,
    monitoring_type_text,
    monitoring_type,
    reporting_period_text,
    cast(period_start_date as date) as period_start_date,
    cast(period_end_date as date) as period_end_date,
    partner,
    beneficiaries_text,
    beneficiaries,
    recipients_text,
    recipients,
    registration_card_text,
    registration_card_number,
    cast(registration_card_date as date) as registration_card_date,
    results_summary,
    links,
    total_spent_label,
    total_spent_text,
    cast(total_spent_uah as decimal(18, 2)) as total_spent_uah,
    assessment,
    problems,
    signer_position,
    signer_name
from source
