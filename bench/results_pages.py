"""The public results pages under load (issue 8, "Acceptance"), on the period ``bench/assess.py``
generated and recomputed: 600 institutions, 6 000 units, 50 000 products, published here.

Served by gunicorn (``bench/run.py``'s ``Server``: 2 sync workers, bench settings with the trivial
view) and loaded by wrk (20 connections, ``bench/load.lua``). Each page starts cold: the first view
of up to 30 of its URLs is timed one by one (a render: "first view ms"), then every URL is
requested until all come from the page cache (what readers get after a publication, until the
next one), then the load runs:

- **trivial**: the bench's trivial view, the baseline;
- **results**: ``/penilaian/<year>/`` with its filters (kind, province) and pages;
- **institution**: ``/penilaian/<year>/instansi/<id>/`` of every institution (600 URLs: most
  requests are cache misses at first, each a full render with its breakdown).

Budget for each results page: ≥ 40 % of the trivial view's throughput and p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run as served  # noqa: E402
from bench.engines import Engine, log  # noqa: E402

SHARE = 0.40
P95_MS = 100.0


def publish(period_pk: int) -> dict[str, Any]:
    """Publish the recomputed period as the cycle would (inside the Django child process)."""
    from django.utils import timezone

    from pantau.assessments.models import Period, Result
    from pantau.registry.models import Province

    now = timezone.now()
    Result.objects.filter(period_id=period_pk, is_current=True).update(is_published=True, published_at=now)
    Period.objects.filter(pk=period_pk).update(status=Period.Status.PUBLISHED, changed_at=now)
    period = Period.objects.get(pk=period_pk)
    institutions = sorted(Result.objects.filter(period_id=period_pk, level=Result.Level.INSTITUTION)
                          .values_list("institution_id", flat=True))
    return {"year": period.year, "institutions": institutions,
            "provinces": sorted(Province.objects.values_list("code", flat=True))}


def url_lists(published: dict[str, Any]) -> dict[str, list[str]]:
    year = published["year"]
    results = [f"/penilaian/{year}/"] * 10
    results += [f"/penilaian/{year}/?jenis={k}" for k in ("pemkab", "pemkot", "pemprov", "kementerian", "lembaga")]
    results += [f"/penilaian/{year}/?provinsi={code}" for code in published["provinces"]]
    pages = -(-len(published["institutions"]) // 100)  # the table's pages (100 rows each)
    results += [f"/penilaian/{year}/?halaman={n}" for n in range(2, min(pages, 4) + 1)]
    return {
        "trivial": ["/bench/trivial/"],
        "results": results,
        "institution": [f"/penilaian/{year}/instansi/{pk}/" for pk in published["institutions"]],
    }


def measure(name: str, database_url: str, published: dict[str, Any], *, seconds: int = 10,
            connections: int = 20, threads: int = 2) -> dict[str, Any]:
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    env = served.base_env(work, secrets.token_urlsafe(50))
    if database_url.startswith("sqlite:///"):
        env["SQLITE_PATH"] = database_url.removeprefix("sqlite:///")
    else:
        env["DATABASE_URL"] = database_url
    served.collectstatic(env, work / "static")
    wrk_bin = served.ensure_wrk()
    lists = url_lists(published)
    files = {}
    for page, urls in lists.items():
        path = work / f"results-urls-{name}-{page}.txt"
        path.write_text("\n".join(urls) + "\n", encoding="utf-8")
        files[page] = path
    server = served.Server(Engine(name, env), work,
                           argparse.Namespace(workers=2, worker_class="sync", gthreads=1))
    rows: dict[str, Any] = {}
    try:
        server.start()
        for urls in lists.values():
            for path in sorted(set(urls))[:3]:
                status = served.get(server.port, path, timeout=120)[0]
                if status != 200:
                    raise served.BenchError(f"{name}: GET {path} answered {status}")
        for page in lists:
            server.restart()  # every cache cold
            distinct = sorted(set(lists[page]))
            cold = []
            for path in distinct[:: max(1, len(distinct) // 30)][:30]:  # a first view: rendered
                t0 = time.perf_counter()
                served.get(server.port, path, timeout=120)
                cold.append(1000 * (time.perf_counter() - t0))
            warmed = served.warm(server.port, distinct, None)  # then what every later reader gets
            before = served.cpu_seconds(server.workers)
            result = served.wrk(wrk_bin, f"http://127.0.0.1:{server.port}", files[page], seconds=seconds,
                                connections=connections, threads=threads, cookie=None)
            used = served.cpu_seconds(server.workers) - before
            result["cpu_ms"] = round(1000 * used / result["requests"], 2) if result["requests"] else None
            result["cold_ms"] = round(statistics.median(cold), 1)
            result["warm"] = warmed
            rows[page] = result
            log(f"{name}: {page}: {result['rps']:.0f} req/s, p95 {result['p95_ms']:.1f} ms, "
                f"cache {served.report.cache_share(result)}")
    finally:
        server.stop()
        for path in files.values():
            path.unlink(missing_ok=True)
    trivial = rows["trivial"]["rps"] or 1
    out: dict[str, Any] = {"urls": {k: len(set(v)) for k, v in lists.items()}}
    for page in ("results", "institution"):
        r = rows[page]
        share = r["rps"] / trivial
        errors = sum(r.get("errors", {}).values())
        out[page] = {"rps": round(r["rps"], 1), "p95_ms": round(r["p95_ms"], 1), "share": round(share, 3),
                     "cpu_ms": r["cpu_ms"], "cold_ms": r["cold_ms"], "errors": errors,
                     "cache": served.report.cache_share(r),
                     "pass": share >= SHARE and r["p95_ms"] < P95_MS and not errors}
    out["trivial"] = {"rps": round(rows["trivial"]["rps"], 1), "p95_ms": round(rows["trivial"]["p95_ms"], 1)}
    return out


def table(results: list[dict[str, Any]]) -> str:
    head = ("engine", "page", "URLs", "req/s", "% of trivial", "p95 ms", "CPU ms/req", "cache hits",
            "first view ms (median)", "budget")
    lines = [" | ".join(head), " | ".join("-" * len(h) for h in head)]
    for r in results:
        pages = r.get("pages")
        if not pages:
            continue
        lines.append(" | ".join(str(v) for v in (r["engine"], "trivial", 1, pages["trivial"]["rps"], "100 %",
                                                  pages["trivial"]["p95_ms"], "", "", "", "")))
        for page in ("results", "institution"):
            p = pages[page]
            lines.append(" | ".join(str(v) for v in (
                r["engine"], page, pages["urls"][page], p["rps"], f"{100 * p['share']:.0f} %", p["p95_ms"],
                p["cpu_ms"], p["cache"], p["cold_ms"], "pass" if p["pass"] else "FAIL")))
    return "\n".join(lines)
