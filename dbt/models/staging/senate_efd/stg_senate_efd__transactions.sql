{{ stage_transactions('senate_efd') }}
