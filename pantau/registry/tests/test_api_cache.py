"""Public API answers from the cache (``pantau.core.apicache``): kept for anonymous reads only,
never for errors, and showing every change at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pantau.core.pagecache import CACHE_HEADER
from pantau.registry import services
from pantau.registry.tests.api_helpers import Api
from tests.cast import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.cache]
PRODUCTS = "/api/registry/products"


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_a_second_anonymous_read_comes_from_the_cache_with_no_query(cast: Any,
                                                                    django_assert_max_num_queries: Any) -> None:
    first = Client().get(PRODUCTS)
    assert first[CACHE_HEADER] == "miss"
    with django_assert_max_num_queries(1):  # the registry stamp only
        second = Client().get(PRODUCTS)
    assert second[CACHE_HEADER] == "hit" and second.json() == first.json()
    assert second["Content-Type"] == first["Content-Type"]


def test_a_renamed_product_shows_at_once(cast: Any) -> None:
    Client().get(PRODUCTS)
    services.product_save(actor=cast.national_admin, product=cast.pbg, data={"name": "Persetujuan Bangunan Baru"})
    response = Client().get(PRODUCTS)
    assert response[CACHE_HEADER] == "miss" and "Persetujuan Bangunan Baru" in names(response)


def test_a_withdrawn_product_leaves_the_cached_list_at_once(cast: Any) -> None:
    assert "Persetujuan Bangunan Gedung" in names(Client().get(PRODUCTS))
    services.product_save(actor=cast.national_admin, product=cast.pbg, data={"is_active": False})
    assert "Persetujuan Bangunan Gedung" not in names(Client().get(PRODUCTS))


def test_each_query_and_page_is_its_own_answer(cast: Any) -> None:
    everything = names(Client().get(PRODUCTS))
    assert names(Client().get(PRODUCTS, {"q": "bangunan"})) == ["Persetujuan Bangunan Gedung"]
    assert names(Client().get(PRODUCTS, {"limit": 1})) == everything[:1]
    assert names(Client().get(PRODUCTS)) == everything


def test_absolute_urls_follow_the_host_asked(cast: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    first = Client().get(PRODUCTS, HTTP_HOST="a.example").json()["items"][0]["url"]
    second = Client().get(PRODUCTS, HTTP_HOST="b.example").json()["items"][0]["url"]
    assert first.startswith("http://a.example/layanan/") and second.startswith("http://b.example/layanan/")


def test_errors_are_answered_every_time_and_never_kept(cast: Any) -> None:
    for _ in range(2):
        response = Client().get(PRODUCTS, {"limit": 0})
        assert response.status_code == 422 and CACHE_HEADER not in response


def test_token_and_signed_in_reads_are_never_served_from_the_cache(cast: Any) -> None:
    Client().get(PRODUCTS)
    assert CACHE_HEADER not in Api.as_user(cast.admin_tabalong).get("/products")
    assert CACHE_HEADER not in client_for(cast.admin_tabalong).get(PRODUCTS)


def test_product_urls_are_those_of_the_public_pages(cast: Any) -> None:
    items = Client().get(PRODUCTS, HTTP_HOST="testserver").json()["items"]
    by_name = {item["name"]: item["url"] for item in items}
    assert by_name["Persetujuan Bangunan Gedung"] == f"http://testserver/layanan/{cast.pbg.pk}/"
