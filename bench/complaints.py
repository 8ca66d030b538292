"""Complaints benchmark (issue 10): an examiner's queue and case pages, the public report form under load,
and the daily deadline command, on SQLite and on PostgreSQL. See bench/README.md.

Data (``bench/complaints_data.py``): 100 000 cases with about 1 000 000 events over 34 offices (``--quick``:
2 000 / 20 000), generated once and cached (SQLite: ``var/bench/complaints-<sizes>-<hash>.sqlite3``;
PostgreSQL: a template ``pantau_bcp_tpl_<sizes>_<hash>``); each run works on its own copy, removed at the end.

(a) **staff pages**: gunicorn (2 sync workers, ``bench.run.Server``) and wrk (20 connections): the trivial
    view (anonymous and signed in), then, signed in as the busiest examiner of the busiest office (a session
    made as ``bench.pages.login_session`` does), ``/kelola/laporan/`` with its tabs, filters and keyset pages,
    and ``/kelola/laporan/<id>/`` over the office's cases (all of the examiner's own, where the identity
    is shown and each view is audited, and others); p95 < 200 ms each (judged).
(b) **public intake**: POSTs of ``/lapor/`` (``bench/complaint_intake.lua``): a complete report without
    attachments, a new client token and a new client address per request (``PROXY_COUNT=1`` and
    ``X-Forwarded-For``, as behind nginx: the per-address rate limit runs and is never reached), the CSRF
    cookie and token as a browser sends them. Filed reports (302) per second ≥ 25 % of the trivial view's
    requests/s and p95 < 200 ms (judged); afterwards every 302 must be exactly one new case (with its reporter
    and its opening event, tokens all distinct; requests in flight when wrk stopped may add at most one each)
    and forms sent again with answered tokens must add nothing.
(c) **daily command**: ``pantau complaints_daily`` over all open cases in a child process, timed (< 30 s,
    judged), then run again: the second run must change nothing (states, events, timers reminded, notices,
    audit events, queued tasks).

A measurement whose page or command is missing reports "not measured: <why>" instead of a number.

    .venv/bin/python bench/complaints.py                       # both engines, full sizes
    .venv/bin/python bench/complaints.py --engine sqlite --quick --no-fail
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run as served  # noqa: E402
from bench.complaints_data import SIZES, Sizes, data_hash  # noqa: E402
from bench.engines import BenchError, Engine, _db_url, _pg_admin, child_json, log, manage, pg_reachable, vacuum  # noqa: E402
from bench.surveys import drop_database  # noqa: E402

PAGE_P95_MS = 200.0
INTAKE_SHARE = 0.25
INTAKE_P95_MS = 200.0
DAILY_SECONDS = 30.0
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
TEMPLATE_PREFIX = "pantau_bcp_tpl_"
LUA = ROOT / "bench" / "complaint_intake.lua"
QUEUE, INTAKE = "/kelola/laporan/", "/lapor/"
INTAKE_ENV = {"PROXY_COUNT": "1"}
MAX_RPS = 1500  # bodies written per second of load: more than the form is served here
REPLAYS = 30
CASE_PAGES = 500


# Child processes (Django configured from the engine's environment) ----------------------------------------

def child(env: dict[str, str], step: str, *args: str) -> dict[str, Any]:
    return child_json(Path(__file__).resolve(), env, step, *args)


def prepare(bodies: Path, count: int, csrf: str) -> dict[str, Any]:
    """URL lists of the busiest examiner, their session, and ``count`` report bodies for the form."""
    from django.conf import settings
    from django.db.models import Count, Max

    from bench.pages import login_session
    from pantau.accounts.models import User
    from pantau.complaints.models import Case
    from pantau.core.keyset import AFTER
    from pantau.registry.models import ServiceProduct

    rng = random.Random(10)
    busiest = (Case.objects.exclude(state="closed").exclude(examiner=None).values("examiner", "office")
               .annotate(n=Count("id")).order_by("-n", "examiner").first())
    if busiest is None:
        raise BenchError("no examiner has an open case: generate the data again")
    examiner = User.objects.get(pk=busiest["examiner"])
    office = Case.objects.filter(office_id=busiest["office"])
    own = list(office.filter(examiner=examiner).values_list("pk", flat=True))
    others = list(office.exclude(examiner=examiner).values_list("pk", flat=True))
    cases = own + rng.sample(others, min(len(others), max(0, CASE_PAGES - len(own))))
    queue = [QUEUE, f"{QUEUE}?tab=tugas", f"{QUEUE}?tab=tugas&urut=tenggat", f"{QUEUE}?tab=tugas&tenggat=overdue",
             f"{QUEUE}?tenggat=very_overdue", f"{QUEUE}?tahap=examination", f"{QUEUE}?jenis=public_report",
             f"{QUEUE}?urut=tenggat"]
    queue += [f"{QUEUE}?{AFTER}={pk}" for pk in rng.sample(others, min(40, len(others)))]
    queue += [f"{QUEUE}?tab=tugas&{AFTER}={pk}" for pk in rng.sample(own, min(20, len(own)))]
    products = list(ServiceProduct.objects.filter(is_active=True, unit__is_active=True)
                    .values_list("pk", flat=True)[:2000])

    def body(n: int) -> str:
        first, last = rng.choice(("Siti", "Budi", "Dewi", "Agus")), rng.choice(("Rahmawati", "Santoso", "Lubis"))
        fields = [
            ("csrfmiddlewaretoken", csrf), ("token", secrets.token_hex(16)), ("tujuan", "ombudsman"),
            ("pilih", f"p{rng.choice(products)}"), ("judul", "KTP-el tidak terbit sejak tiga bulan"),
            ("kronologi", "Saya mengurus KTP-el sejak Januari. Berkas sudah lengkap, tetapi petugas meminta "
                          f"uang agar cepat selesai dan sampai sekarang belum terbit (laporan bench {n})."),
            ("tanggal_peristiwa", "2026-06-01"), ("harapan", "KTP-el diterbitkan tanpa biaya tambahan."),
            ("sudah_mengadu", "silent"), ("tanggal_pengaduan", "2026-06-15"),
            ("saluran_pengaduan", "Loket pengaduan"), ("kerahasiaan", rng.choice(("confidential", "anonymous"))),
            ("nama", f"{first} {last}"), ("nik", f"63{rng.randrange(10**13, 10**14)}"), ("pekerjaan", "Pedagang"),
            ("alamat", "Jl. Tanjung No. 5, Tabalong"), ("email", f"pelapor{n}@contoh.id"),
            ("telepon", f"0812{rng.randrange(10**7, 10**8)}")]
        return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}\t" + urlencode(fields)

    with bodies.open("w", encoding="ascii") as out:
        for n in range(1, count + 1):
            out.write(body(n) + "\n")
    return {"examiner": examiner.username, "examiner_name": examiner.full_name, "office": busiest["office"],
            "examiner_open": busiest["n"], "own_cases": len(own), "queue": queue,
            "cases": [f"{QUEUE}{pk}/" for pk in cases], "preflight": body(count + 1),
            "csrf_cookie": f"{settings.CSRF_COOKIE_NAME}={csrf}",
            "session_cookie": f"{settings.SESSION_COOKIE_NAME}={login_session(examiner.username)}",
            "max_case": Case.objects.aggregate(m=Max("pk"))["m"]}


def stored(after: int) -> dict[str, Any]:
    """The cases opened after case ``after``: how many, distinct tokens, with a reporter and an opening event;
    and the filings not registered yet."""
    from django.db.models import Count

    from pantau.complaints.models import Case, Event, Filing, Reporter

    new = Case.objects.filter(pk__gt=after)
    rows = new.aggregate(n=Count("pk"), tokens=Count("client_token", distinct=True))
    return {"cases": rows["n"], "tokens": rows["tokens"], "filings": Filing.objects.count(),
            "reporters": Reporter.objects.filter(case_id__gt=after).count(),
            "opened": Event.objects.filter(case_id__gt=after, action="open").count(),
            "token_list": list(new.order_by("?").values_list("client_token", flat=True)[:REPLAYS])}


def fingerprint() -> dict[str, Any]:
    """What the daily command may change, counted."""
    from django.db import connection
    from django.db.models import Count

    from pantau.complaints.models import Case, Event, Notice, Timer
    from pantau.core.models import AuditEvent

    states = dict(Case.objects.values_list("state").annotate(n=Count("id")).order_by("state"))
    out: dict[str, Any] = {
        "states": states, "open": sum(n for s, n in states.items() if s != "closed"),
        "events": Event.objects.count(), "running_timers": Timer.objects.filter(stopped_at__isnull=True).count(),
        "reminded": Timer.objects.exclude(reminded_on=None).count(), "notices": Notice.objects.count(),
        "audit": AuditEvent.objects.count()}
    tables = set(connection.introspection.table_names())
    for name in sorted(t for t in tables if t.startswith("django_tasks")):
        with connection.cursor() as cur:
            cur.execute(f'SELECT COUNT(*) FROM "{name}"')  # noqa: S608 - a table name from the schema
            row = cur.fetchone()
        out[f"table {name}"] = int(row[0]) if row else 0
    return out


def run_child(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    if args.child == "generate":
        from bench.complaints_data import generate

        return generate(SIZES[args.sizes])
    if args.child == "prepare":
        return prepare(Path(args.bodies), args.count, args.csrf)
    if args.child == "stored":
        return stored(args.after)
    return fingerprint()


# Databases: generated once (cached), copied for each run --------------------------------------------------

def sqlite_engine(work: Path, env: dict[str, str], sizes: Sizes, fresh: bool) -> Engine:
    cached = work / f"complaints-{sizes.name}-{data_hash()}.sqlite3"
    info: dict[str, Any] = {"data": cached.name}
    if fresh:
        cached.unlink(missing_ok=True)
    if cached.exists():
        log(f"sqlite: reusing {cached.name}")
        info["generated"] = "cached"
    else:
        for old in work.glob(f"complaints-{sizes.name}-*.sqlite3*"):
            old.unlink()
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        log(f"sqlite: generating the {sizes.name} complaint data into {tmp.name}")
        try:
            info["generated"] = child({**env, "SQLITE_PATH": str(tmp)}, "generate", "--sizes", sizes.name)
        except BaseException:
            for suffix in ("", "-wal", "-shm", "-writelock"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
            raise
        for suffix in ("-wal", "-shm", "-writelock"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        tmp.rename(cached)
    copy = work / f"complaints-run-{os.getpid()}-{secrets.token_hex(3)}.sqlite3"
    t0 = time.monotonic()
    shutil.copyfile(cached, copy)
    info.update(copy_seconds=round(time.monotonic() - t0, 1), size_mb=round(cached.stat().st_size / 2**20))
    engine = Engine("sqlite", {**env, "SQLITE_PATH": str(copy)}, info=info)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm", "-writelock"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    engine.cleanup.append(remove)
    manage(engine.env, "migrate", "--noinput", "-v0")
    return engine


def pg_template(env: dict[str, str], base_url: str, sizes: Sizes, fresh: bool) -> tuple[str, dict[str, Any]]:
    name = f"{TEMPLATE_PREFIX}{sizes.name}_{data_hash()}"
    with _pg_admin(base_url) as admin:
        found = [r[0] for r in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                             [f"{TEMPLATE_PREFIX}{sizes.name}\\_%"])]
        for old in found:
            idle = admin.execute("SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = %s", [old]).fetchone()
            if (old != name or fresh) and idle and idle[0]:
                admin.execute(f'DROP DATABASE "{old}"')  # an older generator's data, unused
            elif old == name:
                log(f"postgresql: reusing template {name}")
                return name, {"template": name, "generated": "cached"}
        tmp = f"pantau_bcp_gen_{os.getpid()}_{secrets.token_hex(3)}"
        admin.execute(f'CREATE DATABASE "{tmp}"')
    info: dict[str, Any] = {"template": name}
    try:
        log(f"postgresql: generating the {sizes.name} complaint data into {tmp}")
        info["generated"] = child({**env, "DATABASE_URL": _db_url(base_url, tmp)}, "generate", "--sizes", sizes.name)
        vacuum(_db_url(base_url, tmp), info)
        with _pg_admin(base_url) as admin:
            admin.execute(f'ALTER DATABASE "{tmp}" RENAME TO "{name}"')
    except BaseException:
        drop_database(base_url, tmp)
        raise
    return name, info


def postgres_engine(env: dict[str, str], base_url: str, sizes: Sizes, fresh: bool) -> Engine:
    template, info = pg_template(env, base_url, sizes, fresh)
    own = f"pantau_bcp_{os.getpid()}_{secrets.token_hex(4)}"
    started = time.monotonic()
    with _pg_admin(base_url) as admin:
        admin.execute(f'CREATE DATABASE "{own}" TEMPLATE "{template}"')
    info.update(database=own, copy_seconds=round(time.monotonic() - started, 1))
    engine = Engine("postgresql", {**env, "DATABASE_URL": _db_url(base_url, own)}, info=info)
    engine.cleanup.append(lambda: drop_database(base_url, own))
    try:
        manage(engine.env, "migrate", "--noinput", "-v0")
    except BaseException:
        drop_database(base_url, own)
        raise
    return engine


# Measurements -------------------------------------------------------------------------------------------

def _load(args: argparse.Namespace, server: served.Server, work: Path, name: str, paths: list[str],
          cookie: str) -> dict[str, Any]:
    urls = work / f"complaints-{name}-{os.getpid()}.txt"
    urls.write_text("\n".join(paths) + "\n", encoding="utf-8")
    try:
        before = served.cpu_seconds(server.workers)
        result = served.wrk(args.wrk, f"http://127.0.0.1:{server.port}", urls, seconds=args.duration,
                            connections=args.connections, threads=2, cookie=cookie)
        used = served.cpu_seconds(server.workers) - before
    finally:
        urls.unlink(missing_ok=True)
    return {"urls": len(set(paths)), "requests": result["requests"], "rps": round(result["rps"], 1),
            "p50_ms": round(result["p50_ms"], 1), "p95_ms": round(result["p95_ms"], 1),
            "non200": result["non200"], "cpu_ms": round(1000 * used / result["requests"], 2)
            if result["requests"] else None}


def _preflight(server: served.Server, paths: list[str], cookie: str,
               who: str = "signed in as the examiner") -> str | None:
    """None when a sample of the paths answers 200; else why the page cannot be measured."""
    for path in paths[:: max(1, len(paths) // 6)][:6]:
        status = served.get(server.port, path, cookie, timeout=120)[0]
        if status != 200:
            return f"GET {path} answered {status} ({who}), not 200"
    return None


def pages(server: served.Server, work: Path, args: argparse.Namespace, prep: dict[str, Any]) -> dict[str, Any]:
    """(a) the trivial view, the queue and the case pages."""
    anonymous = prep["csrf_cookie"]
    signed = f"{prep['session_cookie']}; {prep['csrf_cookie']}"
    out: dict[str, Any] = {"trivial": _load(args, server, work, "trivial", ["/bench/trivial/"], anonymous),
                           "trivial_signed_in": _load(args, server, work, "trivial", ["/bench/trivial/"], signed)}
    for name, paths in (("queue", prep["queue"]), ("case", prep["cases"])):
        reason = _preflight(server, paths, signed)
        out[name] = {"skipped": reason} if reason else _load(args, server, work, name, paths, signed)
        log(f"(a) {name}: {out[name]}")
    return out


def intake(server: served.Server, engine: Engine, args: argparse.Namespace, prep: dict[str, Any],
           bodies: Path) -> dict[str, Any]:
    """(b) wrk POSTing the public form; then the cases stored against the 302s, and replays."""
    cookie = prep["csrf_cookie"]
    status = served.get(server.port, INTAKE, cookie)[0]
    if status != 200:
        return {"skipped": f"GET {INTAKE} answered {status}, not 200"}
    address, form = prep["preflight"].split("\t", 1)
    answered = _post(server.port, form, cookie, address)
    if answered != 302:
        return {"skipped": f"a complete report POSTed to {INTAKE} answered {answered}, not 302"}
    before = child(engine.env, "stored", "--after", str(prep["max_case"]))
    cmd = [args.wrk, "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "5s", "-s", str(LUA),
           "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{server.port}", "--", INTAKE, str(bodies), "2", "302"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=args.duration + 120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk gave no result (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(line[len("BENCH_JSON "):])
    time.sleep(1)  # what was in flight when wrk stopped is finished by the workers
    queued = child(engine.env, "stored", "--after", str(prep["max_case"]))["filings"]
    # The worker registers the queued reports (and runs what they queue: search documents, e-mail, here to a
    # dummy backend), as `pantau db_worker` does beside gunicorn; timed on its own, after the load.
    t0 = time.monotonic()
    manage({**engine.env, "EMAIL_URL": "dummymail://"}, "db_worker", "--batch", "--queue-name", "*",
           "--no-startup-delay", "-v0")
    register_s = time.monotonic() - t0
    after = child(engine.env, "stored", "--after", str(prep["max_case"]))
    wanted, replay = set(after["token_list"]), []
    with bodies.open(encoding="ascii") as lines:
        for raw in lines:
            address, form = raw.rstrip("\n").split("\t", 1)
            token = form.split("&token=", 1)[1].split("&", 1)[0]
            if token in wanted:
                replay.append(_post(server.port, form, cookie, address))
    final = child(engine.env, "stored", "--after", str(prep["max_case"]))
    added = after["cases"] - before["cases"]
    in_flight = result["sent"] - result["success"] - result["failed"]
    result.update(stored=added, in_flight=in_flight, queued=queued, left=final["filings"],
                  register_s=round(register_s, 1), register_rps=round(queued / max(register_s, 0.01), 1),
                  replayed=len(replay), replay_302=replay.count(302),
                  replay_added=final["cases"] - after["cases"],
                  rps_302=round(result["success"] * 1e6 / result["duration_us"], 1),
                  p50_ms=round(result["p50_ms"], 1), p95_ms=round(result["p95_ms"], 1))
    result["consistent"] = bool(
        result["success"] <= added <= result["success"] + max(0, in_flight) and not result["reused"]
        and final["tokens"] == final["cases"] == final["reporters"] == final["opened"] and not final["filings"]
        and replay and replay.count(302) == len(replay) and result["replay_added"] == 0)
    return result


def _post(port: int, body: str, cookie: str, address: str) -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", INTAKE, body=body, headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": address})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def daily(engine: Engine) -> dict[str, Any]:
    """(c) the daily command twice, each in a child process, timed; what each run changed."""
    if not (ROOT / "pantau/complaints/management/commands/complaints_daily.py").exists():
        return {"skipped": "the command pantau complaints_daily does not exist yet"}
    runs: list[dict[str, Any]] = []
    before = child(engine.env, "fingerprint")
    for n in (1, 2):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "django", "complaints_daily"], env=engine.env, cwd=ROOT,
                              capture_output=True, text=True, check=False, timeout=1800)
        seconds = time.perf_counter() - t0
        after = child(engine.env, "fingerprint")
        changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        own = re.search(r"([0-9]+[.,][0-9]+)\D*$", done.stdout.strip())  # "Selesai dalam 0.3 detik."
        runs.append({"run": n, "seconds": round(seconds, 2), "exit": done.returncode,
                     "command_s": float(own.group(1).replace(",", ".")) if own else None,
                     "output": done.stdout.strip().splitlines()[-7:], "errors": done.stderr.strip()[-600:],
                     "changed": changed})
        log(f"(c) complaints_daily run {n}: {seconds:.2f} s, exit {done.returncode}, changed {changed}")
        before = after
    return {"open": runs[0]["changed"].get("open", [before["open"]])[0], "runs": runs,
            "seconds": runs[0]["seconds"], "second_unchanged": not runs[1]["changed"]}


def measure(engine: Engine, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = {**engine.env, **INTAKE_ENV}
    engine = Engine(engine.name, env, engine.cleanup, engine.info)
    bodies = work / f"complaint-bodies-{os.getpid()}.txt"
    csrf = secrets.token_hex(16)
    out: dict[str, Any] = {"engine": engine.name, "info": engine.info}
    prep = child(env, "prepare", "--bodies", str(bodies), "--count", str(MAX_RPS * args.duration), "--csrf", csrf)
    out["examiner"] = {k: prep[k] for k in ("examiner", "office", "examiner_open", "own_cases")}
    log(f"{engine.name}: signed in as {prep['examiner']} ({prep['examiner_open']} open cases of their own)")
    server = served.Server(engine, work, argparse.Namespace(workers=2, worker_class="sync", gthreads=1))
    try:
        server.start()
        out["pages"] = pages(server, work, args, prep)
        server.restart()
        trivial = _load(args, server, work, "trivial", ["/bench/trivial/"], prep["csrf_cookie"])
        submit = intake(server, engine, args, prep, bodies)
        if "skipped" not in submit:
            submit["share"] = round(submit["rps_302"] / max(trivial["rps"], 0.01), 3)
        out["intake"] = {"trivial": trivial, **submit}
        log(f"{engine.name}: (b) {out['intake']}")
    finally:
        server.stop()
        bodies.unlink(missing_ok=True)
    out["daily"] = daily(engine)
    return out


def verdicts(r: dict[str, Any]) -> dict[str, list[str]]:
    """What missed its budget, by part ("not measured" is reported, not judged)."""
    miss: dict[str, list[str]] = {"queue": [], "case": [], "intake": [], "daily": []}
    for part in ("queue", "case"):
        row = r["pages"][part]
        if "skipped" in row:
            continue
        if row["p95_ms"] >= PAGE_P95_MS:
            miss[part].append(f"p95 {row['p95_ms']} ms ≥ {PAGE_P95_MS:.0f} ms")
        if row["non200"]:
            miss[part].append(f"{row['non200']} answers not 200")
    s = r["intake"]
    if "skipped" not in s:
        if s["share"] < INTAKE_SHARE:
            miss["intake"].append(f"{100 * s['share']:.0f} % of trivial < {100 * INTAKE_SHARE:.0f} %")
        if s["p95_ms"] >= INTAKE_P95_MS:
            miss["intake"].append(f"p95 {s['p95_ms']} ms ≥ {INTAKE_P95_MS:.0f} ms")
        if not s["consistent"]:
            miss["intake"].append("stored cases do not match the 302s / replays")
    d = r["daily"]
    if "skipped" not in d:
        if d["seconds"] >= DAILY_SECONDS:
            miss["daily"].append(f"{d['seconds']} s ≥ {DAILY_SECONDS:.0f} s")
        if any(run["exit"] for run in d["runs"]):
            miss["daily"].append("the command failed (see errors)")
        if not d["second_unchanged"]:
            miss["daily"].append(f"the second run changed {sorted(d['runs'][1]['changed'])}")
    return miss


def _line(values: tuple[Any, ...]) -> str:
    return " | ".join(str(v) for v in values)


def tables(results: list[dict[str, Any]]) -> str:
    def verdict(reasons: list[str]) -> str:
        return "pass" if not reasons else "FAIL: " + "; ".join(reasons)
    heads = {"a": ("engine", "page", "URLs", "req/s", "p50 ms", "p95 ms", "CPU ms/req", "non-200", "budget"),
             "b": ("engine", "page", "req/s", "% of trivial", "p50 ms", "p95 ms", "302", "other", "queued",
                   "worker s (reports/s)", "stored", "in flight", "replayed", "same", "budget"),
             "c": ("engine", "open cases", "run", "seconds (process)", "seconds (command)", "exit", "changed",
                   "budget")}
    lines = {k: [_line(v)] for k, v in heads.items()}
    for r in results:
        if "skipped" in r:
            lines["a"].append(f"{r['engine']} | NOT MEASURED: {r['skipped']}")
            continue
        miss, p = verdicts(r), r["pages"]
        for name, label in (("trivial", "trivial view, anonymous"), ("trivial_signed_in", "trivial view, signed in"),
                            ("queue", f"{QUEUE} (examiner)"), ("case", f"{QUEUE}<id>/ (examiner)")):
            row = p[name]
            if "skipped" in row:
                lines["a"].append(_line((r["engine"], label, "not measured: " + row["skipped"])))
                continue
            lines["a"].append(_line((r["engine"], label, row["urls"], row["rps"], row["p50_ms"], row["p95_ms"],
                                     row["cpu_ms"], row["non200"], verdict(miss[name]) if name in miss else "")))
        s = r["intake"]
        t = s["trivial"]
        lines["b"].append(_line((r["engine"], "trivial", t["rps"], "100 %", t["p50_ms"], t["p95_ms"], "", "", "", "",
                                 "", "", "", "", "")))
        if "skipped" in s:
            lines["b"].append(_line((r["engine"], f"POST {INTAKE}", "not measured: " + s["skipped"])))
        else:
            lines["b"].append(_line((r["engine"], f"POST {INTAKE}", s["rps_302"], f"{100 * s['share']:.0f} %",
                                     s["p50_ms"], s["p95_ms"], s["success"], s["failed"], s.get("queued", ""),
                                     f"{s.get('register_s', '')} ({s.get('register_rps', '')})", s["stored"],
                                     s["in_flight"],
                                     f"{s['replayed']} (+{s['replay_added']})", "yes" if s["consistent"] else "NO",
                                     verdict(miss["intake"]))))
        d = r["daily"]
        if "skipped" in d:
            lines["c"].append(_line((r["engine"], "not measured: " + d["skipped"])))
            continue
        for run in d["runs"]:
            changed = ", ".join(f"{k} {v[0]}→{v[1]}" for k, v in run["changed"].items() if k != "states") or "nothing"
            lines["c"].append(_line((r["engine"], d["open"], run["run"], run["seconds"], run["command_s"], run["exit"],
                                     changed,
                                     verdict(miss["daily"]) if run["run"] == 1 else "")))
    titles = {"a": "(a) staff pages, gunicorn 2 sync workers, wrk 20 connections, signed in as the busiest examiner",
              "b": "(b) public report form /lapor/ (a new report per request), same server",
              "c": "(c) pantau complaints_daily over all open cases, in a child process, run twice"}
    return "\n\n".join(f"{titles[k]}\n" + "\n".join(v) for k, v in lines.items())


def add_options(p: argparse.ArgumentParser) -> None:
    """The options of the complaint benchmarks (this one and ``complaint_search.py``)."""
    p.add_argument("--engine", choices=["all", "sqlite", "postgres"], default="all")
    p.add_argument("--quick", action="store_true", help="small data (2 000 cases, 20 000 events), 2 s of load")
    p.add_argument("--duration", type=int, help="seconds of load per wrk run (15; --quick: 2)")
    p.add_argument("--connections", type=int, default=20)
    p.add_argument("--no-fail", action="store_true", help="report only: exit 0 even when a budget is missed")
    p.add_argument("--fresh", action="store_true", help="generate the cached data again")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    p.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    add_options(p)
    p.add_argument("--child", choices=("generate", "prepare", "stored", "fingerprint"), help=argparse.SUPPRESS)
    p.add_argument("--sizes", help=argparse.SUPPRESS)
    p.add_argument("--bodies", help=argparse.SUPPRESS)
    p.add_argument("--count", type=int, help=argparse.SUPPRESS)
    p.add_argument("--csrf", help=argparse.SUPPRESS)
    p.add_argument("--after", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.duration is None:
        args.duration = 2 if args.quick else 15
    return args


def run_engines(args: argparse.Namespace, measure_one: Callable[[Engine, Path, argparse.Namespace], dict[str, Any]],
                print_tables: Callable[[list[dict[str, Any]]], str],
                judge: Callable[[dict[str, Any]], dict[str, list[str]]]) -> int:
    """Each engine asked for (``--engine``) on its own copy of the cached data: ``measure_one``, then the tables
    (``print_tables``), a BENCH_JSON line and the exit status from ``judge``'s misses (shared with
    ``complaint_search.py``)."""
    sizes = SIZES["quick" if args.quick else "full"]
    work: Path = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    try:
        args.wrk = served.ensure_wrk()
        env = served.base_env(work, secrets.token_urlsafe(50))
        served.collectstatic(env, work / "static")
        for name in (["sqlite", "postgres"] if args.engine == "all" else [args.engine]):
            absent = pg_reachable(args.pg_url) if name == "postgres" else None
            if absent:
                log(f"postgresql: NOT MEASURED — {absent}")
                results.append({"engine": "postgresql", "skipped": absent})
                continue
            engine = (sqlite_engine(work, env, sizes, args.fresh) if name == "sqlite"
                      else postgres_engine(env, args.pg_url, sizes, args.fresh))
            try:
                results.append(measure_one(engine, work, args))
            finally:
                for clean in engine.cleanup:
                    clean()
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    print()
    print(print_tables(results))
    print("BENCH_JSON " + json.dumps(results, default=str))
    missed = [f"{r['engine']} {part}" for r in results if "skipped" not in r
              for part, reasons in judge(r).items() if reasons]
    if missed:
        print(f"bench: budget missed: {', '.join(missed)}" + (" (--no-fail: exit 0)" if args.no_fail else ""))
        return 0 if args.no_fail else 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print("BENCH_JSON " + json.dumps(run_child(args), default=str), flush=True)
        return 0
    return run_engines(args, measure, tables, verdicts)


if __name__ == "__main__":
    sys.exit(main())
