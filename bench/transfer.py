"""Import and export benchmarks (issue 7): time, SQL queries per row and peak memory.

On a generated database (``bench.engines``: the cached SQLite file or a copy of the PostgreSQL
template; an import always works on its own copy):

- **import** of a workbook with N products (N/10 new units in 50 existing institutions, N products,
  N published standards), built with the project's own XLSX writer (``pantau.reports.xlsx`` and the
  sheets of ``pantau.registry.transfer``), through ``pantau.registry.importer.import_registry`` as
  the national admin. Budget for 10 000 products: < 20 s end to end, ≤ 0.2 queries per file row,
  peak RSS < 300 MB; 200 000 products: < 5 min.
- **export** of every product of the profile (``pantau.registry.exporter.write_registry``):
  < 3 min, peak RSS < 300 MB.

Each measurement runs in a fresh process (``child`` mode), so the peak RSS is that of one
import or export (plus Django itself, reported as ``rss_start_mb``)::

    .venv/bin/python bench/transfer.py --engine sqlite --profile x1 --import-rows 10000
    .venv/bin/python bench/transfer.py --export-profile national --no-import
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import secrets
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engines import (  # noqa: E402
    BIN,
    BenchError,
    _db_url,
    _pg_admin,
    log,
    pg_reachable,
    pg_template,
    run,
    sqlite_engine,
)

BUDGETS = {  # (seconds, queries per file row, peak RSS MB)
    "import-10000": (20.0, 0.2, 300.0),
    "import-200000": (300.0, 0.2, 300.0),
    "export": (180.0, None, 300.0),
}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system CPU of this process: unlike the seconds, hardly moved by other programs' load."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# Child: runs inside Django, against the database of its environment -----------------------------

def build_workbook(path: Path, products: int) -> dict[str, Any]:
    """A workbook of new units, products and published standards in existing institutions."""
    from pantau.registry import components, transfer
    from pantau.registry.models import Institution
    from pantau.reports import xlsx

    sheets = transfer.build_sheets()
    regional = Institution.objects.filter(kind__in=["pemkab", "pemkot", "pemprov"]).order_by("pk")
    institutions = (list(regional.values_list("name", flat=True)[:50])
                    or list(Institution.objects.values_list("name", flat=True)[:50]))
    units = max(1, products // 10)
    today = dt.date.today().isoformat()

    def row(sheet: Any, values: dict[str, Any]) -> list[Any]:
        missing = set(values) - {c.key for c in sheet.columns}
        if missing:
            raise BenchError(f"the import sheet {sheet.name} has no column {sorted(missing)}")
        return [values.get(c.key) for c in sheet.columns]

    def unit_of(i: int) -> tuple[str, str]:
        return institutions[i % len(institutions)], f"UPT Layanan Impor Bench {i + 1}"

    def unit_rows() -> Any:
        for i in range(units):
            inst, name = unit_of(i)
            yield row(sheets[transfer.UNITS], {"institution": inst, "name": name, "kind": "kantor",
                                               "address": f"Jl. Merdeka No. {i + 1}", "phone": "0511-123456"})

    def product_rows() -> Any:
        for j in range(products):
            inst, unit = unit_of(j % units)
            yield row(sheets[transfer.PRODUCTS], {"institution": inst, "unit": unit,
                                                  "name": f"Layanan Impor {j + 1}", "category": "perizinan",
                                                  "description": "", "is_active": xlsx.yes_no(True)})

    def standard_rows() -> Any:
        for j in range(products):
            inst, unit = unit_of(j % units)
            values: dict[str, Any] = {"institution": inst, "unit": unit, "product": f"Layanan Impor {j + 1}",
                                      "is_free": xlsx.yes_no(True), "completion_days": 5, "effective_date": today,
                                      "publish": xlsx.yes_no(True)}
            for field in components.STANDARD_FIELDS:
                values[field] = f"Isi {field} untuk layanan {j + 1}"
            values["cost"] = ""
            yield row(sheets[transfer.STANDARDS], values)

    t = time.monotonic()
    wb = xlsx.new_workbook()
    xlsx.add_notes_sheet(wb, transfer.NOTES_SHEET, transfer.notes())
    xlsx.add_sheet(wb, sheets[transfer.INSTITUTIONS], [], {})
    xlsx.add_sheet(wb, sheets[transfer.UNITS], unit_rows(), {})
    xlsx.add_sheet(wb, sheets[transfer.PRODUCTS], product_rows(), {})
    xlsx.add_sheet(wb, sheets[transfer.STANDARDS], standard_rows(), {})
    with path.open("wb") as out:
        xlsx.save(wb, out)
    return {"units": units, "products": products, "file_rows": units + 2 * products,
            "bytes": path.stat().st_size, "build_seconds": round(time.monotonic() - t, 1)}


class _QueryCounter:
    """A ``connection.execute_wrapper`` that counts the SQL statements run through it."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)


def child_import(path: Path, rows: int) -> dict[str, Any]:
    from django.db import connection

    from bench.pages import BENCH_USERNAME
    from pantau.accounts.models import User
    from pantau.registry.importer import import_registry

    admin = User.objects.get(username=BENCH_USERNAME)
    counter = _QueryCounter()
    start_rss = _rss_mb()
    t, cpu = time.monotonic(), _cpu_seconds()
    with path.open("rb") as upload, connection.execute_wrapper(counter):
        result = import_registry(actor=admin, upload=upload, size=path.stat().st_size)
    seconds, cpu = time.monotonic() - t, _cpu_seconds() - cpu
    problems = [str(getattr(p, "message", p)) for p in getattr(result, "problems", [])][:3]
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "queries": counter.queries,
            "queries_per_row": round(counter.queries / rows, 3),
            "rss_start_mb": round(start_rss), "peak_rss_mb": round(_peak_mb()), "ok": not problems,
            "problems": problems}


def child_export(path: Path) -> dict[str, Any]:
    from django.db import connection

    from bench.pages import BENCH_USERNAME
    from pantau.accounts.models import User
    from pantau.registry.exporter import write_registry
    from pantau.registry.models import ServiceProduct

    admin = User.objects.get(username=BENCH_USERNAME)
    counter = _QueryCounter()
    start_rss = _rss_mb()
    t = time.monotonic()
    with path.open("wb") as out, connection.execute_wrapper(counter):
        write_registry(admin, out)
    return {"seconds": round(time.monotonic() - t, 1), "products": ServiceProduct.objects.count(),
            "queries": counter.queries, "bytes": path.stat().st_size, "rss_start_mb": round(start_rss),
            "peak_rss_mb": round(_peak_mb())}


def child(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    what, path = argv[0], Path(argv[1])
    if what == "build":
        out = build_workbook(path, int(argv[2]))
    elif what == "import":
        out = child_import(path, int(argv[2]))
    else:
        out = child_export(path)
    print("TRANSFER_JSON " + json.dumps(out))
    return 0


# Parent ---------------------------------------------------------------------------------------------

def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = run([str(BIN / "python"), str(Path(__file__).resolve()), "child", *args], env, f"transfer {args[0]}")
    for line in out.splitlines():
        if line.startswith("TRANSFER_JSON "):
            result: dict[str, Any] = json.loads(line[len("TRANSFER_JSON "):])
            return result
    raise BenchError(f"transfer {args[0]} gave no result:\n{out[-2000:]}")


class Database:
    """A database of the profile for one measurement: a copy when it will be written to."""

    def __init__(self, engine: str, env: dict[str, str], work: Path, profile: str, args: argparse.Namespace,
                 *, copy: bool) -> None:
        self.engine, self.args = engine, args
        self.drop: Any = None
        if engine == "sqlite":
            source = Path(sqlite_engine(work, env, profile, False).env["SQLITE_PATH"])
            path = source
            if copy:
                path = work / f"transfer-{os.getpid()}-{secrets.token_hex(3)}.sqlite3"
                shutil.copyfile(source, path)
                self.drop = lambda: path.unlink(missing_ok=True)
            self.env = {**env, "SQLITE_PATH": str(path)}
        else:
            template, _info = pg_template(env, args.pg_url, profile, False)
            name = f"pantau_bench_{os.getpid()}_{secrets.token_hex(4)}"
            with _pg_admin(args.pg_url) as admin:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

            def drop() -> None:
                with _pg_admin(args.pg_url) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # this run's own
            self.drop = drop
            self.env = {**env, "DATABASE_URL": _db_url(args.pg_url, name)}

    def close(self) -> None:
        if self.drop is not None:
            self.drop()


def verdict(kind: str, result: dict[str, Any]) -> str:
    seconds, per_row, rss = BUDGETS[kind]
    reasons = []
    if not result.get("ok", True):
        reasons.append("refused: " + "; ".join(result.get("problems", []))[:200])
    if result["seconds"] >= seconds:
        reasons.append(f"≥ {seconds:.0f} s")
    if per_row is not None and result.get("queries_per_row", 0) > per_row:
        reasons.append(f"> {per_row} queries/row")
    if result["peak_rss_mb"] >= rss:
        reasons.append(f"peak RSS ≥ {rss:.0f} MB")
    return "FAIL: " + ", ".join(reasons) if reasons else "pass"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "child":
        return child(argv[1:])
    from bench.run import PG_DEFAULT, base_env
    # A terminated run cleans up as an interrupted one does (its own databases and files).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--engine", choices=["all", "sqlite", "postgres"], default="all")
    p.add_argument("--profile", default="x1", help="the data imported into (x1)")
    p.add_argument("--import-rows", default="10000,200000", help="products per imported file (10000,200000)")
    p.add_argument("--export-profile", default="national", help="the data exported, all of it (national)")
    p.add_argument("--no-import", action="store_true")
    p.add_argument("--no-export", action="store_true")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    p.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench")
    args = p.parse_args(argv)
    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    env = base_env(work, secrets.token_urlsafe(50))
    # The bench measures the path, not the web upload limits (they stay as configured for the site).
    env.update({"IMPORT_MAX_BYTES": str(2**31), "IMPORT_MAX_INFLATED_BYTES": str(2**33), "IMPORT_MAX_SECONDS": "3600"})
    rows: list[tuple[str, str, dict[str, Any], str]] = []
    engines = ["sqlite", "postgres"] if args.engine == "all" else [args.engine]
    try:
        for engine in engines:
            if engine == "postgres" and (reason := pg_reachable(args.pg_url)):
                log(f"postgresql: NOT MEASURED — {reason}")
                continue
            for n in ([] if args.no_import else [int(x) for x in args.import_rows.split(",")]):
                db = Database(engine, env, work, args.profile, args, copy=True)
                book = work / f"import-{n}-{os.getpid()}.xlsx"
                try:
                    built = _child(db.env, "build", str(book), str(n))
                    log(f"{engine}: built {book.name}: {built}")
                    result = _child(db.env, "import", str(book), str(built["file_rows"]))
                    result.update(built)
                finally:
                    db.close()
                    book.unlink(missing_ok=True)
                kind = f"import-{n}" if f"import-{n}" in BUDGETS else "import-10000"
                rows.append((engine, f"import {n} products ({args.profile})", result, verdict(kind, result)))
                log(f"{engine}: {rows[-1][1]}: {result}")
            if not args.no_export:
                db = Database(engine, env, work, args.export_profile, args, copy=engine != "sqlite")
                out = work / f"export-{os.getpid()}.xlsx"
                try:
                    result = _child(db.env, "export", str(out))
                finally:
                    db.close()
                    out.unlink(missing_ok=True)
                rows.append((engine, f"export {args.export_profile} ({result['products']} products)", result,
                             verdict("export", result)))
                log(f"{engine}: {rows[-1][1]}: {result}")
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    print(f"\n{'engine':<11}{'what':<42}{'seconds':>9}{'CPU s':>8}{'queries/row':>13}{'peak RSS MB':>13}  budget")
    for engine, what, r, v in rows:
        per_row = f"{r['queries_per_row']:.3f}" if "queries_per_row" in r else "–"
        cpu = f"{r['cpu_seconds']:.1f}" if "cpu_seconds" in r else "–"
        print(f"{engine:<11}{what:<42}{r['seconds']:>9.1f}{cpu:>8}{per_row:>13}{r['peak_rss_mb']:>13}  {v}")
    print("budgets: import 10 000 products < 20 s, ≤ 0.2 queries per file row, peak RSS < 300 MB; "
          "200 000 < 5 min; export of every product < 3 min, peak RSS < 300 MB")
    return 0 if all(v == "pass" for *_x, v in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
