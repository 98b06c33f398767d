"""Alembic environment: migrations always run on a connection handed in by marketbox.store.migrate."""

from __future__ import annotations

from alembic import context

from marketbox.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `marketbox migrate` (marketbox.store.migrate.upgrade)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
