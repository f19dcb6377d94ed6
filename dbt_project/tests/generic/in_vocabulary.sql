{#- The column holds only values of its vocabulary, `var('vocabularies')['<table>.<column>']`
    (the Python list, passed by zvit as `--vars`, keyed by the raw table and column it is tested on; nulls pass). -#}
{% test in_vocabulary(model, column_name) %}
{%- set values = [] -%}
{%- if execute -%}
    {%- set key = model.identifier ~ '.' ~ column_name -%}
    {%- set vocabularies = var('vocabularies') -%}
    {%- if key not in vocabularies -%}
        {{ exceptions.raise_compiler_error("in_vocabulary: no vocabulary " ~ key ~ " in vars (zvit passes them: zvit.pipeline.dbt_vars)") }}
    {%- endif -%}
    {%- set values = vocabularies[key] -%}
{%- endif -%}
{{ adapter.dispatch('test_accepted_values', 'dbt')(model, column_name, values) }}
{% endtest %}
