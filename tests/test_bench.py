"""The benchmark's data generator (a small data set) and, marked slow, a whole short `make bench`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from bench.generate import BENCH_USERNAME, Scale, generate, login_session, url_lists
from pantau.accounts.models import User
from pantau.registry import completeness, components
from pantau.registry.models import Institution, Province, Regency, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.selectors import current_standard, institutions_for

ROOT = Path(__file__).resolve().parent.parent


def regions() -> None:
    for code, name in (("63", "Kalimantan Selatan"), ("62", "Kalimantan Tengah"), ("16", "Sumatera Selatan")):
        province = Province.objects.create(code=code, name=name)
        for i, kind in ((1, "kabupaten"), (2, "kabupaten"), (71, "kota")):
            prefix = "Kota" if kind == "kota" else "Kabupaten"
            Regency.objects.create(code=f"{code}.{i:02d}", province=province, kind=kind, name=f"{prefix} {name} {i}")


@pytest.mark.django_db
def test_the_generator_writes_the_requested_numbers_with_consistent_standards() -> None:
    regions()
    summary = generate(Scale(8, 40, 150), seed=3)
    assert (summary["institutions"], summary["units"], summary["products"]) == (8, 40, 150)
    assert Institution.objects.count() == 8 and ServiceUnit.objects.count() == 40
    assert ServiceProduct.objects.count() == 150
    assert {"kementerian", "pemprov"} <= set(Institution.objects.values_list("kind", flat=True))
    for standard in ServiceStandard.objects.all():
        assert standard.present_count == len(components.present_codes(standard))
    for product in ServiceProduct.objects.select_related("current_standard"):
        assert product.current_standard == current_standard(product)
    assert ServiceStandard.objects.filter(status="published").exclude(present_count__gte=6).count() == 0
    counts = {p.present_count for p in ServiceStandard.objects.filter(status="published")}
    assert len(counts) > 2  # uneven completeness
    kept = list(Institution.objects.order_by("pk").values_list("product_count", "score_sum", "completeness"))
    completeness.refresh_summaries()  # the summaries the services would have kept
    assert list(Institution.objects.order_by("pk").values_list("product_count", "score_sum", "completeness")) == kept
    assert sum(n for n, _s, _c in kept) == ServiceProduct.objects.filter(is_active=True).count()


@pytest.mark.django_db
def test_the_bench_user_sees_every_institution_and_its_session_opens_the_list() -> None:
    regions()
    generate(Scale(5, 20, 60), seed=1)
    admin = User.objects.get(username=BENCH_USERNAME)
    assert institutions_for(admin).count() == 5
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = login_session()
    lists = url_lists()
    for path in sorted(set(lists["institutions"]))[:10]:
        assert client.get(path).status_code == 200, path
    for path in lists["product-all"][:10]:
        assert Client().get(path).status_code == 200, path


@pytest.mark.slow
def test_a_short_bench_run_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--engine", "sqlite", "--scale", "small",
         "--duration", "1", "--warmup", "1", "--no-fail", "--work-dir", str(tmp_path / "work"),
         "--results-dir", str(tmp_path / "results")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "trivial view, anonymous" in done.stdout and "/kelola/instansi/" in done.stdout
    report: dict[str, Any] = json.loads((tmp_path / "results" / "latest.json").read_text())
    assert [r["page"] for r in report["results"]] == [
        "trivial", "trivial-signed-in", "product", "product-all", "institutions"]
    assert all(r["requests"] > 0 for r in report["results"])


def test_the_board_render_benchmark_renders_one_page_boards_and_judges_growth() -> None:
    from bench import board as board_bench

    rows = board_bench.measure([10, 1000], repeat=1)
    assert [(r["lines"], r["pages"], r["see_the_page"]) for r in rows] == [(10, 1, True), (1000, 1, True)]
    superlinear = [{"lines": 10, "median_s": 0.1, "max_s": 0.1, "pages": 1},
                   {"lines": 100, "median_s": 1.9, "max_s": 1.9, "pages": 1}]
    assert board_bench.verdict(superlinear) == ["10→100 lines: 19.0× the time (linear allows 15×)"]
    assert board_bench.verdict([{**superlinear[0], "max_s": 2.5}]) == ["10 lines: 2.50 s (budget 2 s)"]
