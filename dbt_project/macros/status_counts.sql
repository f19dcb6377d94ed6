{#- Rows per status of a vocabulary (`var('vocabularies')`, the Python one) and the execution rate,
    which means one thing for every report type: the share of rows whose status is `done`,
    4 decimals. A wider share (counting other statuses as fulfilled) takes another name. All counts
    are BIGINT. For a GROUP BY. -#}
{% macro status_counts(vocabulary) -%}
    count(*) as measures,
    {%- for status in var('vocabularies')[vocabulary] %}
    count(*) filter (where status = '{{ status }}') as {{ status }},
    {%- endfor %}
    {{ share_of("status = 'done'") }} as execution_rate
{%- endmacro %}

{#- The share of a group's rows matching `condition`, rounded to 4 decimals (null for no rows). -#}
{% macro share_of(condition) -%}
    round(count(*) filter (where {{ condition }}) / count(*), 4)
{%- endmacro %}
