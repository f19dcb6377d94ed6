-- One row per card (record_key "document"); a service spans cards: its id is its name, lower-cased
-- with spacing collapsed.
select md5(lower(trim(regexp_replace(service_name, '\s+', ' ', 'g')))) as service_id, *
from {{ source('reports', 'service_card_services') }}
