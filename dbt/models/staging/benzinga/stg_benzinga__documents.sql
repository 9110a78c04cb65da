{{ stage_documents('benzinga') }}
