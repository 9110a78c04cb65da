with

source as (

    select * from {{ source('raw', 'news_articles') }}
    where provider = 'alphavantage'

),

renamed as (

    select
        article_id,
        provider,
        query,
        published_at,
        title,
        url,
        section,
        trail_text,
        publisher,
        sentiment_score,
        sentiment_label,
        parser_version,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
