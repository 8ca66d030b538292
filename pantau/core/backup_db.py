"""The database side of backups: copying out and restoring SQLite and PostgreSQL databases.

SQLite: SQLite's online backup API (one read transaction: a consistent snapshot that includes
the WAL, while the app keeps writing). PostgreSQL: ``pg_dump --format=custom`` of an exported
snapshot and ``pg_restore``, with the password in ``PGPASSWORD``, never on a command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Keys of Django's PostgreSQL OPTIONS that are not libpq connection parameters.
_DJANGO_ONLY_PG_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool", "cursor_factory"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def engine_of(database: Mapping[str, Any]) -> str:
    """``sqlite`` or ``postgresql`` for a Django database settings dict."""
    engine = str(database.get("ENGINE", ""))
    if engine.endswith(("sqlite3", "spatialite")) or engine == "pantau.core.sqlite":
        return "sqlite"
    if engine.endswith("postgresql") or engine.endswith("postgis"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not the database engine {engine!r}.")


def default_database() -> Mapping[str, Any]:
    from django.db import connections

    return connections["default"].settings_dict


def sqlite_path(database: Mapping[str, Any]) -> Path:
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("The SQLite database is in memory; only a database file can be backed up or restored.")
    return Path(name)


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program (``pg_dump``, ``pg_restore``) on PATH."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client programs of the server's "
            f"major version or newer (Debian: apt-get install postgresql-client) and run again."
        )
    return found


def pg_params(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq connection parameters (password included) from a Django database settings dict."""
    params: dict[str, Any] = {
        "dbname": database.get("NAME") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
    }
    for key, value in (database.get("OPTIONS") or {}).items():
        if key not in _DJANGO_ONLY_PG_OPTIONS:
            params[key] = value
    if params["dbname"] is None and "service" not in params:
        params["dbname"] = "postgres"
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def _pg_command_env(database: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """A conninfo string without the password, and an environment carrying it in PGPASSWORD."""
    from psycopg.conninfo import make_conninfo

    params = pg_params(database)
    password = params.pop("password", None)
    env = dict(os.environ)  # without a password in the settings, libpq's own (PGPASSWORD, ~/.pgpass)
    if password is not None:
        env["PGPASSWORD"] = password
    return make_conninfo(**params), env


def _pg_connect(database: Mapping[str, Any]) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    return psycopg.connect(make_conninfo(**pg_params(database)))


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command line holds paths and a conninfo without the password (that goes in PGPASSWORD).
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        program = Path(command[0]).name
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupError(f"{program} failed (exit status {done.returncode}): {detail}")


def _migrations_from_rows(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(rows):
        applied.setdefault(app, []).append(name)
    return applied


def dump_sqlite(database: Mapping[str, Any], target: Path) -> dict[str, list[str]]:
    source = sqlite_path(database)
    if not source.is_file():
        raise BackupError(f"The SQLite database {source} does not exist; check SQLITE_PATH or DATABASE_URL.")
    timeout = float((database.get("OPTIONS") or {}).get("timeout", 20))
    src = sqlite3.connect(str(source), timeout=timeout)
    try:
        dst = sqlite3.connect(str(target))
        try:
            # pages=-1: the whole database in one step, i.e. inside one read transaction: a
            # snapshot of every committed transaction (WAL included) that writers do not wait for.
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
            if dst.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(f"The copy of {source} fails SQLite's integrity check; the backup was not kept.")
            has_table = dst.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
            rows = dst.execute("SELECT app, name FROM django_migrations").fetchall() if has_table else []
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not back up {source}: {exc}") from exc
    finally:
        src.close()
    return _migrations_from_rows(rows)


def dump_postgresql(database: Mapping[str, Any], target: Path) -> dict[str, list[str]]:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    conninfo, env = _pg_command_env(database)
    try:
        with _pg_connect(database) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            # The migration state and the dump come from one exported snapshot.
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
            table = conn.execute("SELECT to_regclass('django_migrations')").fetchone()
            rows: list[tuple[str, str]] = []
            if table is not None and table[0] is not None:
                rows = [(str(a), str(n)) for a, n in conn.execute("SELECT app, name FROM django_migrations")]
            assert snapshot is not None
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot[0]}", "--no-password",
                  f"--file={target}", f"--dbname={conninfo}"], env)
            conn.rollback()
    except psycopg.Error as exc:
        raise BackupError(f"PostgreSQL could not be read for the backup: {exc}") from exc
    return _migrations_from_rows(rows)


def _sqlite_tables(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        conn = sqlite3.connect(str(path), timeout=5)
        try:
            row = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be read as an SQLite database: {exc}") from exc
    return int(row[0])


def _postgresql_tables(database: Mapping[str, Any]) -> int:
    import psycopg

    try:
        with _pg_connect(database) as conn:
            row = conn.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
    except psycopg.Error as exc:
        raise BackupError(f"The PostgreSQL database cannot be reached: {exc}") from exc
    return int(row[0]) if row else 0


def database_tables(database: Mapping[str, Any]) -> int:
    """How many tables the configured database holds (0 for a missing SQLite file)."""
    if engine_of(database) == "sqlite":
        return _sqlite_tables(sqlite_path(database))
    return _postgresql_tables(database)


def _take_over_sqlite(path: Path) -> sqlite3.Connection | None:
    """Make sure no other process has the SQLite database open, and keep everyone out until closed.

    A Pantau process (gunicorn with ``CONN_MAX_AGE``, ``db_worker``) keeps its connection open
    between requests without holding a lock that ``BEGIN EXCLUSIVE`` or a checkpoint would wait
    for; after the file is replaced it would go on writing into the old, unlinked file: writes
    acknowledged and lost. Every Pantau connection puts the database in WAL mode, and while one is
    open SQLite cannot leave WAL mode, so switching to ``journal_mode=DELETE`` is the test: it
    fails while any other connection is open, idle or not. The returned connection then holds an
    EXCLUSIVE lock in rollback-journal mode until it is closed (after the replace): a process that
    opens the old file meanwhile waits, and afterwards fails loudly ("attempt to write a readonly
    database": SQLite refuses to write to a file that was moved) instead of losing its writes.
    The ``-wal`` and ``-shm`` files are gone once it returns (a stale WAL would be replayed into
    the restored database).
    """
    if not path.exists():
        return None
    in_use = BackupError(
        f"{path} is in use by another process (gunicorn, db_worker, a shell or a cron job). Stop Pantau "
        "(systemctl stop pantau-web pantau-worker) and pause the cron jobs before restoring, then run again."
    )
    try:
        conn = sqlite3.connect(str(path), timeout=2, isolation_level=None)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened as an SQLite database: {exc}") from exc
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        if mode is None or str(mode[0]).lower() != "delete":
            raise in_use
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as exc:
        conn.close()
        raise in_use from exc
    except BaseException:
        conn.close()
        raise
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return conn


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore_sqlite(database: Mapping[str, Any], dump: Path) -> None:
    target = sqlite_path(database)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(dump, temporary)
    try:
        conn = sqlite3.connect(str(temporary))
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()
        if not ok:
            raise BackupError("The database in the archive fails SQLite's integrity check; nothing was restored.")
        with temporary.open("rb+") as fh:
            os.fsync(fh.fileno())
        holder = _take_over_sqlite(target)
        try:
            os.replace(temporary, target)
            fsync_dir(target.parent)
        finally:
            if holder is not None:
                holder.close()
    except sqlite3.Error as exc:
        raise BackupError(f"The database in the archive cannot be read by SQLite: {exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)


def restore_postgresql(database: Mapping[str, Any], dump: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    conninfo, env = _pg_command_env(database)
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password",
          f"--dbname={conninfo}", str(dump)], env)
