{#- The Ukrainian label of a vocabulary value (`var('labels_uk')`, kept beside the Python lists in
    the type modules and passed by zvit with them): `{{ label_uk('plan_execution.status', 'status') }}`.
    A value without a label (none should exist: tests/transforms checks) stays null. -#}
{% macro label_uk(vocabulary, column) -%}
    case {{ column }}
    {%- for value, label in var('labels_uk')[vocabulary].items() %}
        when '{{ value }}' then '{{ label | replace("'", "''") }}'
    {%- endfor %}
    end
{%- endmacro %}
