{#- Measures per status and the execution rate (done / measures, 4 decimals) for a GROUP BY. -#}
{% macro status_counts() -%}
    count(*) as measures,
    {%- for status in ['done', 'partially_done', 'not_done', 'not_held', 'in_progress', 'postponed', 'unknown'] %}
    count(*) filter (where status = '{{ status }}') as {{ status }},
    {%- endfor %}
    round(count(*) filter (where status = 'done') / count(*), 4) as execution_rate
{%- endmacro %}
