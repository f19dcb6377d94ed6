{#- How a fact's record was read: 'ocr' when a table row on its pages came from a scanned page
    (stg_reports__document_rows.extraction_method), else 'text'. `relation` is the alias of the
    model's records (`from ... as records`), so the record's own columns are not taken for the
    rows'. The
    document's OCR confidence and flagged cells are in dim_documents and document_rows. -#}
{% macro extraction_method(relation) -%}
    case when exists (
        select 1 from {{ ref('stg_reports__document_rows') }} as read_rows
        where read_rows.source_sha256 = {{ relation }}.source_sha256
            and read_rows.extraction_method = 'ocr'
            and read_rows.page_first <= {{ relation }}.page_last
            and read_rows.page_last >= {{ relation }}.page_first
    ) then 'ocr' else 'text' end
{%- endmacro %}

{#- The lowest Tesseract word confidence (0-100) of the scanned table rows on a fact's pages: how
    sure the OCR was of the record; null when the record was read from the text layer. -#}
{% macro ocr_confidence(relation) -%}
    (
        select min(read_rows.ocr_confidence_min) from {{ ref('stg_reports__document_rows') }} as read_rows
        where read_rows.source_sha256 = {{ relation }}.source_sha256
            and read_rows.extraction_method = 'ocr'
            and read_rows.page_first <= {{ relation }}.page_last
            and read_rows.page_last >= {{ relation }}.page_first
    )
{%- endmacro %}

{#- The provenance columns every fact with pages ends with: its pages, how it was read and how sure
    OCR was. `relation` as for `extraction_method`. -#}
{% macro read_from_pages(relation) -%}
    {{ relation }}.page_first,
    {{ relation }}.page_last,
    {{ extraction_method(relation) }} as extraction_method,
    {{ ocr_confidence(relation) }} as ocr_confidence_min
{%- endmacro %}
