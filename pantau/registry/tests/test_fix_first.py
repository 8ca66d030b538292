"""“What to fix first” for Ombudsman staff: institutions least complete first, completeness per
unit, and a drill-down from a missing component to the products that lack it.

Cast: Pemkot Banjarmasin has no product yet; Barito Selatan one product with 14 of 16 items
(88 %); Tabalong KTP-el with 15 (its unit has a maklumat) and PBG with 14: 29 of 32 (91 %).
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.registry import completeness, services, views_manage
from pantau.registry.importer import import_registry
from pantau.registry.models import Institution, ServiceProduct
from pantau.registry.tests.workbooks import xlsx_bytes
from tests.cast import publish

pytestmark = pytest.mark.django_db

BANJARMASIN, BARSEL, TABALONG = ("Pemerintah Kota Banjarmasin", "Pemerintah Kabupaten Barito Selatan",
                                 "Pemerintah Kabupaten Tabalong")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(client: Client, **params: Any) -> list[str]:
    html = client.get(reverse("manage:institutions"), params).content.decode()
    return re.findall(r'<a href="/kelola/instansi/\d+/">([^<]+)</a>', html)


def test_the_staff_list_puts_the_least_complete_institution_first(cast: Any) -> None:
    assert listed(client_for(cast.national_admin)) == [BANJARMASIN, BARSEL, TABALONG]
    html = client_for(cast.national_admin).get(reverse("manage:institutions")).content.decode()
    assert "88%" in html and "91%" in html


def test_the_order_follows_every_write_that_changes_completeness(cast: Any) -> None:
    client = client_for(cast.national_admin)
    services.unit_save(actor=cast.national_admin, unit=cast.barsel_dukcapil, data={
        "maklumat": "Kami siap melayani.", "vulnerable_facilities": "Kursi roda"})  # Barito Selatan: 100 %
    assert listed(client) == [BANJARMASIN, TABALONG, BARSEL]
    unit = services.unit_save(actor=cast.national_admin, institution=cast.banjarmasin, data={"name": "Disdukcapil"})
    product = services.product_save(actor=cast.national_admin, unit=unit, data={"name": "Akta kelahiran"})
    publish(cast.national_admin, product)
    assert listed(client) == [BANJARMASIN, TABALONG, BARSEL]  # 14 of 16: 88 %
    services.product_save(actor=cast.national_admin, product=cast.pbg, data={"is_active": False})
    assert listed(client) == [BANJARMASIN, TABALONG, BARSEL]  # Tabalong: only KTP-el left, 94 %
    tabalong = Institution.objects.get(pk=cast.tabalong.pk)
    assert (tabalong.product_count, tabalong.score_sum, tabalong.completeness) == (1, 15, 94)


def test_the_summary_kept_on_write_is_what_a_full_recount_gives(cast: Any) -> None:
    services.unit_save(actor=cast.national_admin, unit=cast.dpmptsp, data={"maklumat": "Siap."})
    publish(cast.national_admin, cast.barsel_ktp, legal_basis="")
    kept = list(Institution.objects.order_by("pk").values_list("product_count", "score_sum", "completeness"))
    Institution.objects.update(product_count=0, score_sum=0, completeness=0)
    completeness.refresh_summaries()
    assert list(Institution.objects.order_by("pk").values_list("product_count", "score_sum", "completeness")) == kept
    assert kept[0] == (2, 30, 94)  # Tabalong: both units now have a maklumat


def test_an_import_refreshes_the_summary_once_it_is_written(cast: Any) -> None:
    data = xlsx_bytes({
        "Unit": [{"Instansi": BANJARMASIN, "Nama unit": "Disdukcapil", "Jenis": "dinas"}],
        "Produk": [{"Instansi": BANJARMASIN, "Unit": "Disdukcapil", "Nama produk": "Akta kelahiran"}],
    })
    result = import_registry(actor=cast.national_admin, upload=io.BytesIO(data), size=len(data))
    assert result.ok, result.problems
    banjarmasin = Institution.objects.get(pk=cast.banjarmasin.pk)
    assert (banjarmasin.product_count, banjarmasin.completeness) == (1, 0)


def test_the_list_pages_by_key_forwards_and_back(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views_manage, "PAGE_SIZE", 2)
    client = client_for(cast.national_admin)
    first = client.get(reverse("manage:institutions")).content.decode()
    assert "3 instansi" in first
    after = re.search(r'href="\?q=[^"]*setelah=(\d+)"', first)
    assert after is not None and not re.search(r'href="\?q=[^"]*sebelum=', first)
    assert listed(client, setelah=after.group(1)) == [TABALONG]
    second = client.get(reverse("manage:institutions"), {"setelah": after.group(1)}).content.decode()
    assert not re.search(r'href="\?q=[^"]*setelah=', second)
    before = re.search(r'href="\?q=[^"]*sebelum=(\d+)"', second)
    assert before is not None
    assert listed(client, sebelum=before.group(1)) == [BANJARMASIN, BARSEL]
    assert listed(client, setelah="99999999999999999999") == [BANJARMASIN, BARSEL]  # a bad cursor: the start


def test_the_institution_page_shows_each_unit_least_complete_first(cast: Any) -> None:
    html = client_for(cast.head_kalsel).get(reverse("manage:institution", args=[cast.tabalong.pk])).content.decode()
    dpmptsp, dukcapil = html.index(">DPMPTSP</a>"), html.index(">Dinas Kependudukan dan Pencatatan Sipil</a>")
    assert dpmptsp < dukcapil
    assert re.search(r">DPMPTSP</a>.*?88%", html, re.S) and re.search(r"Pencatatan Sipil</a>.*?94%", html, re.S)


def test_the_institution_page_counts_the_products_of_every_unit_not_only_this_page(
        cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views_manage, "INSTITUTION_UNITS_PAGE_SIZE", 1)
    html = client_for(cast.head_kalsel).get(reverse("manage:institution", args=[cast.tabalong.pk])).content.decode()
    assert html.count('href="/kelola/unit/') == 1  # one unit on this page, two in the institution
    assert "Kelengkapan standar (2 produk)" in html


def test_a_missing_component_leads_to_the_products_that_lack_it(cast: Any) -> None:
    client = client_for(cast.assessor_kalsel)
    services.product_save(actor=cast.national_admin, unit=cast.dukcapil, data={"name": "Kartu Identitas Anak"})
    detail = client.get(reverse("manage:institution", args=[cast.tabalong.pk])).content.decode()
    link = reverse("manage:institution_component", args=[cast.tabalong.pk, "maklumat"])
    assert f'href="{link}"' in detail
    html = client.get(link).content.decode()
    assert "Persetujuan Bangunan Gedung" in html and "Penerbitan KTP-el" not in html
    assert reverse("manage:product", args=[cast.pbg.pk]) in html
    assert reverse("manage:unit", args=[cast.dpmptsp.pk]) in html
    # A product without a standard in force lacks every component of the standard.
    lacking = client.get(reverse("manage:institution_component", args=[cast.tabalong.pk, "persyaratan"]))
    assert "Kartu Identitas Anak" in lacking.content.decode() and "belum terbit" in lacking.content.decode()
    assert "Penerbitan KTP-el" not in lacking.content.decode()


def test_the_drill_down_lists_as_many_products_as_the_table_counts(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views_manage, "PAGE_SIZE", 1)
    client = client_for(cast.national_admin)
    products = ServiceProduct.objects.filter(unit__institution=cast.tabalong, is_active=True)
    counts = {s.component.code: s.missing for s in completeness.component_counts(products)}
    seen: list[str] = []
    url = reverse("manage:institution_component", args=[cast.tabalong.pk, "kelompok_rentan"])
    params: dict[str, str] = {}
    for _ in range(5):
        html = client.get(url, params).content.decode()
        seen += re.findall(r'<a href="/kelola/produk/\d+/">([^<]+)</a>', html)
        nxt = re.search(r'href="\?setelah=(\d+)"', html)
        if nxt is None:
            break
        params = {"setelah": nxt.group(1)}
    assert len(seen) == counts["kelompok_rentan"] == 2
    assert seen == ["Persetujuan Bangunan Gedung", "Penerbitan KTP-el"]  # by unit: DPMPTSP, then Disdukcapil


def test_the_drill_down_is_scoped_and_knows_its_components(cast: Any) -> None:
    url = reverse("manage:institution_component", args=[cast.tabalong.pk, "maklumat"])
    assert client_for(cast.assessor_kalteng).get(url).status_code == 404
    assert client_for(cast.admin_barsel).get(url).status_code == 404
    unknown = reverse("manage:institution_component", args=[cast.tabalong.pk, "tidak-ada"])
    assert client_for(cast.head_kalsel).get(unknown).status_code == 404


def test_the_api_lists_the_least_complete_first_when_asked(cast: Any) -> None:
    from pantau.registry.tests.api_helpers import Api

    api = Api.as_user(cast.national_admin)
    by_completeness = api.get("/my/institutions", {"order": "completeness"}).json()["items"]
    assert [(i["name"], i["completeness"]) for i in by_completeness] == [
        (BANJARMASIN, None), (BARSEL, 88), (TABALONG, 91)]
    assert [i["name"] for i in api.get("/my/institutions").json()["items"]] == [BARSEL, TABALONG, BANJARMASIN]
    assert api.get("/my/institutions", {"order": "bogus"}).status_code == 422


@pytest.mark.django_db(transaction=True)
def test_two_products_added_at_the_same_time_are_both_counted() -> None:
    """PostgreSQL (read committed): the second writer waits for the first one's lock on the
    institution and then counts its committed product; without the lock it would overwrite the
    summary with a count that misses it."""
    import threading
    import time

    from django.db import connection, connections, transaction

    from tests.cast import build_cast

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    cast = build_cast()
    first_written = threading.Event()
    errors: list[BaseException] = []

    def add(name: str, wait: bool) -> None:
        try:
            if wait:
                first_written.wait(10)
            with transaction.atomic():
                services.product_save(actor=cast.national_admin, unit=cast.dukcapil, data={"name": name})
                if not wait:
                    first_written.set()
                    time.sleep(0.5)  # the other writer runs into the lock meanwhile
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=("Akta kematian", False)),
               threading.Thread(target=add, args=("Akta perkawinan", True))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    tabalong = Institution.objects.get(pk=cast.tabalong.pk)
    assert tabalong.product_count == 4
