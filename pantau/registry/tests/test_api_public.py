"""Public reads of the registry API: what anyone may read, filters, pagination, never drafts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from pantau.registry import services, unit_changes
from pantau.registry.api import schemas
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit
from pantau.registry.models import Regency as RegencyModel
from pantau.registry.tests.api_helpers import Api, count_queries
from tests.cast import publish

pytestmark = pytest.mark.django_db


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_it_lists_provinces_and_the_regencies_of_one_province(cast: Any) -> None:
    api = Api()
    assert names(api.get("/provinces")) == ["Kalimantan Tengah", "Kalimantan Selatan"]  # by code
    body = api.get("/regencies", {"province": "63"}).json()
    assert [r["code"] for r in body["items"]] == ["63.09", "63.71"]
    assert body["items"][1] == {"code": "63.71", "name": "Kota Banjarmasin", "kind": "kota", "province": "63"}
    assert names(api.get("/regencies", {"q": "barito"})) == ["Kabupaten Barito Selatan"]


def test_it_lists_the_offices_with_the_provinces_they_supervise(cast: Any) -> None:
    items = Api().get("/offices").json()["items"]
    kalsel = next(o for o in items if o["id"] == cast.kalsel.pk)
    assert kalsel == {"id": cast.kalsel.pk, "name": cast.kalsel.name, "is_national": False, "provinces": ["63"]}


def test_it_filters_institutions_by_words_province_and_kind(cast: Any) -> None:
    api = Api()
    assert names(api.get("/institutions", {"province": "63"})) == ["Pemerintah Kabupaten Tabalong",
                                                                  "Pemerintah Kota Banjarmasin"]
    assert names(api.get("/institutions", {"kind": "pemkot"})) == ["Pemerintah Kota Banjarmasin"]
    assert names(api.get("/institutions", {"q": "kabupaten selatan"})) == ["Pemerintah Kabupaten Barito Selatan"]
    one = api.get(f"/institutions/{cast.tabalong.pk}").json()
    assert one["province"] == "63" and one["regency"] == "63.09" and one["office"]["name"] == cast.kalsel.name
    assert one["url"] == f"http://testserver/instansi/{cast.tabalong.pk}/"


def test_it_lists_the_active_units_of_an_institution_with_their_maklumat(cast: Any) -> None:
    unit_changes.unit_event_record(actor=cast.national_admin, kind="dissolve", date=dt.date(2025, 6, 1),
                               institution=cast.tabalong, from_units=[cast.dpmptsp])
    items = Api().get(f"/institutions/{cast.tabalong.pk}/units").json()["items"]
    assert [u["name"] for u in items] == ["Dinas Kependudukan dan Pencatatan Sipil"]
    assert items[0]["maklumat"] == "Kami sanggup melayani sesuai standar."
    assert items[0]["maklumat_date"] == "2025-01-02"


def test_it_searches_public_products_by_words_province_and_institution(cast: Any) -> None:
    api = Api()
    body = api.get("/products", {"q": "ktp"}).json()
    assert body["count"] == 2
    assert {p["province"] for p in body["items"]} == {"62", "63"}
    assert names(api.get("/products", {"q": "ktp", "province": "62"})) == ["Penerbitan KTP-el"]
    assert names(api.get("/products", {"institution": cast.tabalong.pk})) == ["Penerbitan KTP-el",
                                                                             "Persetujuan Bangunan Gedung"]
    assert names(api.get("/products", {"q": "tabalong bangunan"})) == ["Persetujuan Bangunan Gedung"]
    item = api.get(f"/products/{cast.ktp.pk}").json()
    assert item["standard"] == {"version": 1, "effective_date": "2025-01-02"}
    assert item["url"] == f"http://testserver/layanan/{cast.ktp.pk}/"


def test_the_standard_in_force_carries_all_fourteen_components_and_the_maklumat(cast: Any) -> None:
    body = Api().get(f"/products/{cast.ktp.pk}/standard").json()
    assert [c["code"] for c in body["delivery"]] == ["persyaratan", "prosedur", "waktu", "biaya", "produk",
                                                     "pengaduan"]
    assert len(body["management"]) == 8 and body["management"][0]["code"] == "dasar_hukum"
    requirements = body["delivery"][0]
    assert requirements["items"] == ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW"]
    assert requirements["pasal_21"] == 2
    cost = next(c for c in body["delivery"] if c["code"] == "biaya")
    assert body["is_free"] is True and cost["text"] == "Gratis"
    assert body["completion_days"] == 1 and body["version"] == 1 and body["effective_date"] == "2025-01-02"
    assert body["status"] == "published" and body["present_count"] == 14
    assert body["unit"]["maklumat"] == "Kami sanggup melayani sesuai standar."
    assert body["unit"]["vulnerable_facilities"] == ""
    assert body["office"]["name"] == cast.kalsel.name
    assert body["url"] == f"http://testserver/layanan/{cast.ktp.pk}/"


def test_drafts_never_show_in_public_answers(cast: Any) -> None:
    api = Api()
    hidden = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "Surat Pindah"})
    services.standard_save_draft(actor=cast.admin_tabalong, product=hidden, data={"requirements": "KK rahasia"})
    services.standard_save_draft(actor=cast.admin_tabalong, product=cast.ktp,
                                 data={"requirements": "Syarat draf baru"})
    assert "Surat Pindah" not in names(api.get("/products", {"limit": 100}))
    for path in (f"/products/{hidden.pk}", f"/products/{hidden.pk}/standard", f"/products/{hidden.pk}/standards",
                 f"/products/{cast.ktp.pk}/standards/2"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert "detail" in response.json()
    assert [v["version"] for v in api.get(f"/products/{cast.ktp.pk}/standards").json()["items"]] == [1]
    standard = api.get(f"/products/{cast.ktp.pk}/standard").content.decode()
    assert "Syarat draf baru" not in standard and "Fotokopi Kartu Keluarga" in standard


def test_the_version_history_lists_published_versions_newest_first(cast: Any) -> None:
    publish(cast.admin_tabalong, cast.ktp, effective=dt.date(2025, 6, 1), cost="", is_free=True,
            completion_time="2 hari kerja", completion_days=2)
    api = Api()
    items = api.get(f"/products/{cast.ktp.pk}/standards").json()["items"]
    assert [(v["version"], v["in_force"], v["completion_days"]) for v in items] == [(2, True, 2), (1, False, 1)]
    old = api.get(f"/products/{cast.ktp.pk}/standards/1").json()
    assert old["version"] == 1 and old["completion_days"] == 1
    assert api.get(f"/products/{cast.ktp.pk}/standard").json()["version"] == 2


def test_an_inactive_product_leaves_the_public_api(cast: Any) -> None:
    services.product_save(actor=cast.admin_tabalong, product=cast.pbg, data={"is_active": False})
    api = Api()
    assert api.get(f"/products/{cast.pbg.pk}").status_code == 404
    assert api.get(f"/products/{cast.pbg.pk}/standard").status_code == 404
    assert "Persetujuan Bangunan Gedung" not in names(api.get("/products"))


def test_public_answers_hold_no_users_or_personal_data(cast: Any) -> None:
    api = Api()
    paths = ["/provinces", "/regencies", "/offices", "/institutions", f"/institutions/{cast.tabalong.pk}",
             f"/institutions/{cast.tabalong.pk}/units", "/products", f"/products/{cast.ktp.pk}",
             f"/products/{cast.ktp.pk}/standard", f"/products/{cast.ktp.pk}/standards",
             f"/products/{cast.ktp.pk}/standards/1"]
    for path in paths:
        text = api.get(path).content.decode()
        for secret in ("national_admin", "admin_tabalong", "@uji.local", "published_by", "password", "audit"):
            assert secret not in text, (path, secret)


def test_pagination_pages_through_a_long_list(cast: Any) -> None:
    for i in range(7):
        publish(cast.admin_tabalong, services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil,
                                                           data={"name": f"Layanan {i:02d}"}))
    api = Api()
    first = api.get("/products", {"q": "layanan", "limit": 3}).json()
    assert first["count"] == 7 and first["limit"] == 3 and first["offset"] == 0
    assert [p["name"] for p in first["items"]] == ["Layanan 00", "Layanan 01", "Layanan 02"]
    last = api.get("/products", {"q": "layanan", "limit": 3, "offset": 6}).json()
    assert [p["name"] for p in last["items"]] == ["Layanan 06"]
    assert api.get("/products", {"q": "layanan", "offset": 100}).json()["items"] == []
    assert api.get("/products").json()["limit"] == 50  # the default


@pytest.mark.parametrize("params, field", [
    ({"limit": 101}, "limit"), ({"limit": 0}, "limit"), ({"limit": "banyak"}, "limit"), ({"offset": -1}, "offset"),
    ({"province": "6"}, "province"), ({"province": "zz"}, "province"), ({"institution": "abc"}, "institution"),
    ({"institution": 0}, "institution"), ({"q": "x" * 101}, "q"),
])
def test_bad_query_parameters_answer_422_naming_the_parameter(cast: Any, params: dict[str, Any], field: str) -> None:
    response = Api().get("/products", params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith(f"{field}: "), detail


def test_an_oversized_limit_says_what_the_maximum_is(cast: Any) -> None:
    response = Api().get("/institutions", {"limit": 1000})
    assert response.status_code == 422
    assert response.json()["detail"] == "limit: Input should be less than or equal to 100"


def test_an_unknown_kind_lists_the_kinds_there_are(cast: Any) -> None:
    response = Api().get("/institutions", {"kind": "desa"})
    assert response.status_code == 422 and "'pemkab'" in response.json()["detail"]


def test_unknown_ids_answer_404_in_json(cast: Any) -> None:
    api = Api()
    for path in ("/institutions/999999", "/institutions/999999/units", "/products/999999",
                 "/products/999999/standard", f"/products/{cast.ktp.pk}/standards/99"):
        response = api.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), path
        assert response.json()["detail"].startswith("Tidak ditemukan")


def test_the_literal_kinds_of_the_schema_match_the_models() -> None:
    from typing import get_args

    assert set(get_args(schemas.InstitutionKind)) == set(Institution.Kind.values)
    assert set(get_args(schemas.UnitKind)) == set(ServiceUnit.Kind.values)
    assert set(get_args(schemas.ProductCategory)) == set(ServiceProduct.Category.values)
    assert set(get_args(schemas.RegencyKind)) == set(RegencyModel.Kind.values)


# Query counts: the same at two data sizes.

def grow(cast: Any, n: int) -> None:
    for i in range(n):
        inst = services.institution_save(actor=cast.national_admin, data={
            "name": f"Instansi {len(Institution.objects.all())} {i}", "kind": "pemkab",
            "province_id": cast.kalsel_province.pk, "office_id": cast.kalsel.pk})
        unit = services.unit_save(actor=cast.national_admin, institution=inst, data={"name": f"Dinas {i}"})
        product = services.product_save(actor=cast.national_admin, unit=unit, data={"name": f"KTP {i}"})
        publish(cast.national_admin, product)
        if i % 2:
            publish(cast.national_admin, product, effective=dt.date(2025, 3, 1))


PUBLIC_PATHS: list[Callable[[Any], str]] = [
    lambda c: "/provinces", lambda c: "/regencies", lambda c: "/offices", lambda c: "/institutions",
    lambda c: f"/institutions/{c.tabalong.pk}/units", lambda c: "/products?q=ktp", lambda c: "/products",
    lambda c: f"/products/{c.ktp.pk}", lambda c: f"/products/{c.ktp.pk}/standard",
    lambda c: f"/products/{c.ktp.pk}/standards", lambda c: f"/products/{c.ktp.pk}/standards/1",
]


def test_public_reads_keep_a_flat_query_count(cast: Any) -> None:
    api = Api()

    def measure() -> list[int]:  # the answers as computed, not kept ones (pantau.core.apicache)
        cache.clear()
        return [count_queries(lambda p=path: api.get(p(cast))) for path in PUBLIC_PATHS]

    grow(cast, 2)
    small = measure()
    grow(cast, 12)
    for i in range(10):
        publish(cast.admin_tabalong, services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil,
                                                           data={"name": f"Akta {i}"}))
    assert len(json.loads(api.get("/products").content)["items"]) > 20
    large = measure()
    assert small == large
    assert max(large) <= 4, large  # a cached list: its stamp (pantau.core.apicache), count, page, search
