"""`marketbox seed` options: bad values are refused (exit 2) before anything is written; what it prints."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marketbox.cli import app
from marketbox.seed import lamoda, run
from marketbox.seed.plan import SeedPlan
from marketbox.services import tenants
from marketbox.store.database import Database
from marketbox.store.migrate import upgrade
from tests.databases import fresh_database
from tests.test_cli import tables_of

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--orders", "-1"], "--orders"),
        (["--sellers", "0"], "--sellers"),
        (["--products", "0"], "--products"),
        (["--days", "0"], "--days"),
        (["--batch-size", "10"], "--batch-size"),
        (["--marketplace", "ozon"], "--marketplace"),
        (["--seed", "x"], "--seed"),
        (["--now", "yesterday"], "--now"),
        (["--now", "2026-11-23T12:00:00"], "--now"),  # no UTC offset
        (["--now", "1999-12-31T00:00:00Z"], "--now"),
        (["--database-url", "mysql://root@localhost/x"], "--database-url"),
    ],
)
def test_a_bad_option_is_refused_before_anything_is_written(
    tmp_path: Path, args: list[str], option: str
) -> None:
    file = tmp_path / "seed.sqlite3"
    result = runner.invoke(app, ["seed", "--database-url", f"sqlite:///{file}", *args])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.output
    assert not file.exists()


def test_a_bad_option_leaves_a_postgresql_database_untouched(tmp_path: Path) -> None:
    with fresh_database("postgresql", tmp_path) as url:
        result = runner.invoke(app, ["seed", "--database-url", url, "--orders", "-5"])
        assert result.exit_code == 2, result.output
        assert tables_of(url) == set()


def test_it_prints_every_tenant_with_its_credentials(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seed.sqlite3'}"
    result = runner.invoke(app, ["seed", "--database-url", url, "--sellers", "2", "--orders", "30"])
    assert result.exit_code == 0, result.output

    async def made() -> list[tuple[int, str, str]]:
        db = Database(url)
        try:
            return [
                (s.id, c.aliexpress_token, c.lamoda_client_secret) for s, c in await tenants.list_tenants(db)
            ]
        finally:
            await db.dispose()

    found = asyncio.run(made())
    assert len(found) == 2
    for seller_id, token, secret in found:
        assert f"seller {seller_id}" in result.stdout
        assert f"x-auth-token: {token}" in result.stdout and secret in result.stdout
    assert "seeded 60 orders" in result.stdout


def test_one_marketplace_only(tmp_path: Path) -> None:
    file = tmp_path / "seed.sqlite3"
    result = runner.invoke(
        app,
        [
            "seed",
            "--database-url",
            f"sqlite:///{file}",
            "--marketplace",
            "lamoda",
            "--orders",
            "25",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["orders"] == 25
    assert summary["tenants"][0]["orders"] == {"aliexpress": 0, "lamoda": 25}
    with sqlite3.connect(file) as conn:
        counts = [
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("products", "trade_orders")
        ]
        assert counts == [0, 0]
        assert conn.execute("SELECT count(*) FROM lamoda_orders").fetchone()[0] == 25


def test_a_seed_that_fails_removes_its_tenants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0

    def failing(self: lamoda.LamodaSeeder, ids: object, start: int, count: int) -> object:
        nonlocal calls
        calls += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(lamoda.LamodaSeeder, "batch", failing)

    async def attempt() -> int:
        db = Database(f"sqlite:///{tmp_path / 'seed.sqlite3'}")
        try:
            await upgrade(db)
            with pytest.raises(RuntimeError, match="disk full"):
                await run.seed(db, SeedPlan(sellers=2, orders=40))
            return len(await tenants.list_tenants(db))
        finally:
            await db.dispose()

    assert asyncio.run(attempt()) == 0
    assert calls == 1
