"""Bulk loading for generated data: id blocks from the tables' own sequences, many rows per statement.

PostgreSQL: binary COPY over one asyncpg connection of its own. SQLite: `executemany` in one
transaction, every value passed through its column's bind processing, so that rows are stored
byte for byte as the app stores them. JSON values arrive already encoded (by the app's serializer,
msgspec), as the generators build them from pooled fragments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import asyncpg
import msgspec
from sqlalchemy import JSON, Table, text
from sqlalchemy.engine import Dialect

from marketbox.store.database import Database
from marketbox.store.tables import logistic_order_counts

Row = tuple[Any, ...]


def encode_json(value: Any) -> str:
    """What the app's engine stores for a JSON column value (its serializer is msgspec)."""
    return msgspec.json.encode(value).decode()


@dataclass
class Chunk:
    """Rows of one table, in `columns` order."""

    table: Table
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Load:
    """What one transaction writes: chunks in order (parents before children) and the changes of the
    per-seller logistic order counters that go with them."""

    chunks: list[Chunk] = field(default_factory=list)
    counts: dict[tuple[int, str], int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(len(c.rows) for c in self.chunks)


class Loader(Protocol):
    async def reserve(self, table: Table, n: int) -> int:
        """The first of `n` consecutive ids taken from `table`'s id sequence (nobody else gets them)."""

    async def give_back(self, table: Table, first_unused: int, last_reserved: int) -> None:
        """Return the unused end of the last block when nobody took an id after it."""

    async def write(self, load: Load) -> None: ...

    async def analyze(self, tables: Sequence[Table]) -> None: ...

    async def close(self) -> None: ...


async def open_loader(db: Database) -> Loader:
    if db.is_postgresql:
        dsn = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        conn = await asyncpg.connect(dsn)
        # A crash may lose the last batches, never corrupt anything: the seed is re-run, not recovered.
        await conn.execute("SET synchronous_commit = off")
        return PostgresLoader(conn)
    return SqliteLoader(db)


class PostgresLoader:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def reserve(self, table: Table, n: int) -> int:
        async with self.conn.transaction():
            # An INSERT takes ROW EXCLUSIVE before it draws its id; this lock waits for those under way
            # and holds new ones back, so no id of the block can go to anyone else.
            await self.conn.execute(f'LOCK TABLE "{table.name}" IN SHARE ROW EXCLUSIVE MODE')
            first: int = await self.conn.fetchval(
                "SELECT nextval(pg_get_serial_sequence($1, 'id'))", table.name
            )
            if n > 1:
                await self.conn.execute(
                    "SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", table.name, first + n - 1
                )
        return first

    async def give_back(self, table: Table, first_unused: int, last_reserved: int) -> None:
        if first_unused > last_reserved:
            return
        async with self.conn.transaction():
            await self.conn.execute(f'LOCK TABLE "{table.name}" IN SHARE ROW EXCLUSIVE MODE')
            sequence = await self.conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table.name)
            last = await self.conn.fetchval(f"SELECT last_value FROM {sequence}")
            if last == last_reserved:
                await self.conn.execute("SELECT setval($1::regclass, $2)", sequence, first_unused - 1)

    async def write(self, load: Load) -> None:
        async with self.conn.transaction():
            for chunk in load.chunks:
                if chunk.rows:
                    await self.conn.copy_records_to_table(
                        chunk.table.name, records=chunk.rows, columns=list(chunk.columns)
                    )
            for (seller_id, group), delta in sorted(load.counts.items()):
                await self.conn.execute(
                    "UPDATE logistic_order_counts SET n = n + $3 WHERE seller_id = $1 AND status_group = $2",
                    seller_id,
                    group,
                    delta,
                )

    async def analyze(self, tables: Sequence[Table]) -> None:
        # Planner statistics for the new rows now, rather than when autovacuum gets to them.
        for table in tables:
            await self.conn.execute(f'ANALYZE "{table.name}"')

    async def close(self) -> None:
        await self.conn.close()


Processor = Callable[[Any], Any]


class SqliteLoader:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.dialect: Dialect = db.engine.dialect
        self._processors: dict[tuple[str, tuple[str, ...]], list[tuple[int, Processor]]] = {}

    def _bind_processors(self, chunk: Chunk) -> list[tuple[int, Processor]]:
        key = (chunk.table.name, chunk.columns)
        found = self._processors.get(key)
        if found is None:
            found = []
            for index, name in enumerate(chunk.columns):
                column_type = chunk.table.c[name].type
                if isinstance(column_type, JSON):
                    continue  # already encoded by the generator
                process = column_type.dialect_impl(self.dialect).bind_processor(self.dialect)
                if process is not None:
                    found.append((index, process))
            self._processors[key] = found
        return found

    def _statement(self, chunk: Chunk) -> str:
        names = ", ".join(chunk.columns)
        marks = ", ".join("?" for _ in chunk.columns)
        return f"INSERT INTO {chunk.table.name} ({names}) VALUES ({marks})"

    def _processed(self, chunk: Chunk) -> list[Row]:
        processors = self._bind_processors(chunk)
        if not processors:
            return chunk.rows
        out: list[Row] = []
        for row in chunk.rows:
            values = list(row)
            for index, process in processors:
                values[index] = process(values[index])
            out.append(tuple(values))
        return out

    async def reserve(self, table: Table, n: int) -> int:
        async with self.db.write() as conn:
            seq = (
                await conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name})
            ).scalar()
            if seq is None:
                max_id = (await conn.execute(text(f"SELECT max(id) FROM {table.name}"))).scalar()
                seq = int(max_id or 0)
                await conn.execute(
                    text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)"),
                    {"t": table.name, "s": seq + n},
                )
            else:
                await conn.execute(
                    text("UPDATE sqlite_sequence SET seq = :s WHERE name = :t"),
                    {"t": table.name, "s": int(seq) + n},
                )
        return int(seq) + 1

    async def give_back(self, table: Table, first_unused: int, last_reserved: int) -> None:
        if first_unused > last_reserved:
            return
        async with self.db.write() as conn:
            await conn.execute(
                text("UPDATE sqlite_sequence SET seq = :back WHERE name = :t AND seq = :last"),
                {"t": table.name, "back": first_unused - 1, "last": last_reserved},
            )

    async def write(self, load: Load) -> None:
        async with self.db.write() as conn:
            for chunk in load.chunks:
                if chunk.rows:
                    await conn.exec_driver_sql(self._statement(chunk), self._processed(chunk))
            c = logistic_order_counts.c
            for (seller_id, group), delta in sorted(load.counts.items()):
                await conn.execute(
                    logistic_order_counts.update()
                    .where(c.seller_id == seller_id, c.status_group == group)
                    .values(n=c.n + delta)
                )

    async def analyze(self, tables: Sequence[Table]) -> None:
        return None  # the app never runs ANALYZE on SQLite; its plans are the same with or without

    async def close(self) -> None:
        return None


class IdBlocks:
    """Ids reserved ahead for each table, handed out in order (blocks need not be adjacent)."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self._free: dict[str, list[list[int]]] = {}  # table -> [[next, end)] segments
        self._tables: dict[str, Table] = {}
        self._last: dict[str, int] = {}  # last id of the newest block

    def available(self, table: Table) -> int:
        return sum(end - nxt for nxt, end in self._free.get(table.name, []))

    async def ensure(self, needs: Mapping[Table, int]) -> None:
        """Reserve what is missing for the next batch: at most `needs[table]` ids of each table."""
        for table, n in needs.items():
            missing = n - self.available(table)
            if missing > 0:
                first = await self.loader.reserve(table, missing)
                segments = self._free.setdefault(table.name, [])
                if segments and segments[-1][1] == first:  # nobody drew ids in between
                    segments[-1][1] += missing
                else:
                    segments.append([first, first + missing])
                self._tables[table.name] = table
                self._last[table.name] = first + missing - 1

    def take(self, table: Table) -> int:
        segments = self._free.get(table.name)
        if not segments:
            raise RuntimeError(f"no id reserved for {table.name}: the batch bound is too small")
        segment = segments[0]
        value = segment[0]
        segment[0] += 1
        if segment[0] == segment[1]:
            segments.pop(0)
        return value

    async def give_back(self) -> None:
        """Unused ids go back to the sequences (only when nobody drew one after them)."""
        for name, segments in self._free.items():
            if segments and segments[-1][1] - 1 == self._last[name]:
                await self.loader.give_back(self._tables[name], segments[-1][0], self._last[name])
        self._free.clear()
