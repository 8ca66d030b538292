"""Region boundaries live in their own tables (ADR 0015): no list reads them, the map does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pantau.registry.models import Province, ProvinceBoundary, Regency, RegencyBoundary
from tests.cast import client_for

pytestmark = pytest.mark.django_db

SQUARE = json.dumps({"type": "Polygon", "coordinates": [[[115.0, -2.0], [116.0, -2.0], [116.0, -1.0],
                                                         [115.0, -1.0], [115.0, -2.0]]]})


@pytest.fixture
def shapes(cast: Any) -> None:
    for province in Province.objects.all():
        ProvinceBoundary.objects.create(province=province, geometry=SQUARE)
    for regency in Regency.objects.all():
        RegencyBoundary.objects.create(regency=regency, geometry=SQUARE)


def _sql(client: Client, url: str) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"].lower() for q in ctx.captured_queries]


@pytest.mark.parametrize("url", [
    "/layanan/?q=ktp", "/layanan/", "/", "/api/registry/products", "/api/registry/products?q=ktp",
    "/api/registry/institutions", "/api/registry/regencies", "/api/registry/provinces",
])
def test_public_lists_never_read_a_boundary(cast: Any, shapes: None, url: str) -> None:
    statements = _sql(Client(), url)
    assert statements  # the page was built from the database, not from a cache
    assert not [sql for sql in statements if "boundary" in sql or "geometry" in sql]


def test_the_staff_institution_list_never_reads_a_boundary(cast: Any, shapes: None) -> None:
    statements = _sql(client_for(cast.national_admin), "/kelola/instansi/")
    assert statements and not [sql for sql in statements if "boundary" in sql]


def test_the_map_reads_boundaries_from_their_table(cast: Any, shapes: None) -> None:
    statements = _sql(Client(), "/peta/provinsi.json")
    assert any("registry_provinceboundary" in sql for sql in statements)
    assert {f["id"] for f in json.loads(Client().get("/peta/provinsi.json").content)["features"]} == {"62", "63"}
    regencies = json.loads(Client().get("/peta/provinsi/63.json").content)["features"]
    assert {f["id"] for f in regencies} == {"63.09", "63.71"}


def test_a_region_without_a_boundary_row_is_left_off_the_map(cast: Any) -> None:
    ProvinceBoundary.objects.create(province=cast.kalsel_province, geometry=SQUARE)
    assert [f["id"] for f in json.loads(Client().get("/peta/provinsi.json").content)["features"]] == ["63"]
