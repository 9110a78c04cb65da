-- One row per news article of every provider, with the tickers it is linked to (fct_news_tickers).
with

articles as (

    select * from {{ ref('int_news_articles_unioned') }}

),

links as (

    select
        article_id,
        provider,
        list(ticker order by relevance_score desc nulls last, ticker) as tickers

    from {{ ref('fct_news_tickers') }}
    group by article_id, provider

),

final as (

    select
        a.article_id,
        a.provider,
        a.published_at,
        a.title,
        a.url,
        a.section,
        a.publisher,
        a.trail_text,
        a.sentiment_score,
        a.sentiment_label,
        coalesce(l.tickers, []::varchar[]) as tickers,
        a.query,
        a.landing_path,
        a.loaded_at

    from articles as a
    left join links as l on l.article_id = a.article_id and l.provider = a.provider

)

select * from final
