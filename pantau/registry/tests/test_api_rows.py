"""The public product list is read as plain rows and shaped into JSON (``pantau.core.apirows``):
its answer must be exactly what the declared schema makes of the model objects, and its cursor
pages, compiled once per process, must follow every write like the ORM would."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from pantau.core import apirows
from pantau.registry import services
from pantau.registry.api import public
from pantau.registry.api.schemas import ProductOut
from pantau.registry.models import Office, Province, ServiceProduct
from pantau.registry.tests.api_helpers import Api
from tests.cast import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_statements() -> Any:
    apirows.statements().clear()
    yield
    apirows.statements().clear()


def _many(cast: Any, count: int, prefix: str = "Layanan") -> list[ServiceProduct]:
    made = []
    for i in range(count):
        product = services.product_save(actor=cast.national_admin, unit=cast.dukcapil,
                                         data={"name": f"{prefix} {i:02d}", "description": f"Uraian {i} <b>&</b> é"})
        publish(cast.national_admin, product)
        made.append(product)
    return made


def _walk(api: Api, params: dict[str, Any]) -> list[dict[str, Any]]:
    body = api.get("/products", params).json()
    items = list(body["items"])
    while body["next"]:
        cache.clear()  # every page computed, none answered from the cache
        body = api.client.get(body["next_url"]).json()
        items += body["items"]
    return items


def _schema_items(request: Any, ids: list[int]) -> list[dict[str, Any]]:
    objects = {p.pk: p for p in public._products().filter(pk__in=ids)}
    return [ProductOut.model_validate(objects[pk], context={"request": request}).model_dump(mode="json")
            for pk in ids]


def _national_product(cast: Any) -> ServiceProduct:
    """A ministry's product: no province (``null`` in the answer)."""
    office = Office.objects.get(is_national=True)
    ministry = services.institution_save(actor=cast.national_admin, data={
        "name": "Kementerian Uji", "kind": "kementerian", "office_id": office.pk})
    unit = services.unit_save(actor=cast.national_admin, institution=ministry, data={"name": "Direktorat Uji",
                                                                                     "kind": "kantor"})
    product = services.product_save(actor=cast.national_admin, unit=unit, data={"name": "Layanan Pusat"})
    publish(cast.national_admin, product, effective=None)
    return product


def test_every_item_equals_what_the_schema_makes_of_the_model_objects(cast: Any) -> None:
    _many(cast, 7)
    national = _national_product(cast)
    items = _walk(Api(), {"limit": 3})
    assert len(items) >= 9  # the cast's own products and these, on several pages
    request = RequestFactory().get("/api/registry/products")
    assert items == _schema_items(request, [item["id"] for item in items])
    assert [item["province"] for item in items if item["id"] == national.pk] == [None]


def test_the_page_answer_validates_against_the_declared_paginated_schema(cast: Any) -> None:
    _many(cast, 3)
    response = Api().get("/products", {"limit": 2})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    spec = Api().client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/registry/products"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][name]["properties"]) == set(response.json())
    assert {p["name"] for p in operation["parameters"]} >= {"limit", "offset", "cursor", "q", "province"}


@pytest.mark.parametrize("params", [{}, {"province": "63"}, {"q": "layanan"}])
def test_compiled_pages_equal_the_orm_pages(cast: Any, params: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _many(cast, 9)
    compiled = _walk(Api(), {**params, "limit": 2})
    assert apirows.statements() or params.get("q")  # search words are never compiled
    monkeypatch.setattr(apirows, "compile_statement", lambda *args: None)
    apirows.statements().clear()
    assert _walk(Api(), {**params, "limit": 2}) == compiled
    assert compiled


def test_a_compiled_page_shows_every_write_since_it_was_compiled(cast: Any) -> None:
    made = _many(cast, 6)
    api = Api()
    first = api.get("/products", {"limit": 2}).json()
    api.client.get(first["next_url"])  # compiles the statement
    assert apirows.statements()
    services.product_save(actor=cast.national_admin, product=made[3], data={"name": "Layanan 03 baru"})
    services.product_save(actor=cast.national_admin, unit=cast.dukcapil, data={"name": "Layanan 04a"})
    publish(cast.national_admin, ServiceProduct.objects.get(name="Layanan 04a"))
    names = [item["name"] for item in _walk(api, {"limit": 2})]
    assert "Layanan 03 baru" in names and "Layanan 03" not in names and "Layanan 04a" in names
    assert names == sorted(names)


def test_each_province_filter_has_its_own_statement(cast: Any) -> None:
    _many(cast, 4)
    here = cast.dukcapil.institution.province.code
    others = _walk(Api(), {"limit": 1, "province": next(
        code for code in Province.objects.values_list("code", flat=True) if code != here)})
    mine = _walk(Api(), {"limit": 1, "province": here})
    assert len(mine) >= 4 and {item["province"] for item in mine} == {here}
    assert {item["province"] for item in others} <= {c for c in Province.objects.values_list("code", flat=True)
                                                      if c != here}


def test_a_cursor_page_costs_one_query_once_compiled(cast: Any) -> None:
    _many(cast, 6)
    api = Api()
    body = api.get("/products", {"limit": 2}).json()
    api.client.get(body["next_url"])
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert api.client.get(body["next_url"]).status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if "registry_serviceproduct\".\"name" in q["sql"]]
    assert len(reads) == 1 and len(ctx.captured_queries) <= 3, ctx.captured_queries


def test_ordering_by_a_column_that_is_not_text_or_integer_is_not_compiled(cast: Any) -> None:
    qs = public._products().order_by("current_standard__effective_date", "pk")
    assert apirows.compile_statement(qs, ("id",), 2) is None
    assert apirows.compile_statement(public._products().order_by("name", "pk"), ("id",), 2) is not None


def test_bad_pagination_is_refused_on_a_compiled_list_too(cast: Any) -> None:
    _many(cast, 3)
    api = Api()
    cursor = api.get("/products", {"limit": 1}).json()["next"]
    assert api.get("/products", {"limit": 1, "cursor": cursor}).status_code == 200
    assert apirows.statements()  # the cursor pages of this list are compiled now
    both = api.get("/products", {"limit": 1, "cursor": cursor, "offset": 1})
    assert both.status_code == 422 and both.json()["detail"].startswith("offset: ")
    assert api.get("/products", {"limit": 1, "cursor": cursor + "x"}).status_code == 422
