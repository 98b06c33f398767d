"""The `marketbox` command: migrate, and the guard on several processes over SQLite."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import inspect
from typer.testing import CliRunner

from marketbox.cli import app
from marketbox.store.database import Database

runner = CliRunner()


def tables_of(url: str) -> set[str]:
    async def read() -> set[str]:
        db = Database(url)
        try:
            async with db.engine.connect() as conn:
                return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await db.dispose()

    return asyncio.run(read())


def test_migrate_creates_the_schema_and_is_repeatable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    for _ in range(2):
        result = runner.invoke(app, ["migrate", "--database-url", url])
        assert result.exit_code == 0, result.output
        assert "schema up to date" in result.output
    assert {"sellers", "trade_orders", "logistic_orders", "handover_lists", "alembic_version"} <= tables_of(
        url
    )


def test_serve_refuses_several_processes_on_sqlite(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["serve", "--workers", "2", "--database-url", f"sqlite:///{tmp_path / 'x.db'}"]
    )
    assert result.exit_code == 2
    assert "needs PostgreSQL" in result.output


def test_an_unsupported_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--database-url", "mysql://root@localhost/x"])
    assert result.exit_code == 1
    assert "cannot use the database" in result.output
