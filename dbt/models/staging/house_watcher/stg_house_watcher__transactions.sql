{{ stage_transactions('house_watcher') }}
