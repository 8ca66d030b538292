"""The cached public product page and institution list show every change at once, per viewer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.contrib.messages import info as add_message
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from pantau.core.pagecache import CACHE_HEADER, CSRF_PLACEHOLDER, render_cached
from pantau.registry import services
from pantau.registry.models import Office
from tests.cast import client_for, in_english, publish

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def page(client: Client, cast: Any, **headers: Any) -> str:
    response = client.get(reverse("public:product", args=[cast.ktp.pk]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_of_a_product_page_touches_no_database(cast: Any, django_assert_max_num_queries: Any) -> None:
    page(Client(), cast)
    with django_assert_max_num_queries(0):
        body = page(Client(), cast)
    assert "Fotokopi Kartu Keluarga" in body


def test_the_cache_header_says_whether_the_page_came_from_the_cache(cast: Any) -> None:
    url = reverse("public:product", args=[cast.ktp.pk])
    assert Client().get(url)[CACHE_HEADER] == "miss"
    assert Client().get(url)[CACHE_HEADER] == "hit"
    services.unit_save(actor=cast.national_admin, unit=cast.dukcapil, data={"maklumat": "Janji layanan baru."})
    assert Client().get(url)[CACHE_HEADER] == "miss"


def test_the_product_page_shows_a_changed_maklumat_at_once(cast: Any) -> None:
    assert "Kami sanggup melayani sesuai standar." in page(Client(), cast)
    services.unit_save(actor=cast.national_admin, unit=cast.dukcapil, data={"maklumat": "Janji layanan baru."})
    body = page(Client(), cast)
    assert "Janji layanan baru." in body and "Kami sanggup melayani" not in body


def test_the_product_page_shows_a_newly_published_version_at_once(cast: Any) -> None:
    assert "1 hari kerja" in page(Client(), cast)
    publish(cast.national_admin, cast.ktp, completion_time="2 jam sejak berkas lengkap")
    body = page(Client(), cast)
    assert "2 jam sejak berkas lengkap" in body and "versi 2" in body


def test_the_product_page_follows_renames_of_the_institution_and_its_office(cast: Any) -> None:
    page(Client(), cast)
    services.institution_save(actor=cast.national_admin, institution=cast.tabalong,
                              data={"name": "Pemkab Tabalong (baru)"})
    Office.objects.filter(pk=cast.kalsel.pk).update(name="Ombudsman RI Kalsel (baru)")
    body = page(Client(), cast)
    assert "Pemkab Tabalong (baru)" in body and "Ombudsman RI Kalsel (baru)" in body


def test_a_product_that_becomes_inactive_is_gone_from_the_cached_page(cast: Any) -> None:
    page(Client(), cast)
    services.product_save(actor=cast.national_admin, product=cast.ktp, data={"is_active": False})
    assert Client().get(reverse("public:product", args=[cast.ktp.pk])).status_code == 404


def test_every_visitor_gets_their_own_working_csrf_token_from_the_cached_page(cast: Any) -> None:
    tokens = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        body = page(client, cast)
        assert CSRF_PLACEHOLDER not in body
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert token is not None
        tokens.append(token.group(1))
        switched = client.post(reverse("set_language"), {"language": "en", "next": "/",
                                                         "csrfmiddlewaretoken": token.group(1)})
        assert switched.status_code == 302  # a placeholder or a stranger's token would be refused (403)
    assert tokens[0] != tokens[1]


def test_the_english_page_is_cached_apart_from_the_indonesian_one(cast: Any) -> None:
    assert '<html lang="id">' in page(Client(), cast)
    assert '<html lang="en">' in page(in_english(Client()), cast)
    assert '<html lang="id">' in page(Client(), cast)


def test_a_signed_in_visitor_does_not_get_the_anonymous_copy(cast: Any) -> None:
    page(Client(), cast)
    body = page(client_for(cast.admin_tabalong), cast)
    assert "Admin Tabalong" in body and "Keluar" in body


def test_the_cached_institution_list_is_never_shared_between_scopes(cast: Any) -> None:
    url = reverse("manage:institutions")
    national = client_for(cast.national_admin).get(url).content.decode()
    kalsel = client_for(cast.head_kalsel).get(url).content.decode()
    again = client_for(cast.national_admin).get(url).content.decode()
    assert "Pemerintah Kabupaten Barito Selatan" in national and "Pemerintah Kabupaten Barito Selatan" in again
    assert "Pemerintah Kabupaten Barito Selatan" not in kalsel and "Head Kalsel" in kalsel
    assert "National Admin" in national and "Head Kalsel" not in again


def test_the_cached_institution_list_shows_changes_at_once(cast: Any) -> None:
    client = client_for(cast.national_admin)
    url = reverse("manage:institutions")
    assert "Pemerintah Kabupaten Balangan" not in client.get(url).content.decode()
    services.institution_save(actor=cast.national_admin, data={
        "name": "Pemerintah Kabupaten Balangan", "kind": "pemkab", "office_id": cast.kalsel.pk,
        "province_id": cast.kalsel_province.pk})
    assert "Pemerintah Kabupaten Balangan" in client.get(url).content.decode()
    services.unit_save(actor=cast.national_admin, institution=cast.banjarmasin, data={"name": "Kecamatan Banjar"})
    body = client.get(url, {"q": "Banjarmasin"}).content.decode()
    assert re.search(r"Pemerintah Kota Banjarmasin</a>.*?<td>1</td>", body, re.S)


def test_the_institution_rows_for_htmx_are_cached_apart_from_the_full_page(cast: Any) -> None:
    client = client_for(cast.national_admin)
    url = reverse("manage:institutions")
    full = client.get(url).content.decode()
    rows = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in rows and "Pemerintah Kota Banjarmasin" in rows


def test_a_page_with_a_message_is_rendered_and_not_cached(cast: Any) -> None:
    calls = []

    def context() -> dict[str, Any]:
        calls.append(1)
        return {"product": cast.ktp}

    def request(message: str = "") -> Any:
        req = RequestFactory().get("/x/")
        req.user = cast.national_admin
        req.session = SessionStore()
        req._messages = FallbackStorage(req)
        if message:
            add_message(req, message)
        return req

    body = render_cached(request("Tersimpan."), "registry/public/no_standard.html", context, parts=["t"])
    assert "Tersimpan." in body.content.decode()
    for _ in range(2):
        assert "Tersimpan." not in render_cached(request(), "registry/public/no_standard.html", context,
                                                 parts=["t"]).content.decode()
    assert len(calls) == 2  # the page with the message was not kept; the next one was


def test_a_version_published_for_a_future_date_shows_on_that_day_before_the_daily_refresh(cast: Any) -> None:
    evening, midnight = "2026-06-01 23:00 +07:00", "2026-06-02 00:05 +07:00"  # Asia/Jakarta, an hour apart
    with time_machine.travel(evening, tick=False):
        publish(cast.national_admin, cast.ktp, effective=dt.date(2026, 6, 2), completion_time="Selesai di tempat")
        new = services.product_save(actor=cast.national_admin, unit=cast.dukcapil, data={"name": "KIA"})
        publish(cast.national_admin, new, effective=dt.date(2026, 6, 2))
        assert "Selesai di tempat" not in page(Client(), cast)
        assert Client().get(reverse("public:product", args=[new.pk])).status_code == 404
    with time_machine.travel(midnight, tick=False):
        assert "Selesai di tempat" in page(Client(), cast)
        assert Client().get(reverse("public:product", args=[new.pk])).status_code == 200


def test_a_change_the_cache_did_not_hear_of_shows_within_the_stamp_lifetime(cast: Any, settings: Any) -> None:
    # Another process with its own cache: its stamp is not deleted by this process's write. Here the
    # write bypasses save() (no signal), which is what that process sees.
    from pantau.registry.models import ServiceUnit

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # per process

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        page(Client(), cast)
        ServiceUnit.objects.filter(pk=cast.dukcapil.pk).update(
            maklumat="Janji dari proses lain.", updated_at=dt.datetime(2026, 3, 2, 9, 0, 1, tzinfo=dt.UTC))
        assert "Janji dari proses lain." not in page(Client(), cast)
        clock.shift(settings.PUBLIC_STAMP_SECONDS + 1)
        assert "Janji dari proses lain." in page(Client(), cast)


def test_with_no_stamp_lifetime_every_visit_reads_the_stamp(cast: Any, settings: Any,
                                                            django_assert_num_queries: Any) -> None:
    settings.PUBLIC_STAMP_SECONDS = 0
    page(Client(), cast)
    with django_assert_num_queries(2):  # the product's stamp and its unit's surveys (core.hooks.page_panel)
        page(Client(), cast)


def test_the_stamp_is_forgotten_again_when_the_write_commits(cast: Any,
                                                             django_capture_on_commit_callbacks: Any) -> None:
    from pantau.core import cachegen
    from pantau.registry.selectors import STAMP_KEY, product_generation

    def cached() -> Any:
        return cachegen.get(STAMP_KEY.format(cast.ktp.pk), product_generation(cast.ktp.pk))[0]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.unit_save(actor=cast.national_admin, unit=cast.dukcapil, data={"maklumat": "Janji baru."})
    page(Client(), cast)  # a visit before the commit caches a stamp again
    assert cached() is not None
    for callback in callbacks:
        callback()
    assert cached() is None


def test_a_stamp_read_before_a_commit_and_stored_after_it_is_never_served(
        cast: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stale-set race: a visit reads the stamp from the database, the write commits and
    clears the cache, then the visit stores the stamp it read. The next visit must not use it."""
    from pantau.registry import selectors

    read = selectors.read_product_stamp
    old = read(cast.ktp.pk)

    def read_then_let_a_write_commit(pk: int) -> Any:
        stamp = read(pk)  # the visitor's read, before the write
        monkeypatch.setattr(selectors, "read_product_stamp", read)
        with django_capture_on_commit_callbacks(execute=True):  # the write commits meanwhile
            services.unit_save(actor=cast.national_admin, unit=cast.dukcapil, data={"maklumat": "Janji baru."})
        return stamp

    monkeypatch.setattr(selectors, "read_product_stamp", read_then_let_a_write_commit)
    assert selectors.public_product_stamp(cast.ktp.pk) == old  # the racing visit itself shows the old page
    assert selectors.public_product_stamp(cast.ktp.pk) != old
    assert "Janji baru." in page(Client(), cast)


def test_a_list_rendered_from_rows_read_before_a_commit_is_not_served_after_it(
        cast: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same race for the cached institution list, whose ``registry_stamp`` (the latest
    ``updated_at``) cannot see a write that commits after a later one."""
    from pantau.registry import selectors, views_manage

    client = client_for(cast.national_admin)
    url = reverse("manage:institutions")
    build = views_manage._institutions_context

    def build_then_let_a_write_commit(request: Any) -> Any:
        context = build(request)
        monkeypatch.setattr(views_manage, "_institutions_context", build)
        with django_capture_on_commit_callbacks(execute=True):
            services.institution_save(actor=cast.national_admin, institution=cast.banjarmasin,
                                      data={"name": "Pemerintah Kota Banjarmasin Baru"})
        return context

    monkeypatch.setattr(views_manage, "_institutions_context", build_then_let_a_write_commit)
    monkeypatch.setattr(selectors, "registry_stamp", lambda: ("fixed",))  # as if the write came too late
    assert "Pemerintah Kota Banjarmasin Baru" not in client.get(url).content.decode()
    assert "Pemerintah Kota Banjarmasin Baru" in client.get(url).content.decode()


def test_a_user_moved_to_another_province_sees_the_new_list_and_menu_at_once(cast: Any) -> None:
    """Nothing in the registry changes (its stamp stays); only the viewer's scope does, and the
    page key must follow it: a cached copy keyed by the old scope must not be served."""
    from pantau.accounts.models import Membership, Role

    url = reverse("manage:institutions")
    assessor = cast.assessor_kalsel
    before = client_for(assessor).get(url).content.decode()
    assert "Pemerintah Kabupaten Tabalong" in before and "Pemerintah Kabupaten Barito Selatan" not in before
    assert reverse("accounts:users") not in before

    Membership.objects.filter(user=assessor).update(office=cast.kalteng)  # mutasi to Kalimantan Tengah
    moved = client_for(assessor).get(url).content.decode()
    assert "Pemerintah Kabupaten Barito Selatan" in moved and "Pemerintah Kabupaten Tabalong" not in moved

    Membership.objects.filter(user=assessor).update(role=Role.HEAD_OF_OFFICE)  # and promoted
    promoted = client_for(assessor).get(url).content.decode()
    assert reverse("accounts:users") in promoted  # the menu of a head of office

    cast.kalteng.provinces.add(cast.kalsel_province)  # the office takes over a second province
    wider = client_for(assessor).get(url).content.decode()
    assert "Pemerintah Kabupaten Tabalong" in wider and "Pemerintah Kabupaten Barito Selatan" in wider
