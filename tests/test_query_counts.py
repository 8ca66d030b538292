"""The list and public pages make as many queries with 30 rows as with 3 (no N+1).

Each page is measured twice: once with 3 extra rows of what it lists and once with 30, all written
through the services. The count must be the same, and stay under a ceiling. Every load counted
runs on a cold cache (the page cache would otherwise answer without building the page).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pantau.accounts.models import Role
from pantau.registry import services, unit_changes
from pantau.registry.models import UnitEvent
from tests.cast import make_user, publish

pytestmark = pytest.mark.django_db


class Grower:
    """Adds rows of every kind the pages list, numbered on from where the last call stopped."""

    def __init__(self, cast: Any) -> None:
        self.cast = cast
        self.done = 0

    def to(self, n: int) -> None:
        c, admin = self.cast, self.cast.national_admin
        for i in range(self.done, n):
            inst = services.institution_save(actor=admin, data={
                "name": f"Pemerintah Kabupaten Uji {i}", "kind": "pemkab", "province_id": c.kalsel_province.pk,
                "office_id": c.kalsel.pk})
            other_unit = services.unit_save(actor=admin, institution=inst, data={"name": "Dinas Uji"})
            publish(admin, services.product_save(actor=admin, unit=other_unit, data={"name": f"Izin Uji {i}"}))
            unit = services.unit_save(actor=admin, institution=c.tabalong, data={
                "name": f"Puskesmas {i}", "kind": "puskesmas", "maklumat": "Siap melayani"})
            publish(admin, services.product_save(actor=admin, unit=unit, data={"name": f"Surat sehat {i}"}))
            publish(admin, services.product_save(actor=admin, unit=c.dukcapil, data={
                "name": f"KTP-el layanan {i}", "category": "adminduk"}), requirements=f"Syarat {i}\nKK")
            publish(admin, c.ktp, effective=dt.date(2025, 2, 1) + dt.timedelta(days=i))  # a new version
            unit_changes.unit_event_record(actor=admin, kind=UnitEvent.Kind.RENAME, date=dt.date(2024, 1, 1),
                                       institution=c.tabalong, from_units=[unit], new_names=[f"UPT Puskesmas {i}"])
            make_user(f"operator_uji_{i}", Role.UNIT_OPERATOR, unit=unit)
            make_user(f"admin_uji_{i}", Role.INSTITUTION_ADMIN, institution=inst)
        self.done = n


def _count(client: Client, url: str, **extra: Any) -> int:
    """Queries of one load on a cold cache: the page (and the stamps it keys on) must be built
    from the database, so an N+1 in a page the page cache serves is counted too."""
    assert client.get(url, **extra).status_code == 200  # warm up (session, content types)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _manage(name: str, arg: Callable[[Any], list[Any]] = lambda c: []) -> Callable[[Any], str]:
    return lambda c: reverse(name, args=arg(c))


PAGES: dict[str, tuple[str | None, Callable[[Any], str], dict[str, Any], int]] = {
    # name: (user or None for anonymous, url, extra request arguments, ceiling)
    "manage:institutions": ("national_admin", _manage("manage:institutions"), {}, 10),
    "manage:institutions (htmx)": ("head_kalsel", lambda c: reverse("manage:institutions") + "?q=Uji",
                                   {"HTTP_HX_REQUEST": "true"}, 10),
    "manage:institution": ("admin_tabalong", _manage("manage:institution", lambda c: [c.tabalong.pk]), {}, 12),
    "manage:institution_component": ("assessor_kalsel", _manage("manage:institution_component",
                                                               lambda c: [c.tabalong.pk, "kelompok_rentan"]), {}, 8),
    "manage:unit": ("operator_dukcapil", _manage("manage:unit", lambda c: [c.dukcapil.pk]), {}, 10),
    # 10: two for the product's history (audit events, unit-change moves), fixed whatever their number.
    "manage:product": ("head_kalsel", _manage("manage:product", lambda c: [c.ktp.pk]), {}, 10),
    "public:search": (None, lambda c: reverse("public:search") + "?q=KTP", {}, 5),
    "public:search (province, htmx)": (None, lambda c: reverse("public:search") + "?provinsi=63",
                                       {"HTTP_HX_REQUEST": "true"}, 4),
    "public:institution": (None, lambda c: reverse("public:institution", args=[c.tabalong.pk]), {}, 4),
    "public:product": (None, lambda c: reverse("public:product", args=[c.ktp.pk]), {}, 5),  # + the unit's surveys
    "accounts:users": ("head_kalsel", _manage("accounts:users"), {}, 11),  # + which accounts are locked
    "accounts:users (national)": ("national_admin", _manage("accounts:users"), {}, 10),
    "core:audit": ("head_kalsel", _manage("core:audit"), {}, 12),
    "core:audit (filtered, htmx)": ("admin_tabalong", lambda c: reverse("core:audit") + "?jenis=unit",
                                    {"HTTP_HX_REQUEST": "true"}, 18),  # + one index range per event type of the prefix
}


def _clients(cast: Any) -> dict[str | None, Client]:
    clients: dict[str | None, Client] = {None: Client()}
    for user, *_rest in PAGES.values():
        if user is not None and user not in clients:
            clients[user] = Client()
            clients[user].force_login(cast.users[user])
    return clients


def test_the_query_count_does_not_grow_with_the_number_of_rows(cast: Any) -> None:
    # One test for every page: growing the data through the services is the slow part.
    clients = _clients(cast)
    grower = Grower(cast)
    grower.to(3)
    small = {page: _count(clients[user], url(cast), **extra) for page, (user, url, extra, _c) in PAGES.items()}
    grower.to(30)
    large = {page: _count(clients[user], url(cast), **extra) for page, (user, url, extra, _c) in PAGES.items()}
    grown = {page: (small[page], large[page]) for page in PAGES if large[page] != small[page]}
    assert grown == {}, f"queries with 3 rows vs 30: {grown}"
    over = {page: small[page] for page, (*_r, ceiling) in PAGES.items() if small[page] > ceiling}
    assert over == {}, f"more queries than the ceiling: {over}"


def test_the_pages_measured_really_list_the_grown_rows(cast: Any) -> None:
    Grower(cast).to(30)
    client = Client()
    client.force_login(cast.admin_tabalong)
    html = client.get(reverse("manage:institution", args=[cast.tabalong.pk])).content.decode()
    assert len(re.findall(r">UPT Puskesmas \d+</a>", html)) == 30
    assert Client().get(reverse("public:institution", args=[cast.tabalong.pk])).content.decode().count(
        "Surat sehat") == 30
    html = client.get(reverse("manage:unit", args=[cast.dukcapil.pk])).content.decode()
    assert html.count("KTP-el layanan") == 30
    assert client.get(reverse("manage:product", args=[cast.ktp.pk])).content.decode().count("— Terbit") == 31
    assert len(client.get(reverse("accounts:users")).context["people"]) == 32
    lacking = client.get(reverse("manage:institution_component", args=[cast.tabalong.pk, "kelompok_rentan"]))
    assert len(re.findall(r'<a href="/kelola/produk/\d+/">', lacking.content.decode())) == 25  # a full page
