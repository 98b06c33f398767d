"""Persistence: SQLAlchemy Core tables, repositories and the transaction boundary."""
