-- The latest review fix of each field of each parsed row, one row per (source, doc_id, row):
-- which fields a reviewer set, their values (a fix may set a field to null: "set" says so), and
-- the trail (who, when, old -> new) the pages show.
with

source as (

    select * from {{ source('raw', 'review_corrections') }}

),

latest as (

    select *
    from source
    qualify row_number() over (
        partition by source, doc_id, row_position, field
        order by reviewed_at desc, correction_id desc
    ) = 1

),

final as (

    select
        source,
        doc_id,
        row_position,
        bool_or(field = 'owner') as owner_set,
        max(new_value) filter (where field = 'owner') as owner_value,
        bool_or(field = 'asset_name') as asset_name_set,
        max(new_value) filter (where field = 'asset_name') as asset_name_value,
        bool_or(field = 'ticker') as ticker_set,
        max(new_value) filter (where field = 'ticker') as ticker_value,
        bool_or(field = 'tx_type') as tx_type_set,
        max(new_value) filter (where field = 'tx_type') as tx_type_value,
        bool_or(field = 'tx_date') as tx_date_set,
        max(try_cast(new_value as date)) filter (where field = 'tx_date') as tx_date_value,
        bool_or(field = 'notified_date') as notified_date_set,
        max(try_cast(new_value as date)) filter (where field = 'notified_date')
            as notified_date_value,
        -- an amount fix is "min-max" in dollars; an open-ended band has no max ("1000001-")
        bool_or(field = 'amount') as amount_set,
        max(try_cast(nullif(split_part(new_value, '-', 1), '') as bigint))
            filter (where field = 'amount') as amount_min_value,
        max(try_cast(nullif(split_part(new_value, '-', 2), '') as bigint))
            filter (where field = 'amount') as amount_max_value,
        bool_or(field = 'subholding_of') as subholding_of_set,
        max(new_value) filter (where field = 'subholding_of') as subholding_of_value,
        list(field order by field) as reviewed_fields,
        list(
            {
                'field': field,
                'old_value': old_value,
                'new_value': new_value,
                'reviewer': reviewer,
                'reviewed_at': reviewed_at,
                'note': note
            }
            order by field
        ) as review_trail,
        max(reviewed_at) as reviewed_at

    from latest
    group by source, doc_id, row_position

)

select * from final
