"""The national admin's screen for the Open311 API keys (``/kelola/open311/``): the list with the reports each
client filed, issuing a key (shown once, never cached, stored only as its hash), bad input (422, nothing made),
revoking (the key stops working; twice is harmless), nobody else gets in, and a flat number of queries."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pantau.core.models import AuditEvent
from pantau.open311 import keys
from pantau.open311.models import ApiClient, Submission
from pantau.open311.tests.conftest import form, post
from tests.cast import client_for

pytestmark = pytest.mark.django_db

LIST = "/kelola/open311/"


def _revoke_url(pk: int) -> str:
    return f"/kelola/open311/{pk}/cabut/"


def _row(html: str, name: str) -> str:
    """The table row of the client called ``name``."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if f"<td>{name}</td>" in row]
    assert len(rows) == 1, (name, rows)
    return rows[0]


def _cells(row: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def _filed(raw: str) -> None:
    response = post("json", form(raw))
    assert response.status_code == 200, response.content


def test_the_routes_are_the_named_ones() -> None:
    assert reverse("open311_manage:list") == LIST
    assert reverse("open311_manage:revoke", args=[7]) == _revoke_url(7)


def test_the_national_admin_sees_each_client_with_its_reports(cast: Any, november_2nd: None) -> None:
    admin = cast.national_admin
    city, city_raw = keys.client_issue(actor=admin, name="Aplikasi Kota", hourly_limit=250)
    server, server_raw = keys.client_issue(actor=keys.SYSTEM, name="Aplikasi Server")
    gone = keys.client_issue(actor=admin, name="Aplikasi Lama")[0]
    keys.client_revoke(actor=admin, client=gone)
    for raw in (city_raw, city_raw, server_raw):
        _filed(raw)
    response = client_for(admin).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="id"' in html and "Kunci API Open311" in html
    cells = _cells(_row(html, "Aplikasi Kota"))
    assert cells[:4] == ["Aplikasi Kota", f"{city.key_prefix}…", "aktif", "250"]
    assert "oleh National Admin" in cells[4] and cells[5] == "2" and "Cabut" in cells[6]
    cells = _cells(_row(html, "Aplikasi Server"))
    assert cells[1] == f"{server.key_prefix}…" and "lewat perintah server" in cells[4] and cells[5] == "1"
    gone.refresh_from_db()
    assert gone.revoked_at is not None
    cells = _cells(_row(html, "Aplikasi Lama"))
    assert cells[2].startswith("dicabut") and gone.revoked_at.strftime("%Y") in cells[2]
    assert cells[5] == "0" and cells[6] == ""  # no revoke button for a revoked key
    for raw in (city_raw, server_raw):
        assert raw not in html and raw[12:] not in html
    # The issue form, empty, with the default limit; every form carries its CSRF token.
    assert re.search(r'<input type="number" name="hourly_limit" value="60"[^>]*min="1" max="100000"', html)
    assert html.count('name="csrfmiddlewaretoken"') == html.count('method="post"')


def test_the_forms_need_their_csrf_token(cast: Any) -> None:
    client = keys.client_issue(actor=keys.SYSTEM, name="Aplikasi Kota")[0]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.national_admin)
    assert browser.post(LIST, {"name": "Coba", "hourly_limit": "60"}).status_code == 403
    assert browser.post(_revoke_url(client.pk)).status_code == 403
    client.refresh_from_db()
    assert client.is_active and ApiClient.objects.count() == 1


def test_issuing_shows_the_key_once_uncached_and_stores_only_its_hash(cast: Any, caplog: Any,
                                                                      november_2nd: None) -> None:
    admin = cast.national_admin
    browser = client_for(admin)
    with caplog.at_level(logging.DEBUG):
        response = browser.post(LIST, {"name": "  Aplikasi Warga  ", "hourly_limit": "120"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    client = ApiClient.objects.get()
    assert (client.name, client.hourly_limit, client.created_by, client.is_active) == (
        "Aplikasi Warga", 120, admin, True)
    html = response.content.decode()
    raw = re.search(r'<input id="new-key" type="text" readonly value="([^"]+)"', html)
    assert raw is not None
    key = raw.group(1)
    assert key.startswith(keys.KEY_START) and client.key_hash == keys.key_hash(key)
    assert client.key_prefix == key[:12] and keys.client_for_key(key) == client
    assert html.count(key) == 1 and "tidak akan ditampilkan lagi" in html
    assert key not in " ".join(str(v) for v in ApiClient.objects.values_list().get())
    # Neither the audit trail nor the log has the key.
    event = AuditEvent.objects.get(event_type="open311.client_issued")
    assert event.actor == admin and key[12:] not in str(event.before) + str(event.after)
    assert key[12:] not in caplog.text
    # The key works, and the list opened again no longer shows it.
    _filed(key)
    again = browser.get(LIST)
    assert again.status_code == 200 and client.key_prefix in again.content.decode()
    assert key not in again.content.decode() and key[12:] not in again.content.decode()
    assert 'id="new-key"' not in again.content.decode()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"name": "", "hourly_limit": "60"}, "name", "Isi nama aplikasi yang memakai kunci ini."),
    ({"name": "   ", "hourly_limit": "60"}, "name", "Isi nama aplikasi yang memakai kunci ini."),
    ({"name": "A" * 151, "hourly_limit": "60"}, "name", "Nama aplikasi paling panjang 150 karakter."),
    ({"name": "Aplikasi", "hourly_limit": "0"}, "hourly_limit", "antara 1 dan 100.000"),
    ({"name": "Aplikasi", "hourly_limit": "100001"}, "hourly_limit", "antara 1 dan 100.000"),
    ({"name": "Aplikasi", "hourly_limit": "abc"}, "hourly_limit", "antara 1 dan 100.000"),
    ({"name": "Aplikasi", "hourly_limit": ""}, "hourly_limit", "Isi batas laporan per jam."),
])
def test_bad_input_shows_the_form_again_with_422_and_makes_nothing(cast: Any, data: dict[str, str], field: str,
                                                                   message: str) -> None:
    response = client_for(cast.national_admin).post(LIST, data)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    html = response.content.decode()
    assert message in html and 'class="error-summary"' in html and f'id="id_{field}_error"' in html
    assert 'id="new-key"' not in html
    assert not ApiClient.objects.exists() and not AuditEvent.objects.filter(object_type="open311.apiclient").exists()


def test_a_refusal_of_the_service_is_shown_on_the_form(cast: Any, monkeypatch: Any) -> None:
    def refuse(**kwargs: Any) -> Any:
        raise ValidationError({"hourly_limit": "Batas ditolak layanan."})

    monkeypatch.setattr(keys, "client_issue", refuse)
    response = client_for(cast.national_admin).post(LIST, {"name": "Aplikasi", "hourly_limit": "60"})
    assert response.status_code == 422
    assert response.context["form"].errors == {"hourly_limit": ["Batas ditolak layanan."]}
    assert "Batas ditolak layanan." in response.content.decode() and not ApiClient.objects.exists()


def test_revoking_stops_the_key_and_twice_is_harmless(cast: Any, november_2nd: None) -> None:
    admin = cast.national_admin
    client, raw = keys.client_issue(actor=admin, name="Aplikasi Kota")
    other, other_raw = keys.client_issue(actor=admin, name="Aplikasi Desa")
    _filed(raw)
    browser = client_for(admin)
    assert browser.get(_revoke_url(client.pk)).status_code == 405  # POST only
    response = browser.post(_revoke_url(client.pk))
    assert response.status_code == 302 and response["Location"] == LIST
    client.refresh_from_db()
    assert not client.is_active and client.revoked_at is not None
    assert post("json", form(raw)).status_code == 403
    _filed(other_raw)  # only that key
    page = browser.get(LIST).content.decode()
    assert "Kunci Aplikasi Kota dicabut" in page and _cells(_row(page, "Aplikasi Kota"))[2].startswith("dicabut")
    revoked_at = client.revoked_at
    again = browser.post(_revoke_url(client.pk), follow=True)
    assert again.status_code == 200 and "sudah dicabut sebelumnya" in again.content.decode()
    client.refresh_from_db()
    assert not client.is_active and client.revoked_at == revoked_at
    assert AuditEvent.objects.filter(event_type="open311.client_revoked").count() == 1
    other.refresh_from_db()
    assert other.is_active
    assert browser.post(_revoke_url(other.pk + 1000)).status_code == 404


@pytest.mark.parametrize("role", ["national_assessor", "head_kalsel", "assessor_kalsel", "intake_kalsel",
                                  "examiner_kalsel", "admin_tabalong", "operator_dukcapil", "outsider"])
def test_no_one_but_the_national_admin_gets_in(cast: Any, role: str) -> None:
    client = keys.client_issue(actor=keys.SYSTEM, name="Aplikasi Kota")[0]
    browser = client_for(cast.users[role])
    assert browser.get(LIST).status_code == 404
    assert browser.post(LIST, {"name": "Coba", "hourly_limit": "60"}).status_code == 404
    assert browser.post(_revoke_url(client.pk)).status_code == 404
    client.refresh_from_db()
    assert client.is_active and list(ApiClient.objects.values_list("name", flat=True)) == ["Aplikasi Kota"]
    assert client_for(cast.national_admin).get(LIST).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(cast: Any) -> None:
    client = keys.client_issue(actor=keys.SYSTEM, name="Aplikasi Kota")[0]
    login = reverse("accounts:login")
    for response in (Client().get(LIST), Client().post(LIST, {"name": "Coba", "hourly_limit": "60"}),
                     Client().post(_revoke_url(client.pk))):
        assert response.status_code == 302 and response["Location"].startswith(login)
    client.refresh_from_db()
    assert client.is_active and ApiClient.objects.count() == 1


def test_the_list_makes_as_many_queries_for_5_clients_as_for_1(cast: Any, november_2nd: None,
                                                               django_assert_max_num_queries: Any) -> None:
    admin = cast.national_admin
    browser = client_for(admin)
    first = keys.client_issue(actor=admin, name="Aplikasi 1")[1]
    _filed(first)
    browser.get(LIST)  # warm what a first request loads once (session, translations)
    with CaptureQueriesContext(connection) as one:
        assert browser.get(LIST).status_code == 200
    for_one = len(one)  # now: the next request empties the connection's query log that ``one`` reads
    assert for_one > 0
    for n in range(2, 6):
        raw = keys.client_issue(actor=admin if n % 2 else keys.SYSTEM, name=f"Aplikasi {n}")[1]
        for _ in range(n % 3):
            _filed(raw)
    assert ApiClient.objects.count() == 5 and Submission.objects.count() == 1 + 2 + 0 + 1 + 2
    with django_assert_max_num_queries(for_one), CaptureQueriesContext(connection) as five:
        response = browser.get(LIST)
    assert len(five) == for_one
    html = response.content.decode()
    assert [_cells(_row(html, f"Aplikasi {n}"))[5] for n in range(1, 6)] == ["1", "2", "0", "1", "2"]
