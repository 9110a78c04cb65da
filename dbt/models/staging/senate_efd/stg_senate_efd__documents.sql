{{ stage_documents('senate_efd') }}
