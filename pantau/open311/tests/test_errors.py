"""Refusals are the spec's error arrays (``[{code, description}]``, ``<errors><error>…``) with 400, 403, 404
(and 405, 429), in the format the path asks for; bad input of every kind answers one of them, never a 500
nor an HTML page, and a refused POST writes nothing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from pantau.complaints.models import Case, Reporter
from pantau.open311.models import Submission
from pantau.open311.tests.conftest import BASE, form, post

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def error_rows(response: Any, fmt: str) -> list[tuple[int, str]]:
    assert b"<html" not in response.content.lower()
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        rows = json.loads(response.content)
        assert all(set(r) == {"code", "description"} for r in rows)
        return [(r["code"], r["description"]) for r in rows]
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    assert root.tag == "errors"
    return [(int(e.findtext("code") or 0), e.findtext("description") or "") for e in root.findall("error")]


BAD_QUERIES = [
    "start_date=kemarin", "start_date=2026-13-45T00:00:00Z", "end_date=0001-01-01T00:00:00%2B14:00",
    "start_date=9999-12-31T23:59:59-14:00", "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
    "start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z", "status=pending", "status=open,ditutup",
    "service_code=pothole", "page=0", "page=abc", f"page={HUGE}", "page_size=1001", "page=11&page_size=100",
    "page_size=-5", "service_request_id=abc", f"service_request_id={HUGE}", "service_code=" + "x" * 3000,
    "status=%E2%80%AE", "start_date=٢٠٢٦-١١-٠١",
    "service_request_id=" + ",".join(str(i) for i in range(1, 150)),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_a_bad_filter_answers_400_with_the_reason(cast: Any, fmt: str, query: str) -> None:
    response = Client().get(f"{BASE}/requests.{fmt}?{query}")
    assert response.status_code == 400, (query, response.content)
    [(code, description)] = error_rows(response, fmt)
    assert code == 400 and description


@pytest.mark.parametrize("query", ["service_request_id=1,%00", "start_date=%00", "status=", "page=&page_size=",
                                   "service_code=%20,%20"])
def test_a_filter_of_only_control_characters_or_blanks_counts_as_not_given(cast: Any, query: str) -> None:
    response = Client().get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 200 and json.loads(response.content) == []


@pytest.mark.parametrize(("path", "fmt"), [
    ("requests/abc.json", "json"), (f"requests/{HUGE}.json", "json"), ("requests/1.xml", "xml"),
    ("requests/1.yaml", "xml"), ("services/pothole.json", "json"), ("services/pothole.xml", "xml"),
    ("tokens/nope.xml", "xml"), ("nothing", "xml"), ("nothing.json", "json"), ("requests", "xml"),
    ("services.csv", "xml"), ("requests.json?jurisdiction_id=sfgov.org", "json"), ("services/..%2F.json", "json"),
])
def test_an_unknown_resource_answers_404(cast: Any, path: str, fmt: str) -> None:
    response = Client().get(f"{BASE}/{path}")
    assert response.status_code == 404, response.content
    assert [code for code, _d in error_rows(response, fmt)] == [404]


def test_another_method_answers_405_in_the_spec_shape(cast: Any) -> None:
    response = Client().put(f"{BASE}/requests.json")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
    assert error_rows(response, "json")[0][0] == 405
    assert Client().post(f"{BASE}/services.xml").status_code == 405


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_without_a_valid_key_answers_403(cast: Any, api_key: str, fmt: str) -> None:
    for key in ("", "xyz", api_key + "x", "o311_" + "a" * 200):
        response = post(fmt, form(key))
        assert response.status_code == 403
        assert error_rows(response, fmt)[0][0] == 403
    assert not Case.objects.exists()


BAD_POSTS: list[tuple[dict[str, Any], str]] = [
    ({"service_code": None}, "service_code"),
    ({"description": None}, "description"),
    ({"description": "x" * 4001}, "description"),
    ({"lat": None, "long": None, "address_string": None}, "location"),
    ({"lat": "abc"}, "lat/long"),
    ({"lat": "95"}, "lat/long"),
    ({"long": "nan"}, "lat/long"),
    ({"long": None}, "lat/long"),
    ({"address_string": "x" * 301}, "address_string"),
    ({"email": "bukan-email"}, "email"),
    ({"phone": "telepon saya"}, "phone"),
    ({"first_name": "x" * 100, "last_name": "y" * 100}, "first_name/last_name"),
    ({"attribute[event_date]": "2027-01-01"}, "attribute[event_date]"),
    ({"attribute[event_date]": "kemarin"}, "attribute[event_date]"),
    ({"attribute[event_date]": "0202-01-01"}, "attribute[event_date]"),
    ({"attribute[event_date]": "2026-02-30"}, "attribute[event_date]"),
    ({"attribute[prior_complaint]": "maybe"}, "attribute[prior_complaint]"),
    ({"attribute[prior_complaint]": "not_yet"}, "attribute[prior_complaint_date]"),
    ({"attribute[prior_complaint_date]": "2026-09-01"}, "attribute[prior_complaint_date]"),
    ({"attribute[visibility]": "semua orang"}, "attribute[visibility]"),
    ({"attribute[institution]": None}, "attribute[institution]"),
    ({"attribute[institution]": "x" * 201}, "attribute[institution]"),
    ({"attribute[institution_id]": "999999"}, "attribute[institution_id]"),
    ({"attribute[institution_id]": HUGE}, "attribute[institution_id]"),
    ({"attribute[institution_id]": "-1"}, "attribute[institution_id]"),
    ({"attribute[remedy]": "x" * 4001}, "attribute[remedy]"),
    ({"attribute[title]": "x" * 201}, "attribute[title]"),
]


@pytest.mark.parametrize(("change", "field"), BAD_POSTS)
def test_a_bad_post_answers_400_naming_the_field_and_writes_nothing(cast: Any, api_key: str, november_2nd: None,
                                                                   change: dict[str, Any], field: str) -> None:
    response = post("json", form(api_key, **change))
    assert response.status_code == 400, response.content
    assert any(description.startswith(f"{field}:") for _c, description in error_rows(response, "json"))
    assert not Case.objects.exists() and not Reporter.objects.exists() and not Submission.objects.exists()


def test_every_problem_is_answered_at_once(cast: Any, api_key: str, november_2nd: None) -> None:
    response = post("xml", form(api_key, description="", lat="x", email="@"))
    assert [d.split(":")[0] for _c, d in error_rows(response, "xml")] == ["description", "lat/long", "email"]


def test_an_unknown_service_code_in_a_post_answers_404(cast: Any, api_key: str, november_2nd: None) -> None:
    response = post("xml", form(api_key, service_code="pothole"))
    assert response.status_code == 404 and error_rows(response, "xml")[0][0] == 404
    assert not Case.objects.exists()


def test_control_characters_are_dropped_and_a_broken_body_is_refused(cast: Any, api_key: str,
                                                                     november_2nd: None) -> None:
    response = post("json", form(api_key, description="Pungutan\x00 liar\x1b di loket KTP, sudah tiga kali."))
    assert response.status_code == 200, response.content
    assert Case.objects.get().chronology == "Pungutan liar di loket KTP, sudah tiga kali."
    many = "&".join(f"f{i}=1" for i in range(1200))
    response = Client().post(f"{BASE}/requests.json", many, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and error_rows(response, "json")[0][0] == 400
