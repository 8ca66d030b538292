"""The staff dashboard, the home page and the map's completeness read the summary rows (ADR 0014):
the same number of queries with 3 or 20 more institutions, and none over the product or unit tables."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pantau.registry import services
from pantau.registry.models import Province, Regency
from tests.cast import client_for, publish

pytestmark = pytest.mark.django_db

PRODUCTS, UNITS = '"registry_serviceproduct"', '"registry_serviceunit"'


def grow(cast: Any, start: int, stop: int) -> None:
    """Institutions in new regencies of both provinces, each with a unit and two products (one
    published), and a unit with a product in Tabalong (the institution admin's and the head's scope)."""
    admin = cast.national_admin
    for i in range(start, stop):
        province, office = (cast.kalsel_province, cast.kalsel) if i % 2 else (cast.kalteng_province, cast.kalteng)
        regency = Regency.objects.create(code=f"{province.code}.{40 + i // 2}", province=province, name=f"Kab Uji {i}",
                                         kind="kabupaten")
        inst = services.institution_save(actor=admin, data={
            "name": f"Pemerintah Kabupaten Uji {i}", "kind": "pemkab", "province_id": province.pk,
            "regency_id": regency.pk, "office_id": office.pk})
        unit = services.unit_save(actor=admin, institution=inst, data={"name": "Dinas Uji", "maklumat": "Siap"})
        publish(admin, services.product_save(actor=admin, unit=unit, data={"name": f"Izin {i}"}))
        services.product_save(actor=admin, unit=unit, data={"name": f"Izin draf {i}"})
        tab = services.unit_save(actor=admin, institution=cast.tabalong, data={"name": f"Puskesmas {i}"})
        publish(admin, services.product_save(actor=admin, unit=tab, data={"name": f"Surat sehat {i}"}))


def measure(client: Client, url: str) -> tuple[int, list[str]]:
    assert client.get(url).status_code == 200  # warm up (session, content types)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


VIEWERS = ("national_admin", "head_kalsel", "admin_tabalong", "operator_dukcapil")
PUBLIC = ("public:home", "public:map_completeness")


def test_the_dashboard_and_home_keep_their_query_count_and_never_read_products_or_units(cast: Any) -> None:
    clients = {name: client_for(cast.users[name]) for name in VIEWERS} | {None: Client()}
    pages = [(name, reverse("manage:dashboard")) for name in VIEWERS] + [(None, reverse(p)) for p in PUBLIC]
    grow(cast, 0, 3)
    small = {page: measure(clients[page[0]], page[1]) for page in pages}
    grow(cast, 3, 20)
    large = {page: measure(clients[page[0]], page[1]) for page in pages}
    assert {p: small[p][0] for p in pages} == {p: large[p][0] for p in pages}
    for page, (_n, queries) in large.items():
        scans = [q for q in queries if PRODUCTS in q or (UNITS in q and "accounts_membership" not in q)]
        assert scans == [], page


def test_the_dashboard_counts_what_is_in_the_scope(cast: Any) -> None:
    grow(cast, 0, 4)  # two more institutions in each province; 4 more units in Tabalong

    def panel(name: str) -> dict[str, Any]:
        response = client_for(cast.users[name]).get(reverse("manage:dashboard"))
        return next(ctx for template, ctx in response.context["panels"] if "registry" in template)

    national = panel("national_admin")
    assert (national["institution_count"], national["unit_count"], national["product_count"]) == (7, 11, 15)
    head = panel("head_kalsel")  # Tabalong (6 units, 6 products), Banjarmasin, 2 new (1 unit, 2 products)
    assert (head["institution_count"], head["unit_count"], head["product_count"]) == (4, 8, 10)
    tabalong = panel("admin_tabalong")
    assert (tabalong["institution_count"], tabalong["unit_count"], tabalong["product_count"]) == (1, 6, 6)
    operator = panel("operator_dukcapil")  # one unit, one product (15 of 16 items)
    assert (operator["institution_count"], operator["unit_count"], operator["product_count"]) == (1, 1, 1)
    assert operator["score"] == 94
    assert Province.objects.count() == 2
