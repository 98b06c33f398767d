"""A tenant's rows in every table, found by walking the schema: read, checked, written and cleared.

A table belongs to a tenant through a foreign key to `sellers.id` (its `seller_id`), or through a
foreign key to a table that belongs to one (trade_order_lines via trade_orders, webhook_attempts via
webhook_messages). Values cross JSON by their column's type: timestamps as ISO 8601 with their zone,
dates as ISO dates, JSON columns as JSON, binary as base64. So a new table or column needs no code
here, and a table no tenant owns, or a column type without a codec, stops `tenant_tables()` with an
error instead of being left out of snapshots.
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    delete,
    insert,
    select,
    text,
    tuple_,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeDecorator, TypeEngine

from marketbox.store.migrate import alembic_config
from marketbox.store.sellers import seed_status_counts
from marketbox.store.tables import metadata, sellers

# Not state: a counter that names the tenant's cached reads, given a fresh value on import.
NOT_EXPORTED = {"sellers": frozenset({"data_version"})}
BATCH = 500  # rows per INSERT and values per IN (...): well inside both databases' parameter limits

Kind = Literal["int", "float", "bool", "str", "datetime", "date", "json", "bytes"]
_INT_BITS = {SmallInteger: 16, BigInteger: 64}


@functools.cache
def schema_revision() -> str:
    """The Alembic head this code's schema is: a snapshot only goes back into the same schema."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no Alembic head: the migrations are missing")
    return head


class SnapshotError(ValueError):
    """A snapshot's tables refused: `where` is the path in the document (`tables.orders[3].id`)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class RowsTaken(Exception):
    """A row of the snapshot collides with a row written since the collision check."""


@dataclass(frozen=True)
class Codec:
    """How one column's values cross JSON, both ways."""

    kind: Kind
    nullable: bool
    max_length: int | None = None
    int_bits: int = 64
    aware: bool = True  # datetimes carry a zone
    choices: tuple[str, ...] | None = None  # a string column's only values (its `info["choices"]`)

    def encode(self, value: Any) -> Any:
        if value is None:
            return None
        if self.kind == "datetime":
            return value.isoformat(timespec="microseconds")
        if self.kind == "date":
            return value.isoformat()
        if self.kind == "bytes":
            return base64.b64encode(value).decode()
        if self.kind == "float":
            return float(value)
        return value

    def decode(self, raw: Any) -> Any:
        """The column value of a JSON value; ValueError says what is wrong with it."""
        if raw is None:
            if not self.nullable:
                raise ValueError("must not be null")
            return None
        return _DECODERS[self.kind](self, raw)


def _int(codec: Codec, raw: Any) -> int:
    if type(raw) is not int:
        raise ValueError(f"must be an integer, got {_show(raw)}")
    limit = 2 ** (codec.int_bits - 1)
    if not -limit <= raw < limit:
        raise ValueError(f"{raw} is out of range for a {codec.int_bits}-bit integer")
    return raw


def _float(_: Codec, raw: Any) -> float:
    if type(raw) not in (int, float) or not math.isfinite(raw):
        raise ValueError(f"must be a finite number, got {_show(raw)}")
    return float(raw)


def _bool(_: Codec, raw: Any) -> bool:
    if type(raw) is not bool:
        raise ValueError(f"must be true or false, got {_show(raw)}")
    return raw


def _str(codec: Codec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"must be a string, got {_show(raw)}")
    if codec.max_length is not None and len(raw) > codec.max_length:
        raise ValueError(f"must be at most {codec.max_length} characters, got {len(raw)}")
    if "\x00" in raw:
        raise ValueError("must not contain NUL characters")
    if codec.choices is not None and raw not in codec.choices:
        raise ValueError(f"must be one of {', '.join(codec.choices)}, got {_show(raw)}")
    return raw


def _datetime(codec: Codec, raw: Any) -> datetime:
    if not isinstance(raw, str):
        raise ValueError(f"must be an ISO 8601 date-time string, got {_show(raw)}")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{_show(raw)} is not an ISO 8601 date-time") from None
    if codec.aware and value.tzinfo is None:
        raise ValueError(f"{_show(raw)} has no zone (e.g. +00:00)")
    if not codec.aware and value.tzinfo is not None:
        raise ValueError(f"{_show(raw)} must not have a zone")
    return value


def _date(_: Codec, raw: Any) -> date:
    if not isinstance(raw, str):
        raise ValueError(f"must be an ISO 8601 date string, got {_show(raw)}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{_show(raw)} is not an ISO 8601 date") from None


def _json(_: Codec, raw: Any) -> Any:
    return raw


def _bytes(_: Codec, raw: Any) -> bytes:
    if not isinstance(raw, str):
        raise ValueError(f"must be a base64 string, got {_show(raw)}")
    try:
        return base64.b64decode(raw, validate=True)
    except binascii.Error:
        raise ValueError("is not valid base64") from None


_DECODERS: dict[Kind, Callable[[Codec, Any], Any]] = {
    "int": _int,
    "float": _float,
    "bool": _bool,
    "str": _str,
    "datetime": _datetime,
    "date": _date,
    "json": _json,
    "bytes": _bytes,
}


def _show(raw: Any) -> str:
    shown = repr(raw)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def codec_for(column: Column[Any]) -> Codec:
    sql_type: TypeEngine[Any] = column.type
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    nullable = bool(column.nullable)
    if isinstance(sql_type, JSON):
        return Codec("json", nullable)
    if isinstance(sql_type, Boolean):
        return Codec("bool", nullable)
    if isinstance(sql_type, DateTime):
        return Codec("datetime", nullable, aware=bool(sql_type.timezone))
    if isinstance(sql_type, Date):
        return Codec("date", nullable)
    if isinstance(sql_type, LargeBinary):
        return Codec("bytes", nullable)
    if isinstance(sql_type, Float):
        return Codec("float", nullable)
    if isinstance(sql_type, Integer):
        bits = next((b for t, b in _INT_BITS.items() if isinstance(sql_type, t)), 32)
        return Codec("int", nullable, int_bits=bits)
    if isinstance(sql_type, String):
        return Codec("str", nullable, max_length=sql_type.length, choices=column.info.get("choices"))
    raise TypeError(f"{column.table.name}.{column.name}: no snapshot codec for column type {sql_type!r}")


@dataclass(frozen=True)
class TenantTable:
    """A table whose rows belong to tenants, and how a tenant's rows are found."""

    table: Table
    # The column naming the owner: sellers.id itself for `sellers`, `seller_id` for a table that has
    # it, else a reference to a `parent` row (its column `referred`, e.g. trade_orders.id).
    owner: Column[Any]
    codecs: Mapping[str, Codec]  # the exported columns, in table order
    parent: TenantTable | None = None
    referred: Column[Any] | None = None

    @property
    def name(self) -> str:
        return str(self.table.name)

    def owned(self, seller_id: int) -> ColumnElement[bool]:
        if self.parent is None or self.referred is None:
            return self.owner == seller_id
        return self.owner.in_(select(self.referred).where(self.parent.owned(seller_id)))

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(str(c.name) for c in self.table.primary_key.columns)

    def unique_keys(self) -> list[tuple[str, ...]]:
        keys = [self.primary_key]
        keys += [
            tuple(str(c.name) for c in k.columns)
            for k in self.table.constraints
            if isinstance(k, UniqueConstraint)
        ]
        keys += [tuple(str(c.name) for c in ix.columns) for ix in self.table.indexes if ix.unique]
        return list(dict.fromkeys(keys))


@functools.cache
def tenant_tables() -> tuple[TenantTable, ...]:
    """Every table of the schema, parents before children."""
    return walk(metadata.sorted_tables, sellers)


def walk(tables: Sequence[Table], root: Table) -> tuple[TenantTable, ...]:
    """How each table's rows belong to a row of `root` (tables in dependency order); an error names a
    table no tenant owns, which snapshots would otherwise leave out."""
    (root_id,) = root.primary_key.columns
    found: dict[str, TenantTable] = {}
    for table in tables:
        skipped = NOT_EXPORTED.get(table.name, frozenset())
        codecs = {str(c.name): codec_for(c) for c in table.columns if c.name not in skipped}
        if table is root:
            found[table.name] = TenantTable(table, root_id, codecs)
            continue
        direct = [c for c in table.columns if any(fk.column is root_id for fk in c.foreign_keys)]
        if direct:
            found[table.name] = TenantTable(table, direct[0], codecs)
            continue
        via = [
            (c, fk.column, found[fk.column.table.name])
            for c in table.columns
            for fk in c.foreign_keys
            if fk.column.table.name in found
        ]
        if not via:
            raise RuntimeError(
                f"table {table.name} belongs to no tenant (no foreign key to {root.name}.{root_id.name} "
                "or to a table that has one): tenant snapshots would leave it out"
            )
        # A row with a NULL reference would belong to nobody: prefer a required reference.
        column, referred, parent = min(via, key=lambda found_via: bool(found_via[0].nullable))
        found[table.name] = TenantTable(table, column, codecs, parent, referred)
    return tuple(found.values())


# ---- reading ----------------------------------------------------------------------------------------


async def read_tenant(conn: AsyncConnection, seller_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row the tenant owns, table by table (parents first), each table in primary-key order,
    as JSON values: the same data gives the same document on either database."""
    document: dict[str, list[dict[str, Any]]] = {}
    for tt in tenant_tables():
        rows = (await conn.execute(select(tt.table).where(tt.owned(seller_id)))).mappings().all()
        pk = tt.primary_key
        ordered = sorted(rows, key=lambda row: tuple(row[name] for name in pk))
        document[tt.name] = [
            {name: codec.encode(row[name]) for name, codec in tt.codecs.items()} for row in ordered
        ]
    return document


# ---- checking a snapshot ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TenantRows:
    """A snapshot's rows as column values, checked: one seller, every reference inside the snapshot."""

    seller_id: int
    tables: dict[str, list[dict[str, Any]]]


def parse_tables(seller_id: int, tables: Mapping[str, Any]) -> TenantRows:
    """Decode a snapshot's tables (JSON: table → list of rows, row → column → value) by column type;
    SnapshotError names the first problem."""
    known = {tt.name: tt for tt in tenant_tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise SnapshotError(f"tables.{unknown[0]}", "no such table in this schema")
    missing = [name for name in known if name not in tables]
    if missing:
        raise SnapshotError(f"tables.{missing[0]}", "table is missing (a table without rows is [])")
    for name in known:
        if not isinstance(tables[name], list):
            raise SnapshotError(f"tables.{name}", "must be a list of rows")
        for i, row in enumerate(tables[name]):
            if not isinstance(row, dict):
                raise SnapshotError(f"tables.{name}[{i}]", "must be an object (column → value)")
    decoded = {
        name: [_decode_row(known[name], i, row) for i, row in enumerate(tables[name])] for name in known
    }
    root = decoded[sellers.name]
    if len(root) != 1 or root[0]["id"] != seller_id:
        raise SnapshotError(f"tables.{sellers.name}", f"must hold exactly one row, the seller {seller_id}")
    for tt in known.values():
        _check_unique(tt, decoded[tt.name])
        _check_references(tt, decoded)
    return TenantRows(seller_id, decoded)


def _decode_row(tt: TenantTable, index: int, row: Mapping[str, Any]) -> dict[str, Any]:
    where = f"tables.{tt.name}[{index}]"
    extra = sorted(set(row) - set(tt.codecs))
    if extra:
        raise SnapshotError(f"{where}.{extra[0]}", f"no such column in {tt.name}")
    values: dict[str, Any] = {}
    for name, codec in tt.codecs.items():
        if name not in row:
            raise SnapshotError(f"{where}.{name}", "column is missing")
        try:
            values[name] = codec.decode(row[name])
        except ValueError as exc:
            raise SnapshotError(f"{where}.{name}", str(exc)) from None
    return values


def _check_unique(tt: TenantTable, rows: Sequence[Mapping[str, Any]]) -> None:
    for key in tt.unique_keys():
        seen: dict[tuple[Any, ...], int] = {}
        for i, row in enumerate(rows):
            value = tuple(row[name] for name in key)
            if None in value:
                continue
            if value in seen:
                raise SnapshotError(
                    f"tables.{tt.name}[{i}].{key[0]}",
                    f"{_key_text(key)} {_values_text(value)} repeats row {seen[value]}",
                )
            seen[value] = i


def _check_references(tt: TenantTable, decoded: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Every reference to a tenant table points at a row of this snapshot, so an import can neither
    attach rows to another tenant's nor leave them dangling."""
    for fk in tt.table.foreign_key_constraints:
        if fk.referred_table.name not in decoded:
            continue
        children = tuple(e.parent.name for e in fk.elements)
        parents = tuple(e.column.name for e in fk.elements)
        present = {tuple(row[name] for name in parents) for row in decoded[fk.referred_table.name]}
        for i, row in enumerate(decoded[tt.name]):
            value = tuple(row[name] for name in children)
            if None not in value and value not in present:
                raise SnapshotError(
                    f"tables.{tt.name}[{i}].{children[0]}",
                    f"refers to {fk.referred_table.name}.{_key_text(parents)} {_values_text(value)}, "
                    "which is not in this snapshot",
                )


def _key_text(key: Sequence[str]) -> str:
    return key[0] if len(key) == 1 else "(" + ", ".join(key) + ")"


def _values_text(value: Sequence[Any]) -> str:
    return _show(value[0]) if len(value) == 1 else "(" + ", ".join(map(_show, value)) + ")"


# ---- writing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Collision:
    """Values of a unique key in the snapshot that this database holds already."""

    table: str
    columns: tuple[str, ...]
    values: list[Any]  # as JSON values, at most MAX_SHOWN
    count: int


MAX_SHOWN = 5


async def find_collisions(conn: AsyncConnection, rows: TenantRows) -> list[Collision]:
    """The snapshot's ids, credentials and other unique values already taken here, by any tenant.

    Keys that include the owner's id are left out: no row can hold a free seller id."""
    found: list[Collision] = []
    for tt in tenant_tables():
        owner_key = tt.parent is None and tt.table is not sellers
        for key in tt.unique_keys():
            if owner_key and tt.owner.name in key:
                continue
            values = [tuple(r[name] for name in key) for r in rows.tables[tt.name]]
            taken = await _existing(conn, tt.table, key, [v for v in values if None not in v])
            if taken:
                shown = [
                    [tt.codecs[name].encode(part) for name, part in zip(key, value, strict=True)]
                    for value in taken[:MAX_SHOWN]
                ]
                found.append(
                    Collision(
                        tt.name,
                        key,
                        [v[0] if len(v) == 1 else v for v in shown],
                        len(taken),
                    )
                )
    return found


async def _existing(
    conn: AsyncConnection, table: Table, key: Sequence[str], values: Sequence[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    columns = [table.c[name] for name in key]
    target = columns[0] if len(columns) == 1 else tuple_(*columns)
    taken: list[tuple[Any, ...]] = []
    for start in range(0, len(values), BATCH):
        chunk = values[start : start + BATCH]
        wanted = [v[0] for v in chunk] if len(columns) == 1 else chunk
        query = select(*columns).where(target.in_(wanted))
        taken += [tuple(row) for row in (await conn.execute(query)).all()]
    return sorted(taken)


async def insert_tenant(conn: AsyncConnection, rows: TenantRows, data_version: int) -> None:
    """Write a checked snapshot's rows with their own ids; RowsTaken if one collides after all."""
    try:
        await _advance_identities(conn, rows)
        for tt in tenant_tables():
            values = rows.tables[tt.name]
            if tt.table is sellers:
                values = [{**row, "data_version": data_version} for row in values]
            for start in range(0, len(values), BATCH):
                await conn.execute(insert(tt.table), values[start : start + BATCH])
    except IntegrityError as exc:
        raise RowsTaken(str(exc.orig)) from exc


# Moves a PostgreSQL identity's sequence up to `top` if it would otherwise hand `top` out later; never
# down (ids of deleted rows stay unused).
_ADVANCE_PG = text(
    """
    SELECT setval(s.seq, CAST(:top AS BIGINT))
    FROM (SELECT CAST(pg_get_serial_sequence(CAST(:tbl AS TEXT), CAST(:col AS TEXT)) AS REGCLASS) AS seq) AS s
    JOIN pg_sequence AS p ON p.seqrelid = s.seq
    WHERE CAST(:top AS BIGINT) >= COALESCE(pg_sequence_last_value(s.seq) + p.seqincrement, p.seqstart)
    """
)


async def _advance_identities(conn: AsyncConnection, rows: TenantRows) -> None:
    """Make new rows' generated ids pass the snapshot's. SQLite's AUTOINCREMENT counter follows any id
    written explicitly; a PostgreSQL sequence does not. Done before the inserts: ids handed out from
    then on cannot be the snapshot's (setval is not undone by a rollback, which only skips ids)."""
    if conn.dialect.name != "postgresql":
        return
    for tt in tenant_tables():
        for column in tt.table.columns:
            if column.identity is None or not rows.tables[tt.name]:
                continue
            top = max(row[column.name] for row in rows.tables[tt.name])
            await conn.execute(_ADVANCE_PG, {"tbl": tt.name, "col": column.name, "top": top})


async def clear_tenant(conn: AsyncConnection, seller_id: int) -> None:
    """Delete every row the tenant owns but its seller row, children first, and put back what every
    new seller starts with: its zero status counters."""
    for tt in reversed(tenant_tables()):
        if tt.table is not sellers:
            await conn.execute(delete(tt.table).where(tt.owned(seller_id)))
    await seed_status_counts(conn, seller_id)
