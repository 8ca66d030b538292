"""Throw-away Pantau sites for the backup tests: a real database of the engine under test.

SQLite: a database file in ``tmp_path`` (the suite's own test database is in memory, which has
no file to back up). PostgreSQL: a scratch database created on the server the suite runs against
and dropped afterwards. Each site also has its own MEDIA_ROOT, and runs ``pantau`` commands in a
subprocess with a production-like environment pointing at it.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings

from pantau.core.backup import engine_of, pg_params

ENGINE = engine_of(settings.DATABASES["default"])
PROJECT_DIR = Path(__file__).resolve().parents[3]
_CLEAN_ENV = ("DATABASE_URL", "SQLITE_PATH", "MEDIA_ROOT", "STATIC_ROOT", "PANTAU_VAR_DIR", "SECRET_KEY",
              "SECRET_KEY_FILE", "DEBUG", "EMAIL_URL", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


@dataclass
class Site:
    engine: str
    root: Path
    database: dict[str, Any]
    url: str = ""
    media: Path = field(init=False)

    def __post_init__(self) -> None:
        self.media = self.root / "media"
        self.root.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _CLEAN_ENV}
        env.update(DJANGO_SETTINGS_MODULE="pantau.settings", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50),
                   PANTAU_VAR_DIR=str(self.root / "var"), MEDIA_ROOT=str(self.media))
        if self.engine == "sqlite":
            env["SQLITE_PATH"] = str(self.database["NAME"])
        else:
            env["DATABASE_URL"] = self.url
        return env

    def pantau(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "pantau.cli", *args], cwd=PROJECT_DIR, env=self.env(),
                              capture_output=True, text=True, timeout=300, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"pantau {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.engine == "sqlite":
            conn = sqlite3.connect(self.database["NAME"])
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        import psycopg
        from psycopg.conninfo import make_conninfo

        with psycopg.connect(make_conninfo(**pg_params(self.database))) as conn:
            return list(conn.execute(sql).fetchall())

    def execute(self, *statements: str) -> None:
        if self.engine == "sqlite":
            conn = sqlite3.connect(self.database["NAME"])
            try:
                for statement in statements:
                    conn.execute(statement)
                conn.commit()
            finally:
                conn.close()
            return
        import psycopg
        from psycopg.conninfo import make_conninfo

        with psycopg.connect(make_conninfo(**pg_params(self.database))) as conn:
            for statement in statements:
                conn.execute(statement)

    def tables(self) -> set[str]:
        if self.engine == "sqlite":
            return {row[0] for row in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {row[0] for row in self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}


class Sites:
    """Makes sites of the engine under test and removes their scratch databases afterwards."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.scratch: list[str] = []

    def make(self, name: str) -> Site:
        root = self.tmp_path / name
        if ENGINE == "sqlite":
            return Site("sqlite", root, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(root / "db.sqlite3")})
        base = dict(settings.DATABASES["default"])
        db_name = f"pantau_bk_{secrets.token_hex(5)}"
        self._server(f'CREATE DATABASE "{db_name}"')
        self.scratch.append(db_name)
        database = {**base, "NAME": db_name}
        user, password = quote(str(base.get("USER") or ""), safe=""), quote(str(base.get("PASSWORD") or ""), safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = base.get("HOST") or "localhost"
        port = f":{base['PORT']}" if base.get("PORT") else ""
        return Site("postgresql", root, database, url=f"postgres://{credentials}{host}{port}/{db_name}")

    def _server(self, statement: str) -> None:
        import psycopg
        from psycopg.conninfo import make_conninfo

        params = pg_params({**settings.DATABASES["default"], "NAME": "postgres"})
        with psycopg.connect(make_conninfo(**params), autocommit=True) as conn:
            conn.execute(statement)

    def close(self) -> None:
        for db_name in self.scratch:
            self._server(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
