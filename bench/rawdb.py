"""Bulk writes for the bench data generator: raw SQL in big batches, not the ORM row by row.

SQLite: ``executemany`` inside one transaction, with ``journal_mode=OFF``/``synchronous=OFF`` while
the data is written (a bench database: a crash only means generating it again). PostgreSQL:
``COPY … FROM STDIN`` through psycopg's ``cursor.copy``. Rows carry explicit ids (allocated after
the table's largest one), so the generator knows every key without reading it back; PostgreSQL's
identity sequences are moved past them at the end.

A ``Table`` lists the columns the generator gives and fills every other column of the model with
its default, so a field another branch adds (with a default) does not break the generator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

SQLITE_BATCH = 20_000


def _plain(value: Any) -> Any:
    """A model default as the database driver takes it."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Table:
    """A model's table: the columns the generator gives, then every other column at its default."""

    def __init__(self, model: Any, given: Sequence[str], now: dt.datetime, writer: Writer) -> None:
        self.model = model
        self.name: str = model._meta.db_table
        self.given = list(given)
        tail_cols: list[str] = []
        tail: list[Any] = []
        for f in model._meta.concrete_fields:
            if f.column in self.given:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value: Any = writer.ts(now)
            elif f.has_default():
                value = writer.value(f.get_default())
            elif f.null:
                value = None
            elif f.primary_key:
                raise ValueError(f"{self.name}: give the id")
            else:
                value = writer.value(f.get_default())
            tail_cols.append(f.column)
            tail.append(value)
        self.columns = self.given + tail_cols
        self.tail = tuple(tail)


class Writer:
    """Writes rows into the configured database (``django.db.connection``)."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor: str = connection.vendor
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.tables: list[Table] = []

    # Values ----------------------------------------------------------------------------------
    def ts(self, value: dt.datetime) -> str:
        """A UTC datetime as this engine's Django backend stores it."""
        text = value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        return text if self.vendor == "sqlite" else text + "+00:00"

    def value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return self.ts(value if value.tzinfo else value.replace(tzinfo=dt.UTC))
        return _plain(value)

    # Tables ----------------------------------------------------------------------------------
    def table(self, model: Any, given: Sequence[str]) -> Table:
        table = Table(model, given, self.now, self)
        self.tables.append(table)
        return table

    def next_id(self, model: Any) -> int:
        with self.connection.cursor() as cur:
            cur.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608 - a model's table
            row = cur.fetchone()
        return int(row[0])

    def write(self, table: Table, rows: Iterable[Sequence[Any]]) -> int:
        """Insert the rows (values of ``table.given`` in order); returns how many."""
        tail = table.tail
        cols = ", ".join(f'"{c}"' for c in table.columns)
        count = 0
        if self.vendor == "postgresql":
            raw = self.connection.connection  # the psycopg connection
            with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
                    count += 1
            return count
        marks = ", ".join("?" for _ in table.columns)
        sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})'  # noqa: S608 - a model's table and columns
        raw_cur = self.connection.connection.cursor()
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append((*row, *tail))
            if len(batch) >= SQLITE_BATCH:
                raw_cur.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            raw_cur.executemany(sql, batch)
            count += len(batch)
        raw_cur.close()
        return count

    # Session ---------------------------------------------------------------------------------
    def begin(self) -> None:
        """Fast, unsafe writes: SQLite without journal, sync and foreign key checks (outside a
        transaction only: in tests the pragmas cannot change); PostgreSQL without the foreign key
        triggers (``session_replication_role``, superusers only). The rows are consistent by
        construction; the generator's tests check it."""
        self.connection.ensure_connection()
        self.fast = False
        with self.connection.cursor() as cur:
            if self.vendor == "sqlite" and not self.connection.in_atomic_block:
                for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-400000"):
                    cur.execute(f"PRAGMA {pragma}")
                self.fast = True
            elif self.vendor == "postgresql":
                cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cur.fetchone()
                if row and row[0]:
                    cur.execute("SET session_replication_role = replica")
                    self.fast = True

    def end(self) -> None:
        """Move PostgreSQL's id sequences past the written ids; restore the usual settings."""
        with self.connection.cursor() as cur:
            if self.vendor == "postgresql":
                for table in {t.name: t for t in self.tables}.values():
                    sql = (f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                           f'(SELECT COALESCE(MAX(id), 1) FROM "{table.name}"))')  # a model's table
                    cur.execute(sql)
                if self.fast:
                    cur.execute("SET session_replication_role = DEFAULT")
            elif self.fast:
                for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
                    cur.execute(f"PRAGMA {pragma}")

    def analyze(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute("ANALYZE")
