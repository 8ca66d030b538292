"""The staff and provider forms: good input saves, bad input answers 422 with the reason and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pantau.core.models import AuditEvent
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit, UnitEvent
from tests.cast import client_for, in_english

pytestmark = pytest.mark.django_db


def test_a_head_of_office_registers_an_institution_in_their_province(cast: Any) -> None:
    response = client_for(cast.head_kalsel).post(reverse("manage:institution_new"), {
        "name": "Pemerintah Kabupaten Balangan", "kind": "pemkab", "province": cast.kalsel_province.pk,
        "office": cast.kalsel.pk})
    assert response.status_code == 302
    inst = Institution.objects.get(name="Pemerintah Kabupaten Balangan")
    assert AuditEvent.objects.filter(event_type="institution.created", object_id=str(inst.pk)).exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "kind": "pemkab"}, "This field is required"),
    ({"name": "Pemkab X", "kind": "kerajaan"}, "Select a valid choice"),
    ({"name": "Pemkab X", "kind": "pemkab", "website": "bukan url"}, "Enter a valid URL"),
])
def test_an_invalid_institution_is_refused_with_the_reason(cast: Any, data: dict[str, Any], message: str) -> None:
    before = Institution.objects.count()
    payload = {"province": cast.kalsel_province.pk, "office": cast.kalsel.pk, **data}
    response = in_english(client_for(cast.head_kalsel)).post(reverse("manage:institution_new"), payload)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Institution.objects.count() == before


def test_a_taken_institution_name_is_refused_on_the_name_field_in_indonesian(cast: Any) -> None:
    before = Institution.objects.count()
    response = client_for(cast.head_kalsel).post(reverse("manage:institution_new"), {
        "name": "pemerintah  kabupaten TABALONG", "kind": "pemkab", "province": cast.kalsel_province.pk,
        "office": cast.kalsel.pk})
    assert response.status_code == 422
    assert "Sudah ada instansi dengan nama ini; pakai nama lain." in response.content.decode()
    assert Institution.objects.count() == before


def test_a_regency_outside_the_chosen_province_is_refused(cast: Any) -> None:
    barsel_regency = cast.barsel.regency
    response = client_for(cast.national_admin).post(reverse("manage:institution_new"), {
        "name": "Pemkab Keliru", "kind": "pemkab", "province": cast.kalsel_province.pk,
        "regency": barsel_regency.pk, "office": cast.kalsel.pk})
    assert response.status_code == 422
    assert "tidak berada di provinsi" in response.content.decode()
    assert not Institution.objects.filter(name="Pemkab Keliru").exists()


def test_a_unit_name_used_twice_in_an_institution_is_refused(cast: Any) -> None:
    response = in_english(client_for(cast.admin_tabalong)).post(reverse("manage:unit_new", args=[cast.tabalong.pk]), {
        "name": "DPMPTSP", "kind": "dinas"})
    assert response.status_code == 422
    assert ServiceUnit.objects.filter(institution=cast.tabalong, name="DPMPTSP").count() == 1


def test_a_unit_operator_updates_the_maklumat_of_their_unit(cast: Any) -> None:
    response = client_for(cast.operator_dukcapil).post(reverse("manage:unit", args=[cast.dukcapil.pk]), {
        "name": cast.dukcapil.name, "kind": "dinas", "maklumat": "Kami siap melayani.",
        "maklumat_date": "2026-11-01"})
    assert response.status_code == 302
    cast.dukcapil.refresh_from_db()
    assert cast.dukcapil.maklumat == "Kami siap melayani."


def test_a_bad_maklumat_date_is_explained(cast: Any) -> None:
    response = in_english(client_for(cast.operator_dukcapil)).post(reverse("manage:unit", args=[cast.dukcapil.pk]), {
        "name": cast.dukcapil.name, "kind": "dinas", "maklumat_date": "31-31-2026"})
    assert response.status_code == 422
    assert "Enter a valid date" in response.content.decode()


def test_a_product_is_added_to_a_unit(cast: Any) -> None:
    response = client_for(cast.operator_dukcapil).post(reverse("manage:product_new", args=[cast.dukcapil.pk]), {
        "name": "Penerbitan Akta Kelahiran", "category": "adminduk", "is_active": "on"})
    assert response.status_code == 302
    assert ServiceProduct.objects.filter(unit=cast.dukcapil, name="Penerbitan Akta Kelahiran").exists()


def _standard_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "effective_date": "2026-11-20", "is_free": "on", "completion_days": "1",
        "requirements": "KTP-el\nKK", "procedure": "Daftar\nAmbil", "completion_time": "1 hari kerja",
        "cost": "", "output": "KTP-el", "complaints": "Loket", "legal_basis": "", "facilities": "",
        "competence": "", "supervision": "", "staff_count": "", "guarantee": "", "safety": "", "evaluation": "",
    }
    data.update(overrides)
    return data


def test_a_draft_is_saved_then_published_as_a_new_version(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    url = reverse("manage:standard_edit", args=[cast.ktp.pk])
    assert client.post(url, _standard_post(action="save")).status_code == 302
    draft = ServiceStandard.objects.get(product=cast.ktp, status="draft")
    assert draft.version == 2
    assert client.post(url, _standard_post(action="publish")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.present_count == 6  # the six service-delivery components


def test_publishing_without_the_public_components_keeps_nothing_and_says_what_is_missing(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    url = reverse("manage:standard_edit", args=[cast.ktp.pk])
    response = client.post(url, _standard_post(action="publish", requirements="", complaints=""))
    body = response.content.decode()
    assert response.status_code == 422
    assert "Persyaratan" in body and "Penanganan pengaduan" in body
    assert not ServiceStandard.objects.filter(product=cast.ktp, status="draft").exists()
    assert "Daftar\nAmbil" in body  # the input is shown again, not dropped


def test_a_negative_completion_time_is_refused(cast: Any) -> None:
    response = in_english(client_for(cast.operator_dukcapil)).post(
        reverse("manage:standard_edit", args=[cast.ktp.pk]), _standard_post(action="save", completion_days="-3"))
    assert response.status_code == 422
    assert not ServiceStandard.objects.filter(product=cast.ktp, status="draft").exists()


def test_a_merge_is_recorded_from_the_form(cast: Any) -> None:
    response = client_for(cast.admin_tabalong).post(reverse("manage:unit_event", args=[cast.tabalong.pk]), {
        "kind": "merge", "date": "2025-01-02", "units": [cast.dukcapil.pk, cast.dpmptsp.pk],
        "new_names": "Mal Pelayanan Publik Tabalong"})
    assert response.status_code == 302
    assert UnitEvent.objects.get().kind == "merge"


def test_a_merge_of_one_unit_is_explained_and_nothing_changes(cast: Any) -> None:
    response = client_for(cast.admin_tabalong).post(reverse("manage:unit_event", args=[cast.tabalong.pk]), {
        "kind": "merge", "date": "2025-01-02", "units": [cast.dukcapil.pk], "new_names": "X"})
    assert response.status_code == 422
    assert "sedikitnya dua unit" in response.content.decode()
    assert UnitEvent.objects.count() == 0


def test_units_of_another_institution_cannot_be_chosen(cast: Any) -> None:
    response = in_english(client_for(cast.admin_tabalong)).post(reverse("manage:unit_event", args=[cast.tabalong.pk]), {
        "kind": "dissolve", "date": "2025-01-02", "units": [cast.barsel_dukcapil.pk]})
    assert response.status_code == 422
    cast.barsel_dukcapil.refresh_from_db()
    assert cast.barsel_dukcapil.is_active


def test_the_institution_list_query_count_does_not_grow_with_rows(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    from pantau.registry import services

    client = client_for(cast.national_admin)
    client.get(reverse("manage:institutions"))
    with django_assert_max_num_queries(12):
        client.get(reverse("manage:institutions"))
    for i in range(30):
        inst = services.institution_save(actor=cast.national_admin, data={
            "name": f"Instansi {i}", "kind": "lembaga", "office_id": cast.kalsel.pk})
        unit = services.unit_save(actor=cast.national_admin, institution=inst, data={"name": "Unit"})
        services.product_save(actor=cast.national_admin, unit=unit, data={"name": "Layanan"})
    with django_assert_max_num_queries(12):
        response = client.get(reverse("manage:institutions"))
    assert response.status_code == 200


def test_a_taken_unit_name_is_shown_on_the_name_field_and_nothing_is_written(cast: Any) -> None:
    from pantau.registry.models import ServiceUnit

    before = ServiceUnit.objects.count()
    response = client_for(cast.admin_tabalong).post(reverse("manage:unit_new", args=[cast.tabalong.pk]), {
        "name": "DPMPTSP", "kind": "dinas"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_name_error"' in html
    assert "Instansi ini sudah punya unit dengan nama ini; pakai nama lain." in html
    assert ServiceUnit.objects.count() == before
