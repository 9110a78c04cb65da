with

source as (

    select * from {{ source('raw', 'ticker_details') }}

),

renamed as (

    select
        upper(ticker) as ticker,
        found,
        name,
        type,
        cik,
        sic_code,
        try_cast(sic_code as integer) as sic,
        sic_description,
        fetched_at,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

)

select * from renamed
