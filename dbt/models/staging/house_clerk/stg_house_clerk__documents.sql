{{ stage_documents('house_clerk') }}
