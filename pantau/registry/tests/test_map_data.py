"""The JSON behind the home page map: boundaries (cached, gzip, ETag) and completeness per region."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pantau.registry import regionmap, services
from pantau.registry.models import Institution, Province, Regency
from pantau.registry.regions import load_regions
from tests.cast import publish

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

# The cast: Tabalong's KTP-el has 14 components + the unit's maklumat (15 of 16 items), its PBG
# 14 (DPMPTSP has no maklumat), Barito Selatan's KTP-el 14. Kalsel: (15 + 14) / 32 = 90.6 % → 91;
# Kalteng: 14 / 16 = 87.5 % → 88 (``completeness.percent`` rounds half to even).
CAST_PROVINCES = {"63": {"products": 2, "percent": 91}, "62": {"products": 1, "percent": 88}}
CAST_REGENCIES = {"63.09": {"products": 2, "percent": 91}, "62.04": {"products": 1, "percent": 88}}


def get(name: str, *args: Any, **headers: Any) -> Any:
    return Client().get(reverse(f"public:{name}", args=args), headers=headers)


def test_completeness_per_province_and_regency_is_computed_from_the_public_products(cast: Any) -> None:
    response = get("map_completeness")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"items": 16, "provinces": CAST_PROVINCES, "regencies": CAST_REGENCIES}


def test_drafts_inactive_products_and_future_versions_do_not_count(cast: Any) -> None:
    draft = services.product_save(actor=cast.admin_barsel, unit=cast.barsel_dukcapil, data={"name": "Akta"})
    services.standard_save_draft(actor=cast.admin_barsel, product=draft, data={"requirements": "KK"})
    future = services.product_save(actor=cast.admin_barsel, unit=cast.barsel_dukcapil, data={"name": "KIA"})
    publish(cast.admin_barsel, future, effective=dt.date.today() + dt.timedelta(days=10))
    services.product_set_active(actor=cast.national_admin, product=cast.pbg, active=False, reason="Dihapus")
    body = get("map_completeness").json()
    assert body["provinces"] == {"63": {"products": 1, "percent": 94}, "62": CAST_PROVINCES["62"]}  # 15/16
    assert body["regencies"]["63.09"] == {"products": 1, "percent": 94}


def test_a_provincial_government_counts_for_its_province_only(cast: Any) -> None:
    pemprov = services.institution_save(actor=cast.national_admin, data={
        "name": "Pemerintah Provinsi Kalimantan Tengah", "kind": "pemprov",
        "province_id": cast.kalteng_province.pk, "office_id": cast.kalteng.pk})
    unit = services.unit_save(actor=cast.national_admin, institution=pemprov, data={
        "name": "DPMPTSP Provinsi", "kind": "dinas", "maklumat": "Kami siap.", "vulnerable_facilities": "Ram"})
    product = services.product_save(actor=cast.national_admin, unit=unit, data={"name": "Izin Trayek"})
    publish(cast.national_admin, product)  # 14 + 2 = 16 of 16
    body = get("map_completeness").json()
    assert body["provinces"]["62"] == {"products": 2, "percent": 94}  # (14 + 16) / 32 = 93.75
    assert body["regencies"]["62.04"] == CAST_REGENCIES["62.04"]
    assert Institution.objects.filter(regency__isnull=True).count() == 1


def test_completeness_keeps_a_flat_query_count(cast: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        assert get("map_completeness").status_code == 200
    for i in range(15):
        regency = Regency.objects.create(code=f"63.{20 + i}", province=cast.kalsel_province, name=f"Kab {i}",
                                         kind="kabupaten")
        inst = services.institution_save(actor=cast.national_admin, data={
            "name": f"Pemkab {i}", "kind": "pemkab", "province_id": cast.kalsel_province.pk,
            "regency_id": regency.pk, "office_id": cast.kalsel.pk})
        unit = services.unit_save(actor=cast.national_admin, institution=inst, data={"name": "Dukcapil"})
        publish(cast.national_admin, services.product_save(actor=cast.national_admin, unit=unit,
                                                           data={"name": "KTP-el"}))
    cache.clear()
    with django_assert_max_num_queries(2):
        body = get("map_completeness").json()
    assert len(body["regencies"]) == 17 and body["provinces"]["63"]["products"] == 17
    with django_assert_max_num_queries(0):
        assert get("map_completeness").status_code == 200  # from the cache for a minute


def test_completeness_is_short_lived_in_caches_and_answers_not_modified(cast: Any) -> None:
    first = get("map_completeness")
    assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert get("map_completeness", If_None_Match=first["ETag"]).status_code == 304


def test_without_boundaries_the_map_has_no_features(cast: Any) -> None:
    assert get("map_provinces").json() == {"type": "FeatureCollection", "features": []}
    assert get("map_regencies", "63").json() == {"type": "FeatureCollection", "features": []}


def test_the_provinces_come_as_one_small_feature_collection(cast: Any) -> None:
    load_regions()
    response = get("map_provinces")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 38
    kalsel = next(f for f in body["features"] if f["id"] == "63")
    assert kalsel["properties"] == {"code": "63", "name": "Kalimantan Selatan"}
    assert kalsel["geometry"]["type"] == "MultiPolygon"
    lng, lat = kalsel["geometry"]["coordinates"][0][0][0]
    assert 114 < lng < 117 and -5 < lat < -1 and round(lng, 2) == lng
    assert len(response.content) < 500_000  # the stored boundaries are ~1.8 MB


def test_boundaries_are_gzipped_cached_long_and_answer_not_modified(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    load_regions()
    plain = get("map_provinces")
    zipped = get("map_provinces", Accept_Encoding="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < 120_000
    for response in (plain, zipped):
        assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
        assert "Accept-Encoding" in response["Vary"]
    assert plain["ETag"] != zipped["ETag"]
    with django_assert_max_num_queries(0):
        again = get("map_provinces", Accept_Encoding="gzip", If_None_Match=zipped["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert get("map_provinces", Accept_Encoding="gzip;q=0").get("Content-Encoding") is None


def test_a_province_regencies_come_on_request(cast: Any, django_assert_max_num_queries: Any) -> None:
    load_regions()
    with django_assert_max_num_queries(2):
        response = get("map_regencies", "63")
    body = response.json()
    codes = [f["id"] for f in body["features"]]
    assert len(codes) == Regency.objects.filter(province__code="63").count() == 13
    assert all(code.startswith("63.") for code in codes) and "63.09" in codes
    tabalong = next(f for f in body["features"] if f["id"] == "63.09")
    assert tabalong["properties"]["name"] == "Kabupaten Tabalong"
    with django_assert_max_num_queries(0):
        assert get("map_regencies", "63").status_code == 200


def test_an_unknown_province_has_no_regency_map(cast: Any) -> None:
    for code in ("99", "6", "630", "ab", "6a", "63.09"):
        assert get("map_regencies", code).status_code == 404, code


def test_loading_the_regions_again_refreshes_the_cached_boundaries(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert get("map_provinces").json()["features"] == []
    with django_capture_on_commit_callbacks(execute=True):
        load_regions()
    assert len(get("map_provinces").json()["features"]) == 38
    Province.objects.filter(code="63").update(name="Kalsel (lama)")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        load_regions()  # puts the name back and, once committed, forgets the cached GeoJSON
    assert len(callbacks) == 1
    names = {f["id"]: f["properties"]["name"] for f in get("map_provinces").json()["features"]}
    assert names["63"] == "Kalimantan Selatan"


def test_simplify_rounds_drops_repeats_and_collapsed_rings() -> None:
    square = [[0.001, 0.001], [1.004, 0.0], [1.0, 1.0], [1.0, 1.001], [0.0, 1.0], [0.001, 0.001]]
    speck = [[5.0, 5.0], [5.001, 5.0], [5.001, 5.001], [5.0, 5.0]]
    geometry = {"type": "MultiPolygon", "coordinates": [[square], [speck]]}
    assert regionmap.simplify(geometry, 2) == {
        "type": "MultiPolygon", "coordinates": [[[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]]
    }
    assert regionmap.simplify({"type": "Polygon", "coordinates": [square]}, 2)["type"] == "MultiPolygon"
    assert regionmap.simplify({"type": "Polygon", "coordinates": [speck]}, 2) is None
    assert regionmap.simplify({"type": "Point", "coordinates": [1, 2]}, 2) is None
    rows = [("11", "A", json.dumps({"type": "Polygon", "coordinates": [square]})), ("12", "B", "not json"),
            ("13", "C", ""), ("14", "D", json.dumps({"type": "Polygon", "coordinates": [[[1]]]}))]
    assert [f["id"] for f in regionmap.feature_collection(rows, 2)["features"]] == ["11"]


def test_the_home_page_shows_the_map_data_as_a_table(cast: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        body = Client().get(reverse("public:home")).content.decode()
    assert 'id="map"' in body and 'data-provinces="/peta/provinsi.json"' in body
    assert "pantau/map.js" in body and "echarts-6.0.0.min.js" in body
    assert '<tr data-code="63">' in body and "91%" in body and "88%" in body
    assert 'href="/layanan/?provinsi=63"' in body
    load_regions()
    for i in range(10):
        product = services.product_save(actor=cast.admin_barsel, unit=cast.barsel_dukcapil, data={"name": f"L {i}"})
        publish(cast.admin_barsel, product)
    with django_assert_max_num_queries(3):
        body = Client().get(reverse("public:home")).content.decode()
    assert body.count("<tr data-code=") == 38 and "11</td>" in body


def test_search_filters_by_regency(cast: Any) -> None:
    body = Client().get(reverse("public:search"), {"provinsi": "63", "kabupaten": "63.09"}).content.decode()
    assert "2 layanan ditemukan." in body and 'value="63.09" selected' in body
    body = Client().get(reverse("public:search"), {"provinsi": "63", "kabupaten": "63.71"}).content.decode()
    assert "0 layanan ditemukan." in body
    assert Client().get(reverse("public:search"), {"kabupaten": "x" * 500}).status_code == 200
