"""The first Pantau benchmark (``make bench``): see bench/README.md.

For each engine (SQLite, then PostgreSQL when it answers on 127.0.0.1:5432): migrate, load the
regions, generate the national data set (cached for SQLite), serve it with gunicorn (2 workers,
production settings) and drive load with wrk from a separate process against a trivial Django
view, the public standard page and the institution list. Prints a table, writes JSON to
bench/results/ and exits 1 when a page misses its budget (unless ``--no-fail``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
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
sys.path.insert(0, str(ROOT))

from bench.generate import GENERATOR_VERSION, HOT_PRODUCTS, Scale  # noqa: E402


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    urls: str  # which URL list of ``bench.generate.url_lists``
    signed_in: bool  # sends the national admin's session cookie (all send a CSRF cookie, as browsers do)
    baseline: str | None  # the trivial view it is compared with (None: it is a baseline)
    budget: bool  # False: shown for information


PAGES = [
    Page("trivial", "trivial view, anonymous", "trivial", False, None, False),
    Page("trivial-signed-in", "trivial view, signed in", "trivial", True, None, False),
    Page("product", f"/layanan/<pk>/, {HOT_PRODUCTS} products", "product", False, "trivial", True),
    Page("product-all", "/layanan/<pk>/, all products (cold)", "product-all", False, "trivial", False),
    Page("institutions", "/kelola/instansi/ (list, filters)", "institutions", True, "trivial-signed-in", True),
]
BY_NAME = {p.name: p for p in PAGES}
SCALES = {"full": Scale(), "small": Scale(5, 20, 60)}
BUDGET_SHARE = 0.40  # of the trivial view's requests/s
BUDGET_P95_MS = 150.0
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
PG_DB = "pantau_bench"


class BenchError(Exception):
    """A setup step failed: the benchmark cannot be measured."""


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def run(cmd: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"{what} failed ({' '.join(cmd[:4])} …):\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return done.stdout


# wrk ------------------------------------------------------------------------------------------

def ensure_wrk() -> str:
    """The wrk binary; installed from Debian when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and shutil.which("apt-get"):
        log("installing the load tool wrk (Debian package)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"], env=env,
                       check=False, capture_output=True)
        found = shutil.which("wrk")
        if found:
            return found
    raise BenchError("the load tool wrk is missing; install it with: sudo apt-get install wrk")


def wrk(binary: str, base: str, urls: Path, *, seconds: int, connections: int, threads: int,
        cookie: str | None) -> dict[str, Any]:
    cmd = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
           "-s", str(BENCH / "load.lua")]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd += [base, "--", str(urls)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result: dict[str, Any] = json.loads(line[len("BENCH_JSON "):])
            return result
    raise BenchError(f"wrk gave no result (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")


# Engines --------------------------------------------------------------------------------------

@dataclass
class Engine:
    name: str
    env: dict[str, str]
    cleanup: list[Any] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


def base_env(work: Path, secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("SQLITE_PATH", None)
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PANTAU_VAR_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
    })
    return env


def collectstatic(env: dict[str, str], static_root: Path) -> None:
    """Once; again only when a static file of Pantau or a pinned dependency version changed."""
    digest = hashlib.sha256((ROOT / "constraints.txt").read_bytes())
    for f in sorted((ROOT / "pantau").glob("*/static/**/*")):
        if f.is_file():
            stat = f.stat()
            digest.update(f"{f.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    stamp = static_root / ".bench-fingerprint"
    if stamp.exists() and stamp.read_text() == digest.hexdigest() and (static_root / "staticfiles.json").exists():
        return
    log("collectstatic")
    manage(env, "collectstatic", "--noinput", "-v0")
    stamp.write_text(digest.hexdigest())


def _source_hash() -> str:
    digest = hashlib.sha256()
    for name in ("generate.py", "names.py"):
        digest.update((BENCH / name).read_bytes())
    return digest.hexdigest()[:10]


def manage(env: dict[str, str], *args: str) -> str:
    return run([str(BIN / "python"), "-m", "django", *args], env, f"manage {args[0]}")


def generate(env: dict[str, str], scale: Scale) -> dict[str, Any]:
    out = run([str(BIN / "python"), "-m", "bench.generate", "generate", f"--institutions={scale.institutions}",
               f"--units={scale.units}", f"--products={scale.products}"], env, "data generation")
    summary: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return summary


def sqlite_engine(work: Path, env: dict[str, str], scale_name: str, fresh: bool) -> Engine:
    """A generated SQLite database, cached by generator version and source under the work dir."""
    scale = SCALES[scale_name]
    path = work / f"registry-{scale_name}-g{GENERATOR_VERSION}-{_source_hash()}.sqlite3"
    if fresh:
        for stale in work.glob(f"registry-{scale_name}-*.sqlite3*"):
            stale.unlink()
    env = {**env, "SQLITE_PATH": str(path)}
    info: dict[str, Any] = {"database": path.name}
    if path.exists():
        log(f"sqlite: reusing generated data {path.name}")
        manage(env, "migrate", "--noinput", "-v0")
        info["generated"] = "cached"
    else:
        for old in work.glob(f"registry-{scale_name}-*.sqlite3*"):
            old.unlink()  # an older generator's data
        tmp = path.with_suffix(".tmp")
        for leftover in work.glob(tmp.name + "*"):
            leftover.unlink()
        tmp_env = {**env, "SQLITE_PATH": str(tmp)}
        t0 = time.monotonic()
        log("sqlite: migrate, load_regions, generate")
        manage(tmp_env, "migrate", "--noinput", "-v0")
        manage(tmp_env, "load_regions")
        info["generated"] = generate(tmp_env, scale)
        info["generate_seconds"] = round(time.monotonic() - t0, 1)
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        tmp.rename(path)
    import sqlite3

    info["sqlite_version"] = sqlite3.sqlite_version
    return Engine("sqlite", env, info=info)


def _pg_admin(url: str) -> Any:
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=3)


def postgres_engine(env: dict[str, str], base_url: str, scale_name: str, keep: bool) -> Engine | str:
    """A fresh ``pantau_bench`` database; returns the reason as a string when PostgreSQL is absent."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 5432
    try:
        with socket.create_connection((host, port), timeout=2):
            pass
        admin = _pg_admin(base_url)
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL is not reachable on {host}:{port} ({type(exc).__name__}: {str(exc).strip()[:200]})"
    version = admin.execute("show server_version").fetchone()
    admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{PG_DB}"')
    admin.close()
    url = urlunsplit(parts._replace(path=f"/{PG_DB}"))
    env = {**env, "DATABASE_URL": url}
    engine = Engine("postgresql", env, info={"database": PG_DB, "server_version": version[0] if version else "?"})
    if not keep:
        def drop() -> None:
            with _pg_admin(base_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        engine.cleanup.append(drop)
    t0 = time.monotonic()
    log("postgresql: migrate, load_regions, generate")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_regions")
    engine.info["generated"] = generate(env, SCALES[scale_name])
    manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
    engine.info["generate_seconds"] = round(time.monotonic() - t0, 1)
    return engine


# gunicorn -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_gunicorn(env: dict[str, str], work: Path, name: str, args: argparse.Namespace) -> tuple[Any, int]:
    port = free_port()
    cmd = [str(BIN / "gunicorn"), "pantau.wsgi:application", "--bind", f"127.0.0.1:{port}",
           "--workers", str(args.workers), "--worker-class", args.worker_class, "--log-level", "warning",
           "--chdir", str(ROOT)]
    if args.worker_class == "gthread":
        cmd += ["--threads", str(args.gthreads)]
    log_file = (work / f"gunicorn-{name}.log").open("w")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited ({proc.returncode}); see {log_file.name}:\n"
                             + (work / f"gunicorn-{name}.log").read_text()[-3000:])
        try:
            if get(port, "/healthz")[0] == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise BenchError("gunicorn did not answer /healthz within 60 s")


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers (children of the master), read from /proc; [] where there is none."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pids = []
        for entry in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = entry.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.parent.name))
        if pids or not Path("/proc/self/stat").exists():
            return pids
        time.sleep(0.2)
    return []


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes: what a request costs, whatever else runs."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def stop(proc: Any) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def preflight(port: int, urls: dict[str, list[str]], cookies: dict[bool, str]) -> dict[str, int]:
    """Every page answers 200 (a redirect to the login page would be measured as a success)."""
    sizes = {}
    for page in PAGES:
        paths = sorted(set(urls[page.urls]))
        sample = paths[:: max(1, len(paths) // 25)]
        total = 0
        for path in sample:
            status, body = get(port, path, cookies[page.signed_in])
            if status != 200:
                raise BenchError(f"{page.name}: GET {path} answered {status}, not 200")
            if page.signed_in and page.urls != "trivial" and b"Admin Nasional Bench" not in body:
                raise BenchError(f"{page.name}: GET {path} is not signed in")
            total += len(body)
        sizes[page.name] = total // len(sample)
    return sizes


# Measuring ------------------------------------------------------------------------------------

def measure_engine(engine: Engine, work: Path, wrk_bin: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    prep = work / f"load-{engine.name}"
    run([str(BIN / "python"), "-m", "bench.generate", "prepare", f"--out={prep}"], engine.env, "prepare")
    cookies = {signed_in: (prep / f"cookie-{'signed-in' if signed_in else 'anonymous'}.txt").read_text().strip()
               for signed_in in (False, True)}
    files = {page.name: prep / f"urls-{page.urls}.txt" for page in PAGES}
    urls = {f.name[len("urls-"):-len(".txt")]: f.read_text().split() for f in prep.glob("urls-*.txt")}
    engine.info["url_counts"] = {name: len(set(u)) for name, u in urls.items()}
    proc, port = start_gunicorn(engine.env, work, engine.name, args)
    base = f"http://127.0.0.1:{port}"

    workers = worker_pids(proc.pid)

    def load(page: Page, seconds: int) -> dict[str, Any]:
        before = cpu_seconds(workers)
        result = wrk(wrk_bin, base, files[page.name], seconds=seconds, connections=args.connections,
                     threads=args.threads, cookie=cookies[page.signed_in])
        used = cpu_seconds(workers) - before
        result["cpu_ms"] = round(1000 * used / result["requests"], 3) if workers and result["requests"] else None
        return result

    try:
        engine.info["response_bytes"] = preflight(port, urls, cookies)
        log(f"{engine.name}: gunicorn {args.workers} × {args.worker_class} on :{port}; warming up")
        for page in PAGES:
            load(page, args.warmup)
        rounds: dict[str, list[dict[str, Any]]] = {page.name: [] for page in PAGES}
        for r in range(args.rounds):
            for page in PAGES:
                result = load(page, args.duration)
                rounds[page.name].append(result)
                log(f"{engine.name} round {r + 1}: {page.name}: {result['rps']:.0f} req/s, "
                    f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
                    f"worker CPU {result['cpu_ms']} ms/request")
    finally:
        stop(proc)
    return [summarise(engine.name, page, rounds[page.name]) for page in PAGES]


def summarise(engine: str, page: Page, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median over the rounds (one round: that round)."""
    ordered = sorted(runs, key=lambda x: x["rps"])
    mid = ordered[len(ordered) // 2]
    errors = {k: sum(x["errors"][k] for x in runs) for k in mid["errors"]}
    return {
        "engine": engine, "page": page.name, "label": page.label, "baseline": page.baseline, "rps": mid["rps"],
        "p50_ms": statistics.median(x["p50_ms"] for x in runs),
        "p95_ms": statistics.median(x["p95_ms"] for x in runs),
        "p99_ms": statistics.median(x["p99_ms"] for x in runs),
        "cpu_ms": statistics.median(x["cpu_ms"] for x in runs) if all(x["cpu_ms"] for x in runs) else None,
        "requests": sum(x["requests"] for x in runs), "errors": errors, "rounds": runs,
    }


def judge(results: list[dict[str, Any]]) -> bool:
    """Each budgeted page: ≥ BUDGET_SHARE of its trivial baseline's req/s, p95 < BUDGET_P95_MS."""
    ok = True
    by_key = {(r["engine"], r["page"]): r for r in results}
    for row in results:
        page = BY_NAME[row["page"]]
        base = by_key[(row["engine"], page.baseline)] if page.baseline else row
        row["share"] = row["rps"] / base["rps"] if base["rps"] else 0.0
        bad = sum(row["errors"][k] for k in ("connect", "write", "status", "timeout"))
        reasons = []
        if page.budget and row["share"] < BUDGET_SHARE:
            reasons.append(f"< {BUDGET_SHARE:.0%} of {page.baseline}")
        if page.budget and row["p95_ms"] >= BUDGET_P95_MS:
            reasons.append(f"p95 ≥ {BUDGET_P95_MS:.0f} ms")
        if bad:
            reasons.append(f"{bad} errors")
        if reasons:
            row["budget"] = "FAIL: " + ", ".join(reasons)
            ok = False
        else:
            row["budget"] = "pass" if page.budget else ("baseline" if page.baseline is None else "info")
    return ok


def table(results: list[dict[str, Any]]) -> str:
    head = ["engine", "page", "req/s", "p50 ms", "p95 ms", "% of baseline", "CPU ms/req", "budget"]
    rows = [[r["engine"], r["label"], f"{r['rps']:.0f}", f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}",
             f"{100 * r['share']:.0f} %" if r["baseline"] else "",
             f"{r['cpu_ms']:.2f}" if r["cpu_ms"] else "?", r["budget"]] for r in results]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    fmt = "  ".join(f"{{:{'>' if i in (2, 3, 4, 5, 6) else '<'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in rows]
    return "\n".join(lines)


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def git_commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() or "?"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--engine", choices=["all", "sqlite", "postgres"], default="all")
    p.add_argument("--duration", type=int, default=15, help="seconds of load per page and round (15)")
    p.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per page (5)")
    p.add_argument("--rounds", type=int, default=1, help="rounds per page; the median is reported (1)")
    p.add_argument("--connections", type=int, default=20, help="concurrent clients (20)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    p.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    p.add_argument("--gthreads", type=int, default=4, help="threads per gthread worker (4)")
    p.add_argument("--scale", choices=sorted(SCALES), default="full",
                   help="full: 500/5 000/20 000; small: 5/20/60 (smoke test)")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT),
                   help=f"PostgreSQL server (without database name), default {PG_DEFAULT}")
    p.add_argument("--fresh", action="store_true", help="regenerate the cached SQLite data")
    p.add_argument("--keep-db", action="store_true", help=f"keep the PostgreSQL database {PG_DB}")
    p.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench")
    p.add_argument("--results-dir", type=Path, default=BENCH / "results")
    p.add_argument("--no-fail", action="store_true", help="report only: exit 0 even when a budget fails")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work: Path = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    cpus = os.cpu_count() or 1
    results: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    engines_info: dict[str, Any] = {}
    try:
        wrk_bin = ensure_wrk()
        if load_before[0] > 0.5 * cpus:
            log(f"warning: load average {load_before[0]:.1f} on {cpus} CPUs: the numbers will be noisy")
        env = base_env(work, secrets.token_urlsafe(50))
        collectstatic(env, work / "static")
        wanted = ["sqlite", "postgres"] if args.engine == "all" else [args.engine]
        for name in wanted:
            if name == "sqlite":
                engine: Engine | str = sqlite_engine(work, env, args.scale, args.fresh)
            else:
                engine = postgres_engine(env, args.pg_url, args.scale, args.keep_db)
            if isinstance(engine, str):
                log(f"postgresql: NOT MEASURED — {engine}")
                skipped["postgresql"] = engine
                if args.engine == "postgres":
                    raise BenchError(engine)
                continue
            try:
                results += measure_engine(engine, work, wrk_bin, args)
                engines_info[engine.name] = engine.info
            finally:
                for clean in engine.cleanup:
                    clean()
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    ok = judge(results)
    print()
    print(f"Pantau benchmark — {args.connections} clients, {args.duration} s per page × {args.rounds}, "
          f"gunicorn {args.workers} × {args.worker_class}, scale {args.scale}")
    print(table(results))
    print(f"budget: each page ≥ {BUDGET_SHARE:.0%} of its trivial baseline's req/s (same sign-in state) "
          f"and p95 < {BUDGET_P95_MS:.0f} ms; 'info' rows have no budget")
    for name, reason in skipped.items():
        print(f"{name}: NOT MEASURED — {reason}")
    load_after = os.getloadavg()
    report = {
        "started": started.isoformat(timespec="seconds"), "commit": git_commit(),
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
        | {"pg_url": redact(args.pg_url)},
        "budget": {"share_of_trivial": BUDGET_SHARE, "p95_ms": BUDGET_P95_MS},
        "machine": {"cpus": cpus, "load_before": load_before, "load_after": load_after,
                    "python": platform.python_version(), "platform": platform.platform()},
        "engines": engines_info, "skipped": skipped, "results": results, "pass": ok,
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    out = args.results_dir / f"bench-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    (args.results_dir / "latest.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"results: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if not ok:
        print("bench: a page missed its budget" + (" (--no-fail: exit 0)" if args.no_fail else ""))
        return 0 if args.no_fail else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
