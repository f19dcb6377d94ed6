with source as (
    select * from {{ source('reports', 'anticorruption') }}
)

select
    -- Stable across re-loads of the same bytes; measure_key is unique within a report.
    md5(source_sha256 || ':' || measure_key) as anticorruption_measure_id,
    source_sha256,
    source_file,
    cast(programme_year as integer) as programme_year,
    cast(measure_index as integer) as measure_index,
    measure_key,
    cast(appendix_number as integer) as appendix_number,
    appendix_title,
    cast(area_number as integer) as area_number,
    area_title,
    number_printed,
    measure_number,
    cast(measure_position as integer) as measure_position,
    item_label,
    measure,
    deadline_text,
    deadline_kind,
    cast(deadline_start_date as date) as deadline_start_date,
    cast(deadline_end_date as date) as deadline_end_date,
    deadline_dates,
    deadline_is_recurring,
    deadline_is_event_relative,
    deadline_condition,
    responsible_text,
    responsible_units,
    responsible_persons,
    status_text,
    status,
    cast(page_first as integer) as page_first,
    cast(page_last as integer) as page_last
from source
