"""No personal data in any answer, confidential reports never shown, POST limited per key, keys kept only as
hashes and issued by national admins or the server command, and GET requests a flat number of queries."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from pantau.complaints.models import Case
from pantau.complaints.tests.helpers import CHRONOLOGY, REPORTER, file_report
from pantau.core.models import AuditEvent
from pantau.open311 import keys
from pantau.open311.models import ApiClient
from pantau.open311.tests.conftest import BASE, PERSON, form, post

pytestmark = pytest.mark.django_db


def _filed(api_key: str, **extra: Any) -> int:
    response = post("json", form(api_key, **extra))
    assert response.status_code == 200, response.content
    return int(json.loads(response.content)[0]["service_request_id"])


def _everything(ids: list[int]) -> str:
    """Every read answer about ``ids``, in both formats, as one text."""
    client, parts = Client(), []
    for fmt in ("json", "xml"):
        parts.append(client.get(f"{BASE}/requests.{fmt}").content.decode())
        parts.append(client.get(f"{BASE}/requests.{fmt}?service_request_id={','.join(map(str, ids))}").content.decode())
        parts += [client.get(f"{BASE}/requests/{pk}.{fmt}").content.decode() for pk in ids]
    return "\n".join(parts)


def test_no_answer_carries_the_reporters_identity(cast: Any, api_key: str, november_2nd: None) -> None:
    secret = "Hubungi saya di 081234567890 atau siti.rahma@contoh.id, NIK 6309014506900002."
    ids = [_filed(api_key, description=f"Pungutan liar di loket KTP. {secret}",
                  **{"attribute[institution]": "Disdukcapil (kontak: siti.rahma@contoh.id)"}),
           _filed(api_key, **{"attribute[visibility]": "anonymous"})]
    web = file_report(cast, visibility="public").case  # the web form's case with the full identity
    text = _everything([*ids, web.pk])
    assert "Pungutan liar di loket KTP" in text and str(web.pk) in text
    for value in [*PERSON.values(), "Siti Rahmawati", "6309014506900002", *REPORTER.values()]:
        assert value not in text, value
    assert "081234567890" in CHRONOLOGY  # the web case's chronology has it; only its redacted summary is shown


def test_a_confidential_report_is_never_listed_nor_found(cast: Any, api_key: str, november_2nd: None) -> None:
    hidden = _filed(api_key, **{"attribute[visibility]": "confidential"})
    default = _filed(api_key, **{"attribute[visibility]": None})
    shown = _filed(api_key)
    web = file_report(cast).case  # confidential by default
    client = Client()
    for fmt in ("json", "xml"):
        assert client.get(f"{BASE}/requests/{shown}.{fmt}").status_code == 200
        for pk in (hidden, default, web.pk):
            assert client.get(f"{BASE}/requests/{pk}.{fmt}").status_code == 404
    rows = json.loads(client.get(f"{BASE}/requests.json").content)
    assert [int(r["service_request_id"]) for r in rows] == [shown]
    rows = json.loads(client.get(f"{BASE}/requests.json?service_request_id={hidden},{default},{web.pk}").content)
    assert rows == []


def test_an_anonymous_report_shows_only_its_redacted_summary(cast: Any, api_key: str, november_2nd: None) -> None:
    pk = _filed(api_key, **{"attribute[visibility]": "anonymous"})
    [row] = json.loads(Client().get(f"{BASE}/requests/{pk}.json").content)
    assert row["description"].endswith(Case.objects.get(pk=pk).public_summary)
    assert (row["lat"], row["long"], row["address"], row["address_id"], row["zipcode"]) == (None,) * 5


def test_posts_are_limited_per_key_per_hour(cast: Any, api_key: str, november_2nd: None) -> None:
    assert [post("json", form(api_key)).status_code for _ in range(5)] == [200] * 5
    refused = post("xml", form(api_key))
    assert refused.status_code == 429 and b"<errors><error><code>429</code>" in refused.content
    other = keys.client_issue(actor=keys.SYSTEM, name="Aplikasi Lain")[1]
    assert post("json", form(other)).status_code == 200
    assert Case.objects.count() == 6


def test_a_key_is_stored_only_as_its_hash_and_stops_working_when_revoked(cast: Any, november_2nd: None) -> None:
    out = StringIO()
    call_command("open311_key", "issue", "Aplikasi Kota", "--limit", "3", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get()
    assert raw.startswith("o311_") and len(raw) > 40 and client.hourly_limit == 3
    stored = " ".join(str(v) for v in ApiClient.objects.values_list().get())
    assert raw not in stored and raw[12:] not in stored and client.key_hash == keys.key_hash(raw)
    listing = StringIO()
    call_command("open311_key", "list", stdout=listing)
    assert "Aplikasi Kota" in listing.getvalue() and raw not in listing.getvalue()
    assert post("json", form(raw)).status_code == 200
    call_command("open311_key", "revoke", client.key_prefix, stdout=StringIO())
    assert post("json", form(raw)).status_code == 403
    assert list(AuditEvent.objects.filter(object_type="open311.apiclient").values_list("event_type", flat=True)
                .order_by("pk")) == ["open311.client_issued", "open311.client_revoked"]


def test_only_a_national_admin_issues_a_key(cast: Any) -> None:
    for role in ("head_kalsel", "admin_tabalong", "intake_kalsel"):
        with pytest.raises(ValidationError):
            keys.client_issue(actor=cast.users[role], name="Coba")
    with pytest.raises(ValidationError):
        keys.client_issue(actor=None, name="Coba")
    client, raw = keys.client_issue(actor=cast.users["national_admin"], name="Aplikasi Provinsi")
    assert client.created_by == cast.users["national_admin"] and keys.client_for_key(raw) == client
    with pytest.raises(ValidationError):
        keys.client_issue(actor=keys.SYSTEM, name="  ")
    with pytest.raises(ValidationError):
        keys.client_issue(actor=keys.SYSTEM, name="Nol", hourly_limit=0)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_requests_makes_as_many_queries_for_30_rows_as_for_3(cast: Any, api_key: str, november_2nd: None,
                                                                 fmt: str, django_assert_max_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = keys.client_issue(actor=keys.SYSTEM, name="Muat", hourly_limit=100)[1]
    counts = []
    for n in (3, 30):
        while Case.objects.count() < n:
            _filed(other, service_code="kepolisian" if Case.objects.count() % 2 else "perizinan")
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(f"{BASE}/requests.{fmt}?page_size=100")
        assert response.status_code == 200 and response.content.count(b"service_request_id") >= n
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(1):
        Client().get(f"{BASE}/requests.{fmt}?service_code=kepolisian&status=open")
    with django_assert_max_num_queries(1):
        Client().get(f"{BASE}/requests/1.{fmt}")


def test_a_report_made_confidential_leaves_the_list_at_once(cast: Any, api_key: str, november_2nd: None) -> None:
    from pantau.complaints import services

    pk = _filed(api_key, **{"attribute[institution_id]": str(cast.tabalong.pk)})
    url = f"{BASE}/requests.json?status=open"
    assert [r["service_request_id"] for r in json.loads(Client().get(url).content)] == [str(pk)]
    services.case_set_visibility(actor=cast.intake_kalsel, case=Case.objects.get(pk=pk), visibility="confidential")
    assert json.loads(Client().get(url).content) == []
    assert Client().get(f"{BASE}/requests/{pk}.json").status_code == 404
