"""Keyset pages of the API lists (``pantau.core.apicursor``): opaque cursors, no skips or repeats
while rows are written between two fetches, bounded offsets and counts."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import Client

from pantau.core import apicursor
from pantau.registry import services
from pantau.registry.tests.api_helpers import Api
from tests.cast import publish

pytestmark = pytest.mark.django_db

PUBLIC_LISTS = ["/provinces", "/regencies", "/offices", "/institutions", "/products"]
STAFF_LISTS = ["/my/institutions", "/my/institutions?order=completeness", "/my/units", "/my/products"]


def _walk(api: Api, path: str, limit: int, between: Any = None) -> list[int | str]:
    """Every item's id (or code) of ``path``, page by page by cursor; ``between(items)`` runs
    between two fetches."""
    seen: list[int | str] = []
    sep = "&" if "?" in path else "?"
    body = api.get(f"{path}{sep}limit={limit}").json()
    for _ in range(200):
        seen += [item.get("id", item.get("code", item.get("version"))) for item in body["items"]]
        if body["next"] is None:
            assert body["next_url"] is None
            return seen
        if between is not None:
            between(body["items"])
        response = api.client.get(body["next_url"], **api.headers())
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] is None and body["offset"] == 0
    raise AssertionError("the walk did not end")


@pytest.mark.parametrize("path", PUBLIC_LISTS)
def test_every_public_list_walks_by_cursor_to_the_same_rows_as_one_big_page(cast: Any, path: str) -> None:
    api = Api()
    whole = [item.get("id", item.get("code")) for item in api.get(path, {"limit": 100}).json()["items"]]
    assert len(whole) >= 2
    assert _walk(api, path, 1) == whole


@pytest.mark.parametrize("path", STAFF_LISTS)
def test_every_staff_list_walks_by_cursor_to_the_same_rows_as_one_big_page(cast: Any, path: str) -> None:
    api = Api.as_user(cast.national_admin)
    sep = "&" if "?" in path else "?"
    whole = [item["id"] for item in api.get(f"{path}{sep}limit=100").json()["items"]]
    assert len(whole) >= 2
    assert _walk(api, path, 1) == whole


def test_product_versions_walk_by_cursor_newest_first(cast: Any) -> None:
    publish(cast.national_admin, cast.ktp)
    publish(cast.national_admin, cast.ktp)
    api = Api()
    versions = [v["version"] for v in api.get(f"/products/{cast.ktp.pk}/standards").json()["items"]]
    assert versions == [3, 2, 1]
    assert _walk(api, f"/products/{cast.ktp.pk}/standards", 1) == [3, 2, 1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cursor_pages_never_skip_or_repeat_a_row_while_rows_are_inserted(cast: Any, seed: int) -> None:
    """Names are inserted at random places of the order between two fetches: every row that was
    there at the start is seen exactly once, and so is every row inserted after the cursor."""
    rng = random.Random(seed)
    admin = cast.national_admin
    api = Api.as_user(admin)
    made: dict[int, str] = {}

    def add() -> None:
        name = f"Layanan {rng.randrange(10_000):04d} {len(made)}"
        product = services.product_save(actor=admin, unit=cast.dukcapil, data={"name": name})
        made[product.pk] = name

    for _ in range(12):
        add()
    at_start = set(api.get("/my/products", {"unit": cast.dukcapil.pk, "limit": 100}).json()["items"][i]["id"]
                   for i in range(len(made) + 1))
    must_see = set(at_start)

    def between(items: list[dict[str, Any]]) -> None:
        last = items[-1]["name"]
        for _ in range(rng.randrange(3)):
            add()
            pk = max(made)
            if made[pk] > last:  # after the cursor: the walk must still reach it
                must_see.add(pk)

    seen = _walk(api, f"/my/products?unit={cast.dukcapil.pk}", 3, between)
    assert len(seen) == len(set(seen)), "a row was repeated"
    assert must_see <= set(seen), "a row was skipped"
    assert len(made) > 12  # rows were inserted while walking


def test_walking_the_public_products_continues_after_an_offset_page(cast: Any) -> None:
    for i in range(5):
        publish(cast.national_admin, services.product_save(actor=cast.national_admin, unit=cast.dukcapil,
                                                           data={"name": f"Layanan {i}"}))
    api = Api()
    first = api.get("/products", {"q": "layanan", "limit": 2, "offset": 1}).json()
    assert [p["name"] for p in first["items"]] == ["Layanan 1", "Layanan 2"] and first["count"] == 5
    rest = api.get("/products", {"q": "layanan", "limit": 10, "cursor": first["next"]}).json()
    assert [p["name"] for p in rest["items"]] == ["Layanan 3", "Layanan 4"] and rest["next"] is None


@pytest.mark.parametrize("cursor", ["x", "abc:def", "Wzxd:1k2:3", "%00", "a" * 900])
def test_a_malformed_cursor_answers_422_with_a_detail(cast: Any, cursor: str) -> None:
    response = Api().get("/products", {"cursor": cursor})
    assert response.status_code == 422 and response.json()["detail"].startswith("cursor: ")


def test_a_cursor_is_opaque_and_belongs_to_its_list(cast: Any) -> None:
    api = Api()
    cursor = api.get("/institutions", {"limit": 1}).json()["next"]
    assert cursor and "Pemerintah" not in cursor
    assert api.get("/institutions", {"limit": 1, "cursor": cursor}).status_code == 200
    assert api.get("/products", {"cursor": cursor}).status_code == 422  # another list
    forged = cursor[:-3] + ("aaa" if not cursor.endswith("aaa") else "bbb")
    assert api.get("/institutions", {"cursor": forged}).status_code == 422
    both = api.get("/institutions", {"cursor": cursor, "offset": 1})
    assert both.status_code == 422 and both.json()["detail"].startswith("offset: ")


def test_an_offset_beyond_the_cap_says_to_follow_the_cursor(cast: Any) -> None:
    response = Api().get("/products", {"offset": apicursor.MAX_OFFSET + 1})
    assert response.status_code == 422
    assert "cursor" in response.json()["detail"] and response.json()["detail"].startswith("offset: ")
    assert Api().get("/products", {"offset": apicursor.MAX_OFFSET}).json()["items"] == []


def test_the_count_is_bounded(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apicursor, "COUNT_CAP", 2)
    body = Api().get("/products").json()
    assert body["count"] == 2 and body["count_capped"] is True and len(body["items"]) == 3
    body = Api().get("/products", {"province": "62"}).json()
    assert body["count"] == 1 and body["count_capped"] is False


def test_the_openapi_schema_documents_the_cursor(cast: Any) -> None:
    spec = Client().get("/api/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/api/registry/products"]["get"]["parameters"]}
    assert {"cursor", "limit", "offset"} <= params


def test_the_product_list_reads_its_order_from_an_index_not_a_sort_of_every_product(cast: Any) -> None:
    from django.db import connection

    from pantau.registry.api.public import _products
    qs = _products().order_by("name", "pk")[:51]
    if connection.vendor == "sqlite":
        plan = qs.explain()
        assert "product_name_id" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
    else:  # a few rows: PostgreSQL sorts them whatever the indexes; the index must exist for large tables
        from pantau.registry.models import ServiceProduct
        with connection.cursor() as cursor:
            existing = connection.introspection.get_constraints(cursor, ServiceProduct._meta.db_table)
        assert existing["product_name_id"]["columns"] == ["name", "id"]
