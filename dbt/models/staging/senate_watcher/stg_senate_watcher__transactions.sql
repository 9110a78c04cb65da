{{ stage_transactions('senate_watcher') }}
