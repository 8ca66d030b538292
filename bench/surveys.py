"""Survey benchmark (issue 9): the IKM with every breakdown from the database, the public form
under load, and the streamed CSV export, on SQLite and on PostgreSQL. See bench/README.md.

Data (``bench/surveys_data.py``): one campaign of 1 000 000 responses and one campaign per unit
for 6 000 units × 300 responses, generated once and cached (SQLite: ``var/bench/surveys-<sizes>-
<hash>.sqlite3``; PostgreSQL: a template ``pantau_bsv_tpl_<sizes>_<hash>``); each run works on its
own copy (a copied file; ``pantau_bsv_<pid>_<hex>`` made from the template), removed at the end.

(a) **results from the database**, each in a fresh child process (its peak RSS is the
    measurement's own): the kept tallies (summary rows every write keeps current) read and turned
    into the IKM with every breakdown, for the big campaign (< 3 s) and for all unit campaigns in
    batches of 500 (< 30 s), peak RSS < 1 GB (judged); then the repair path, ``tallies.rebuild`` /
    ``rebuild_many`` from the raw responses, timed and reported against the same figures, and the
    results again, which must not change.
(b) **submissions**: gunicorn (2 sync workers) and wrk (20 connections) against the trivial view,
    then POSTs of the public form (``bench/survey_submit.lua``, a new client token per request):
    302s per second ≥ 30 % of the trivial view's requests/s, p95 < 200 ms; afterwards the stored
    rows are checked against the 302s and the kept tallies, and answered tokens are sent again.
(c) **export**: a signed-in GET of ``/kelola/survei/<id>/jawaban.csv`` of the big campaign read to
    the end; every row arrives and the serving worker's peak RSS stays < 300 MB.

    .venv/bin/python bench/surveys.py                       # both engines, full sizes
    .venv/bin/python bench/surveys.py --engine sqlite --quick --no-fail
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import secrets
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run as served  # noqa: E402
from bench.engines import BenchError, Engine, _db_url, _pg_admin, child_json, log, manage, pg_reachable, vacuum  # noqa: E402
from bench.surveys_data import SIZES, Sizes, data_hash  # noqa: E402

ONE_SECONDS = 3.0
ALL_SECONDS = 30.0
TALLY_RSS_MB = 1024
SUBMIT_SHARE = 0.30
SUBMIT_P95_MS = 200.0
EXPORT_RSS_MB = 300
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
TEMPLATE_PREFIX = "pantau_bsv_tpl_"


# Child processes (Django configured from the engine's environment) ----------------------------------

def child(env: dict[str, str], step: str, *args: str) -> dict[str, Any]:
    return child_json(Path(__file__).resolve(), env, step, *args)


def peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def tallies_one(campaign_id: int) -> dict[str, Any]:
    """(a) for one campaign: the result from the database as every page reads it — the kept tallies
    (the summary rows each write keeps current, ADR 0022) read and turned into the IKM and every
    breakdown, in a fresh process (judged); then the repair path, ``tallies.rebuild`` (one grouped
    scan of the raw responses replacing the tallies), and the result again, which must not change."""
    from pantau.surveys import results, tallies
    from pantau.surveys.models import Campaign, Response

    campaign = Campaign.objects.select_related("version__questionnaire", "institution").get(pk=campaign_id)
    c0, t0 = time.process_time(), time.perf_counter()
    result = results.campaign_result(campaign)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    alone = []
    for _ in range(5):
        t = time.perf_counter()
        results.campaign_result(campaign)
        alone.append(time.perf_counter() - t)
    t = time.perf_counter()
    cells = tallies.rebuild(campaign)
    rebuild_s = time.perf_counter() - t
    again = results.campaign_result(campaign)
    rows = Response.objects.filter(campaign=campaign).count()
    index = result["index"] or {}
    return {"campaigns": 1, "responses": rows, "cells": cells, "seconds": round(seconds, 3),
            "result_ms": round(1000 * statistics.median(alone), 1), "cpu_s": round(cpu, 2),
            "rebuild_s": round(rebuild_s, 2), "ikm": str(index.get("value")), "complete": result["complete"],
            "partial": result["partial"], "counted_all": result["complete"] + result["partial"] == rows,
            "rebuild_same": again == result, "load": round(os.getloadavg()[0], 1), "peak_rss_mb": peak_rss_mb()}


CHUNK = 500


def tallies_all(exclude: int) -> dict[str, Any]:
    """(a) for every other campaign, as a batch job (a national overview, a recompute) does it:
    ``results.campaign_results`` of 500 campaigns at a time from their kept tallies (judged); then
    ``tallies.rebuild_many`` of all of them from the raw responses (the repair path) and the results
    again, which must not change. (A questionnaire version is parsed once per process.)"""
    from pantau.surveys import results, tallies
    from pantau.surveys.models import Campaign, Response

    def every_result() -> tuple[int, int, str]:
        computable = counted = 0
        digest = hashlib.sha256()
        for start in range(0, len(campaigns), CHUNK):
            found = results.campaign_results(campaigns[start:start + CHUNK])
            for pk, result in found.items():
                computable += result["computable"]
                counted += result["complete"] + result["partial"]
                digest.update(f"{pk}:{(result['index'] or {}).get('value')}:{len(result['breakdowns'])}".encode())
        return computable, counted, digest.hexdigest()

    c0, t0 = time.process_time(), time.perf_counter()
    campaigns = list(Campaign.objects.exclude(pk=exclude).select_related("version__questionnaire", "institution")
                     .order_by("pk"))
    computable, counted, before = every_result()
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    t = time.perf_counter()
    tallies.rebuild_many(campaigns)
    rebuild_s = time.perf_counter() - t
    _computable, _counted, after = every_result()
    rows = Response.objects.exclude(campaign_id=exclude).count()
    return {"campaigns": len(campaigns), "responses": rows, "seconds": round(seconds, 2),
            "result_ms": round(1000 * seconds / max(1, len(campaigns)), 2), "cpu_s": round(cpu, 2),
            "rebuild_s": round(rebuild_s, 2), "computable": computable, "counted_all": counted == rows,
            "rebuild_same": before == after, "load": round(os.getloadavg()[0], 1), "peak_rss_mb": peak_rss_mb()}


def run_child(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    if args.child == "generate":
        from bench.surveys_data import generate

        return generate(SIZES[args.sizes])
    if args.child == "one":
        return tallies_one(args.campaign)
    if args.child == "all":
        return tallies_all(args.campaign)
    from bench import surveys_http

    if args.child == "prepare":
        return surveys_http.prepare(args.campaign, Path(args.bodies), args.count, args.csrf)
    return surveys_http.stored(args.campaign)


# Databases: generated once (cached), copied for each run ------------------------------------------

def sqlite_engine(work: Path, env: dict[str, str], sizes: Sizes, fresh: bool) -> Engine:
    cached = work / f"surveys-{sizes.name}-{data_hash()}.sqlite3"
    info: dict[str, Any] = {"data": cached.name}
    if fresh:
        cached.unlink(missing_ok=True)
    if cached.exists():
        log(f"sqlite: reusing {cached.name}")
        info["generated"] = "cached"
    else:
        for old in work.glob(f"surveys-{sizes.name}-*.sqlite3*"):
            old.unlink()
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        log(f"sqlite: generating the {sizes.name} survey data into {tmp.name}")
        info["generated"] = child({**env, "SQLITE_PATH": str(tmp)}, "generate", "--sizes", sizes.name)
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        tmp.rename(cached)
    copy = work / f"surveys-run-{os.getpid()}-{secrets.token_hex(3)}.sqlite3"
    t0 = time.monotonic()
    shutil.copyfile(cached, copy)
    info.update(copy_seconds=round(time.monotonic() - t0, 1), size_mb=round(cached.stat().st_size / 2**20))
    engine = Engine("sqlite", {**env, "SQLITE_PATH": str(copy)}, info=info)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
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
        tmp = f"pantau_bsv_gen_{os.getpid()}_{secrets.token_hex(3)}"
        admin.execute(f'CREATE DATABASE "{tmp}"')
    info: dict[str, Any] = {"template": name}
    try:
        log(f"postgresql: generating the {sizes.name} survey data into {tmp}")
        info["generated"] = child({**env, "DATABASE_URL": _db_url(base_url, tmp)}, "generate", "--sizes", sizes.name)
        vacuum(_db_url(base_url, tmp), info)
        with _pg_admin(base_url) as admin:
            admin.execute(f'ALTER DATABASE "{tmp}" RENAME TO "{name}"')
    except BaseException:
        drop_database(base_url, tmp)
        raise
    return name, info


def drop_database(base_url: str, name: str) -> None:
    """Drop one of this run's own databases (no other run uses its name)."""
    with _pg_admin(base_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_engine(env: dict[str, str], base_url: str, sizes: Sizes, fresh: bool) -> Engine:
    """This run's own database, made from the template of the sizes' data."""
    template, info = pg_template(env, base_url, sizes, fresh)
    own = f"pantau_bsv_{os.getpid()}_{secrets.token_hex(4)}"
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


# One engine ------------------------------------------------------------------------------------

def measure(engine: Engine, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    from bench import surveys_http

    generated = engine.info["generated"]
    ids = child(engine.env, "stored", "--campaign", "0")
    big = ids["big_campaign"]
    out: dict[str, Any] = {"engine": engine.name, "info": engine.info, **ids}
    if isinstance(generated, dict):
        log(f"{engine.name}: generated in {generated['generate_s']} s {generated['timings']}")
    log(f"{engine.name}: (a) the big campaign's tallies and result")
    out["one"] = child(engine.env, "one", "--campaign", str(big))
    log(f"{engine.name}: {out['one']}")
    log(f"{engine.name}: (a) every unit campaign's tallies and result")
    out["all"] = child(engine.env, "all", "--campaign", str(big))
    log(f"{engine.name}: {out['all']}")
    out.update(surveys_http.measure(engine, work, args, ids, child))
    return out


def verdicts(r: dict[str, Any]) -> dict[str, list[str]]:
    """What missed its budget, by part."""
    one, every, submit, export = r["one"], r["all"], r["submit"], r["export"]
    miss: dict[str, list[str]] = {"one": [], "all": [], "submit": [], "export": []}
    for part, row, limit in (("one", one, ONE_SECONDS), ("all", every, ALL_SECONDS)):
        if row["seconds"] >= limit:
            miss[part].append(f"{row['seconds']} s ≥ {limit} s")
        if row["peak_rss_mb"] >= TALLY_RSS_MB:
            miss[part].append(f"peak RSS {row['peak_rss_mb']} MB ≥ {TALLY_RSS_MB} MB")
        if not row["counted_all"]:
            miss[part].append("the tallies do not count every response")
        if not row["rebuild_same"]:
            miss[part].append("a rebuild from the responses changed the result")
    if submit["share"] < SUBMIT_SHARE:
        miss["submit"].append(f"{100 * submit['share']:.0f} % of trivial < {100 * SUBMIT_SHARE:.0f} %")
    if submit["p95_ms"] >= SUBMIT_P95_MS:
        miss["submit"].append(f"p95 {submit['p95_ms']} ms ≥ {SUBMIT_P95_MS:.0f} ms")
    if not submit["consistent"]:
        miss["submit"].append("stored rows do not match the 302s / tallies / replays")
    if export["peak_rss_mb"] >= EXPORT_RSS_MB:
        miss["export"].append(f"peak RSS {export['peak_rss_mb']} MB ≥ {EXPORT_RSS_MB} MB")
    if not export["complete"]:
        miss["export"].append("not every row arrived")
    return miss


def _line(values: tuple[Any, ...]) -> str:
    return " | ".join(str(v) for v in values)


def tables(results: list[dict[str, Any]]) -> str:
    def verdict(reasons: list[str]) -> str:
        return "pass" if not reasons else "FAIL: " + "; ".join(reasons)
    a = ("engine", "campaigns", "responses", "result s", "ms per campaign", "CPU s", "load", "peak RSS MB",
         "budget", "rebuild from responses s", "rebuild same")
    b = ("engine", "page", "req/s", "% of trivial", "p50 ms", "p95 ms", "302", "non-302", "stored",
         "in flight", "replayed", "same", "budget")
    c = ("engine", "responses", "CSV rows", "MB", "seconds", "MB/s", "peak RSS MB", "budget")
    lines: dict[str, list[str]] = {"a": [_line(a)], "b": [_line(b)], "c": [_line(c)]}
    for r in results:
        if "skipped" in r:
            lines["a"].append(f"{r['engine']} | NOT MEASURED: {r['skipped']}")
            continue
        miss = verdicts(r)
        for part in ("one", "all"):
            row = r[part]
            limit = ONE_SECONDS if part == "one" else ALL_SECONDS
            rebuilt = f"{row['rebuild_s']} ({'<' if row['rebuild_s'] < limit else '≥'} {limit:.0f} s)"
            lines["a"].append(_line((r["engine"], row["campaigns"], row["responses"], row["seconds"], row["result_ms"],
                                     row["cpu_s"], row["load"], row["peak_rss_mb"], verdict(miss[part]), rebuilt,
                                     "yes" if row["rebuild_same"] else "NO")))
        t, s = r["trivial"], r["submit"]
        lines["b"].append(_line((r["engine"], "trivial", t["rps"], "100 %", t["p50_ms"], t["p95_ms"], "", "", "", "",
                                 "", "", "")))
        lines["b"].append(_line((r["engine"], "POST /survei/<token>/", s["rps_302"], f"{100 * s['share']:.0f} %",
                                 s["p50_ms"], s["p95_ms"], s["status_302"], s["non_302"], s["stored"], s["in_flight"],
                                 f"{s['replayed']} (+{s['replay_added']})", "yes" if s["consistent"] else "NO",
                                 verdict(miss["submit"]))))
        e = r["export"]
        lines["c"].append(_line((r["engine"], e["responses"], e["rows"], e["mb"], e["seconds"], e["mb_per_s"],
                                 e["peak_rss_mb"], verdict(miss["export"]))))
    titles = {"a": "(a) IKM and every breakdown from the database: the kept tallies read and computed (judged); "
                   "then rebuilt from the raw responses",
              "b": "(b) public form submissions, gunicorn 2 sync workers, wrk 20 connections",
              "c": "(c) CSV export of the big campaign, signed-in GET through gunicorn"}
    return "\n\n".join(f"{titles[k]}\n" + "\n".join(v) for k, v in lines.items())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--engine", choices=["all", "sqlite", "postgres"], default="all")
    p.add_argument("--quick", action="store_true", help="small data (20 000 + 60 × 100 responses), 2 s of load")
    p.add_argument("--duration", type=int, help="seconds of load per wrk run (15; --quick: 2)")
    p.add_argument("--connections", type=int, default=20)
    p.add_argument("--no-fail", action="store_true", help="report only: exit 0 even when a budget is missed")
    p.add_argument("--fresh", action="store_true", help="generate the cached data again")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    p.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench")
    p.add_argument("--child", choices=("generate", "one", "all", "prepare", "stored"), help=argparse.SUPPRESS)
    p.add_argument("--sizes", help=argparse.SUPPRESS)
    p.add_argument("--campaign", type=int, help=argparse.SUPPRESS)
    p.add_argument("--bodies", help=argparse.SUPPRESS)
    p.add_argument("--count", type=int, help=argparse.SUPPRESS)
    p.add_argument("--csrf", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.duration is None:
        args.duration = 2 if args.quick else 15
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print("BENCH_JSON " + json.dumps(run_child(args), default=str), flush=True)
        return 0
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
                results.append(measure(engine, work, args))
            finally:
                for clean in engine.cleanup:
                    clean()
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    print()
    print(tables(results))
    print("BENCH_JSON " + json.dumps(results, default=str))
    missed = [f"{r['engine']} {part}" for r in results if "skipped" not in r
              for part, reasons in verdicts(r).items() if reasons]
    if missed:
        print(f"bench: budget missed: {', '.join(missed)}" + (" (--no-fail: exit 0)" if args.no_fail else ""))
        return 0 if args.no_fail else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
