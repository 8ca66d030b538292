"""The results API: periods, institution results with breakdown, rankings; public, no token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pantau.assessments.tests.cycle_helpers import approved_everywhere
from pantau.assessments.tests.results_helpers import published_now

pytestmark = pytest.mark.django_db
API = "/api/assessments"


def test_periods_list_only_published_official_ones(cast: Any, client: Client, time_machine: Any) -> None:
    period = published_now(cast)
    approved_everywhere(cast, time_machine)  # another period, in review: not listed
    items = client.get(f"{API}/periods").json()["items"]
    assert [(p["id"], p["year"], p["methodology"], p["era"]) for p in items] == [
        (period.pk, 2025, "ombudsman-2016@1.0", "2016-2021")]
    assert items[0]["url"].endswith("/penilaian/2025/")


def test_results_list_and_one_institution_with_its_breakdown(cast: Any, client: Client) -> None:
    published_now(cast)
    page = client.get(f"{API}/periods/2025/results?limit=1").json()
    assert [(r["institution_id"], r["score"], r["zone"], r["corrected"]) for r in page["items"]] == [
        (cast.tabalong.pk, "95.45", "green", False)]
    assert page["next"] is None
    detail = client.get(f"{API}/periods/2025/results/{cast.tabalong.pk}").json()
    assert detail["score"] == "95.45" and detail["methodology"] == "ombudsman-2016@1.0"
    assert detail["breakdown"]["name"] == f"instansi {cast.tabalong.pk}"
    assert {u["name"] for u in detail["units"]} == {cast.dukcapil.name, cast.dpmptsp.name}
    product = detail["units"][0]["products"][0]
    assert product["exact"] == "95.45454545454545454545454545" and product["breakdown"]["parts"]
    assert [v["version"] for v in detail["versions"]] == [1]
    assert detail["rapor_url"].endswith(f"/penilaian/2025/instansi/{cast.tabalong.pk}/rapor.pdf")


def test_rankings_of_a_kind_nationally_and_within_a_province(cast: Any, client: Client) -> None:
    published_now(cast)
    national = client.get(f"{API}/periods/2025/rankings/pemkab").json()
    assert national["total"] == 1 and national["rows"][0]["rank"] == 1 and national["rows"][0]["movement"] is None
    assert [z["count"] for z in national["zones"]] == [1, 0, 0]
    assert client.get(f"{API}/periods/2025/rankings/pemkab?province=63").json()["total"] == 1
    assert client.get(f"{API}/periods/2025/rankings/pemkab?province=62").json()["total"] == 0


@pytest.mark.parametrize("path, status", [
    ("/periods/2024/results", 404), ("/periods/1999/results", 422), ("/periods/2025/results/999999", 404),
    ("/periods/2025/rankings/planet", 422), ("/periods/2025/rankings/pemkab?province=6", 422),
    ("/periods/2025/results?cursor=forged", 422),
])
def test_bad_requests_answer_a_clear_4xx(cast: Any, client: Client, path: str, status: int) -> None:
    published_now(cast)
    response = client.get(API + path)
    assert response.status_code == status and response.json()["detail"]


def test_schema_names_are_unique_and_the_list_cost_is_flat(cast: Any, client: Client,
                                                           django_assert_max_num_queries: Any) -> None:
    published_now(cast)
    spec = client.get("/api/openapi.json").json()
    assert "AssessmentPeriodOut" in spec["components"]["schemas"]
    assert "PublishedResultDetailOut" in spec["components"]["schemas"]
    with django_assert_max_num_queries(3):
        client.get(f"{API}/periods/2025/results")
    with django_assert_max_num_queries(8):
        client.get(f"{API}/periods/2025/results/{cast.tabalong.pk}")
