"""A real Open311 client, ``georeport`` from PyPI, reads the endpoints over HTTP from a live server, in JSON
and in XML (the client has no POST method: the reports are filed with ``requests``, as such a client would)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import requests
from georeport import GeoReport

from pantau.open311 import keys
from pantau.open311.tests.conftest import DESCRIPTION, PERSON

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any, monkeypatch: Any) -> Any:
    from tests.cast import build_cast

    # Every request of this test (the client's and ours) asks the live server to close the connection after
    # its answer: a kept-alive connection holds a server thread, and its database connection, until the end
    # of the run, and PostgreSQL then refuses to drop the test database.
    closing = {**requests.utils.default_headers(), "Connection": "close"}
    monkeypatch.setattr(requests.sessions, "default_headers", lambda: requests.structures.CaseInsensitiveDict(closing))
    cast = build_cast()
    cast.root = f"{live_server.url}/open311/v2"
    cast.key = keys.client_issue(actor=keys.SYSTEM, name="georeport", hourly_limit=10)[1]
    return cast


def _file(site: Any, fmt: str, code: str, visibility: str) -> Any:
    day = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    return requests.post(f"{site.root}/requests.{fmt}", timeout=30, data={
        "api_key": site.key, "jurisdiction_id": "ombudsman.go.id", "service_code": code,
        "address_string": "Jl. Tanjung Raya, Tabalong", "description": DESCRIPTION, **PERSON,
        "attribute[institution_id]": str(site.tabalong.pk), "attribute[event_date]": day,
        "attribute[visibility]": visibility})


def _ids(rows: Any) -> list[str]:
    """The ids of a list (xmltodict gives one ``<request>`` as a dict, not a list of one)."""
    return [r["service_request_id"] for r in (rows if isinstance(rows, list) else [rows])]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_services_definitions_and_requests(site: Any, fmt: str) -> None:
    client = GeoReport(site.root, jurisdiction="ombudsman.go.id", output_format=fmt)
    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "administrasi-kependudukan" in codes and len(codes) == 20
    definition = client.get_service_definition("administrasi-kependudukan")
    attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    assert "institution" in [a["code"] for a in attributes]

    filed = [_file(site, fmt, code, visibility) for code, visibility in (
        ("administrasi-kependudukan", "public"), ("kepolisian", "anonymous"), ("kepolisian", "confidential"))]
    assert [r.status_code for r in filed] == [200, 200, 200], [r.text for r in filed]
    ids = []
    for response in filed:
        if fmt == "json":
            ids.append(response.json()[0]["service_request_id"])
        else:
            import xmltodict

            ids.append(xmltodict.parse(response.content)["service_requests"]["request"]["service_request_id"])

    listed = client.get_service_requests()
    assert [r["service_request_id"] for r in listed] == [ids[1], ids[0]]  # newest first; confidential never
    assert _ids(client.get_service_requests(service_code="kepolisian", status="open")) == [ids[1]]
    assert _ids(client.get_service_requests(service_request_id=f"{ids[2]},{ids[0]}")) == [ids[0]]
    one = client.get_service_request(ids[0])
    assert one["service_request_id"] == ids[0] and one["status"] == "open"
    assert one["service_code"] == "administrasi-kependudukan" and one["address"] == "Jl. Tanjung Raya, Tabalong"
    anonymous = client.get_service_request(ids[1])
    assert anonymous["address"] in (None, "") and anonymous["lat"] in (None, "")
    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_request(ids[2])
    assert refused.value.response.status_code == 404
    for text in (PERSON["email"], PERSON["phone"], PERSON["last_name"]):
        assert text not in str(listed) and text not in str(one) and text not in str(anonymous)
