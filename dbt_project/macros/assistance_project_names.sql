{#- The project of each ITA report, to join on `source_sha256` (the facts repeat its names). -#}
{% macro assistance_project_names() -%}
    (select source_sha256, project_title, project_code from {{ ref('stg_reports__assistance_project') }})
        as reports
{%- endmacro %}
