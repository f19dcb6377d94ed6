-- Titles of loaded documents (document text: kept out of the ledger, joined in dim_documents).
select source_sha256 as document_sha256, title
from {{ source('reports', 'document_titles') }}
