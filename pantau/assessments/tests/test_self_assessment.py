"""Self-assessment pages (``views_self``): an institution admin starts a self-assessment over its
units, answers it, and reads the projected score, the units' ranking and what is still lacking;
nobody else sees it, and it never becomes a public result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pantau.assessments import services_answers, services_period, services_self
from pantau.assessments.models import Period, Result, SampledUnit
from pantau.assessments.selectors_cycle import public_results
from pantau.assessments.tests.cycle_helpers import fill, stored_version
from pantau.core.errors import NotInScope
from tests.cast import client_for

NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def _start(cast: Any, unit_ids: list[int] | None = None, actor: Any = None) -> Period:
    return services_self.self_assessment_start(
        actor=actor or cast.admin_tabalong, institution_id=cast.tabalong.pk,
        methodology_version=stored_version("self-assessment"), title="Uji mandiri", year=2026,
        collection_end=dt.date(2026, 5, 31), unit_ids=unit_ids).period


def _post(cast: Any, client: Any, **over: Any) -> Any:
    data = {"institution": cast.tabalong.pk, "title": "Mandiri 2026", "year": 2026,
            "methodology_version": stored_version("self-assessment").pk, "collection_end": "2026-05-31",
            "scope": "all", **over}
    return client.post(reverse("self_assessment:start"), data)


@pytest.fixture
def today(time_machine: Any) -> None:
    time_machine.move_to(NOW)


@pytest.mark.django_db
def test_an_institution_admin_starts_a_self_assessment_of_all_its_units_and_may_answer_at_once(
        cast: Any, today: None) -> None:
    client = client_for(cast.admin_tabalong)
    assert client.get(reverse("self_assessment:start")).status_code == 200
    response = _post(cast, client)
    period = Period.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("self_assessment:summary", args=[period.pk])
    assert (period.kind, period.owner_id, period.status) == ("self", cast.tabalong.pk, "collection")
    assert period.collection_start == NOW.date() and period.publication_date == dt.date(2026, 5, 31)
    assert set(period.sampled_units.values_list("unit_id", flat=True)) == {cast.dukcapil.pk, cast.dpmptsp.pk}
    unit = period.sampled_units.get(unit=cast.dukcapil)
    fill(cast.admin_tabalong, unit)  # the admin answers (cycle_rules.answers_unit: a self-assessment's admin)
    page = client.get(reverse("self_assessment:list"))
    assert "Mandiri 2026" in page.content.decode()


@pytest.mark.django_db
def test_the_admin_may_choose_the_units(cast: Any, today: None) -> None:
    response = _post(cast, client_for(cast.admin_tabalong), scope="chosen", units=[cast.dpmptsp.pk])
    assert response.status_code == 302
    assert list(Period.objects.get().sampled_units.values_list("unit_id", flat=True)) == [cast.dpmptsp.pk]


@pytest.mark.django_db
def test_the_form_refuses_no_units_units_of_another_institution_and_official_methodologies(
        cast: Any, today: None) -> None:
    client = client_for(cast.admin_tabalong)
    assert _post(cast, client, scope="chosen").status_code == 422
    assert _post(cast, client, scope="chosen", units=[cast.barsel_dukcapil.pk]).status_code == 422
    assert _post(cast, client, methodology_version=stored_version("ombudsman-2022").pk).status_code == 422
    assert _post(cast, client, collection_end="2026-03-01").status_code == 422
    assert _post(cast, client_for(cast.admin_barsel)).status_code == 422  # Tabalong is not a choice for her
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_an_official_methodology_and_an_admin_of_another_institution(
        cast: Any, today: None) -> None:
    with pytest.raises(ValidationError):
        services_self.self_assessment_start(
            actor=cast.admin_tabalong, institution_id=cast.tabalong.pk, methodology_version=stored_version(
                "ombudsman-2022"), title="x", year=2026, collection_end=dt.date(2026, 5, 31))
    with pytest.raises(NotInScope):
        _start(cast, actor=cast.admin_barsel)
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_the_summary_projects_each_unit_ranks_them_and_lists_what_is_lacking_by_points(
        cast: Any, today: None) -> None:
    period = _start(cast)
    fill(cast.admin_tabalong, SampledUnit.objects.get(period=period, unit=cast.dukcapil))
    response = client_for(cast.admin_tabalong).get(reverse("self_assessment:summary", args=[period.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Penilaian mandiri — bukan hasil resmi Ombudsman." in html and "proyeksi" in html
    ranking = response.context["ranking"]
    assert [(r["rank"], r["name"], r["score"], r["band"].code) for r in ranking] == [
        (1, "Dinas Kependudukan dan Pencatatan Sipil", Decimal("100.00"), "A"), (2, "DPMPTSP", Decimal("0.00"), "E")]
    assert response.context["whole"].score == Decimal("50.00")
    lacking = response.context["lacking"]
    assert lacking and {row["unit"] for row in lacking} == {"DPMPTSP"}
    assert [row["gap"].lost for row in lacking] == sorted((row["gap"].lost for row in lacking), reverse=True)
    assert not any(row["gap"].answered for row in lacking)
    assert response.context["lost_total"] == Decimal(100)  # DPMPTSP answered nothing: it lost every point
    links = {row["link"] for row in lacking}
    assert reverse("manage:unit", args=[cast.dpmptsp.pk]) in links
    assert reverse("manage:product", args=[cast.pbg.pk]) in links
    assert reverse("assessment_work:unit", args=[ranking[0]["sampled"]["pk"]]) in html
    assert not Result.objects.exists()  # a projection is never stored


@pytest.mark.django_db
def test_points_lost_of_a_single_unit_sum_to_100_minus_its_projection(cast: Any, today: None) -> None:
    period = _start(cast, unit_ids=[cast.dukcapil.pk])
    unit = SampledUnit.objects.get(period=period)
    fill(cast.admin_tabalong, unit, lambda item: item.points[len(item.points) // 2] if item.points else item.minimum)
    context = client_for(cast.admin_tabalong).get(reverse("self_assessment:summary", args=[period.pk])).context
    assert context["more"] == 0
    assert Decimal(0) < context["whole"].score < Decimal(100)
    assert abs(context["lost_total"] - (Decimal(100) - context["whole"].score)) <= Decimal("0.01")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin_barsel", "head_kalsel", "assessor_kalsel", "national_admin",
                                  "operator_dukcapil", "outsider"])
def test_nobody_but_the_institutions_admin_sees_its_self_assessment(cast: Any, today: None, role: str) -> None:
    period = _start(cast)
    client = client_for(cast.users[role])
    assert client.get(reverse("self_assessment:summary", args=[period.pk])).status_code == 404
    page = client.get(reverse("self_assessment:list"))
    assert page.status_code == 404 or "Uji mandiri" not in page.content.decode()


@pytest.mark.django_db
def test_an_admin_lists_only_her_institutions_self_assessments(cast: Any, today: None) -> None:
    _start(cast)
    page = client_for(cast.admin_barsel).get(reverse("self_assessment:list"))
    assert page.status_code == 200 and "Uji mandiri" not in page.content.decode()


@pytest.mark.django_db
def test_the_summary_page_queries_stay_flat_as_units_grow(cast: Any, today: None) -> None:
    from pantau.registry import services as registry_services

    client = client_for(cast.admin_tabalong)
    small = _start(cast)
    for n in range(4):
        unit = registry_services.unit_save(actor=cast.national_admin, institution=cast.tabalong,
                                           data={"name": f"Puskesmas {n}", "kind": "puskesmas"})
        for m in range(2):
            registry_services.product_save(actor=cast.national_admin, unit=unit,
                                           data={"name": f"Layanan {m}", "category": "kesehatan"})
    big = _start(cast)
    assert big.sampled_units.count() == 6
    fill(cast.admin_tabalong, big.sampled_units.first())
    counts = []
    for period in (small, big):
        client.get(reverse("self_assessment:summary", args=[period.pk]))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("self_assessment:summary", args=[period.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_a_finished_self_assessment_is_never_a_public_result(cast: Any, today: None) -> None:
    period = _start(cast)
    for unit in period.sampled_units.all():
        fill(cast.admin_tabalong, unit)
        services_answers.unit_submit(actor=cast.admin_tabalong, sampled_unit=unit)
    period = services_period.period_advance(actor=cast.admin_tabalong, period=period, target="review")
    for unit in period.sampled_units.all():
        services_answers.unit_approve(actor=cast.admin_tabalong, sampled_unit=unit)
    period = services_period.period_advance(actor=cast.admin_tabalong, period=period, target="published")
    assert period.status == "published" and Result.objects.filter(period=period, is_published=True).exists()
    assert not public_results().exists() and not public_results(period).exists()
    assert client_for(cast.admin_tabalong).get(reverse("self_assessment:summary", args=[period.pk])).status_code == 200


@pytest.mark.django_db
def test_the_admin_answers_her_self_assessment_on_the_instrument_page_and_others_get_404(
        cast: Any, today: None) -> None:
    """The "Isi instrumen" link opens the same instrument page the assessors use: its views admit
    any role and ``sampled_units_for`` scopes (an institution admin: its own self-assessments)."""
    period = _start(cast)
    unit = period.sampled_units.get(unit=cast.dukcapil)
    url = reverse("assessment_work:unit", args=[unit.pk])
    client = client_for(cast.admin_tabalong)
    page = client.get(url)
    assert page.status_code == 200
    item = next(line.split('name="', 1)[1].split("__rev", 1)[0] for line in page.content.decode().splitlines()
                if '__rev" value="0"' in line)
    response = client.post(url, {f"{item}__value": "1", f"{item}__rev": "0", f"{item}__seen": ""}, follow=True)
    assert response.status_code == 200
    assert unit.answers.get().revision == 1
    for other in (cast.admin_barsel, cast.assessor_kalsel):  # another institution; an office (a rehearsal)
        assert client_for(other).get(url).status_code == 404
