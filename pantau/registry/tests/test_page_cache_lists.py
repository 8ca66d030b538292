"""The cached home page, public search, staff dashboard and audit trail: served from the cache on
a second visit, never shared between viewers, and showing every change at once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pantau.core import hooks
from pantau.core.pagecache import CACHE_HEADER
from pantau.registry import services
from pantau.registry.models import ServiceProduct
from tests.cast import client_for, publish

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def province_row(body: str, code: str) -> str:
    found = re.search(rf'<tr data-code="{code}">(.*?)</tr>', body, re.S)
    assert found, body
    return re.sub(r"\s+", " ", found.group(1))


def panel_numbers(body: str) -> list[str]:
    return re.findall(r'<div class="card"><h2>[^<]*</h2><p>(?:<a [^>]*>)?(\d+)', body)


def test_the_home_page_comes_from_the_cache_on_a_second_visit(cast: Any, django_assert_num_queries: Any) -> None:
    first = Client().get("/")
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):  # the stamp is kept in the cache too (public_list_stamp)
        second = Client().get("/")
    assert second[CACHE_HEADER] == "hit"
    assert province_row(second.content.decode(), "63") == province_row(first.content.decode(), "63")


def test_with_no_stamp_lifetime_every_home_visit_reads_the_stamp(cast: Any, settings: Any,
                                                                 django_assert_num_queries: Any) -> None:
    settings.PUBLIC_STAMP_SECONDS = 0
    Client().get("/")
    with django_assert_num_queries(1):
        assert Client().get("/")[CACHE_HEADER] == "hit"


def test_a_change_the_home_cache_did_not_hear_of_shows_within_the_stamp_lifetime(cast: Any, settings: Any) -> None:
    """Another process with its own cache: its write does not forget this process's generation.
    Here the write bypasses save() (no signal), which is what this process sees of it."""
    from pantau.registry.models import ProvinceSummary

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # per process
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        before = province_row(Client().get("/").content.decode(), "63")
        ProvinceSummary.objects.filter(province=cast.kalsel_province).update(public_count=777)
        ServiceProduct.objects.filter(pk=cast.ktp.pk).update(  # later than every row's (made before the travel)
            updated_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        assert province_row(Client().get("/").content.decode(), "63") == before
        clock.shift(settings.PUBLIC_STAMP_SECONDS + 1)
        assert "777" in province_row(Client().get("/").content.decode(), "63")


def test_the_home_table_shows_a_newly_published_product_at_once(cast: Any) -> None:
    before = province_row(Client().get("/").content.decode(), "63")
    product = services.product_save(actor=cast.national_admin, unit=cast.dukcapil,
                                    data={"name": "Penerbitan Akta Kelahiran", "category": "adminduk"})
    publish(cast.national_admin, product)
    after = Client().get("/")
    assert after[CACHE_HEADER] == "miss"
    row = province_row(after.content.decode(), "63")
    assert row != before
    cache.clear()  # what the page shows equals a page rendered from nothing
    assert province_row(Client().get("/").content.decode(), "63") == row


def test_the_search_comes_from_the_cache_and_follows_a_rename_at_once(cast: Any) -> None:
    url = reverse("public:search")
    assert Client().get(url, {"q": "ktp"})[CACHE_HEADER] == "miss"
    cached = Client().get(url, {"q": "ktp"})
    assert cached[CACHE_HEADER] == "hit" and "Penerbitan KTP-el" in cached.content.decode()
    services.product_save(actor=cast.national_admin, product=cast.ktp, data={"name": "Penerbitan KTP elektronik"})
    body = Client().get(url, {"q": "ktp"}).content.decode()
    assert "Penerbitan KTP elektronik" in body


def test_a_product_that_is_withdrawn_leaves_the_cached_search_at_once(cast: Any) -> None:
    url = reverse("public:search")
    assert "Persetujuan Bangunan Gedung" in Client().get(url, {"q": "bangunan"}).content.decode()
    services.product_save(actor=cast.national_admin, product=cast.pbg, data={"is_active": False})
    assert "Persetujuan Bangunan Gedung" not in Client().get(url, {"q": "bangunan"}).content.decode()


def test_search_rows_for_htmx_are_cached_apart_from_the_full_page(cast: Any) -> None:
    url = reverse("public:search")
    full = Client().get(url, {"q": "ktp"}).content.decode()
    rows = Client().get(url, {"q": "ktp"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in rows and "Penerbitan KTP-el" in rows


def test_the_dashboard_is_cached_per_viewer_and_follows_a_new_unit_at_once(cast: Any) -> None:
    url = reverse("manage:dashboard")
    national, kalteng = client_for(cast.national_admin), client_for(cast.assessor_kalteng)
    assert national.get(url)[CACHE_HEADER] == "miss"
    again = national.get(url)
    assert again[CACHE_HEADER] == "hit"
    everything = panel_numbers(again.content.decode())
    only_kalteng = panel_numbers(kalteng.get(url).content.decode())
    assert everything[:2] == ["3", "3"] and only_kalteng[:2] == ["1", "1"]  # institutions, active units
    services.unit_save(actor=cast.national_admin, institution=cast.barsel, data={"name": "RSUD", "kind": "rsud"})
    assert panel_numbers(national.get(url).content.decode())[:2] == ["3", "4"]
    assert panel_numbers(kalteng.get(url).content.decode())[:2] == ["1", "2"]


def test_a_panel_without_a_stamp_keeps_the_dashboard_out_of_the_cache(cast: Any) -> None:
    panel = hooks.DashboardPanel("unstamped", order=99, template="registry/manage/dashboard_panel.html",
                                 context=lambda request: None)
    hooks.dashboard_panel(panel)
    try:
        response = client_for(cast.national_admin).get(reverse("manage:dashboard"))
        assert response.status_code == 200 and CACHE_HEADER not in response
    finally:
        del hooks.registered.dashboard_panels["unstamped"]


def test_the_audit_trail_is_cached_per_reader_and_shows_a_new_event_at_once(cast: Any) -> None:
    url = reverse("core:audit")
    national, kalteng = client_for(cast.national_admin), client_for(cast.assessor_kalteng)
    national.get(url)
    assert national.get(url)[CACHE_HEADER] == "hit"
    assert "Pemerintah Kabupaten Tabalong" not in kalteng.get(url).content.decode()  # not the national copy
    services.unit_save(actor=cast.national_admin, unit=cast.dpmptsp, data={"name": "DPMPTSP Tabalong"})
    fresh = national.get(url)
    assert fresh[CACHE_HEADER] == "miss" and "DPMPTSP Tabalong" in fresh.content.decode()


def test_a_bad_audit_filter_is_answered_400_every_time_and_never_cached(cast: Any) -> None:
    client = client_for(cast.national_admin)
    for _ in range(2):
        response = client.get(reverse("core:audit"), {"dari": "kemarin"})
        assert response.status_code == 400 and CACHE_HEADER not in response


def test_with_a_shared_cache_the_staff_stamp_is_kept_until_a_write(cast: Any, settings: Any,
                                                                   django_assert_num_queries: Any) -> None:
    from pantau.registry import services
    from pantau.registry.selectors import list_stamp

    settings.CACHE_SHARED = True
    first = list_stamp()
    with django_assert_num_queries(0):  # kept: no MAX(updated_at) on every staff request
        assert list_stamp() == first
    services.unit_save(actor=cast.national_admin, unit=cast.dukcapil, data={"phone": "0526-1"})
    assert list_stamp() != first  # the write forgot the generation
    settings.CACHE_SHARED = False
    with django_assert_num_queries(1):  # per-process cache: read every time
        list_stamp()
