select * rename (kind as row_kind, bbox as bounding_box)
from {{ source('reports', 'document_rows') }}
