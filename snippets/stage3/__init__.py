"""Stage 3: retrieval (RAG) on PostgreSQL and pgvector, measured."""
