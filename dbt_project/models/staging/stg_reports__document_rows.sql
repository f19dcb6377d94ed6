with source as (
    select * from {{ source('reports', 'document_rows') }}
)

select
    source_sha256,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    kind as row_kind,
    cells,
    cast(page_first as integer) as page_first,
    cast(page_last as integer) as page_last,
    bbox as bounding_box
from source
