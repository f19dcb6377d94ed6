-- Every status code of every report type with its Ukrainian label, in the vocabulary's order: both
-- come from the Python type modules (`var('vocabularies')`, `var('labels_uk')`), never a copy.
{%- set rows = [] %}
{%- for vocabulary, labels in var('labels_uk').items() if vocabulary.endswith('.status') %}
    {%- for status in var('vocabularies')[vocabulary] %}
        {%- do rows.append((vocabulary.split('.')[0], status, labels.get(status), loop.index)) %}
    {%- endfor %}
{%- endfor %}

select
    report_type,
    status,
    status_label_uk,
    status_order::integer as status_order,
    status = 'done' as counts_as_executed
from (
    values
    {%- for report_type, status, label, order in rows %}
        ('{{ report_type }}', '{{ status }}',
            {{ "'" ~ (label | replace("'", "''")) ~ "'" if label is not none else "null" }},
            {{ order }}){{ "," if not loop.last }}
    {%- endfor %}
) as statuses (report_type, status, status_label_uk, status_order)
