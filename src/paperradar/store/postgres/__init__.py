"""The PostgreSQL backend: psycopg 3 with a pool, tsvector/GIN keyword search, pgvector HNSW vectors."""

from paperradar.store.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
