{#- "The latest report wins": true on the rows of the newest document of each `partition_by`
    group. Several documents can report one year or describe one service (a PDF and its DOCX, a
    corrected version, a newer order); the newest is the one with the latest `newest_first`
    (e.g. an order date) if given, then the latest loaded (stg_reports__documents.loaded_at), then
    the sha256 in order, so that a tie still picks one document. -#}
{% macro is_latest_report(partition_by, newest_first=[], sha256='source_sha256') -%}
    dense_rank() over (
        partition by {{ partition_by }}
        order by
            {%- for column in newest_first %} {{ column }} desc nulls last,{% endfor %}
            (
                select documents.loaded_at from {{ ref('stg_reports__documents') }} as documents
                where documents.document_sha256 = {{ sha256 }}
            ) desc nulls last,
            {{ sha256 }}
    ) = 1
{%- endmacro %}
