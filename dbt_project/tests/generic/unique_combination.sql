{#- Primary key of several columns: no two rows share the combination (dbt_utils is not installed). -#}
{% test unique_combination(model, combination) %}
select {{ combination | join(', ') }}, count(*) as rows_with_key
from {{ model }}
group by {{ combination | join(', ') }}
having count(*) > 1
{% endtest %}
