"""The endpoints answer the spec's request examples with the spec's response shapes, in XML and JSON
(GeoReport v2, open311.github.io ``GeoReport/v2/index.md`` and ``Service_Discovery.md``)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from pantau.complaints.models import Case, Channel, Event, Reporter, Timer
from pantau.core.models import AuditEvent
from pantau.open311.models import Submission
from pantau.open311.tests.conftest import BASE, form, post

pytestmark = pytest.mark.django_db
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


def xml_of(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own answer


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def test_discovery_lists_this_endpoint_with_both_formats(cast: Any) -> None:
    data = json_of(Client().get(f"{BASE}/discovery.json"))
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = data["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"] and endpoint["type"] == "production"
    root = xml_of(Client().get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]


def test_the_service_list_is_the_substances_with_the_spec_fields(cast: Any) -> None:
    services = json_of(Client().get(f"{BASE}/services.json"))
    assert len(services) == 20
    first = services[0]
    assert list(first) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    assert first["service_code"] == "agraria-pertanahan" and first["service_name"] == "Agraria/pertanahan"
    assert first["metadata"] is True and first["type"] == "realtime"
    root = xml_of(Client().get(f"{BASE}/services.xml?jurisdiction_id="))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == [s["service_code"] for s in services]
    assert root.find("service/metadata").text == "true"  # type: ignore[union-attr]


def test_a_service_definition_lists_its_attributes_in_the_spec_shape(cast: Any) -> None:
    data = json_of(Client().get(f"{BASE}/services/kepolisian.json"))
    assert data["service_code"] == "kepolisian"
    codes = [a["code"] for a in data["attributes"]]
    assert codes[:2] == ["institution", "institution_id"] and "visibility" in codes
    visibility = next(a for a in data["attributes"] if a["code"] == "visibility")
    assert set(visibility) == {"variable", "code", "datatype", "required", "datatype_description", "order",
                               "description", "values"}
    assert visibility["datatype"] == "singlevaluelist" and {"key": "confidential", "name": visibility["values"][2][
        "name"]} in visibility["values"]
    assert [a["order"] for a in data["attributes"]] == list(range(1, len(codes) + 1))
    root = xml_of(Client().get(f"{BASE}/services/kepolisian.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/required").text == "true"  # type: ignore[union-attr]
    assert [v.findtext("key") for v in root.findall("attributes/attribute[code='visibility']/values/value")] == [
        "public", "anonymous", "confidential"]


def test_the_spec_example_post_files_a_case_through_the_intake(cast: Any, api_key: str, november_2nd: None) -> None:
    """The spec's example request (its fields, an unknown attribute such as FixMyStreet's id ignored)."""
    data = form(api_key, device_id="tt222111", account_id="123456",
                media_url="http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
                **{"attribute[fixmystreet_id]": "4711", "jurisdiction_id": "ombudsman.go.id"})
    response = post("xml", data)
    assert response.status_code == 200, response.content
    root = xml_of(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    case = Case.objects.get(pk=int(request.findtext("service_request_id") or 0))
    assert [c.tag for c in request] == ["service_request_id", "token", "service_notice", "account_id"]
    assert case.number in (request.findtext("service_notice") or "")
    assert "/lapor/lacak/" in (request.findtext("service_notice") or "")
    # The normal opening: number, event, timers, audit, API channel, office of the national fallback.
    assert case.channel == Channel.API and case.kind == "public_report" and case.state == "received"
    assert case.reported_other == "Disdukcapil Kabupaten Tabalong" and case.visibility == "public"
    assert Event.objects.filter(case=case, action="open").count() == 1
    assert Timer.objects.filter(case=case).exists()
    assert AuditEvent.objects.filter(event_type="case.opened", object_id=str(case.pk)).count() == 1
    reporter = Reporter.objects.get(case=case)
    assert (reporter.full_name, reporter.email, reporter.phone) == ("Siti Rahmawati", "siti.rahma@contoh.id",
                                                                     "081234567890")
    submission = Submission.objects.get(case=case)
    assert (submission.service_code, submission.lat, submission.address) == (
        "administrasi-kependudukan", -2.1716, "Jl. Tanjung Raya, Tabalong")
    assert request.findtext("token") == submission.token


def test_the_post_answers_json_and_a_registry_institution_routes_the_office(cast: Any, api_key: str,
                                                                            november_2nd: None) -> None:
    response = post("json", form(api_key, **{"attribute[institution]": "", "attribute[institution_id]":
                                             str(cast.tabalong.pk), "attribute[visibility]": None}))
    assert response.status_code == 200, response.content
    [row] = json_of(response)
    assert set(row) == {"service_request_id", "token", "service_notice", "account_id"} and row["account_id"] is None
    case = Case.objects.get(pk=int(row["service_request_id"]))
    assert case.institution == cast.tabalong and case.office == cast.kalsel
    assert case.visibility == "confidential"  # the default


def _public_case(cast: Any, api_key: str, **extra: Any) -> Case:
    response = post("json", form(api_key, **extra))
    assert response.status_code == 200, response.content
    return Case.objects.get(pk=int(json_of(response)[0]["service_request_id"]))


def test_get_requests_and_one_request_answer_the_spec_fields(cast: Any, api_key: str, november_2nd: None) -> None:
    case = _public_case(cast, api_key)
    rows = json_of(Client().get(f"{BASE}/requests.json"))
    assert [r["service_request_id"] for r in rows] == [str(case.pk)]
    row = rows[0]
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "open" and row["status_notes"] == "Diterima"
    assert row["service_code"] == "administrasi-kependudukan" and row["service_name"] == "Administrasi kependudukan"
    assert row["agency_responsible"] == "Disdukcapil Kabupaten Tabalong"
    assert row["requested_datetime"] == "2026-11-02T09:00:00+07:00"
    assert row["expected_datetime"] == f"{case.next_due_on}T23:59:59+07:00"
    assert (row["lat"], row["long"], row["address"]) == (-2.1716, 115.3822, "Jl. Tanjung Raya, Tabalong")
    assert json_of(Client().get(f"{BASE}/requests/{case.pk}.json")) == rows
    root = xml_of(Client().get(f"{BASE}/requests/{case.pk}.xml"))
    assert [c.tag for c in root.find("request")] == REQUEST_FIELDS  # type: ignore[union-attr]
    assert root.findtext("request/status") == "open"
    token = json_of(Client().get(f"{BASE}/requests.json?service_request_id={case.pk}"))
    assert token == rows


def test_a_token_answers_its_request_id(cast: Any, api_key: str, november_2nd: None) -> None:
    case = _public_case(cast, api_key, **{"attribute[visibility]": None})
    submission = Submission.objects.get(case=case)
    assert json_of(Client().get(f"{BASE}/tokens/{submission.token}.json")) == [
        {"service_request_id": str(case.pk), "token": submission.token}]
    root = xml_of(Client().get(f"{BASE}/tokens/{submission.token}.xml"))
    assert root.findtext("request/service_request_id") == str(case.pk)
    assert Client().get(f"{BASE}/tokens/nope.json").status_code == 404


def test_filters_status_service_code_dates_and_pages(cast: Any, api_key: str, november_2nd: None) -> None:
    from pantau.complaints import services

    first = _public_case(cast, api_key)
    second = _public_case(cast, api_key, service_code="kepolisian")
    third = _public_case(cast, api_key, **{"attribute[institution_id]": str(cast.tabalong.pk)})
    services.case_transition(actor=cast.intake_kalsel, case=third, action="close", reason="DICABUT_PELAPOR")

    def ids(query: str) -> list[int]:
        response = Client().get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.content
        return [int(r["service_request_id"]) for r in json_of(response)]

    assert ids("") == [third.pk, second.pk, first.pk]
    assert ids("service_code=kepolisian") == [second.pk]
    assert ids("service_code=kepolisian,administrasi-kependudukan&status=open") == [second.pk, first.pk]
    assert ids("status=closed") == [third.pk] and ids("status=open,closed") == [third.pk, second.pk, first.pk]
    closed = json_of(Client().get(f"{BASE}/requests/{third.pk}.json"))[0]
    assert closed["status"] == "closed" and closed["status_notes"] == "Ditutup: Dicabut atas permintaan pelapor"
    assert closed["expected_datetime"] is None and closed["agency_responsible"] == cast.tabalong.name
    assert ids("page_size=2") == [third.pk, second.pk] and ids("page_size=2&page=2") == [first.pk]
    assert ids("start_date=2026-11-02T10:00:00%2B07:00") == []
    assert ids("start_date=2026-10-01T00:00:00Z&end_date=2026-11-03T00:00:00Z") == [third.pk, second.pk, first.pk]
    assert ids("end_date=2026-08-01T00:00:00Z") == []
    assert ids(f"service_request_id={first.pk},{second.pk}&status=closed") == [second.pk, first.pk]  # overrides
