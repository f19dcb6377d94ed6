-- One row per report (record_key "document"): the document's sha256 is the report's id.
select source_sha256 as assistance_project_report_id, *
from {{ source('reports', 'assistance_project') }}
