-- The ledger, renamed for the marts (types are the ledger's own: warehouse/ledger.py).
select * rename (sha256 as document_sha256, pages as page_count, format as file_format)
from {{ source('reports', 'documents') }}
