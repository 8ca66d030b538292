"""The benchmark's verdict and tables: every round as measured, the median round, the growth table.

A round is one pass over every page with a fresh server (caches cold). Its rows are never mixed
with another round's: the round judged is the median round *as a whole* (rounds ranked by the
geometric mean of their pages' requests/s), and every round's table is printed as well.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SHARE = 0.40  # of the trivial view's requests/s
BUDGET_P95_MS = 150.0
BUDGET_GROWTH = 1.5  # CPU per request, x1 → national


def cache_share(row: dict[str, Any]) -> str:
    """Share of the responses served from the page cache ("–" when the page does not use it)."""
    hits, misses = row.get("cache_hits", 0), row.get("cache_misses", 0)
    if not hits + misses:
        return "–"
    return f"{100 * hits / (hits + misses):.0f} %"


def generated_line(summary: dict[str, Any]) -> str:
    keys = ("institutions", "units", "products", "standards", "staff_users", "audit_events")
    return ", ".join(f"{summary[k]} {k.replace('_', ' ')}" for k in keys if k in summary)


def median_round(rounds: list[list[dict[str, Any]]]) -> int:
    """Index of the median round, ranked by the geometric mean of its rows' requests/s."""
    def score(rows: list[dict[str, Any]]) -> float:
        return math.exp(sum(math.log(max(r["rps"], 0.01)) for r in rows) / len(rows))
    ranked = sorted(range(len(rounds)), key=lambda i: score(rounds[i]))
    return ranked[(len(ranked) - 1) // 2]


def judge(rows: list[dict[str, Any]], pages: dict[str, Any]) -> bool:
    """Each budgeted page: ≥ BUDGET_SHARE of its trivial baseline's req/s, p95 < BUDGET_P95_MS."""
    ok = True
    by_page = {r["page"]: r for r in rows}
    for row in rows:
        page = pages[row["page"]]
        base = by_page[page.baseline] if page.baseline else row
        row["share"] = row["rps"] / base["rps"] if base["rps"] else 0.0
        bad = sum(row["errors"][k] for k in ("connect", "write", "status", "timeout"))
        reasons = []
        if page.budget and row["share"] < BUDGET_SHARE:
            reasons.append(f"< {BUDGET_SHARE:.0%} of {page.baseline}")
        if page.budget and row["p95_ms"] >= BUDGET_P95_MS:
            reasons.append(f"p95 ≥ {BUDGET_P95_MS:.0f} ms")
        if not row["requests"]:
            reasons.append("no response completed")
        if bad:
            reasons.append(f"{bad} errors")
        if reasons:
            row["budget"] = "FAIL: " + ", ".join(reasons)
            ok = False
        else:
            row["budget"] = "pass" if page.budget else ("baseline" if page.baseline is None else "info")
    return ok


def _table(head: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    fmt = "  ".join(f"{{:{'>' if i in right else '<'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in rows]
    return "\n".join(lines)


def _ms(row: dict[str, Any], key: str) -> str:
    return f"{row[key]:.1f}" if row["requests"] and row[key] else "–"  # wrk gives 0 when nothing completed


def table(rows: list[dict[str, Any]]) -> str:
    head = ["engine", "page", "req/s", "p50 ms", "p95 ms", "% of baseline", "CPU ms/req", "from cache", "budget"]
    body = [[r["engine"], r["label"], f"{r['rps']:.0f}", _ms(r, "p50_ms"), _ms(r, "p95_ms"),
             f"{100 * r['share']:.0f} %" if r["baseline"] else "",
             f"{r['cpu_ms']:.2f}" if r["cpu_ms"] else "?", cache_share(r), r["budget"]] for r in rows]
    if any("during_import" in r for r in rows):  # --during-import: was the import still running?
        head.append("importing")
        for line, r in zip(body, rows, strict=True):
            line.append("yes" if r.get("during_import") else "no")
    return _table(head, body, {2, 3, 4, 5, 6, 7})


def print_rounds(measured: dict[str, dict[str, Any]], pages: dict[str, Any],
                 args: Any) -> tuple[bool, list[dict[str, Any]]]:
    """Every round's table, then the median round's (judged). Returns the verdict and the JSON rows."""
    ok = True
    results: list[dict[str, Any]] = []
    for profile, engines in measured.items():
        for engine, rounds in engines.items():
            for rows in rounds:
                judge(rows, pages)
            chosen = median_round(rounds)
            if len(rounds) > 1:
                for i, rows in enumerate(rounds):
                    print(f"\n{engine}, profile {profile}: round {i + 1} of {len(rounds)}"
                          + (" (the median round)" if i == chosen else ""))
                    print(table(rows))
            print(f"\nPantau benchmark — {engine}, profile {profile}: round {chosen + 1} of {len(rounds)} "
                  f"(median round, all rows from that round); {args.connections} clients, {args.duration} s "
                  f"per page, gunicorn {args.workers} × {args.worker_class}, every cache cold at the round's start")
            print(table(rounds[chosen]))
            ok = all(not r["budget"].startswith("FAIL") for r in rounds[chosen]) and ok
            for i, rows in enumerate(rounds):
                results += [{**r, "profile": profile, "median_round": i == chosen} for r in rows]
    print(f"budget: each page ≥ {BUDGET_SHARE:.0%} of its trivial baseline's req/s (same sign-in state) "
          f"and p95 < {BUDGET_P95_MS:.0f} ms; 'info' rows have no budget; 'from cache': share of responses "
          "served from the page cache (X-Pantau-Cache: hit)")
    return ok, results


IMPORT_BUDGET_S = 300.0  # 200 000 products in the background: < 5 min


def print_imports(engines_info: dict[str, Any]) -> bool:
    """The imports run during the rounds (``--during-import``): each one's time and verdict."""
    ok = True
    for key, info in engines_info.items():
        for i, done in enumerate(info.get("during_import", [])):
            good = done.get("exit") == 0 and done.get("ok", False) and done.get("wall_seconds", 1e9) < IMPORT_BUDGET_S
            ok = ok and good
            print(f"{key} round {i + 1}: import of {done['rows']} products during the round: "
                  f"{done.get('wall_seconds')} s wall, {done.get('queries_per_row', '?')} queries/row, "
                  f"peak RSS {done.get('peak_rss_mb', '?')} MB — "
                  + ("pass" if good else f"FAIL (budget < {IMPORT_BUDGET_S:.0f} s; {done.get('error', '')[-300:]})"))
    return ok


def print_growth(measured: dict[str, dict[str, Any]], pages: dict[str, Any], profiles: list[str]) -> bool:
    """CPU ms per request of each page per profile (median rounds) and the growth first → last profile."""
    ok = True
    engines = sorted({e for per in measured.values() for e in per})
    for engine in engines:
        cost: dict[str, dict[str, float | None]] = {}
        for profile in profiles:
            rounds = measured.get(profile, {}).get(engine)
            if not rounds:
                continue
            for row in rounds[median_round(rounds)]:
                cost.setdefault(row["page"], {})[profile] = row["cpu_ms"]
        head = ["page", *(f"{p} CPU ms/req" for p in profiles), f"growth {profiles[0]}→{profiles[-1]}", "budget"]
        body = []
        for name, per in cost.items():
            first, last = per.get(profiles[0]), per.get(profiles[-1])
            growth = last / first if first and last else None
            verdict = "info"
            if pages[name].budget and growth is not None:
                verdict = "pass" if growth <= BUDGET_GROWTH else f"FAIL: > ×{BUDGET_GROWTH}"
                ok = ok and growth <= BUDGET_GROWTH
            body.append([pages[name].label, *(f"{per[p]:.2f}" if per.get(p) else "–" for p in profiles),
                         f"×{growth:.2f}" if growth else "–", verdict])
        print(f"\nGrowth of the cost per request — {engine} (median rounds; budget ≤ ×{BUDGET_GROWTH} "
              f"for budgeted pages)")
        print(_table(head, body, set(range(1, len(profiles) + 2))))
    return ok


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def git_commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() or "?"


def write_json(args: Any, started: dt.datetime, data: dict[str, Any]) -> Path:
    report = {
        "started": started.isoformat(timespec="seconds"), "commit": git_commit(),
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
        | {"pg_url": redact(args.pg_url)},
        "budget": {"share_of_trivial": BUDGET_SHARE, "p95_ms": BUDGET_P95_MS, "growth": BUDGET_GROWTH},
        **data,
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    out: Path = args.results_dir / f"bench-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    (args.results_dir / "latest.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return out
