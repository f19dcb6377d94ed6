with extraction as (
    select
        source_sha256,
        case
            when bool_and(extraction_method = 'ocr') then 'ocr'
            when bool_or(extraction_method = 'ocr') then 'mixed'
            else 'text'
        end as extraction_method,
        avg(ocr_confidence) as ocr_confidence_mean,
        min(ocr_confidence_min) as ocr_confidence_min,
        coalesce(sum(len(low_confidence_cells)), 0)::bigint as low_confidence_cells,
        count(*) filter (where extraction_method = 'ocr') as ocr_rows
    from {{ ref('stg_reports__document_rows') }}
    group by source_sha256
)

-- The ledger, with the title of each loaded document from raw.document_titles (the ledger itself
-- holds no document text) and how its rows were read (text layer or OCR).
select
    documents.document_sha256,
    documents.file_name,
    documents.doc_type,
    titles.title,
    documents.report_year,
    documents.page_count,
    documents.file_format,
    documents.state,
    documents.state = 'loaded' as is_loaded,
    documents.rows_loaded > 0 as has_rows,
    documents.reason_code,
    documents.reason,
    documents.extractor_version,
    documents.rows_loaded,
    extraction.extraction_method,
    extraction.ocr_rows,
    extraction.ocr_confidence_mean,
    extraction.ocr_confidence_min,
    extraction.low_confidence_cells,
    documents.first_seen_at,
    documents.processed_at,
    documents.loaded_at
from {{ ref('stg_reports__documents') }} as documents
left join extraction on extraction.source_sha256 = documents.document_sha256
left join {{ ref('stg_reports__document_titles') }} as titles
    on titles.document_sha256 = documents.document_sha256
