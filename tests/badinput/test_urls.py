"""Huge and odd numbers in URLs and query parameters answer 404 or a clear 422, never 500.

A number larger than a 64-bit SQL integer used to reach the query (SQLite: ``OverflowError``,
PostgreSQL: out of range). Routes take ids through the bounded ``<id:…>`` converter, query
parameters through ``pantau.core.http.query_id`` / ``parse_id``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from pantau.core.converters import MAX_ID, parse_id
from pantau.registry.tests.api_helpers import Api

HUGE = "99999999999999999999"  # 20 digits: more than 2**63 - 1
JUST_TOO_BIG = str(MAX_ID + 1)
ODD = [HUGE, JUST_TOO_BIG, "-1", "²", "١٢", "1e3", "0x10", " 7", "007"]

PAGES = [
    "/layanan/{n}/", "/layanan/{n}/papan.pdf", "/instansi/{n}/", "/l/{n}",
    "/kelola/instansi/{n}/", "/kelola/instansi/{n}/ubah/", "/kelola/instansi/{n}/unit/baru/",
    "/kelola/instansi/{n}/perubahan-unit/", "/kelola/unit/{n}/", "/kelola/unit/{n}/produk/baru/",
    "/kelola/produk/{n}/", "/kelola/produk/{n}/standar/", "/akun/token/{n}/cabut/",
]
QUERIES = [
    "/layanan/?instansi={n}", "/layanan/?instansi={n}&provinsi=63", "/layanan/?hal={n}",
    "/kelola/audit/?instansi={n}", "/kelola/audit/?sebelum={n}", "/kelola/audit/?sesudah={n}",
    "/kelola/audit/?id_objek={n}", "/kelola/instansi/?hal={n}",
]
API = [
    "/institutions/{n}", "/institutions/{n}/units", "/products/{n}", "/products/{n}/standard",
    "/products/{n}/standards", "/products/1/standards/{n}", "/products?institution={n}",
    "/my/institutions/{n}", "/my/units/{n}", "/my/products/{n}",
]


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            found += walk(entry.url_patterns, prefix + str(entry.pattern), inner or "")
        elif isinstance(entry, URLPattern):
            found.append((namespace, prefix + str(entry.pattern), entry.pattern.converters))
    return found


def test_no_page_route_takes_an_unbounded_int() -> None:
    unbounded = [route for namespace, route, converters in walk(get_resolver().url_patterns)
                 if not namespace.startswith("api") and namespace != "admin"
                 and any(isinstance(c, IntConverter) for c in converters.values())]
    assert unbounded == [], "use <id:…> (pantau/core/converters.py), not <int:…>"


@pytest.mark.parametrize("raw", ODD)
def test_parse_id_takes_plain_numbers_a_database_holds_and_nothing_else(raw: str) -> None:
    assert parse_id(raw) == (7 if raw in (" 7", "007") else None)


def test_parse_id_bounds() -> None:
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(JUST_TOO_BIG) is None and parse_id("0") is None and parse_id("") is None
    assert parse_id(None) is None


@pytest.mark.parametrize("template", PAGES)
@pytest.mark.parametrize("who", ["anonymous", "national_admin"])
def test_a_huge_id_in_a_page_url_answers_404_or_the_login_page(cast: Any, template: str, who: str) -> None:
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(cast.users[who])
    for number in (HUGE, JUST_TOO_BIG):
        response = client.get(template.format(n=number))
        assert response.status_code in ((404,) if who != "anonymous" else (302, 404)), (
            template, number, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/akun/masuk/")


@pytest.mark.parametrize("template", QUERIES)
def test_a_huge_or_odd_number_in_a_query_parameter_never_answers_500(cast: Any, template: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.users["national_admin"])
    for number in ODD:
        response = client.get(template.format(n=number))
        # 200: the parameter is ignored; 400: the filter form shows which field is wrong
        assert response.status_code in (200, 400), (template, number, response.status_code)


@pytest.mark.parametrize("template", API)
def test_a_huge_id_in_the_api_answers_404_or_422(cast: Any, template: str) -> None:
    api = Api.as_user(cast.users["national_admin"])
    for number in (HUGE, JUST_TOO_BIG):
        response = api.get(template.format(n=number))
        assert response.status_code in (404, 422), (template, number, response.status_code)


@pytest.mark.parametrize("method", ["PATCH", "POST"])
def test_a_huge_id_in_an_api_write_answers_404_or_422(cast: Any, method: str) -> None:
    api = Api.as_user(cast.users["national_admin"])
    paths = {"PATCH": ["/institutions/{n}", "/units/{n}", "/products/{n}", "/products/{n}/draft"],
             "POST": ["/institutions/{n}/units", "/units/{n}/products", "/products/{n}/draft/publish"]}
    for template in paths[method]:
        response = api.send(method, template.format(n=HUGE), {"name": "x"})
        assert response.status_code in (404, 422), (template, response.status_code)
