"""The period screens (``views_periods``): list, create, page, steps; each refusal with its message,
404 outside scope, and a flat number of queries on the period's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from pantau.assessments import services_period
from pantau.assessments.models import Period, SampledUnit
from pantau.assessments.tests.cycle_helpers import DATES, make_period, stored_version
from pantau.core.models import AuditEvent
from pantau.registry import services as registry_services
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def _form(cast: Any, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Penilaian Kepatuhan 2026", "year": "2026", "kind": "official",
        "methodology": str(stored_version("ombudsman-2016").pk), "office": str(cast.kalsel.pk), "scope": "area",
        **{k: v.isoformat() for k, v in DATES.items()},
    }
    data.update(over)
    return data


def _token(client: Any, url: str) -> str:
    return str(client.get(url).context["form"]["once"].value())


def test_a_head_of_office_creates_a_period_over_the_office_area(cast: Any) -> None:
    client = client_for(cast.head_kalsel)
    url = reverse("assessment_periods:new")
    response = client.post(url, {**_form(cast), "once": _token(client, url)})
    period = Period.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("assessment_periods:detail",
                                                                            args=[period.pk])
    # Kalsel covers Tabalong and Banjarmasin, never Barito Selatan (Kalteng)
    assert set(period.institutions.values_list("pk", flat=True)) == {cast.tabalong.pk, cast.banjarmasin.pk}
    assert period.office_id == cast.kalsel.pk and period.methodology_version.is_frozen
    assert AuditEvent.objects.filter(event_type="period.created").count() == 1
    page = client.get(reverse("assessment_periods:list"))
    assert "Penilaian Kepatuhan 2026" in page.content.decode()


def test_the_area_narrows_by_kind_and_names_are_matched_one_per_line(cast: Any) -> None:
    client = client_for(cast.head_kalsel)
    url = reverse("assessment_periods:new")
    client.post(url, {**_form(cast, scope="names", names="pemerintah kota banjarmasin\n"), "once": _token(client, url)})
    assert list(Period.objects.get().institutions.values_list("pk", flat=True)) == [cast.banjarmasin.pk]
    response = client.post(url, {**_form(cast, kinds=["pemkab"]), "once": _token(client, url)})
    assert response.status_code == 302
    assert list(Period.objects.order_by("pk").last().institutions.values_list("pk", flat=True)) == [cast.tabalong.pk]


def test_bad_input_is_refused_with_messages_and_nothing_is_written(cast: Any) -> None:
    client = client_for(cast.head_kalsel)
    url = reverse("assessment_periods:new")
    bad_dates = client.post(url, {**_form(cast, review_end="2026-05-01"), "once": _token(client, url)})
    assert bad_dates.status_code == 422
    assert "Tanggal harus berurutan" in bad_dates.content.decode()
    unknown = client.post(url, {**_form(cast, scope="names", names="Pemerintah Kabupaten Barito Selatan"),
                                "once": _token(client, url)})
    assert unknown.status_code == 422 and "Barito Selatan" in unknown.content.decode()
    typo = client.post(url, {**_form(cast, collection_start="31-13-2026", year="abc"), "once": _token(client, url)})
    assert typo.status_code == 422
    body = typo.content.decode()
    assert "Tulis tanggal seperti 2026-01-31." in body and "Tahun berupa angka" in body
    assert not Period.objects.exists()
    assert not AuditEvent.objects.filter(event_type="period.created").exists()


def test_who_may_not_create_a_period_gets_a_404(cast: Any) -> None:
    for user in (cast.assessor_kalsel, cast.operator_dukcapil, cast.outsider):
        assert client_for(user).get(reverse("assessment_periods:new")).status_code == 404
    # a head of Kalsel cannot run a period for Kalteng's office
    client = client_for(cast.head_kalsel)
    url = reverse("assessment_periods:new")
    response = client.post(url, {**_form(cast, office=str(cast.kalteng.pk)), "once": _token(client, url)})
    assert response.status_code == 422 and not Period.objects.exists()


def test_a_refused_step_names_every_guard_and_a_due_step_is_taken(cast: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC))
    period = make_period(cast)
    client = client_for(cast.head_kalsel)
    step = reverse("assessment_periods:step", args=[period.pk])
    refused = client.post(step, {"target": "collection"})
    body = refused.content.decode()
    assert refused.status_code == 422
    assert "1 instansi belum punya sampel unit layanan." in body
    assert "Pengumpulan data baru dapat dibuka pada 1 Juni 2026." in body
    services_period.sample_choose(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk, rule="all")
    time_machine.move_to(dt.datetime(2026, 6, 2, 9, tzinfo=dt.UTC))
    client = client_for(cast.head_kalsel)  # the session of a month ago has expired
    assert client.post(step, {"target": "collection"}).status_code == 302
    period.refresh_from_db()
    assert period.status == Period.Status.COLLECTION
    assert client.post(step, {"target": "published"}).status_code == 422  # no such step from collection


def test_the_period_page_is_404_out_of_scope_and_steps_are_for_managers_only(cast: Any) -> None:
    period = make_period(cast)
    detail = reverse("assessment_periods:detail", args=[period.pk])
    for user in (cast.assessor_kalteng, cast.admin_barsel, cast.outsider, cast.admin_tabalong):
        assert client_for(user).get(detail).status_code == 404
    assert client_for(cast.assessor_kalsel).get(detail).status_code == 200
    assert client_for(cast.assessor_kalsel).post(reverse("assessment_periods:step", args=[period.pk]),
                                                 {"target": "collection"}).status_code == 404
    assert period.status == Period.Status.DRAFT


def test_the_period_page_reads_a_flat_number_of_queries(cast: Any, django_assert_max_num_queries: Any) -> None:
    period = make_period(cast, institutions=[cast.tabalong.pk, cast.banjarmasin.pk])
    services_period.sample_choose(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk, rule="all")
    client = client_for(cast.head_kalsel)
    url = reverse("assessment_periods:detail", args=[period.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(30):
        inst = registry_services.institution_save(actor=cast.national_admin, data={
            "name": f"Instansi Uji {n:02d}", "kind": "pemkab", "province_id": cast.kalsel_province.pk,
            "office_id": cast.kalsel.pk})
        period.institutions.add(inst)
        unit = registry_services.unit_save(actor=cast.national_admin, institution=inst,
                                           data={"name": "Dinas Uji", "kind": "dinas"})
        SampledUnit.objects.create(period=period, institution=inst, unit=unit, rule="hand", chosen_by_name="uji")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Instansi Uji 29" in response.content.decode()


def test_an_institution_admin_creates_a_self_assessment_of_its_own_institution(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    url = reverse("assessment_periods:new")
    page = client.get(url)
    assert "office" not in page.context["form"].fields  # no office, no other institution to choose
    response = client.post(url, {**_form(cast, kind="self", owner=str(cast.tabalong.pk),
                                         methodology=str(stored_version("self-assessment").pk)),
                                 "once": page.context["form"]["once"].value()})
    assert response.status_code == 302
    period = Period.objects.get()
    assert period.kind == Period.Kind.SELF and period.owner_id == cast.tabalong.pk
    assert list(period.institutions.values_list("pk", flat=True)) == [cast.tabalong.pk]
    other = client.post(url, {**_form(cast, kind="self", owner=str(cast.barsel.pk)),
                              "once": client.get(url).context["form"]["once"].value()})
    assert other.status_code == 422 and Period.objects.count() == 1
    detail = reverse("assessment_periods:detail", args=[period.pk])
    assert client_for(cast.admin_tabalong).get(detail).status_code == 200
    assert client_for(cast.admin_barsel).get(detail).status_code == 404


def test_the_chooser_offers_institutions_of_the_office_area_as_one_types(cast: Any) -> None:
    client = client_for(cast.head_kalsel)
    search = reverse("assessment_periods:institution_search")
    found = client.get(search, {"cari": "pemerintah", "office": cast.kalsel.pk}).content.decode()
    assert "Tabalong" in found and "Banjarmasin" in found and "Barito Selatan" not in found
    kept = client.get(search, {"cari": "kota", "office": cast.kalsel.pk, "pilih": [cast.tabalong.pk]}).content.decode()
    assert f'value="{cast.tabalong.pk}" checked' in kept and "Banjarmasin" in kept
    # outside the office's area, never offered or kept
    assert "Barito" not in client.get(search, {"pilih": [cast.barsel.pk], "office": cast.kalsel.pk}).content.decode()
    url = reverse("assessment_periods:new")
    token = _token(client, url)
    without_js = client.post(url, {**_form(cast, scope="names"), "cari": "tabalong", "_cari": "1", "once": token})
    assert without_js.status_code == 200 and not Period.objects.exists()
    assert "Tabalong" in without_js.content.decode()
    outside = client.post(url, {**_form(cast, scope="names"), "pilih": [cast.barsel.pk], "once": token})
    assert outside.status_code == 422 and not Period.objects.exists()
    assert client.post(url, {**_form(cast, scope="names"), "pilih": [cast.tabalong.pk, cast.banjarmasin.pk],
                             "once": token}).status_code == 302
    assert set(Period.objects.get().institutions.values_list("pk", flat=True)) == {cast.tabalong.pk,
                                                                                   cast.banjarmasin.pk}
