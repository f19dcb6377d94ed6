{#- Rows per status of a vocabulary (`var('vocabularies')`, the Python one) and the execution rate:
    the share of rows whose status is in `executed`, 4 decimals. For a GROUP BY. -#}
{% macro status_counts(vocabulary, executed=['done']) -%}
    count(*) as measures,
    {%- for status in var('vocabularies')[vocabulary] %}
    count(*) filter (where status = '{{ status }}') as {{ status }},
    {%- endfor %}
    round(count(*) filter (where status in ('{{ executed | join("', '") }}')) / count(*), 4)
        as execution_rate
{%- endmacro %}
