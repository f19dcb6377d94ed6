{#- A record's id: md5 of its document's sha256 and its record key (`record_key` in every raw
    table a type owns, unique per document). Computed once, in staging; marts join on it. -#}
{% macro record_id(key, sha256='source_sha256') -%}
    md5({{ sha256 }} || ':' || {{ key }})
{%- endmacro %}
