"""Board render benchmark: the counter board (A3 PDF) of a standard with 10, 100 and 1 000 lines.

Every one of the 14 components of the standard, the unit's maklumat and its facilities for
vulnerable groups get N lines; the board is rendered the way the ``render_boards`` task renders
it (``pantau.registry.board.render``: fitted to one page, then laid out by WeasyPrint). No database
is needed: the product, unit and standard are unsaved model objects.

Budget (issue 6, item 2): each render under 2 s, and the time grows at most linearly with the
number of lines (the board is cut to one page, so it should barely grow at all). Prints a table
(median and slowest of ``--repeat`` renders, pages), writes JSON with ``--json`` and exits 1 when
the budget is missed (unless ``--no-fail``).

    .venv/bin/python bench/board.py                 # 10, 100, 1000 lines, 5 renders each
    .venv/bin/python bench/board.py --lines 10 100 1000 3000 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_SECONDS = 2.0
LINEAR_SLACK = 1.5  # time(n2)/time(n1) may reach (n2/n1) × this before it counts as superlinear
LINES = (10, 100, 1000)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # Plain static files storage (no collectstatic manifest needed); rendering is the same.
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def board_objects(lines: int) -> tuple[Any, Any]:
    """A product with a standard of ``lines`` lines in every component (unsaved objects)."""
    from pantau.registry import components as comp
    from pantau.registry.models import Institution, Office, ServiceProduct, ServiceStandard, ServiceUnit

    def text(label: str) -> str:
        return "\n".join(f"{label} baris {i}: teks yang ditulis penyedia layanan" for i in range(1, lines + 1))

    office = Office(name="Ombudsman RI Perwakilan Provinsi Kalimantan Selatan")
    institution = Institution(name="Pemerintah Kabupaten Tabalong", office=office)
    unit = ServiceUnit(pk=1, institution=institution, name="Dinas Kependudukan dan Pencatatan Sipil",
                       address="Jl. Jenderal Sudirman No. 12, Tanjung", phone="0526-2021234",
                       maklumat=text("Maklumat"), maklumat_date=dt.date(2025, 3, 1),
                       vulnerable_facilities=text("Fasilitas"))
    product = ServiceProduct(pk=1, unit=unit, name="Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)")
    standard = ServiceStandard(pk=1, product=product, version=1, effective_date=dt.date(2025, 1, 2))
    for c in comp.COMPONENTS:
        setattr(standard, c.field, text(str(c.label)) if c.field != "completion_time" else "1 hari kerja")
    return product, standard


def measure(lines: list[int], repeat: int) -> list[dict[str, Any]]:
    from pypdf import PdfReader

    from pantau.registry.board import render

    render(*board_objects(1), "id", [])  # fonts and templates loaded once, as in a running worker
    rows = []
    for n in lines:
        product, standard = board_objects(n)
        times, pdf = [], b""
        for _ in range(repeat):
            started = time.perf_counter()
            pdf = render(product, standard, "id", [])  # the objects are not stored: no survey panel
            times.append(time.perf_counter() - started)
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
        rows.append({"lines": n, "median_s": statistics.median(times), "max_s": max(times),
                     "pages": len(reader.pages), "kb": len(pdf) // 1024, "see_the_page": "selengkapnya di" in text})
    return rows


def verdict(rows: list[dict[str, Any]]) -> list[str]:
    """What misses the budget: a render over 2 s, more than one page, or superlinear growth."""
    problems = [f"{r['lines']} lines: {r['max_s']:.2f} s (budget {BUDGET_SECONDS:.0f} s)"
                for r in rows if r["max_s"] >= BUDGET_SECONDS]
    problems += [f"{r['lines']} lines: {r['pages']} pages" for r in rows if r["pages"] != 1]
    for a, b in zip(rows, rows[1:], strict=False):
        allowed = b["lines"] / a["lines"] * LINEAR_SLACK
        if b["median_s"] / a["median_s"] > allowed:
            problems.append(f"{a['lines']}→{b['lines']} lines: {b['median_s'] / a['median_s']:.1f}× the time "
                            f"(linear allows {allowed:.0f}×)")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lines", type=int, nargs="+", default=list(LINES), help="lines per component (10 100 1000)")
    p.add_argument("--repeat", type=int, default=5, help="renders per size; median and slowest reported (5)")
    p.add_argument("--json", type=Path, help="also write the results to this file")
    p.add_argument("--no-fail", action="store_true", help="report only, exit 0")
    args = p.parse_args(argv)
    setup()
    rows = measure(sorted(args.lines), args.repeat)
    print(f"{'lines':>6} {'median s':>9} {'max s':>7} {'pages':>6} {'KB':>5}  see the page")
    for r in rows:
        print(f"{r['lines']:>6} {r['median_s']:>9.2f} {r['max_s']:>7.2f} {r['pages']:>6} {r['kb']:>5}  "
              f"{'yes' if r['see_the_page'] else 'no'}")
    problems = verdict(rows)
    print("board render budget:", "pass" if not problems else "FAIL: " + "; ".join(problems))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "problems": problems}, indent=2))
    return 1 if problems and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
