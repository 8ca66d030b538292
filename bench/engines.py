"""The bench databases: generated once per profile and generator version, reused between runs.

SQLite: a file in the work directory (``var/bench/``) named after the profile, the generator
version and a hash of the generator's sources and of Pantau's migrations and data commands (a
new migration or rebuild command means new data; other commands do not); each run copies nothing:
the file is served as it is (``migrate`` first, which is a no-op on an up-to-date file).

PostgreSQL: a template database ``pantau_bench_tpl_<profile>_<hash>`` is generated once (under a
temporary name, renamed when complete); each run creates its own database
``pantau_bench_<pid>_<random>`` from it with ``CREATE DATABASE … TEMPLATE …`` (a file copy, seconds)
and drops it at the end. No run ever drops a database another run may be using: templates of the
same profile with another hash are dropped only when no one is connected to them.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
VACUUMED = "vacuumed"  # the comment on a template whose data has been vacuumed
GENERATOR_SOURCES = ("generate.py", "plan.py", "names.py", "rawdb.py")
TEMPLATE_PREFIX = "pantau_bench_tpl_"


class BenchError(Exception):
    """A setup step failed: the benchmark cannot be measured."""


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def run(cmd: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"{what} failed ({' '.join(cmd[:4])} …):\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    for line in done.stderr.splitlines():
        if line.startswith("bench: notice"):
            log(line.removeprefix("bench: "))
    return done.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run([str(BIN / "python"), "-m", "django", *args], env, f"manage {args[0]}")


def child_json(script: Path, env: dict[str, str], step: str, *args: str) -> dict[str, Any]:
    """``script --child step args`` in a process of its own (Django configured from ``env``): the JSON of
    its ``BENCH_JSON`` line."""
    cmd = [sys.executable, str(script), "--child", step, *args]
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result: dict[str, Any] = json.loads(line[len("BENCH_JSON "):])
            return result
    raise BenchError(f"{step} failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


@dataclass
class Engine:
    name: str
    env: dict[str, str]
    cleanup: list[Any] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


# The management commands whose presence changes the generated data (``generate.rebuild`` runs the
# rebuilds when they exist); other commands (``score`` …) leave the cached data valid.
DATA_COMMANDS = ("load_regions", "rebuild_aggregates", "search_reindex")


def source_hash() -> str:
    """Generator sources, plus the names of Pantau's migrations and of the data commands."""
    digest = hashlib.sha256()
    for name in GENERATOR_SOURCES:
        digest.update((BENCH / name).read_bytes())
    commands = [path for path in sorted(ROOT.glob("pantau/*/management/commands/*.py")) if path.stem in DATA_COMMANDS]
    for path in sorted(ROOT.glob("pantau/*/migrations/0*.py")) + commands:
        digest.update(str(path.relative_to(ROOT)).encode())
    return digest.hexdigest()[:10]


def generate(env: dict[str, str], profile: str) -> dict[str, Any]:
    """Migrate, load the regions and generate the profile's data into the env's database."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_regions")
    out = run([str(BIN / "python"), "-m", "bench.generate", "generate", f"--profile={profile}"], env,
              "data generation")
    summary: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return summary


def sqlite_engine(work: Path, env: dict[str, str], profile: str, fresh: bool) -> Engine:
    """A generated SQLite database, cached by profile, generator version and sources."""
    from bench.generate import GENERATOR_VERSION

    path = work / f"registry-{profile}-g{GENERATOR_VERSION}-{source_hash()}.sqlite3"
    if fresh:
        for stale in work.glob(f"registry-{profile}-*.sqlite3*"):
            stale.unlink()
    env = {**env, "SQLITE_PATH": str(path)}
    info: dict[str, Any] = {"database": path.name, "profile": profile}
    if path.exists():
        log(f"sqlite: reusing generated data {path.name}")
        manage(env, "migrate", "--noinput", "-v0")
        info["generated"] = "cached"
    else:
        for old in work.glob(f"registry-{profile}-*.sqlite3*"):
            old.unlink()  # an older generator's data
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        t0 = time.monotonic()
        log(f"sqlite: migrate, load_regions, generate {profile}")
        info["generated"] = generate({**env, "SQLITE_PATH": str(tmp)}, profile)
        info["generate_seconds"] = round(time.monotonic() - t0, 1)
        log(f"sqlite: {profile} generated in {info['generate_seconds']} s")
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        tmp.rename(path)
    import sqlite3

    info["sqlite_version"] = sqlite3.sqlite_version
    info["size_mb"] = round(path.stat().st_size / 2**20)
    return Engine("sqlite", env, info=info)


def _pg_admin(url: str) -> Any:
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=3)


def _db_url(base_url: str, name: str) -> str:
    return urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))


def pg_reachable(base_url: str) -> str | None:
    """None when PostgreSQL answers; else the reason."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 5432
    try:
        with socket.create_connection((host, port), timeout=2):
            pass
        _pg_admin(base_url).close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL is not reachable on {host}:{port} ({type(exc).__name__}: {str(exc).strip()[:200]})"
    return None


def vacuum(url: str, info: dict[str, Any]) -> None:
    """``VACUUM (ANALYZE)`` the freshly generated data, as autovacuum has long done on a database in
    service: hint bits set and the visibility map current. Without it every page's first read in a
    round sets its hint bits and writes the page back, and no index-only scan is possible."""
    import psycopg

    t0 = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    info["vacuum_seconds"] = round(time.monotonic() - t0, 1)
    log(f"postgresql: VACUUM (ANALYZE) in {info['vacuum_seconds']} s")


def pg_template(env: dict[str, str], base_url: str, profile: str, fresh: bool) -> tuple[str, dict[str, Any]]:
    """The name of the profile's template database, generated when missing."""
    name = f"{TEMPLATE_PREFIX}{profile}_{source_hash()}"
    info: dict[str, Any] = {"template": name}
    with _pg_admin(base_url) as admin:
        existing = {r[0] for r in admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{TEMPLATE_PREFIX}{profile}\\_%"])}
        for old in sorted(existing):
            if old == name and not fresh:
                continue
            busy = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [old]).fetchone()
            if busy and busy[0] == 0:
                admin.execute(f'DROP DATABASE IF EXISTS "{old}"')  # an older generator's, unused
                existing.discard(old)
        if name in existing:
            log(f"postgresql: reusing template {name}")
            info["generated"] = "cached"
            vacuumed = admin.execute("SELECT COALESCE(shobj_description(oid, 'pg_database'), '') FROM pg_database "
                                     "WHERE datname = %s", [name]).fetchone()
            if vacuumed and vacuumed[0] != VACUUMED:  # generated before the bench vacuumed its data
                vacuum(_db_url(base_url, name), info)
                admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{VACUUMED}'")
            return name, info
        tmp = f"pantau_bench_gen_{os.getpid()}_{secrets.token_hex(3)}"
        admin.execute(f'CREATE DATABASE "{tmp}"')
    try:
        t0 = time.monotonic()
        log(f"postgresql: migrate, load_regions, generate {profile} into {tmp}")
        info["generated"] = generate({**env, "DATABASE_URL": _db_url(base_url, tmp)}, profile)
        info["generate_seconds"] = round(time.monotonic() - t0, 1)
        log(f"postgresql: {profile} generated in {info['generate_seconds']} s")
        vacuum(_db_url(base_url, tmp), info)
        with _pg_admin(base_url) as admin:
            admin.execute(f'ALTER DATABASE "{tmp}" RENAME TO "{name}"')
            admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{VACUUMED}'")
    except BaseException:
        with _pg_admin(base_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{tmp}" WITH (FORCE)')  # this run's own, half-written
        raise
    return name, info


def postgres_engine(env: dict[str, str], base_url: str, profile: str, *, fresh: bool, keep: bool) -> Engine | str:
    """This run's own database, copied from the profile's template; the reason when PostgreSQL is absent."""
    reason = pg_reachable(base_url)
    if reason:
        return reason
    template, info = pg_template(env, base_url, profile, fresh)
    name = f"pantau_bench_{os.getpid()}_{secrets.token_hex(4)}"
    t0 = time.monotonic()
    with _pg_admin(base_url) as admin:
        version = admin.execute("show server_version").fetchone()
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    info["copy_seconds"] = round(time.monotonic() - t0, 1)
    env = {**env, "DATABASE_URL": _db_url(base_url, name)}
    engine = Engine("postgresql", env, info={"database": name, "profile": profile,
                                             "server_version": version[0] if version else "?", **info})
    if not keep:
        def drop() -> None:
            with _pg_admin(base_url) as conn:  # this run's own database: no one else uses its name
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.cleanup.append(drop)
    try:
        manage(env, "migrate", "--noinput", "-v0")
    except BaseException:
        for clean in engine.cleanup:
            clean()
        raise
    return engine
