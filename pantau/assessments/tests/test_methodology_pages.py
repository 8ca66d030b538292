"""The public pages and API of the stored methodologies: what they show, what they never show,
flat query counts, the page cache keyed by the content, and the OpenAPI entries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from pantau.accounts.models import Membership, Role, User
from pantau.assessments import methodology, services
from pantau.assessments.models import MethodologyVersion

pytestmark = pytest.mark.django_db
SYSTEM = services.SYSTEM_ACTOR


@pytest.fixture
def stored() -> dict[str, MethodologyVersion]:
    call_command("load_methodologies", stdout=None)
    return {v.methodology.slug: v for v in MethodologyVersion.objects.select_related("methodology")}


@pytest.fixture
def admin_loaded() -> MethodologyVersion:
    """ombudsman-2022 loaded by a named national admin: the public must never see that name."""
    user = User.objects.create_user(username="admin-rahasia", password="x" * 20)
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    user = User.objects.get(pk=user.pk)
    version, _ = services.load_version(user, methodology.load_shipped("ombudsman-2022"))
    return version


def test_the_list_page_shows_every_stored_version_with_links(stored: dict[str, MethodologyVersion]) -> None:
    response = Client().get("/metodologi/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug, version in stored.items():
        assert f'href="/metodologi/{slug}/{version.version}/"' in html
        assert version.title in html
    assert 'href="/metodologi/"' in html  # in the main menu of every page


def test_the_list_page_says_when_nothing_is_loaded() -> None:
    assert "Belum ada metodologi yang dimuat." in Client().get("/metodologi/").content.decode()


def test_a_version_page_shows_weights_items_scales_evidence_derivation_and_bands(
        stored: dict[str, MethodologyVersion]) -> None:
    html = Client().get("/metodologi/ombudsman-2022/1.0/").content.decode()
    m = methodology.load_shipped("ombudsman-2022")
    for dimension in m.dimensions:
        assert dimension.title in html and str(dimension.points) in html
        for variable in dimension.variables:
            assert variable.title in html
    for item in m.items.values():
        assert f'id="item-{item.code}"' in html
    assert "0 (tidak ada), 1 (sangat kurang)" in html  # the ordinal scale with its labels
    assert "observasi" in html and "wawancara" in html and "foto" in html
    derived = next(i for i in m.items.values() if i.derived)
    assert "diturunkan" in html and derived.derived_from[0] in html
    assert "A — Kualitas Tertinggi" in html and "88,00–100,00" in html and "Hijau" in html
    assert "E — " in html and "Merah" in html
    assert stored["ombudsman-2022"].content_hash[:12] in html


def test_an_era_1_version_page_explains_scoring_per_product(stored: dict[str, MethodologyVersion]) -> None:
    html = Client().get("/metodologi/ombudsman-2016/1.0/").content.decode()
    assert "Nilai dihitung per produk layanan" in html and "81,00–100,00" in html


def test_unknown_methodologies_and_versions_answer_404(stored: dict[str, MethodologyVersion]) -> None:
    client = Client()
    for path in ("/metodologi/tidak-ada/1.0/", "/metodologi/ombudsman-2022/9.9/", "/metodologi/ombudsman-2022/"
                 + "9" * 300 + "/"):
        assert client.get(path).status_code == 404, path


def test_the_pages_keep_a_flat_query_count(stored: dict[str, MethodologyVersion],
                                           django_assert_max_num_queries: Any) -> None:
    client = Client()
    with django_assert_max_num_queries(2):  # the stamp, the list
        assert client.get("/metodologi/").status_code == 200
    with django_assert_max_num_queries(2):  # the stamp, the version
        assert client.get("/metodologi/ombudsman-2022/1.0/").status_code == 200
    with django_assert_max_num_queries(1):  # from the page cache: the stamp only
        assert client.get("/metodologi/ombudsman-2022/1.0/")["X-Pantau-Cache"] == "hit"
    for n in range(3):
        source = stored["self-assessment"]
        services.copy_version(SYSTEM, source, f"salinan-{n}", "1.0", f"Salinan {n}")
    with django_assert_max_num_queries(2):  # the same with more versions
        response = client.get("/metodologi/")
    assert response["X-Pantau-Cache"] == "miss" and "Salinan 2" in response.content.decode()


def test_a_version_page_shows_that_it_was_frozen(stored: dict[str, MethodologyVersion]) -> None:
    client = Client()
    copy = services.copy_version(SYSTEM, stored["self-assessment"], "kalsel-mandiri", "1.0", "Mandiri Kalsel")
    assert "dibekukan" not in client.get("/metodologi/kalsel-mandiri/1.0/").content.decode()
    services.freeze(copy)
    html = client.get("/metodologi/kalsel-mandiri/1.0/").content.decode()
    assert "dibekukan" in html and "Salinan dari self-assessment versi 1.0" in html


def test_no_page_or_answer_names_who_loaded_a_version(admin_loaded: MethodologyVersion) -> None:
    client = Client()
    for path in ("/metodologi/", "/metodologi/ombudsman-2022/1.0/", "/api/assessments/methodologies",
                 "/api/assessments/methodologies/ombudsman-2022/1.0"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "admin-rahasia" not in response.content.decode(), path
        assert "loaded_by" not in response.content.decode(), path


def test_the_pages_are_served_in_english_too(stored: dict[str, MethodologyVersion]) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/metodologi/ombudsman-2022/1.0/").content.decode()
    assert "Categories and zones" in html and "observation" in html


# --- the API -------------------------------------------------------------------------------------

def test_the_api_lists_versions_by_cursor(stored: dict[str, MethodologyVersion],
                                          django_assert_max_num_queries: Any) -> None:
    client = Client()
    with django_assert_max_num_queries(2):  # the page, its capped count
        first = client.get("/api/assessments/methodologies", {"limit": 2}).json()
    assert [i["id"] for i in first["items"]] == ["ombudsman-2016", "ombudsman-2022"]
    assert first["count"] == 3 and first["next"]
    rest = client.get("/api/assessments/methodologies", {"limit": 2, "cursor": first["next"]}).json()
    assert [i["id"] for i in rest["items"]] == ["self-assessment"] and rest["next"] is None
    item = first["items"][1]
    assert item["version"] == "1.0" and item["official"] is True and item["era"] == "2022-2024"
    assert item["url"] == "http://testserver/metodologi/ombudsman-2022/1.0/"
    assert item["frozen_at"] is None and item["copied_from"] is None and len(item["content_hash"]) == 64


def test_the_api_gives_a_version_in_full_with_exact_numbers(stored: dict[str, MethodologyVersion]) -> None:
    response = Client().get("/api/assessments/methodologies/ombudsman-2022/1.0")
    assert response.status_code == 200
    body = response.json()
    assert [d["points"] for d in body["dimensions"]] == ["21.85", "32.37", "24.24", "21.54"]
    assert [(c["code"], c["minimum"], c["zone"]) for c in body["categories"]][:2] == [
        ("A", "88.00", "green"), ("B", "78.00", "green")]
    item = body["dimensions"][0]["variables"][0]["items"][0]
    assert {"code", "answer", "points", "methods", "evidence", "derived", "derived_from", "source"} <= set(item)
    assert body["aggregation"] == {"scored_level": "unit", "institution_from": "units", "rounding": "half-up",
                                   "decimals": 2, "round_at": ["unit", "institution"]}
    assert body["content_hash"] == stored["ombudsman-2022"].content_hash


def test_the_api_names_a_copy_source_and_answers_404_for_unknown(stored: dict[str, MethodologyVersion]) -> None:
    services.copy_version(SYSTEM, stored["self-assessment"], "kalsel-mandiri", "1.0", "Mandiri Kalsel")
    client = Client()
    body = client.get("/api/assessments/methodologies/kalsel-mandiri/1.0").json()
    assert body["copied_from"] == "self-assessment@1.0" and body["is_custom"] is True
    for path in ("/api/assessments/methodologies/tidak-ada/1.0", "/api/assessments/methodologies/ombudsman-2022/2"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["detail"], path
    assert client.get("/api/assessments/methodologies/BUKAN_ID/1.0").status_code == 422


def test_the_openapi_spec_describes_both_operations_as_public() -> None:
    spec = Client().get("/api/openapi.json").json()
    listed = spec["paths"]["/api/assessments/methodologies"]["get"]
    one = spec["paths"]["/api/assessments/methodologies/{slug}/{version}"]["get"]
    assert listed["operationId"] == "methodologies" and one["operationId"] == "methodology_version"
    assert "security" not in listed and "security" not in one  # no token needed
    assert listed["tags"] == one["tags"] == ["assessments: public"]
    assert "MethodologyVersionOut" in spec["components"]["schemas"]
