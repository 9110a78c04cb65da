with

source as (

    select * from {{ source('raw', 'news_ticker_sentiment') }}
    where provider = 'alphavantage'

),

renamed as (

    select
        article_id,
        provider,
        upper(trim(ticker)) as ticker,
        relevance_score,
        sentiment_score,
        sentiment_label,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
