with

guardian as (

    select * from {{ ref('stg_guardian__articles') }}

),

alphavantage as (

    select * from {{ ref('stg_alphavantage__articles') }}

),

final as (

    select * from guardian
    union all by name
    select * from alphavantage

)

select * from final
