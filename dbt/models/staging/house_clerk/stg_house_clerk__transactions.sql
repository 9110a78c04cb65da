{{ stage_transactions('house_clerk') }}
