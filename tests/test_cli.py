"""The `marketbox` command: version, migrate, the guard on several processes over SQLite, packaging."""

from __future__ import annotations

import asyncio
import fnmatch
import tomllib
from pathlib import Path

from sqlalchemy import inspect
from typer.testing import CliRunner

from marketbox import __version__
from marketbox.cli import app
from marketbox.store.database import Database
from tests.servers import free_port

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


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


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"marketbox {__version__}"


def test_a_second_server_on_one_sqlite_file_is_a_one_line_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    release = Database(url).claim_sole_server()  # the first server holds the file
    try:
        result = runner.invoke(app, ["serve", "--database-url", url, "--port", str(free_port())])
    finally:
        release()
    assert result.exit_code == 1
    assert result.output.strip().replace("\n", " ").startswith("another marketbox process is serving")
    assert "Traceback" not in result.output
    assert not (tmp_path / "shared.sqlite3").exists() or "alembic_version" not in tables_of(url)


def test_gitignore_covers_sqlite_side_files() -> None:
    patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for name in ("marketbox.sqlite3", "marketbox.sqlite3-wal", "marketbox.sqlite3-shm"):
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name


def test_license_is_an_spdx_string() -> None:
    # setuptools warns on the old `{text = ...}` table at every install; an SPDX string is what it wants.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0"
