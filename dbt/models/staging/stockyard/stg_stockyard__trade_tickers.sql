-- Ticker resolution per disclosed line, keyed by the same trade_id the trade staging models hash.
with

source as (

    select * from {{ source('raw', 'trade_tickers') }}

),

renamed as (

    select
        md5(concat_ws('|', source, doc_id, cast("row" as varchar))) as trade_id,
        source,
        doc_id,
        "row" as row_position,
        asset_name,
        reported_ticker,
        resolved_ticker,
        confidence as ticker_confidence,
        method as ticker_method,
        asset_class,
        reason as ticker_reason

    from source

),

final as (

    select * from renamed

)

select * from final
