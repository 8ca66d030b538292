from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.registry import services
from tests.cast import publish

pytestmark = pytest.mark.django_db


def test_the_product_page_shows_the_standard_a_citizen_needs(cast: Any) -> None:
    body = Client().get(reverse("public:product", args=[cast.ktp.pk])).content.decode()
    assert '<ul class="checklist">' in body and "Fotokopi Kartu Keluarga" in body
    assert '<ol class="steps">' in body and "Serahkan berkas" in body
    assert "1 hari kerja" in body and "Gratis" in body
    assert "Cara mengadu" in body and cast.kalsel.name in body
    assert "Kami sanggup melayani sesuai standar." in body  # the unit's maklumat


def test_a_product_without_a_published_standard_is_not_public(cast: Any) -> None:
    product = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "Surat Pindah"})
    services.standard_save_draft(actor=cast.admin_tabalong, product=product, data={"requirements": "KK"})
    assert Client().get(reverse("public:product", args=[product.pk])).status_code == 404
    search = Client().get(reverse("public:search"), {"q": "Pindah"}).content.decode()
    assert "Surat Pindah" not in search


def test_search_filters_by_name_and_province(cast: Any) -> None:
    body = Client().get(reverse("public:search"), {"q": "ktp", "provinsi": "62"}).content.decode()
    assert "Barito Selatan" in body and "Tabalong" not in body
    body = Client().get(reverse("public:search"), {"q": "bangunan"}).content.decode()
    assert "Persetujuan Bangunan Gedung" in body


def test_search_tolerates_odd_input(cast: Any) -> None:
    for params in ({"q": "x" * 5000}, {"provinsi": "zz"}, {"instansi": "abc"}, {"hal": "-1"}, {"q": "%_'\""},
                   {"q": "ktp\x00"}, {"provinsi": "6\x003"}, {"kabupaten": "\x00"}, {"instansi": "1\x00"}):
        assert Client().get(reverse("public:search"), params).status_code == 200


def test_a_nul_character_in_the_search_is_dropped_not_an_error(cast: Any) -> None:
    body = Client().get(reverse("public:search"), {"q": "KTP\x00-el"}).content.decode()
    assert "Penerbitan KTP-el" in body


def test_the_staff_list_tolerates_odd_filters(cast: Any) -> None:
    client = Client()
    client.force_login(cast.national_admin)
    for params in ({"q": "tab\x00"}, {"provinsi": "\x00"}, {"jenis": "\x00pemkab"}, {"q": "y" * 5000}):
        assert client.get(reverse("manage:institutions"), params).status_code == 200


def test_public_pages_keep_a_flat_query_count(cast: Any, django_assert_max_num_queries: Any) -> None:
    for i in range(25):
        product = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": f"KTP {i}"})
        publish(cast.admin_tabalong, product)
    client = Client()
    with django_assert_max_num_queries(5):  # the index's stamp (page cache), count, page, its products, provinces
        assert client.get(reverse("public:search"), {"q": "ktp"}).status_code == 200
    with django_assert_max_num_queries(4):  # stamp, product, standard, the unit's surveys (core.hooks.page_panel)
        assert client.get(reverse("public:product", args=[cast.ktp.pk])).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("public:institution", args=[cast.tabalong.pk])).status_code == 200


def test_healthz_answers_ok() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
