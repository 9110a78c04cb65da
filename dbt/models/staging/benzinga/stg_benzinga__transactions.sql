{{ stage_transactions('benzinga') }}
