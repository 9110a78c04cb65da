{{ stage_documents('house_watcher') }}
