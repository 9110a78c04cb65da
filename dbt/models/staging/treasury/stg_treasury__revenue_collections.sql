-- Revenue collections are published in dollars: no conversion.
with

source as (

    select * from {{ source('raw', 'treasury_revenue_collections') }}

),

renamed as (

    select
        record_date,
        electronic_category_desc as electronic_category,
        channel_type_desc as channel_type,
        tax_category_desc as tax_category,
        net_collections_amt as net_collections_usd,
        src_line_nbr as line_number,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
