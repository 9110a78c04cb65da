{{ stage_documents('senate_watcher') }}
