"""The Alembic migrations build exactly the schema of `marketbox.store.tables`, on both backends."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement

from marketbox.store.database import Database
from marketbox.store.migrate import alembic_config, upgrade
from marketbox.store.tables import (
    HANDOVER_LIST_ID_START,
    LAMODA_BOX_ID_START,
    LAMODA_ITEM_ID_START,
    LAMODA_ORDER_ID_START,
    LAMODA_RETURN_ID_START,
    LAMODA_SHIPMENT_ID_START,
    LAMODA_SUPPLY_ID_START,
    LOGISTIC_ORDER_ID_START,
    SELLER_ID_START,
    TRADE_ORDER_ID_START,
    metadata,
)
from tests.databases import fresh_database

BACKENDS = ["sqlite", "postgresql"]


def differences(conn: Connection) -> list[Any]:
    # SQLite has no identity columns, so `Identity(start=...)` would always differ there as a server
    # default; the first ids it stands for are checked directly in test_first_ids_are_those_of_the_tables.
    compare_defaults = conn.dialect.name != "sqlite"
    context = MigrationContext.configure(
        conn,
        opts={"compare_type": True, "compare_server_default": compare_defaults, "target_metadata": metadata},
    )
    return list(compare_metadata(context, metadata))


def first_ids(conn: Connection) -> dict[str, int]:
    """The id each table hands out first, from the database itself."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name, seq + 1 FROM sqlite_sequence"))
    else:
        rows = conn.execute(
            text(
                "SELECT table_name, CAST(identity_start AS BIGINT) FROM information_schema.columns "
                "WHERE is_identity = 'YES' AND table_schema = current_schema()"
            )
        )
    return {str(name): int(start) for name, start in rows}


def plain(value: Any) -> Any:
    """Reflected values as plain data (SQL fragments such as index predicates become their text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, ClauseElement):
        return str(value)
    return value


def snapshot(conn: Connection) -> dict[str, Any]:
    """Everything the inspector says about the schema, to see that a second upgrade changed nothing."""
    insp = inspect(conn)
    return {
        table: {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted(plain(insp.get_foreign_keys(table)), key=str),
            "indexes": sorted(plain(insp.get_indexes(table)), key=lambda ix: str(ix["name"])),
            "unique": sorted(plain(insp.get_unique_constraints(table)), key=str),
        }
        for table in sorted(insp.get_table_names())
    }


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def _migrate_and_inspect(url: str) -> dict[str, Any]:
    db = Database(url)
    try:
        await upgrade(db)
        async with db.engine.connect() as conn:
            first_diff = await conn.run_sync(differences)
            first = await conn.run_sync(snapshot)
            ids = await conn.run_sync(first_ids)
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        await upgrade(db)  # already at head: a no-op
        async with db.engine.connect() as conn:
            second_diff = await conn.run_sync(differences)
            second = await conn.run_sync(snapshot)
            version_after = (
                (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
            )
        return {
            "ids": ids,
            "first_diff": first_diff,
            "first": first,
            "version": version,
            "second_diff": second_diff,
            "second": second,
            "version_after": version_after,
        }
    finally:
        await db.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def migrated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp_dir: Path = tmp_path_factory.mktemp(f"migrations-{request.param}")
    with fresh_database(request.param, tmp_dir) as url:
        return asyncio.run(_migrate_and_inspect(url))


def test_migrations_build_exactly_the_declared_schema(migrated: dict[str, Any]) -> None:
    assert migrated["first_diff"] == []
    assert set(migrated["first"]) == {*metadata.tables, "alembic_version"}


def test_migrations_end_at_the_head_revision(migrated: dict[str, Any]) -> None:
    assert migrated["version"] == [head_revision()]


def test_upgrading_twice_is_a_no_op(migrated: dict[str, Any]) -> None:
    assert migrated["second_diff"] == []
    assert migrated["second"] == migrated["first"]
    assert migrated["version_after"] == migrated["version"]


def test_first_ids_are_those_of_the_tables(migrated: dict[str, Any]) -> None:
    expected = {
        name: column.identity.start
        for name, table in metadata.tables.items()
        for column in table.columns
        if column.identity is not None
    }
    assert expected == {
        "sellers": SELLER_ID_START,
        "trade_orders": TRADE_ORDER_ID_START,
        "trade_order_lines": 100_000_001,
        "handover_lists": HANDOVER_LIST_ID_START,
        "logistic_orders": LOGISTIC_ORDER_ID_START,
        "lamoda_orders": LAMODA_ORDER_ID_START,
        "lamoda_order_items": LAMODA_ITEM_ID_START,
        "lamoda_shipments": LAMODA_SHIPMENT_ID_START,
        "lamoda_supplies": LAMODA_SUPPLY_ID_START,
        "lamoda_return_boxes": LAMODA_BOX_ID_START,
        "lamoda_return_items": LAMODA_RETURN_ID_START,
        "webhook_messages": 1,
        "webhook_attempts": 1,
        "fault_rules": 1,
    }
    assert migrated["ids"] == expected


def test_partial_indexes_skip_deleted_rows(migrated: dict[str, Any]) -> None:
    declared = {
        str(ix.name)
        for ix in metadata.tables["logistic_orders"].indexes
        if ix.dialect_options["postgresql"]["where"] is not None
    }
    assert len(declared) == 3
    reflected = {ix["name"]: ix for ix in migrated["first"]["logistic_orders"]["indexes"]}
    for name in declared:
        options = reflected[name]["dialect_options"]
        where = options.get("sqlite_where") or options.get("postgresql_where")
        assert where is not None, f"{name} is not partial"
        assert "deleted_at IS NULL" in str(where).replace("(", "").replace(")", ""), where


async def _round_trip(url: str) -> tuple[list[str], list[Any], dict[str, int]]:
    db = Database(url)
    try:
        await upgrade(db)
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "base"))
        async with db.engine.connect() as conn:
            left = await conn.run_sync(lambda sync: sorted(inspect(sync).get_table_names()))
        await upgrade(db)
        async with db.engine.connect() as conn:
            return left, await conn.run_sync(differences), await conn.run_sync(first_ids)
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_downgrade_to_base_and_upgrade_again(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        left, diff, ids = asyncio.run(_round_trip(url))
    assert left == ["alembic_version"]
    assert diff == []
    assert ids["logistic_orders"] == LOGISTIC_ORDER_ID_START
    assert ids["trade_orders"] == TRADE_ORDER_ID_START


def test_sqlite_tables_keep_autoincrement_through_every_migration(tmp_path: Path) -> None:
    """A batch migration rebuilds a SQLite table from its reflection, which drops AUTOINCREMENT: ids of
    deleted rows (a deleted tenant's) would then be handed out again."""
    from marketbox.store.tables import metadata

    wanted = {t.name for t in metadata.sorted_tables if t.dialect_kwargs.get("sqlite_autoincrement")}
    assert "sellers" in wanted

    async def migrated() -> dict[str, str]:
        db = Database(f"sqlite:///{tmp_path / 'auto.db'}")
        try:
            await upgrade(db)
            async with db.read() as conn:
                rows = await conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
                return {name: sql for name, sql in rows.all()}
        finally:
            await db.dispose()

    schema = asyncio.run(migrated())
    assert {name for name in wanted if "AUTOINCREMENT" not in schema[name].upper()} == set()
