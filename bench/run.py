"""The Pantau benchmark (``make bench``): see bench/README.md.

For each engine (SQLite, then PostgreSQL when it answers on 127.0.0.1:5432): the profile's data
(generated once and cached, ``bench.engines``), gunicorn (2 workers, production settings) and load
from wrk in a separate process against a trivial Django view and Pantau's pages. Each round starts
a fresh gunicorn (every per-process cache cold; a shared ``CACHE_URL`` cache is cleared), warms
every hot product page, then measures every page once. Prints every round's table and the median
round, writes JSON to bench/results/ and exits 1 when a page misses its budget (unless
``--no-fail``). ``--growth`` measures the same pages at several profiles and prints the growth of
the cost per request.
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
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.engines import BenchError, Engine, log, manage, postgres_engine, run, sqlite_engine  # noqa: E402
from bench.pages import HOT_PRODUCTS  # noqa: E402


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    urls: str  # which URL list (``bench.pages.url_lists``, or "api" built by ``api_urls``)
    signed_in: bool  # sends the national admin's session cookie (all send a CSRF cookie, as browsers do)
    baseline: str | None  # the trivial view it is compared with (None: it is a baseline)
    budget: bool  # False: shown for information
    warm: bool = False  # every URL is requested before the round (the hot product pages)


PAGES = [
    Page("trivial", "trivial view, anonymous", "trivial", False, None, False),
    Page("trivial-signed-in", "trivial view, signed in", "trivial", True, None, False),
    Page("product", f"/layanan/<pk>/, {HOT_PRODUCTS} products (warm)", "product", False, "trivial", True, warm=True),
    Page("product-all", "/layanan/<pk>/, all products (cold)", "product-all", False, "trivial", False),
    Page("institutions", "/kelola/instansi/ (list, filters)", "institutions", True, "trivial-signed-in", True),
    Page("home", "/ (home, province table)", "home", False, "trivial", True),
    Page("search", "/layanan/?q= (30 queries, provinces, pages)", "search", False, "trivial", True),
    Page("api", "/api/registry/products pages 1–1 000 (15 a page)", "api", False, "trivial", True),
    Page("dashboard", "/kelola/ (staff dashboard)", "dashboard", True, "trivial-signed-in", True),
    Page("audit", "/kelola/audit/ (no filter)", "audit", True, "trivial-signed-in", True),
    Page("audit-institution", "/kelola/audit/?instansi=", "audit-institution", True, "trivial-signed-in", True),
    Page("audit-actor", "/kelola/audit/?pelaku=", "audit-actor", True, "trivial-signed-in", True),
    Page("audit-type", "/kelola/audit/?jenis=", "audit-type", True, "trivial-signed-in", True),
    Page("audit-dates", "/kelola/audit/?dari=&sampai=", "audit-dates", True, "trivial-signed-in", True),
    Page("audit-object", "/kelola/audit/?objek=&id_objek=", "audit-object", True, "trivial-signed-in", True),
]
BY_NAME = {p.name: p for p in PAGES}
PROFILE_NAMES = ("small", "x1", "x10", "national")
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
API_PAGES = 1000
# Products per API page: small enough that the x1 profile (about 16 000 public products) has 1 000
# pages too, so every profile walks the same number of distinct pages and the growth table compares
# the same work (at 50, x1 had about 330 pages, each three times as often a cache hit).
API_LIMIT = 15
API_WALK_SECONDS = 300  # walking the cursor chain through the app stops after this long


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


# Environment ----------------------------------------------------------------------------------

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


# gunicorn -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, cookie: str | None = None, timeout: float = 30) -> tuple[int, bytes, str]:
    """Status, body and the page-cache header (``X-Pantau-Cache``, "" when absent)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("X-Pantau-Cache") or ""
    finally:
        conn.close()


class Server:
    """gunicorn serving the engine's database; ``restart`` empties every per-process cache."""

    def __init__(self, engine: Engine, work: Path, args: argparse.Namespace) -> None:
        self.engine, self.work, self.args = engine, work, args
        self.proc: Any = None
        self.port = 0
        self.workers: list[int] = []

    def start(self) -> None:
        args = self.args
        self.port = free_port()
        cmd = [str(BIN / "gunicorn"), "pantau.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
               "--workers", str(args.workers), "--worker-class", args.worker_class, "--log-level", "warning",
               "--timeout", "60", "--chdir", str(ROOT)]
        if args.worker_class == "gthread":
            cmd += ["--threads", str(args.gthreads)]
        log_path = self.work / f"gunicorn-{self.engine.name}.log"
        with log_path.open("a") as log_file:
            self.proc = subprocess.Popen(cmd, env=self.engine.env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.proc.returncode}); see {log_path}:\n"
                                 + log_path.read_text()[-3000:])
            try:
                if get(self.port, "/healthz")[0] == 200:
                    self.workers = worker_pids(self.proc.pid)
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise BenchError("gunicorn did not answer /healthz within 60 s")

    def restart(self) -> None:
        self.stop()
        if self.engine.env.get("CACHE_URL"):  # a shared cache outlives the processes
            manage(self.engine.env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


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


# Preparing ------------------------------------------------------------------------------------

def api_urls(port: int, deadline_s: float = API_WALK_SECONDS) -> tuple[list[str], dict[str, Any]]:
    """Pages 1–1 000 of the API product list: by cursor when the response carries ``next``
    (walked once through the app, before the measured rounds), else by offset (with a notice)."""
    first = f"/api/registry/products?limit={API_LIMIT}"
    status, body, _ = get(port, first, timeout=120)
    if status != 200:
        raise BenchError(f"api: GET {first} answered {status}")
    data = json.loads(body)
    if "next" not in data:
        limit = int(data.get("limit") or len(data.get("items", [])) or 50)
        count = int(data.get("count") or 0)
        pages = max(1, min(API_PAGES, -(-count // limit) if count else API_PAGES))
        log("notice: the API has no cursor pagination yet ('next' missing): pages by limit/offset")
        return ([first] + [f"{first}&{urlencode({'offset': limit * p})}" for p in range(1, pages)],
                {"mode": "offset", "pages": pages, "limit": limit})
    urls = [first]
    started = time.monotonic()
    nxt = data.get("next")
    while nxt and len(urls) < API_PAGES and time.monotonic() - started < deadline_s:
        nxt = str(nxt)
        if nxt.startswith("http"):
            parts = urlsplit(nxt)
            path = urlunsplit(("", "", parts.path, parts.query, ""))
        elif nxt.startswith("/") or nxt.startswith("?"):
            path = nxt if nxt.startswith("/") else "/api/registry/products" + nxt
        else:
            path = f"{first}&{urlencode({'cursor': nxt})}"
        status, body, _ = get(port, path, timeout=120)
        if status != 200:
            raise BenchError(f"api: GET {path} answered {status} while walking the cursor chain")
        urls.append(path)
        nxt = json.loads(body).get("next")
    info = {"mode": "cursor", "pages": len(urls), "limit": API_LIMIT,
            "walk_seconds": round(time.monotonic() - started, 1)}
    if len(urls) < API_PAGES and nxt:
        log(f"notice: the API cursor walk stopped after {len(urls)} pages ({deadline_s} s)")
    return urls, info


def preflight(port: int, files: dict[str, Path], cookies: dict[bool, str], per_page: int = 6) -> dict[str, int]:
    """Every page answers 200 (a redirect to the login page would be measured as a success)."""
    sizes = {}
    for page in PAGES:
        if page.name not in files:  # not asked for (--pages)
            continue
        paths = sorted(set(files[page.name].read_text().split()))
        sample = paths[:: max(1, len(paths) // per_page)][:per_page]
        total = 0
        for path in sample:
            status, body, _ = get(port, path, cookies[page.signed_in], timeout=120)
            if status != 200:
                raise BenchError(f"{page.name}: GET {path} answered {status}, not 200")
            if page.signed_in and page.urls != "trivial" and b"Admin Nasional Bench" not in body:
                raise BenchError(f"{page.name}: GET {path} is not signed in")
            total += len(body)
        sizes[page.name] = total // len(sample)
    return sizes


def warm(port: int, paths: list[str], cookie: str | None, max_passes: int = 8) -> dict[str, int]:
    """Request every path until a whole pass is served from the page cache (4 at a time, so both
    workers' caches fill); returns the passes needed and the misses of the last pass."""
    misses = len(paths)
    passes = 0
    with ThreadPoolExecutor(4) as pool:
        while misses and passes < max_passes:
            passes += 1
            states = list(pool.map(lambda p: get(port, p, cookie)[2], paths))
            misses = sum(1 for s in states if s != "hit")
    return {"passes": passes, "last_pass_misses": misses}


# Measuring ------------------------------------------------------------------------------------

class Importer:
    """``--during-import N``: a workbook of N products imported into the served database while the
    round's pages are measured (the import runs in a process of its own, as in ``db_worker``)."""

    def __init__(self, engine: Engine, work: Path, rows: int) -> None:
        self.engine, self.rows = engine, rows
        self.book = work / f"during-import-{rows}-{os.getpid()}.xlsx"
        self.proc: Any = None
        self.started = self.ended = 0.0
        self.log = work / f"during-import-{os.getpid()}.log"
        built = transfer_child(engine.env, "build", str(self.book), str(rows))
        self.file_rows = int(built["file_rows"])
        log(f"{engine.name}: built {self.book.name} for the import during the rounds: {built}")

    def start(self) -> None:
        self.started, self.ended = time.monotonic(), 0.0
        cmd = [str(BIN / "python"), str(BENCH / "transfer.py"), "child", "import", str(self.book), str(self.file_rows)]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(cmd, env=self.engine.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        proc = self.proc

        def watch() -> None:
            proc.wait()
            self.ended = time.monotonic()
        threading.Thread(target=watch, daemon=True).start()

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def finish(self) -> dict[str, Any]:
        self.proc.wait()
        while not self.ended:
            time.sleep(0.01)
        out = self.log.read_text(errors="replace")
        result: dict[str, Any] = {"rows": self.rows, "exit": self.proc.returncode,
                                  "wall_seconds": round(self.ended - self.started, 1)}
        for line in out.splitlines():
            if line.startswith("TRANSFER_JSON "):
                result.update(json.loads(line[len("TRANSFER_JSON "):]))
        if "seconds" not in result:
            result["error"] = out[-1500:]
        self.proc = None
        return result

    def close(self) -> None:
        if self.running():
            self.proc.kill()
            self.proc.wait()
        self.book.unlink(missing_ok=True)
        self.log.unlink(missing_ok=True)


def transfer_child(env: dict[str, str], *args: str) -> dict[str, Any]:
    from bench.transfer import _child
    return _child(env, *args)


def measure_engine(engine: Engine, work: Path, wrk_bin: str, args: argparse.Namespace,
                   pages: list[Page]) -> list[list[dict[str, Any]]]:
    """Every round's rows (one per page, in the order of ``pages``)."""
    prep = work / f"load-{engine.name}-{os.getpid()}"
    run([str(BIN / "python"), "-m", "bench.generate", "prepare", f"--out={prep}"], engine.env, "prepare")
    importer = Importer(engine, work, args.during_import) if args.during_import else None
    cookies = {signed_in: (prep / f"cookie-{'signed-in' if signed_in else 'anonymous'}.txt").read_text().strip()
               for signed_in in (False, True)}
    server = Server(engine, work, args)
    server.start()
    try:
        api, engine.info["api_pages"] = api_urls(server.port)
        (prep / "urls-api.txt").write_text("\n".join(api) + "\n", encoding="utf-8")
        files = {page.name: prep / f"urls-{page.urls}.txt" for page in pages}
        engine.info["url_counts"] = {p.name: len(set(files[p.name].read_text().split())) for p in pages}
        engine.info["response_bytes"] = preflight(server.port, files, cookies)
        rounds: list[list[dict[str, Any]]] = []
        for r in range(args.rounds):
            server.restart()  # every cache cold
            rows = []
            if importer is not None:
                importer.start()
            for page in pages:
                if page.warm:
                    warmed = warm(server.port, files[page.name].read_text().split(), cookies[page.signed_in])
                    log(f"{engine.name} round {r + 1}: warmed {page.name} in {warmed['passes']} passes")
                before = cpu_seconds(server.workers)
                result = wrk(wrk_bin, f"http://127.0.0.1:{server.port}", files[page.name], seconds=args.duration,
                             connections=args.connections, threads=args.threads, cookie=cookies[page.signed_in])
                used = cpu_seconds(server.workers) - before
                result["cpu_ms"] = (round(1000 * used / result["requests"], 3)
                                    if server.workers and result["requests"] else None)
                if page.warm:
                    result["warm"] = warmed
                if importer is not None:
                    result["during_import"] = importer.running()  # still importing when the page's load ended
                result.update(engine=engine.name, page=page.name, label=page.label, baseline=page.baseline,
                              round=r + 1)
                rows.append(result)
                log(f"{engine.name} round {r + 1}: {page.name}: {result['rps']:.0f} req/s, "
                    f"p95 {result['p95_ms']:.1f} ms, CPU {result['cpu_ms']} ms/req, "
                    f"cache {report.cache_share(result)}"
                    + ("" if importer is None else f", import {'running' if result['during_import'] else 'done'}"))
            if importer is not None:
                done = importer.finish()
                engine.info.setdefault("during_import", []).append(done)
                log(f"{engine.name} round {r + 1}: import of {args.during_import} products during the round: {done}")
            rounds.append(rows)
    finally:
        server.stop()
        if importer is not None:
            importer.close()
        shutil.rmtree(prep, ignore_errors=True)
    return rounds


def open_engine(name: str, work: Path, env: dict[str, str], profile: str,
                args: argparse.Namespace) -> Engine | str:
    if name == "sqlite":
        engine = sqlite_engine(work, env, profile, args.fresh)
        if args.during_import:  # the import writes: serve a copy, never the cached data
            copy = work / f"during-import-{os.getpid()}.sqlite3"
            shutil.copyfile(engine.env["SQLITE_PATH"], copy)
            engine.env = {**engine.env, "SQLITE_PATH": str(copy)}
            engine.cleanup.append(lambda: [Path(f"{copy}{s}").unlink(missing_ok=True) for s in ("", "-wal", "-shm")])
        return engine
    return postgres_engine(env, args.pg_url, profile, fresh=args.fresh, keep=args.keep_db)


def measure_profile(profile: str, work: Path, env: dict[str, str], wrk_bin: str, args: argparse.Namespace,
                    pages: list[Page], skipped: dict[str, str], engines_info: dict[str, Any]) -> dict[str, Any]:
    """{engine: its rounds} for one profile."""
    out: dict[str, Any] = {}
    wanted = ["sqlite", "postgres"] if args.engine == "all" else [args.engine]
    for name in wanted:
        engine = open_engine(name, work, env, profile, args)
        if isinstance(engine, str):
            log(f"postgresql: NOT MEASURED — {engine}")
            skipped["postgresql"] = engine
            if args.engine == "postgres":
                raise BenchError(engine)
            continue
        try:
            if not args.generate_only:
                out[engine.name] = measure_engine(engine, work, wrk_bin, args, pages)
            engines_info[f"{engine.name}/{profile}"] = engine.info
        finally:
            for clean in engine.cleanup:
                clean()
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--engine", choices=["all", "sqlite", "postgres"], default="all")
    p.add_argument("--profile", choices=PROFILE_NAMES, default="x1",
                   help="data: x1 500/5 000/20 000, x10 ten times that, national 1 500/200 000/1 000 000; "
                        "small 5/20/60 (smoke test)")
    p.add_argument("--scale", choices=["full", "small"], help="old name: full = --profile x1")
    p.add_argument("--pages", help="comma-separated page names (default: all); trivial baselines are always kept")
    p.add_argument("--growth", action="store_true", help="measure at every --growth-profiles and print the growth")
    p.add_argument("--growth-profiles", default="x1,x10,national")
    p.add_argument("--generate-only", action="store_true", help="generate (or find) the data and stop")
    p.add_argument("--duration", type=int, default=15, help="seconds of load per page and round (15)")
    p.add_argument("--rounds", type=int, default=1, help="rounds; each starts cold, the median round is judged (1)")
    p.add_argument("--connections", type=int, default=20, help="concurrent clients (20)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    p.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    p.add_argument("--gthreads", type=int, default=4, help="threads per gthread worker (4)")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT),
                   help=f"PostgreSQL server (without database name), default {PG_DEFAULT}")
    p.add_argument("--fresh", action="store_true", help="regenerate the cached data (SQLite file, PostgreSQL template)")
    p.add_argument("--keep-db", action="store_true", help="keep this run's PostgreSQL database")
    p.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench")
    p.add_argument("--results-dir", type=Path, default=BENCH / "results")
    p.add_argument("--no-fail", action="store_true", help="report only: exit 0 even when a budget fails")
    p.add_argument("--during-import", type=int, default=0, metavar="N",
                   help="import a workbook of N products into the served database during each round "
                        "(on a copy of the SQLite file); pages still loading when it ends say so")
    args = p.parse_args(argv)
    if args.scale:
        args.profile = "small" if args.scale == "small" else "x1"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A terminated run cleans up as an interrupted one does (its own databases and files).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work: Path = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    cpus = os.cpu_count() or 1
    wanted = set(args.pages.split(",")) if args.pages else {p.name for p in PAGES}
    pages = [p for p in PAGES if p.name in wanted or p.baseline is None]
    profiles = args.growth_profiles.split(",") if args.growth else [args.profile]
    measured: dict[str, dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    engines_info: dict[str, Any] = {}
    try:
        wrk_bin = "" if args.generate_only else ensure_wrk()
        if load_before[0] > 0.5 * cpus:
            log(f"warning: load average {load_before[0]:.1f} on {cpus} CPUs: the numbers will be noisy")
        env = base_env(work, secrets.token_urlsafe(50))
        collectstatic(env, work / "static")
        for profile in profiles:
            measured[profile] = measure_profile(profile, work, env, wrk_bin, args, pages, skipped, engines_info)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    for key, info in engines_info.items():
        if isinstance(info.get("generated"), dict):
            print(f"generated {key}: {info['generate_seconds']} s — {report.generated_line(info['generated'])}")
    if args.generate_only:
        return 0
    pages_by_name = {p.name: p for p in pages}
    ok, results = report.print_rounds(measured, pages_by_name, args)
    ok = report.print_imports(engines_info) and ok
    if args.growth:
        ok = report.print_growth(measured, pages_by_name, profiles) and ok
    for name, reason in skipped.items():
        print(f"{name}: NOT MEASURED — {reason}")
    out = report.write_json(args, started, {
        "machine": {"cpus": cpus, "load_before": load_before, "load_after": os.getloadavg(),
                    "python": platform.python_version(), "platform": platform.platform()},
        "engines": engines_info, "skipped": skipped, "results": results, "pass": ok})
    print(f"results: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if not ok:
        print("bench: a page missed its budget" + (" (--no-fail: exit 0)" if args.no_fail else ""))
        return 0 if args.no_fail else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
