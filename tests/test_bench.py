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

from bench.generate import BENCH_USERNAME, Profile, Scale, generate, login_session, url_lists
from bench.plan import Planner
from pantau.accounts.models import Membership, User
from pantau.core.models import AuditEvent
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


@pytest.mark.django_db
def test_audit_events_are_shaped_as_the_services_write_them() -> None:
    regions()
    summary = generate(Scale(6, 30, 90), seed=5)
    assert summary["audit_events"] == AuditEvent.objects.count() == 2 * 90
    models = {"registry.institution": Institution, "registry.serviceunit": ServiceUnit,
              "registry.serviceproduct": ServiceProduct, "registry.servicestandard": ServiceStandard}
    for event in AuditEvent.objects.all():
        obj = models[event.object_type].objects.get(pk=int(event.object_id))
        institution = {Institution: lambda o: o, ServiceUnit: lambda o: o.institution,
                       ServiceProduct: lambda o: o.unit.institution,
                       ServiceStandard: lambda o: o.product.unit.institution}[type(obj)](obj)
        assert (event.institution_id, event.province_id) == (institution.pk, institution.province_id)
        assert event.object_repr == str(obj)
        assert event.event_type.split(".")[0] == {"servicestandard": "standard", "serviceunit": "unit",
                                                  "serviceproduct": "product"}.get(obj._meta.model_name,
                                                                                   obj._meta.model_name)
        assert event.actor is not None and event.actor_name == event.actor.username
    assert len(set(AuditEvent.objects.values_list("event_type", flat=True))) >= 5
    assert len(set(AuditEvent.objects.values_list("actor_id", flat=True))) > 3
    ats = list(AuditEvent.objects.order_by("id").values_list("at", flat=True))
    assert ats == sorted(ats)  # ids follow time, as when the services write them
    # Every staff user has one membership in scope; every institution an admin.
    admins = Membership.objects.filter(role="institution_admin")
    assert set(admins.values_list("institution_id", flat=True)) == set(Institution.objects.values_list("pk", flat=True))
    # The id sequences moved past the written rows: the ORM creates new rows after them.
    new = Institution.objects.create(name="Instansi Baru", name_key="instansi baru", kind="lembaga",
                                     office=Institution.objects.first().office)  # type: ignore[union-attr]
    assert new.pk > max(Institution.objects.exclude(pk=new.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_profile_with_copies_repeats_the_same_shape() -> None:
    regions()
    summary = generate(profile=Profile("t", Scale(5, 20, 60), copies=2), seed=2)
    assert (summary["institutions"], summary["units"], summary["products"]) == (10, 40, 120)
    names = list(Institution.objects.values_list("name", flat=True))
    copies = [n for n in names if n.endswith(" (salinan 2)")]
    assert len(copies) == 5 and {n.removesuffix(" (salinan 2)") for n in copies} <= set(names)


@pytest.mark.django_db
def test_the_national_plan_has_a_government_for_every_province_and_regency() -> None:
    regions()
    base = 30 + 15 + 10 + 3 + 9  # ministries, agencies, BUMN, provinces, regencies of the test regions
    plans = Planner(Scale(base + 20, base + 20, base + 20), seed=1, national=True).plan_institutions()
    assert len(plans) == base + 20 and len({p.name for p in plans}) == base + 20
    assert {p.province.code for p in plans if p.kind == "pemprov"} == {"63", "62", "16"}
    assert {p.regency.code for p in plans if p.kind in ("pemkab", "pemkot")} == set(
        Regency.objects.values_list("code", flat=True))
    assert sum(p.kind == "bumd" for p in plans) == 20
    with pytest.raises(ValueError, match="national profile"):
        Planner(Scale(10, 10, 10), seed=1, national=True).plan_institutions()


@pytest.mark.slow
def test_a_short_bench_run_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--engine", "sqlite", "--profile", "small",
         "--duration", "1", "--rounds", "2", "--no-fail", "--work-dir", str(tmp_path / "work"),
         "--results-dir", str(tmp_path / "results")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "trivial view, anonymous" in done.stdout and "/kelola/instansi/" in done.stdout
    report: dict[str, Any] = json.loads((tmp_path / "results" / "latest.json").read_text())
    pages = ["trivial", "trivial-signed-in", "product", "product-all", "institutions", "home", "search", "api",
             "dashboard", "audit", "audit-institution", "audit-actor", "audit-type", "audit-dates", "audit-object"]
    assert [r["page"] for r in report["results"]] == pages * 2
    assert sum(r["requests"] for r in report["results"]) > 0
    assert sum(r["median_round"] for r in report["results"]) == len(pages)  # one whole round is judged
    product = [r for r in report["results"] if r["page"] == "product"]
    assert all(r["warm"]["passes"] >= 2 for r in product)  # every hot page was rendered, then served cached
    assert any(r["cache_hits"] > 0 for r in product) and "round 2 of 2" in done.stdout


def test_the_board_render_benchmark_renders_one_page_boards_and_judges_growth() -> None:
    from bench import board as board_bench

    rows = board_bench.measure([10, 1000], repeat=1)
    assert [(r["lines"], r["pages"], r["see_the_page"]) for r in rows] == [(10, 1, True), (1000, 1, True)]
    superlinear = [{"lines": 10, "median_s": 0.1, "max_s": 0.1, "pages": 1},
                   {"lines": 100, "median_s": 1.9, "max_s": 1.9, "pages": 1}]
    assert board_bench.verdict(superlinear) == ["10→100 lines: 19.0× the time (linear allows 15×)"]
    assert board_bench.verdict([{**superlinear[0], "max_s": 2.5}]) == ["10 lines: 2.50 s (budget 2 s)"]


@pytest.mark.slow
def test_the_assessment_recompute_benchmark_compares_both_paths_on_small_data() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "assess.py"), "--engines", "sqlite", "--institutions", "6",
         "--units", "18", "--products", "40", "--subset", "2", "--pages-seconds", "1", "--no-fail"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout.split("BENCH_JSON ", 1)[1])[0]
    assert result["answers"] == 18 * 31 + 40 * 6 and result["rows"] == 6 + 18
    assert result["per_object"]["same_scores"] and result["per_object"]["institutions"] == 2
    assert "sqlite | 798 | 24 |" in done.stdout
    pages = result["pages"]
    assert pages["urls"] == {"trivial": 1, "results": 40, "institution": 6}  # 1 + 5 kinds + 34 provinces
    assert pages["results"]["rps"] > 0 and pages["institution"]["cache"] == "100 %"  # warmed, then loaded
    assert "sqlite | institution | 6 |" in done.stdout


@pytest.mark.slow
def test_the_survey_benchmark_prints_its_tables_and_stores_each_submission_once(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "surveys.py"), "--quick", "--engine", "sqlite", "--no-fail",
         "--work-dir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    tables = done.stdout.split("\nBENCH_JSON ", 1)[0].split("\n\n")
    assert [t.splitlines()[0][:3] for t in tables[-3:]] == ["(a)", "(b)", "(c)"]
    for table in tables[-3:]:
        head, *rows = table.splitlines()[1:]
        assert rows and all(len(row.split(" | ")) == len(head.split(" | ")) for row in rows), table
    [result] = json.loads(done.stdout.split("\nBENCH_JSON ", 1)[1].splitlines()[0])
    assert (result["one"]["responses"], result["all"]["campaigns"], result["all"]["responses"]) == (20_000, 60, 6000)
    assert result["one"]["counted_all"] and result["all"]["computable"] == 60
    submit = result["submit"]
    assert submit["status_302"] > 0 and submit["non_302"] == 0 and submit["consistent"]
    assert submit["status_302"] <= submit["stored"] <= submit["status_302"] + submit["in_flight"]
    assert submit["replay_302"] == submit["replayed"] > 0 and submit["replay_added"] == 0
    assert result["export"]["complete"] and result["export"]["rows"] == 20_000


@pytest.mark.slow
def test_the_complaints_benchmark_prints_its_tables_and_files_each_report_once(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "complaints.py"), "--quick", "--engine", "sqlite", "--no-fail",
         "--work-dir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    tables = done.stdout.split("\nBENCH_JSON ", 1)[0].split("\n\n")
    assert [t.splitlines()[0][:3] for t in tables[-3:]] == ["(a)", "(b)", "(c)"]
    [result] = json.loads(done.stdout.split("\nBENCH_JSON ", 1)[1].splitlines()[0])
    generated = result["info"]["generated"]
    assert generated["cases"] == 2000 and 15_000 < generated["events"] < 25_000
    assert 0.15 < generated["open"] / generated["cases"] < 0.35 and generated["counters"] > 0
    for page in ("queue", "case"):
        assert result["pages"][page]["requests"] > 0 and result["pages"][page]["non200"] == 0
    intake = result["intake"]
    assert intake["success"] > 0 and intake["failed"] == 0 and intake["consistent"]
    assert intake["replay_302"] == intake["replayed"] > 0 and intake["replay_added"] == 0
    first, second = result["daily"]["runs"]
    assert first["exit"] == second["exit"] == 0 and first["changed"] and not second["changed"]


@pytest.mark.slow
def test_the_complaint_search_benchmark_prints_its_tables_and_measures_every_part(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "complaint_search.py"), "--quick", "--engine", "sqlite", "--no-fail",
         "--work-dir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    tables = done.stdout.split("\nBENCH_JSON ", 1)[0].split("\n\n")
    assert [t.splitlines()[0][:3] for t in tables[-7:]] == ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"]
    assert "not measured" not in done.stdout.split("\nBENCH_JSON ", 1)[0]
    [result] = json.loads(done.stdout.split("\nBENCH_JSON ", 1)[1].splitlines()[0])
    assert result["index"]["documents"] == result["index"]["cases"] == 2000
    assert set(result["search"]) == {"examiner", "intake", "head", "national"}
    for row in [*result["search"].values(), result["queue"]["examiner"], *result["sla"].values()]:
        assert row["requests"] > 0 and row["non200"] == 0 and row["urls"] > 1
    pages = result["statistics"]["pages"]
    assert len(pages) == 3 * len({p["year"] for p in pages}) >= 9
    assert all(p["status"] == 200 and p["cache"] == "miss" for p in pages), pages
    assert result["statistics"]["api"]["status"] == 200
    for fmt in ("json", "xml"):
        assert result["open311"][fmt]["non200"] == 0 and result["open311"][fmt]["share"] > 0
    triage = result["triage"]
    assert triage["exit"] == 0 and triage["suggest"]["cases"] == 200 and triage["suggest"]["without"] == 0
    assert 0 < triage["suggest"]["national"]["accuracy"]["substance"]["top1"] <= 1
