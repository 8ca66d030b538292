"""Rapor render benchmark: the report card PDF of a large institution (60 units × 30 unmet items).

The rapor is rendered the way a worker renders it (``pantau.assessments.rapor.render``: fitted,
then laid out by WeasyPrint), from plain data — no database needed. Sizes are given as
UNITSxITEMS; each item carries a full-length text, what to fix and a link. ``--worst`` makes every
text far longer than its bound (names, items, fixes, links), the worst case for the layout.

Budget (issue 8, "Acceptance"): each render under 2 s, and the time does not grow with the input
past the caps (the rapor shows at most ``TOTAL_ITEMS`` items). Prints seconds (median and slowest
of ``--repeat`` renders) and pages per size, and exits 1 when the budget is missed (unless
``--no-fail``).

    .venv/bin/python bench/rapor.py                        # 1x5, 10x10, 60x30, 200x100; 5 renders each
    .venv/bin/python bench/rapor.py --sizes 60x30 --repeat 10 --worst
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_SECONDS = 2.0
SIZES = ("1x5", "10x10", "60x30", "200x100")


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def rapor_data(units: int, items: int, worst: bool = False) -> Any:
    from pantau.assessments.rapor import DimensionPoints, PeriodResult, RaporData, UnitGaps, UnmetItem

    grow = 20 if worst else 1

    def item(u: int, i: int) -> UnmetItem:
        return UnmetItem(
            f"PR{i:02d}",
            f"Informasi persyaratan pelayanan terpampang jelas di ruang tunggu unit {u}, butir {i}. " * grow,
            f"Cetak dan tempel daftar persyaratan dari standar pelayanan yang terbit di dekat loket {i}. " * grow,
            f"https://pantau.example/layanan/{u}/{i}/" + ("standar/" * 50 if worst else ""),
            f"Penerbitan Kartu Tanda Penduduk Elektronik {i}" * grow, Decimal(i % 7))

    dims = [DimensionPoints(c, t, Decimal(p), Decimal(m)) for c, t, p, m in (
        ("input", "Input", "18.20", "21.85"), ("proses", "Proses", "28.40", "32.37"),
        ("output", "Output", "20.00", "24.24"), ("pengaduan", "Pengaduan", "15.10", "21.54"))]
    return RaporData(
        "Pemerintah Kabupaten Musi Banyuasin" * grow, "Opini Pengawasan Penyelenggaraan Pelayanan Publik 2022–2024",
        "ombudsman-2022@1.0", PeriodResult(2023, Decimal("81.70"), "B", "green", "2022-2024"), "Kualitas Tinggi",
        dims, [UnitGaps(f"Dinas Pelayanan Publik nomor {u} " * grow, [item(u, i) for i in range(items)],
                        Decimal("75.00"), "yellow") for u in range(units)],
        PeriodResult(2022, Decimal("77.10"), "C", "yellow", "2022-2024"), corrected=worst, correction_note="x" * 5000)


def measure(sizes: list[tuple[int, int]], repeat: int, worst: bool) -> list[dict[str, Any]]:
    from pypdf import PdfReader

    from pantau.assessments.rapor import render

    render(rapor_data(1, 1))  # fonts and templates loaded once, as in a running worker
    rows = []
    for units, items in sizes:
        data = rapor_data(units, items, worst)
        times, pdf = [], b""
        for _ in range(repeat):
            started = time.perf_counter()
            pdf = render(data)
            times.append(time.perf_counter() - started)
        reader = PdfReader(io.BytesIO(pdf))
        rows.append({"units": units, "items": items, "median_s": statistics.median(times), "max_s": max(times),
                     "pages": len(reader.pages), "kb": len(pdf) // 1024})
    return rows


def size(text: str) -> tuple[int, int]:
    units, _, items = text.lower().partition("x")
    return int(units), int(items)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", nargs="+", default=list(SIZES), help="UNITSxITEMS (1x5 10x10 60x30 200x100)")
    p.add_argument("--repeat", type=int, default=5, help="renders per size; median and slowest reported (5)")
    p.add_argument("--worst", action="store_true", help="every text far past its bound")
    p.add_argument("--json", type=Path, help="also write the results to this file")
    p.add_argument("--no-fail", action="store_true", help="report only, exit 0")
    args = p.parse_args(argv)
    setup()
    rows = measure([size(s) for s in args.sizes], args.repeat, args.worst)
    print(f"{'units×items':>12} {'median s':>9} {'max s':>7} {'pages':>6} {'KB':>5}")
    for r in rows:
        print(f"{r['units']:>5}×{r['items']:<6} {r['median_s']:>9.2f} {r['max_s']:>7.2f} {r['pages']:>6} {r['kb']:>5}")
    problems = [f"{r['units']}×{r['items']}: {r['max_s']:.2f} s (budget {BUDGET_SECONDS:.0f} s)"
                for r in rows if r["max_s"] >= BUDGET_SECONDS]
    print("rapor render budget:", "pass" if not problems else "FAIL: " + "; ".join(problems))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "problems": problems}, indent=2))
    return 1 if problems and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
