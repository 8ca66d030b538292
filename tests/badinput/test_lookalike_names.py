"""Lookalike names: names that differ only by case, spacing, zero-width or bidirectional-override
characters, compatibility forms or homoglyphs are the same name (``pantau.core.text.fold_key``).
Every write path — web form, API — refuses them with the clear "already taken" message on the
name field, answers no 500, and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.core.models import AuditEvent
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit
from pantau.registry.tests.api_helpers import Api

pytestmark = pytest.mark.django_db

# Each is a lookalike of "Penerbitan KTP-el" (the product of Tabalong's Dukcapil in the cast).
LOOKALIKES = {
    "case": "PENERBITAN ktp-EL",
    "spacing": "  Penerbitan   KTP-el ",
    "zero-width space": "Pener\u200bbitan KTP-el",
    "zero-width joiner": "Penerbitan\u200d KTP-el",
    "right-to-left override": "\u202ePenerbitan KTP-el\u202c",
    "soft hyphen": "Pener\u00adbitan KTP-el",
    "cyrillic e and a": "P\u0435nerbit\u0430n KTP-el",
    "greek capital kappa": "Penerbitan \u039aTP-el",
    "full-width letters": "\uff30enerbitan KTP-el",
    "non-breaking space": "Penerbitan\u00a0KTP-el",
}


def _form_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state() -> tuple[int, int, int, int]:
    return (Institution.objects.count(), ServiceUnit.objects.count(), ServiceProduct.objects.count(),
            AuditEvent.objects.count())


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_lookalike_product_name_is_refused_in_the_web_form(cast: Any, name: str) -> None:
    before = _state()
    response = _form_client(cast.operator_dukcapil).post(
        reverse("manage:product_new", args=[cast.dukcapil.pk]), {"name": name, "category": "adminduk"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Unit ini sudah punya produk layanan dengan nama ini; pakai nama lain." in html
    assert 'id="id_name_error"' in html  # on the name field, where the user fixes it
    assert _state() == before


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_lookalike_product_name_is_refused_by_the_api(cast: Any, name: str) -> None:
    api = Api.as_user(cast.operator_dukcapil)
    before = _state()
    response = api.post(f"/units/{cast.dukcapil.pk}/products", {"name": name, "category": "adminduk"})
    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith("name: ")
    assert _state() == before


def test_a_rename_by_api_to_a_lookalike_of_a_sibling_is_refused(cast: Any) -> None:
    sibling = ServiceProduct.objects.create(unit=cast.dukcapil, name="Akta Kelahiran")
    response = Api.as_user(cast.operator_dukcapil).patch(f"/products/{sibling.pk}", {"name": "penerbitan ktp-EL"})
    assert response.status_code == 422, response.content
    assert ServiceProduct.objects.get(pk=sibling.pk).name == "Akta Kelahiran"


def test_the_same_product_name_in_another_unit_is_fine(cast: Any) -> None:
    product = ServiceProduct(unit=cast.dpmptsp, name="penerbitan ktp-el")
    product.full_clean()


@pytest.mark.parametrize("name", ["dpmptsp", "DPMPTSP\u200b", "DPMPTSP\u202e", "DРMРTSР"])  # last: Cyrillic Р
def test_a_lookalike_unit_name_is_refused_in_the_institution(cast: Any, name: str) -> None:
    before = _state()
    response = _form_client(cast.admin_tabalong).post(reverse("manage:unit_new", args=[cast.tabalong.pk]), {
        "name": name, "kind": "dinas"})
    assert response.status_code == 422
    assert "Instansi ini sudah punya unit dengan nama ini; pakai nama lain." in response.content.decode()
    assert _state() == before
    api = Api.as_user(cast.admin_tabalong)
    before = _state()
    assert api.post(f"/institutions/{cast.tabalong.pk}/units", {"name": name}).status_code == 422
    assert _state() == before


@pytest.mark.parametrize("name", ["PEMERINTAH KABUPATEN TABALONG", "Pemerintah Kabupaten\u200b Tabalong",
                                  "Pemerintah  Kabupaten Tabal\u043eng"])
def test_a_lookalike_institution_name_is_refused_everywhere_in_the_country(cast: Any, name: str) -> None:
    before = _state()
    response = _form_client(cast.national_admin).post(reverse("manage:institution_new"), {
        "name": name, "kind": "pemkab", "province": cast.kalteng_province.pk, "office": cast.kalteng.pk})
    assert response.status_code == 422
    assert "Sudah ada instansi dengan nama ini; pakai nama lain." in response.content.decode()
    response = Api.as_user(cast.national_admin).post("/institutions", {
        "name": name, "kind": "pemkab", "office_id": cast.kalteng.pk})
    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith("name: ")
    assert _state()[:3] == before[:3]


def test_invisible_characters_are_not_stored_and_the_key_is_folded(cast: Any) -> None:
    response = _form_client(cast.operator_dukcapil).post(
        reverse("manage:product_new", args=[cast.dukcapil.pk]),
        {"name": "Akta\u200b  Kelahiran\u202e", "category": "adminduk", "is_active": "on"})
    assert response.status_code == 302
    product = ServiceProduct.objects.get(name="Akta Kelahiran")
    assert product.name_key == "akta kelahiran"
