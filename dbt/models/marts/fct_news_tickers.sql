-- Which tickers a news article is about, and how we know:
--   provider_sentiment: the provider tagged it (Alpha Vantage ticker_sentiment, with its scores);
--   exchange_mention: the title or trail text names it with its exchange ("NASDAQ:AAPL");
--   name_mention: the title names the company of a ticker members traded (fct_trades), by its
--     reference or disclosed name without the legal suffix ("Apple Inc." → "Apple"), as whole
--     words, case-sensitive.
with

articles as (

    select * from {{ ref('int_news_articles_unioned') }}

),

provider_links as (

    select
        article_id,
        provider,
        ticker,
        'provider_sentiment' as link_method,
        relevance_score,
        sentiment_score,
        sentiment_label

    from {{ ref('stg_alphavantage__ticker_sentiment') }}

),

exchange_mentions as (

    select distinct
        article_id,
        provider,
        unnest(regexp_extract_all(
            title || ' ' || coalesce(trail_text, ''),
            '(?:NASDAQ|NYSE|NYSEARCA|AMEX|OTC)\s*:\s*([A-Z][A-Z.]{0,5}[A-Z])',
            1
        )) as ticker

    from articles

),

traded as (

    select upper(ticker) as ticker, count(*) as trades, mode(asset_name) as asset_name
    from {{ ref('fct_trades') }}
    where ticker is not null
    group by upper(ticker)

),

-- The reference name (dim_tickers) or else the name as disclosed ("Apple Inc. - Common Stock"),
-- cut to the company: no share class, no legal suffix, punctuation as spaces. One ticker per
-- name (the most traded: BRK.A and BRK.B are both "Berkshire Hathaway"); names under five
-- letters ("News", "Meta") match too many ordinary words to be trusted.
company_names as (

    select
        t.ticker,
        trim(regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(coalesce(d.name, t.asset_name), '\s*[-–(\[].*$', ''),
                    '(?i)\s+(class [a-z]\b.*|common stock.*|ordinary shares.*|american depositary.*)$',
                    ''
                ),
                '(?i)[,]?\s+(inc|incorporated|corp|corporation|co|company|ltd|limited|plc|holdings?|group|n\.v|s\.a)\.?$',
                ''
            ),
            '[^A-Za-z0-9&]+', ' ', 'g'
        )) as company_name

    from traded as t
    left join {{ ref('dim_tickers') }} as d on d.ticker = t.ticker
    qualify row_number() over (partition by company_name order by t.trades desc, t.ticker) = 1

),

name_mentions as (

    select distinct a.article_id, a.provider, n.ticker
    from articles as a
    inner join company_names as n
        on length(n.company_name) >= 5
        and position(
            ' ' || n.company_name || ' '
            in ' ' || regexp_replace(a.title, '[^A-Za-z0-9&]+', ' ', 'g') || ' '
        ) > 0

),

mentions as (

    select article_id, provider, ticker, 'exchange_mention' as link_method from exchange_mentions
    union all
    select article_id, provider, ticker, 'name_mention' as link_method from name_mentions

),

unioned as (

    select * from provider_links
    union all by name
    select m.*
    from mentions as m
    -- The provider's own tag (with scores) is the better link when both exist.
    anti join provider_links as p
        on p.article_id = m.article_id and p.provider = m.provider and p.ticker = m.ticker

),

final as (

    select
        article_id,
        provider,
        ticker,
        link_method,
        relevance_score,
        sentiment_score,
        sentiment_label,
        ticker in (select ticker from traded) as traded_by_members

    from unioned
    qualify row_number() over (
        partition by article_id, provider, ticker
        order by case link_method when 'exchange_mention' then 0 else 1 end
    ) = 1

)

select * from final
