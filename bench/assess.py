"""Assessment recompute benchmark (issue 8, "Acceptance"): a national period — 600 institutions,
6 000 units, 50 000 products, every item of ``ombudsman-2022`` answered (486 000 answers) — and
the full recompute of all its scores and rankings.

Each engine gets its own database for the run, dropped at the end (SQLite: a file under
``var/bench/``; PostgreSQL: ``pantau_bench_assess_<pid>_<hex>`` on the server of ``--pg-url`` /
``BENCH_PG_URL`` / ``DATABASE_URL``, skipped with the reason when it does not answer). The data is
written in bulk (``bench/rawdb.py``: executemany / COPY) by one process; the measurement runs in
a second, fresh process, so its peak RSS is the recompute's own:

- **bulk**: ``recompute_bulk.store_all`` (one streaming read of the answers, scored in memory in
  batches of institutions, rows written by COPY / executemany) then ``rank_stored`` (the rankings
  of every kind nationally and within each province). Measured twice: into an empty table, and
  again replacing those drafts (the steady state).
- **per object**: the straightforward ORM computation — per institution its sampled units, per
  unit its answers, per product its answers, each result row written with ``update_or_create`` —
  on ``--subset`` institutions, extrapolated to all of them; it must store the same scores.

Then (unless ``--no-pages``) the period is published and its public pages are loaded by wrk
against the trivial view (``bench/results_pages.py``): the period page with its filters and every
institution's page, each ≥ 40 % of the trivial view's throughput with p95 < 100 ms.

Budget: the bulk recompute with its rankings < 10 s and peak RSS < 1 GB per engine. Prints a table
(and ``BENCH_JSON {...}``) with the wall time, this process's CPU time (the database server's
is not in it) and the load average when measured (wall times on a shared machine grow with it);
exits 1 when the budget is missed (unless ``--no-fail``).

    .venv/bin/python bench/assess.py                         # SQLite, and PostgreSQL if it answers
    .venv/bin/python bench/assess.py --engines sqlite --institutions 60 --subset 6   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_SECONDS = 10.0
BUDGET_RSS_MB = 1024
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
KINDS = (("pemprov", 34), ("pemkab", 400), ("pemkot", 98), ("kementerian", 40), ("lembaga", 28))  # 600


def _django(database_url: str) -> None:
    if database_url.startswith("sqlite:///"):  # Pantau's own SQLite settings (WAL …), on this run's file
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = database_url.removeprefix("sqlite:///")
    else:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


# Generation (first process) --------------------------------------------------------------------

def generate(institutions: int, units: int, products: int, seed: int) -> dict[str, Any]:
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction

    from bench.rawdb import Writer
    from pantau.assessments import methodology, services
    from pantau.assessments.models import Answer, Period, SampledProduct, SampledUnit
    from pantau.registry.models import Institution, Office, Province, ServiceProduct, ServiceUnit

    t0 = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    version, _ = services.load_version(services.SYSTEM_ACTOR, methodology.load_shipped("ombudsman-2022"))
    document = services.document_of(version)
    unit_items = [i for i in document.items.values() if i.level == "unit"]
    product_items = [i for i in document.items.values() if i.level == "product"]
    rng = random.Random(seed)
    office = Office.objects.create(name="Ombudsman RI (bench)", is_national=True)
    w = Writer()
    w.begin()
    try:
        with transaction.atomic():
            first_prov = w.next_id(Province)
            w.write(w.table(Province, ["id", "code", "name"]),
                    ((first_prov + k, f"{11 + k}", f"Provinsi {k + 1}") for k in range(34)))
            kinds = [kind for kind, n in KINDS for _ in range(n)]
            kinds = (kinds * (institutions // len(kinds) + 1))[:institutions]
            first_inst = w.next_id(Institution)
            inst_rows = []
            for k, kind in enumerate(kinds):
                province = None if kind in ("kementerian", "lembaga") else first_prov + k % 34
                inst_rows.append((first_inst + k, f"Instansi {k:04d} ({kind})", f"instansi {k:04d}", kind, province,
                                  office.pk))
            w.write(w.table(Institution, ["id", "name", "name_key", "kind", "province_id", "office_id"]), inst_rows)
            first_unit = w.next_id(ServiceUnit)
            unit_inst = [first_inst + (u % institutions) for u in range(units)]
            w.write(w.table(ServiceUnit, ["id", "institution_id", "name", "name_key", "kind"]),
                    ((first_unit + u, unit_inst[u], f"Unit {u}", f"unit {u}", "dinas") for u in range(units)))
            first_product = w.next_id(ServiceProduct)
            product_unit = [first_unit + (p % units) for p in range(products)]
            w.write(w.table(ServiceProduct, ["id", "unit_id", "name", "name_key", "is_active"]),
                    ((first_product + p, product_unit[p], f"Produk {p}", f"produk {p}", True) for p in range(products)))
            today = dt.date(2024, 1, 1)
            period = Period.objects.create(
                year=2024, title="Penilaian bench", methodology_version=version, office=office,
                collection_start=today, collection_end=today, review_end=today, response_start=today,
                response_end=today, publication_date=today, status=Period.Status.RESPONSE)
            first_su = w.next_id(SampledUnit)
            w.write(w.table(SampledUnit, ["id", "period_id", "institution_id", "unit_id", "rule", "chosen_by_name",
                                          "status"]),
                    ((first_su + u, period.pk, unit_inst[u], first_unit + u, "all", "bench", "approved")
                     for u in range(units)))
            first_sp = w.next_id(SampledProduct)
            w.write(w.table(SampledProduct, ["id", "sampled_unit_id", "product_id", "rule", "chosen_by_name"]),
                    ((first_sp + p, first_su + (p % units), first_product + p, "all", "bench")
                     for p in range(products)))

            def value(item: Any) -> Any:
                return rng.choice(item.points[-3:] if rng.random() < 0.8 else item.points) if item.points \
                    else item.maximum - rng.randrange(0, 40)

            first_answer = w.next_id(Answer)  # not inside the generator: PostgreSQL's COPY holds the connection

            def answers() -> Any:
                pk = first_answer
                for u in range(units):
                    for item in unit_items:
                        yield (pk, first_su + u, None, item.code, value(item), "", 1)
                        pk += 1
                for p in range(products):
                    for item in product_items:
                        yield (pk, first_su + (p % units), first_sp + p, item.code, value(item), "", 1)
                        pk += 1
            n = w.write(w.table(Answer, ["id", "sampled_unit_id", "sampled_product_id", "item", "value", "reason",
                                         "revision"]), answers())
    finally:
        w.end()
    w.analyze()
    return {"period": period.pk, "answers": n, "generate_s": round(time.perf_counter() - t0, 1)}


# Measurement (second process) ------------------------------------------------------------------

def per_object(period: Any, institution_ids: list[int]) -> int:
    """The straightforward ORM computation of some institutions: per unit and product a query,
    per result row an ``update_or_create``."""
    from pantau.assessments import recompute_bulk, scoring, services
    from pantau.assessments.models import Answer, Result, SampledUnit
    from pantau.assessments.services_results import canonical_value as plain  # as the app reads answers

    version = period.methodology_version
    document = services.document_of(version)
    written = 0
    for institution in institution_ids:
        answers = []
        for su in SampledUnit.objects.filter(period=period, institution_id=institution):
            for a in Answer.objects.filter(sampled_unit=su, sampled_product__isnull=True):
                answers.append(scoring.Answer(str(institution), str(su.pk), "", a.item, plain(a.value), a.reason))
            for sp in su.products.all():
                for a in Answer.objects.filter(sampled_product=sp):
                    answers.append(scoring.Answer(str(institution), str(su.pk), str(sp.pk), a.item, plain(a.value),
                                                  a.reason))
        card = scoring.score_answers(document, answers)
        for row in recompute_bulk._rows(version, document, card):
            key = row.pop("key")
            row["breakdown"] = json.loads(row.pop("breakdown_json"))  # as the ORM takes it
            Result.objects.update_or_create(period=period, key=key, is_current=True,
                                            defaults={**row, "computed_by_name": "bench"})
            written += 1
    return written


def measure(period_pk: int, subset: int) -> dict[str, Any]:
    from pantau.assessments import recompute_bulk
    from pantau.assessments.models import Period, Result

    period = Period.objects.select_related("methodology_version__methodology").get(pk=period_pk)
    out: dict[str, Any] = {}
    for run in ("first", "replace"):
        c0, t0 = time.process_time(), time.perf_counter()
        rows = recompute_bulk.store_all(actor="bench", period=period)
        t1 = time.perf_counter()
        rankings = recompute_bulk.rank_stored(period)
        t2 = time.perf_counter()
        out[run] = {"store_s": round(t1 - t0, 2), "rank_s": round(t2 - t1, 2), "total_s": round(t2 - t0, 2),
                    "cpu_s": round(time.process_time() - c0, 2), "load": round(os.getloadavg()[0], 1)}
    out["rows"] = rows
    out["rankings"] = len(rankings.national) + len(rankings.provincial)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    institutions = sorted(Result.objects.filter(period=period, level="institution").values_list(
        "institution_id", flat=True))
    chosen = institutions[:: max(1, len(institutions) // subset)][:subset]
    def stored() -> dict[str, tuple[Any, ...]]:  # what both paths must store alike
        return {r[0]: r[1:] for r in Result.objects.filter(period=period, institution_id__in=chosen).values_list(
            "key", "exact", "score", "category", "zone", "breakdown", "sampled_unit_id", "sampled_product_id")}
    before = stored()
    t0 = time.perf_counter()
    written = per_object(period, chosen)
    seconds = time.perf_counter() - t0
    after = stored()
    out["per_object"] = {"institutions": len(chosen), "rows": written, "seconds": round(seconds, 2),
                         "extrapolated_s": round(seconds * len(institutions) / max(1, len(chosen)), 1),
                         "same_scores": before == after}
    out["ratio"] = round(out["per_object"]["extrapolated_s"] / max(out["replace"]["total_s"], 1e-9), 1)
    return out


# Orchestration ---------------------------------------------------------------------------------

def _child(args: argparse.Namespace, step: str, database_url: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", step, "--database-url", database_url,
           "--institutions", str(args.institutions), "--units", str(args.units), "--products", str(args.products),
           "--subset", str(args.subset), "--seed", str(args.seed)]
    if step in ("measure", "publish"):
        cmd += ["--period", str(args.period)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result: dict[str, Any] = json.loads(line[len("BENCH_JSON "):])
            return result
    raise RuntimeError(f"{step} failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def _engine(args: argparse.Namespace, name: str) -> dict[str, Any]:
    cleanup = []
    if name == "sqlite":
        work = ROOT / "var" / "bench"
        work.mkdir(parents=True, exist_ok=True)
        path = work / f"assess-{os.getpid()}-{secrets.token_hex(3)}.sqlite3"
        url = f"sqlite:///{path}"
        cleanup.append(lambda: [Path(str(path) + s).unlink(missing_ok=True) for s in ("", "-wal", "-shm")])
    else:
        from bench.engines import _db_url, _pg_admin, pg_reachable

        reason = pg_reachable(args.pg_url)
        if reason:
            return {"engine": name, "skipped": reason}
        db = f"pantau_bench_assess_{os.getpid()}_{secrets.token_hex(4)}"
        with _pg_admin(args.pg_url) as admin:
            admin.execute(f'CREATE DATABASE "{db}"')

        def drop() -> None:
            with _pg_admin(args.pg_url) as admin:  # this run's own database
                admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        cleanup.append(drop)
        url = _db_url(args.pg_url, db)
    try:
        print(f"bench: {name}: generating {args.institutions} institutions, {args.units} units, "
              f"{args.products} products", flush=True)
        made = _child(args, "generate", url)
        args.period = made["period"]
        print(f"bench: {name}: {made['answers']} answers in {made['generate_s']} s; measuring", flush=True)
        out = {"engine": name, **made, **_child(args, "measure", url)}
        if not args.no_pages:
            from bench import results_pages

            print(f"bench: {name}: publishing the period and loading its public pages", flush=True)
            published = _child(args, "publish", url)
            out["pages"] = results_pages.measure(name, url, published, seconds=args.pages_seconds)
        return out
    finally:
        for clean in cleanup:
            clean()


def table(results: list[dict[str, Any]]) -> str:
    head = ("engine", "answers", "rows", "bulk 1st s", "bulk s", "rank s", "bulk CPU s", "load", "peak RSS MB",
            "per-object s (n)", "extrapolated s", "ratio", "same")
    lines = [" | ".join(head), " | ".join("-" * len(h) for h in head)]
    for r in results:
        if "skipped" in r:
            lines.append(f"{r['engine']} | skipped: {r['skipped']}")
            continue
        po = r["per_object"]
        lines.append(" | ".join(str(v) for v in (
            r["engine"], r["answers"], r["rows"], r["first"]["total_s"], r["replace"]["store_s"],
            r["replace"]["rank_s"], r["replace"]["cpu_s"], r["replace"]["load"], r["peak_rss_mb"],
            f"{po['seconds']} ({po['institutions']})", po["extrapolated_s"], f"{r['ratio']}×",
            "yes" if po["same_scores"] else "NO")))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--engines", default="sqlite,postgresql")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL") or os.environ.get("DATABASE_URL")
                   or PG_DEFAULT)
    p.add_argument("--institutions", type=int, default=600)
    p.add_argument("--units", type=int, default=6000)
    p.add_argument("--products", type=int, default=50_000)
    p.add_argument("--subset", type=int, default=30, help="institutions computed per object (extrapolated)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--no-fail", action="store_true")
    p.add_argument("--no-pages", action="store_true", help="skip the public results pages under load")
    p.add_argument("--pages-seconds", type=int, default=10, help="seconds of load per results page (10)")
    p.add_argument("--child", choices=("generate", "measure", "publish"), help=argparse.SUPPRESS)
    p.add_argument("--database-url", help=argparse.SUPPRESS)
    p.add_argument("--period", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _django(args.database_url)
        if args.child == "publish":
            from bench.results_pages import publish

            out = publish(args.period)
        else:
            out = (generate(args.institutions, args.units, args.products, args.seed) if args.child == "generate"
                   else measure(args.period, args.subset))
        print("BENCH_JSON " + json.dumps(out), flush=True)
        return 0
    results = [_engine(args, name.strip()) for name in args.engines.split(",") if name.strip()]
    print(table(results))
    if any("pages" in r for r in results):
        from bench import results_pages

        print()
        print(results_pages.table(results))
    print("BENCH_JSON " + json.dumps(results))
    missed = [r["engine"] for r in results if "skipped" not in r and (
        r["replace"]["total_s"] >= BUDGET_SECONDS or r["peak_rss_mb"] >= BUDGET_RSS_MB
        or not r["per_object"]["same_scores"]
        or any(not r["pages"][p]["pass"] for p in ("results", "institution") if "pages" in r))]
    if missed:
        print(f"bench: budget missed ({BUDGET_SECONDS} s, {BUDGET_RSS_MB} MB, same scores) on {', '.join(missed)}")
    return 1 if missed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
