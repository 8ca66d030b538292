"""The web pages of a product's and a unit's life: edit, rename, deactivate, reactivate; record a
dated unit change with the products' destinations, correct it, undo it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.core.models import AuditEvent
from pantau.registry.models import ServiceProduct, ServiceUnit, UnitEvent

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_renames_a_product_in_the_web_form_and_the_history_shows_it(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    response = client.post(reverse("manage:product_edit", args=[cast.ktp.pk]), {
        "name": "Penerbitan KTP Elektronik", "category": "adminduk", "description": "", "reason": "nama resmi"})
    assert response.status_code == 302
    product = ServiceProduct.objects.get(pk=cast.ktp.pk)
    assert product.name == "Penerbitan KTP Elektronik" and ServiceProduct.objects.count() == 3
    page = client.get(reverse("manage:product", args=[product.pk])).content.decode()
    assert "Riwayat produk layanan" in page and "product.updated" in page and "nama resmi" in page
    assert Client().get(reverse("public:product", args=[product.pk])).status_code == 200


def test_a_rename_to_a_lookalike_of_another_product_in_the_unit_is_refused_on_the_name_field(cast: Any) -> None:
    other = ServiceProduct.objects.create(unit=cast.dukcapil, name="Akta Kelahiran")
    response = client_for(cast.operator_dukcapil).post(reverse("manage:product_edit", args=[other.pk]), {
        "name": "penerbitan\u200b KTP-EL", "category": "adminduk"})
    assert response.status_code == 422
    assert "Unit ini sudah punya produk layanan dengan nama ini" in response.content.decode()
    assert ServiceProduct.objects.get(pk=other.pk).name == "Akta Kelahiran"


def test_a_product_is_deactivated_with_a_reason_and_reactivated(cast: Any) -> None:
    client = client_for(cast.operator_dukcapil)
    url = reverse("manage:product_status", args=[cast.ktp.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 422 and "Tulis alasannya." in refused.content.decode()
    assert ServiceProduct.objects.get(pk=cast.ktp.pk).is_active
    assert client.post(url, {"reason": "dilayani MPP"}).status_code == 302
    assert not ServiceProduct.objects.get(pk=cast.ktp.pk).is_active
    assert Client().get(reverse("public:product", args=[cast.ktp.pk])).status_code == 404
    assert client.post(url, {"reason": "kembali dilayani"}).status_code == 302
    assert ServiceProduct.objects.get(pk=cast.ktp.pk).is_active
    types = list(AuditEvent.objects.filter(object_id=str(cast.ktp.pk), object_type="registry.serviceproduct")
                 .order_by("pk").values_list("event_type", "reason"))[-2:]
    assert types == [("product.deactivated", "dilayani MPP"), ("product.reactivated", "kembali dilayani")]


def test_a_product_of_another_institution_cannot_be_edited(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    assert client.get(reverse("manage:product_edit", args=[cast.barsel_ktp.pk])).status_code == 404
    assert client.post(reverse("manage:product_status", args=[cast.barsel_ktp.pk]), {
        "reason": "x"}).status_code == 404
    assert ServiceProduct.objects.get(pk=cast.barsel_ktp.pk).is_active


def test_a_split_form_asks_where_each_product_goes_then_records_it(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    url = reverse("manage:unit_event", args=[cast.tabalong.pk])
    post = {"kind": "split", "date": "2025-06-01", "units": [cast.dpmptsp.pk],
            "new_names": "Dinas Penanaman Modal\nDinas Perizinan"}
    first = client.post(url, post)
    html = first.content.decode()
    assert first.status_code == 422 and UnitEvent.objects.count() == 0
    assert "Pilih ke mana tiap produk layanan pindah" in html and f'name="product_{cast.pbg.pk}"' in html
    second = client.post(url, {**post, f"product_{cast.pbg.pk}": "new:1"})
    assert second.status_code == 302
    assert ServiceProduct.objects.get(pk=cast.pbg.pk).unit.name == "Dinas Perizinan"


def test_a_merge_dated_in_the_future_is_shown_as_pending_and_can_be_undone(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    future = dt.date.today() + dt.timedelta(days=40)
    response = client.post(reverse("manage:unit_event", args=[cast.tabalong.pk]), {
        "kind": "merge", "date": future.isoformat(), "units": [cast.dukcapil.pk, cast.dpmptsp.pk],
        "new_names": "Mal Pelayanan Publik Tabalong"})
    assert response.status_code == 302
    event = UnitEvent.objects.get()
    page = client.get(reverse("manage:institution", args=[cast.tabalong.pk])).content.decode()
    assert "Menunggu tanggal berlaku" in page and "mulai" in page
    assert client.post(reverse("manage:unit_event_undo", args=[event.pk]), {"reason": ""}).status_code == 422
    assert client.post(reverse("manage:unit_event_undo", args=[event.pk]), {
        "reason": "ditunda"}).status_code == 302
    assert UnitEvent.objects.get().state == "undone"
    assert not ServiceUnit.objects.filter(name="Mal Pelayanan Publik Tabalong").exists()


def test_a_change_is_corrected_from_the_web(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    client.post(reverse("manage:unit_event", args=[cast.tabalong.pk]), {
        "kind": "merge", "date": "2025-06-01", "units": [cast.dukcapil.pk, cast.dpmptsp.pk],
        "new_names": "MPP Tabalong"})
    event = UnitEvent.objects.get()
    response = client.post(reverse("manage:unit_event_correct", args=[event.pk]), {
        "date": "2025-05-02", "legal_basis": "Perbup 9/2025", "note": "", "reason": "salah ketik"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.date, event.legal_basis) == (dt.date(2025, 5, 2), "Perbup 9/2025")
    assert ServiceUnit.objects.get(pk=cast.dukcapil.pk).active_until == dt.date(2025, 5, 2)
