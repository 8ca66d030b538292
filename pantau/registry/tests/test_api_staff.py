"""The token API of the registry: staff reads with drafts and completeness, scoped writes, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pantau.core.models import AuditEvent
from pantau.registry import services, unit_changes
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.tests.api_helpers import Api, count_queries
from tests.cast import FULL_STANDARD, publish

pytestmark = pytest.mark.django_db


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def refused(response: Any, status: int = 422) -> str:
    assert response.status_code == status, response.content
    detail: str = response.json()["detail"]
    return detail


# Staff reads.

def test_my_institutions_are_the_scope_of_the_token_user_with_counts_and_completeness(cast: Any) -> None:
    assert [i["name"] for i in ok(Api.as_user(cast.assessor_kalteng).get("/my/institutions"))["items"]] == [
        "Pemerintah Kabupaten Barito Selatan"]
    items = ok(Api.as_user(cast.head_kalsel).get("/my/institutions"))["items"]
    assert [i["name"] for i in items] == ["Pemerintah Kabupaten Tabalong", "Pemerintah Kota Banjarmasin"]
    tabalong = items[0]
    assert tabalong["unit_count"] == 2 and tabalong["product_count"] == 2 and tabalong["can_edit"] is True
    assert 0 < tabalong["completeness"] < 100
    assert items[1]["product_count"] == 0 and items[1]["completeness"] is None
    assert ok(Api.as_user(cast.assessor_kalsel).get("/my/institutions"))["items"][0]["can_edit"] is False
    assert ok(Api.as_user(cast.outsider).get("/my/institutions")) == {
        "items": [], "count": 0, "count_capped": False, "limit": 50, "offset": 0, "next": None, "next_url": None}


def test_my_institution_lists_what_to_fix_first(cast: Any) -> None:
    body = ok(Api.as_user(cast.admin_tabalong).get(f"/my/institutions/{cast.tabalong.pk}"))
    first = body["components"][0]
    assert first["code"] == "kelompok_rentan" and first["missing"] == 2 and first["present"] == 0
    assert len(body["components"]) == 16


def test_my_units_include_inactive_ones_and_filter_them(cast: Any) -> None:
    unit_changes.unit_event_record(actor=cast.national_admin, kind="dissolve", date=dt.date(2025, 6, 1),
                               institution=cast.tabalong, from_units=[cast.dpmptsp])
    api = Api.as_user(cast.admin_tabalong)
    assert {u["name"]: u["is_active"] for u in ok(api.get("/my/units"))["items"]} == {
        "DPMPTSP": False, "Dinas Kependudukan dan Pencatatan Sipil": True}
    assert [u["name"] for u in ok(api.get("/my/units", {"active": "true"}))["items"]] == [
        "Dinas Kependudukan dan Pencatatan Sipil"]
    operator = Api.as_user(cast.operator_dukcapil)
    unit = ok(operator.get(f"/my/units/{cast.dukcapil.pk}"))
    assert unit["can_edit"] is True and unit["product_count"] == 1 and unit["institution"]["id"] == cast.tabalong.pk
    assert refused(operator.get(f"/my/units/{cast.barsel_dukcapil.pk}"), 404)


def test_my_products_show_drafts_and_completeness(cast: Any) -> None:
    api = Api.as_user(cast.operator_dukcapil)
    fresh = services.product_save(actor=cast.operator_dukcapil, unit=cast.dukcapil, data={"name": "Surat Pindah"})
    services.standard_save_draft(actor=cast.operator_dukcapil, product=fresh, data={"requirements": "KK"})
    items = {p["name"]: p for p in ok(api.get("/my/products"))["items"]}
    assert set(items) == {"Penerbitan KTP-el", "Surat Pindah"}  # the operator's unit only
    assert items["Surat Pindah"]["is_public"] is False and items["Surat Pindah"]["draft_version"] == 1
    # A draft does not count for completeness: only the unit's maklumat is present (1 of 16).
    assert items["Surat Pindah"]["current_version"] is None and items["Surat Pindah"]["completeness"] == 6
    assert items["Penerbitan KTP-el"]["is_public"] is True and items["Penerbitan KTP-el"]["current_version"] == 1
    assert [p["name"] for p in ok(api.get("/my/products", {"has_draft": "true"}))["items"]] == ["Surat Pindah"]
    detail = ok(api.get(f"/my/products/{fresh.pk}"))
    assert detail["draft"]["status"] == "draft" and detail["draft"]["delivery"][0]["items"] == ["KK"]
    assert [v["version"] for v in detail["versions"]] == [1]
    assert detail["items"][0]["status"] == "missing" and len(detail["items"]) == 16
    assert refused(api.get(f"/my/products/{cast.pbg.pk}"), 404)  # another unit of the same institution


# Writes: institutions.

INSTITUTION = {"name": "Pemerintah Kabupaten Balangan", "kind": "pemkab", "province": "63", "office_id": 0}


def test_a_head_of_office_registers_an_institution_in_their_province(cast: Any) -> None:
    api = Api.as_user(cast.head_kalsel)
    body = ok(api.post("/institutions", {**INSTITUTION, "office_id": cast.kalsel.pk, "website": "https://x.go.id",
                                         "reason": "SK baru"}), 201)
    assert body["name"] == "Pemerintah Kabupaten Balangan" and body["province"] == "63" and body["can_edit"]
    event = AuditEvent.objects.get(event_type="institution.created", object_id=str(body["id"]))
    assert event.actor == cast.head_kalsel and event.reason == "SK baru"
    assert event.request_id and len(event.request_id) == 32


def test_the_audit_event_of_an_api_write_carries_the_request_id(cast: Any) -> None:
    api = Api.as_user(cast.admin_tabalong)
    response = api.client.generic("PATCH", f"/api/registry/units/{cast.dukcapil.pk}", '{"phone": "0526-123"}',
                                  content_type="application/json", HTTP_X_REQUEST_ID="api-test-request-0001",
                                  **api.headers())
    assert response.status_code == 200 and response["X-Request-ID"] == "api-test-request-0001"
    event = AuditEvent.objects.get(request_id="api-test-request-0001")
    assert event.event_type == "unit.updated" and event.actor == cast.admin_tabalong
    assert event.before == {"phone": ""} and event.after == {"phone": "0526-123"}


@pytest.mark.parametrize("change, field", [
    ({"province": "99"}, "province"),
    ({"regency": "62.04"}, "regency"),  # Barito Selatan is not in Kalimantan Selatan
    ({"province": "62", "office_id": "kalteng"}, "province"),  # outside the head of office's provinces
    ({"kind": "desa"}, "kind"),
    ({"name": ""}, "name"),
    ({"name": 5}, "name"),
    ({"office_id": "2"}, "office_id"),
    ({"office_id": 999999}, "office"),
    ({"website": "bukan alamat"}, "website"),
    ({"nama": "typo"}, "nama"),
])
def test_bad_institution_input_answers_422_naming_the_field_and_writes_nothing(
        cast: Any, change: dict[str, Any], field: str) -> None:
    api = Api.as_user(cast.head_kalsel)
    before = (Institution.objects.count(), AuditEvent.objects.count())
    body = {**INSTITUTION, "office_id": cast.kalsel.pk, **change}
    if body["office_id"] == "kalteng":
        body["office_id"] = cast.kalteng.pk
    detail = refused(api.post("/institutions", body))
    assert detail.startswith(f"{field}: "), detail
    assert (Institution.objects.count(), AuditEvent.objects.count()) == before


def test_a_required_field_left_out_is_named(cast: Any) -> None:
    detail = refused(Api.as_user(cast.head_kalsel).post("/institutions", {"name": "X", "kind": "pemkab"}))
    assert detail == "office_id: Field required"


def test_an_institution_admin_updates_only_their_own_institution(cast: Any) -> None:
    api = Api.as_user(cast.admin_tabalong)
    body = ok(api.patch(f"/institutions/{cast.tabalong.pk}", {"website": "https://tabalongkab.go.id"}))
    assert body["website"] == "https://tabalongkab.go.id" and body["name"] == "Pemerintah Kabupaten Tabalong"
    other = api.patch(f"/institutions/{cast.barsel.pk}", {"website": "https://x.go.id"})
    missing = api.patch("/institutions/999999", {"website": "https://x.go.id"})
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    assert Institution.objects.get(pk=cast.barsel.pk).website == ""
    assert refused(api.post("/institutions", {**INSTITUTION, "office_id": cast.kalsel.pk}), 404)


def test_null_for_a_text_field_is_refused_but_null_clears_a_regency(cast: Any) -> None:
    api = Api.as_user(cast.admin_tabalong)
    assert refused(api.patch(f"/institutions/{cast.tabalong.pk}", {"website": None})).startswith("website: ")
    # (Clearing the regency relocates the institution: its office does that, not the provider.)
    head = Api.as_user(cast.head_kalsel)
    assert ok(head.patch(f"/institutions/{cast.tabalong.pk}", {"regency": None}))["regency"] is None


# Writes: units, products, standards.

def test_an_institution_admin_creates_a_unit_with_its_maklumat(cast: Any) -> None:
    api = Api.as_user(cast.admin_tabalong)
    body = ok(api.post(f"/institutions/{cast.tabalong.pk}/units", {
        "name": "Mal Pelayanan Publik Tabalong", "kind": "mpp", "regency": "63.09", "lat": -2.17, "lng": 115.38,
        "maklumat": "Kami siap melayani.", "maklumat_date": "2025-02-01"}), 201)
    assert body["kind"] == "mpp" and body["regency"] == "63.09" and body["maklumat_date"] == "2025-02-01"
    assert AuditEvent.objects.filter(event_type="unit.created", object_id=str(body["id"])).exists()
    detail = refused(api.post(f"/institutions/{cast.tabalong.pk}/units", {"name": "Mal Pelayanan Publik Tabalong"}))
    assert detail == "name: Instansi ini sudah punya unit dengan nama ini; pakai nama lain."
    assert refused(api.post(f"/institutions/{cast.tabalong.pk}/units", {"name": "X", "lat": 95})).startswith("lat: ")
    assert refused(api.post(f"/institutions/{cast.barsel.pk}/units", {"name": "X"}), 404)


def test_a_unit_operator_keeps_the_maklumat_of_their_own_unit_only(cast: Any) -> None:
    api = Api.as_user(cast.operator_dukcapil)
    body = ok(api.patch(f"/units/{cast.dukcapil.pk}", {"maklumat": "Janji baru.", "maklumat_date": "2025-07-01",
                                                       "vulnerable_facilities": "Kursi roda, loket prioritas"}))
    assert body["maklumat"] == "Janji baru." and body["vulnerable_facilities"] == "Kursi roda, loket prioritas"
    assert refused(api.patch(f"/units/{cast.dpmptsp.pk}", {"maklumat": "x"}), 404)
    assert ServiceUnit.objects.get(pk=cast.dpmptsp.pk).maklumat == ""
    assert refused(api.patch(f"/units/{cast.dukcapil.pk}", {"maklumat_date": "kemarin"})).startswith(
        "maklumat_date: ")
    assert refused(api.post(f"/institutions/{cast.tabalong.pk}/units", {"name": "X"}), 404)  # not an inst. admin


def test_products_are_created_and_taken_off_the_public_pages(cast: Any) -> None:
    api = Api.as_user(cast.operator_dukcapil)
    body = ok(api.post(f"/units/{cast.dukcapil.pk}/products", {"name": "Akta Kelahiran", "category": "adminduk"}),
              201)
    assert body["is_public"] is False and body["current_version"] is None and body["draft_version"] is None
    assert refused(api.post(f"/units/{cast.dukcapil.pk}/products", {"name": "X", "category": "pajak"})).startswith(
        "category: ")
    assert refused(api.post(f"/units/{cast.dukcapil.pk}/products", {"name": "X", "is_active": "ya"})).startswith(
        "is_active: ")
    assert refused(api.post(f"/units/{cast.dpmptsp.pk}/products", {"name": "X"}), 404)
    hidden = ok(api.patch(f"/products/{cast.ktp.pk}", {"is_active": False}))
    assert hidden["is_public"] is False
    assert Api().get(f"/products/{cast.ktp.pk}").status_code == 404
    assert refused(api.patch(f"/products/{cast.pbg.pk}", {"is_active": False}), 404)
    assert ServiceProduct.objects.get(pk=cast.pbg.pk).is_active is True


def test_a_draft_is_saved_then_published_and_becomes_the_public_standard(cast: Any) -> None:
    api = Api.as_user(cast.operator_dukcapil)
    product = ok(api.post(f"/units/{cast.dukcapil.pk}/products", {"name": "Akta Kelahiran"}), 201)
    draft = ok(api.patch(f"/products/{product['id']}/draft", {"requirements": "Surat keterangan lahir"}))
    assert draft["status"] == "draft" and draft["version"] == 1 and draft["present_count"] == 1
    detail = refused(api.post(f"/products/{product['id']}/draft/publish"))
    assert "Prosedur" in detail or "prosedur" in detail
    assert Api().get(f"/products/{product['id']}").status_code == 404
    fields = {k: v for k, v in FULL_STANDARD.items() if k != "requirements"}
    ok(api.patch(f"/products/{product['id']}/draft", fields))
    published = ok(api.post(f"/products/{product['id']}/draft/publish", {"effective_date": "2025-03-01",
                                                                          "reason": "Perbup 2025"}))
    assert published["status"] == "published" and published["effective_date"] == "2025-03-01"
    public = ok(Api().get(f"/products/{product['id']}/standard"))
    assert public["delivery"][0]["items"] == ["Surat keterangan lahir"]
    events = list(AuditEvent.objects.filter(object_type="registry.servicestandard").values_list("event_type",
                                                                                                "reason"))
    assert ("standard.published", "Perbup 2025") in events
    assert refused(api.post(f"/products/{product['id']}/draft/publish")).startswith("Produk ini tidak punya draf")


def test_a_published_standard_never_changes_through_the_api(cast: Any) -> None:
    api = Api.as_user(cast.admin_tabalong)
    draft = ok(api.patch(f"/products/{cast.ktp.pk}/draft", {"cost": "Rp 10.000", "is_free": False}))
    assert draft["version"] == 2 and draft["is_free"] is False
    v1 = ServiceStandard.objects.get(product=cast.ktp, version=1)
    assert v1.is_free is True and v1.cost == ""
    assert ok(Api().get(f"/products/{cast.ktp.pk}/standard"))["version"] == 1


@pytest.mark.parametrize("body, field", [
    ({"completion_days": "tiga"}, "completion_days"), ({"completion_days": -1}, "completion_days"),
    ({"is_free": "yes"}, "is_free"), ({"effective_date": "2025-02-30"}, "effective_date"),
    ({"requirements": ["a", "b"]}, "requirements"), ({"status": "published"}, "status"),
    ({"version": 1}, "version"),
])
def test_bad_draft_input_answers_422_and_starts_no_draft(cast: Any, body: dict[str, Any], field: str) -> None:
    detail = refused(Api.as_user(cast.admin_tabalong).patch(f"/products/{cast.ktp.pk}/draft", body))
    assert detail.startswith(f"{field}: "), detail
    assert not ServiceStandard.objects.filter(product=cast.ktp, status="draft").exists()


def test_an_assessor_reads_but_cannot_write_the_registry(cast: Any) -> None:
    api = Api.as_user(cast.assessor_kalsel)
    assert ok(api.get(f"/my/products/{cast.ktp.pk}"))["name"] == "Penerbitan KTP-el"
    before = AuditEvent.objects.count()
    assert refused(api.patch(f"/products/{cast.ktp.pk}/draft", {"requirements": "x"}), 404)
    assert refused(api.post(f"/products/{cast.ktp.pk}/draft/publish"), 404)
    assert refused(api.patch(f"/institutions/{cast.tabalong.pk}", {"website": "https://x.go.id"}), 404)
    assert AuditEvent.objects.count() == before


# Query counts of staff reads: the same at two data sizes.

def test_staff_reads_keep_a_flat_query_count(cast: Any) -> None:
    api = Api.as_user(cast.head_kalsel)
    paths = ["/my/institutions", f"/my/institutions/{cast.tabalong.pk}", "/my/units",
             f"/my/units/{cast.dukcapil.pk}", "/my/products", f"/my/products/{cast.ktp.pk}"]

    def grow(n: int) -> None:
        for _ in range(n):
            inst = services.institution_save(actor=cast.national_admin, data={
                "name": f"Instansi {Institution.objects.count()}", "kind": "pemkab",
                "province_id": cast.kalsel_province.pk, "office_id": cast.kalsel.pk})
            unit = services.unit_save(actor=cast.national_admin, institution=inst, data={"name": "Dinas"})
            publish(cast.national_admin, services.product_save(actor=cast.national_admin, unit=unit,
                                                               data={"name": "KTP"}))
            services.product_save(actor=cast.national_admin, unit=cast.dukcapil,
                                  data={"name": f"Produk {ServiceProduct.objects.count()}"})
        publish(cast.national_admin, cast.ktp, effective=dt.date(2025, 5, 1))

    grow(2)
    api.get("/my/institutions")  # the token's last-used stamp is written once, not on every call
    small = [count_queries(lambda p=path: api.get(p)) for path in paths]
    grow(12)
    large = [count_queries(lambda p=path: api.get(p)) for path in paths]
    assert small == large
    assert max(large) <= 7, large
