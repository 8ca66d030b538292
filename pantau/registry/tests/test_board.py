"""The printable A3 board: a real PDF read back with pypdf, its caching and who may have it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from pantau.registry import services
from pantau.registry.demo import MAKLUMAT, _standard_data
from pantau.registry.models import ServiceProduct, ServiceUnit
from pantau.registry.views_board import cache_key
from pantau.reports.pdf import StaticOnlyFetcher, static_path
from tests.cast import publish

pytestmark = pytest.mark.django_db

A3_POINTS = (842, 1191)


def board(product: ServiceProduct, client: Client | None = None, **headers: Any) -> Any:
    return (client or Client()).get(reverse("public:board", args=[product.pk]), headers=headers)


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return reader, " ".join(text.split())


def assert_a3(reader: PdfReader) -> None:
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert abs(size[0] - A3_POINTS[0]) <= 1 and abs(size[1] - A3_POINTS[1]) <= 1, size


def demo_product(cast: Any, name: str = "Penerbitan Kartu Identitas Anak (KIA)", category: str = "adminduk",
                 **standard: Any) -> ServiceProduct:
    """A product as the demo builds them: the full standard text, a maklumat, long names."""
    name_of_unit = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    unit = ServiceUnit.objects.filter(name=name_of_unit).first() or services.unit_save(
        actor=cast.national_admin, institution=cast.tabalong, data={
            "name": name_of_unit, "kind": "dinas", "address": "Jl. Jenderal Sudirman No. 12, Tanjung",
            "phone": "0526-2021234", "maklumat": MAKLUMAT, "maklumat_date": dt.date(2025, 3, 1),
            "vulnerable_facilities": "Kursi roda, jalur landai (ram), loket prioritas untuk lansia, ibu hamil, difabel",
        })
    product = services.product_save(actor=cast.national_admin, unit=unit, data={"name": name, "category": category})
    publish(cast.national_admin, product, **{**_standard_data(category, "full"), **standard})
    return product


def test_it_prints_the_standard_and_the_maklumat_on_one_a3_page(cast: Any) -> None:
    response = board(cast.ktp)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="papan-penerbitan-ktp-el-' in response["Content-Disposition"]
    reader, text = read(response.content)
    assert len(reader.pages) == 1
    assert_a3(reader)
    for expected in ("Penerbitan KTP-el", "Dinas Kependudukan dan Pencatatan Sipil", "PEMERINTAH KABUPATEN TABALONG",
                     "Fotokopi Kartu Keluarga", "Serahkan berkas", "1 hari kerja", "GRATIS", "KTP-el",
                     "Loket pengaduan dan SP4N-LAPOR!", cast.kalsel.name, "MAKLUMAT PELAYANAN",
                     "Kami sanggup melayani sesuai standar.", "versi 1, berlaku sejak 2 Januari 2025"):
        assert expected in text, expected


def test_its_qr_code_leads_to_the_public_page_whose_address_is_printed(cast: Any) -> None:
    url = settings.SITE_URL + reverse("public:product_short", args=[cast.ktp.pk])
    _, text = read(board(cast.ktp).content)
    assert url in text
    # The printed short address leads to the product's public page.
    assert Client().get(url.removeprefix(settings.SITE_URL)).headers["Location"] == reverse(
        "public:product", args=[cast.ktp.pk])


def test_a_demo_standard_with_long_texts_still_fits_one_page(cast: Any) -> None:
    for name, category in [("Penerbitan Kartu Identitas Anak (KIA)", "adminduk"),
                           ("Perizinan Berusaha Berbasis Risiko (NIB)", "perizinan")]:
        reader, text = read(board(demo_product(cast, name, category)).content)
        assert len(reader.pages) == 1, name
        assert "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan" in text
        assert "Kursi roda, jalur landai (ram)" in text


def test_a_paid_service_shows_its_tariff_and_no_gratis(cast: Any) -> None:
    product = demo_product(cast, "Izin Penyelenggaraan Reklame", "perizinan")
    _, text = read(board(product).content)
    assert "Rp 50.000 sesuai Peraturan Daerah tentang Retribusi" in text and "GRATIS" not in text
    assert "pungutan liar" in text


def test_a_very_long_standard_flows_onto_more_a3_pages(cast: Any) -> None:
    requirements = "\n".join(f"Dokumen persyaratan nomor {i} yang harus dibawa pemohon" for i in range(1, 41))
    product = demo_product(cast, requirements=requirements)
    reader, text = read(board(product).content)
    assert len(reader.pages) >= 2
    assert_a3(reader)
    assert "Dokumen persyaratan nomor 40" in text and "Dengan ini kami menyatakan" in text


def test_a_unit_without_maklumat_or_facilities_shows_what_is_lacking(cast: Any) -> None:
    _, text = read(board(cast.pbg).content)  # DPMPTSP of the cast has neither
    assert "Unit ini belum menetapkan maklumat pelayanan." in text
    assert "Belum diumumkan" in text


def test_a_product_without_a_standard_in_force_has_no_board(cast: Any) -> None:
    draft_only = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "Surat Pindah"})
    services.standard_save_draft(actor=cast.admin_tabalong, product=draft_only, data={"requirements": "KK"})
    bare = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "Akta Kematian"})
    future = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": "KIA"})
    publish(cast.admin_tabalong, future, effective=dt.date.today() + dt.timedelta(days=30))
    for product in (draft_only, bare, future):
        assert board(product).status_code == 404, product.name
    assert Client().get(reverse("public:board", args=[999999])).status_code == 404


def test_an_inactive_product_or_unit_has_no_board(cast: Any) -> None:
    ServiceProduct.objects.filter(pk=cast.pbg.pk).update(is_active=False)
    assert board(cast.pbg).status_code == 404
    cast.dukcapil.is_active = False
    cast.dukcapil.save()
    assert board(cast.ktp).status_code == 404
    assert board(cast.barsel_ktp).status_code == 200


def test_it_answers_not_modified_to_a_browser_that_has_this_version(cast: Any) -> None:
    first = board(cast.ktp)
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert "Accept-Language" in first["Vary"]
    again = board(cast.ktp, If_None_Match=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert board(cast.ktp, If_Modified_Since=first["Last-Modified"]).status_code == 304
    assert board(cast.ktp, If_None_Match='"something-else"').status_code == 200


def test_it_keeps_the_rendered_bytes_in_the_cache_per_language(cast: Any) -> None:
    product = ServiceProduct.objects.select_related("unit__institution__office").get(pk=cast.ktp.pk)
    standard = product.current_standard
    assert standard is not None
    indonesian, english = cache_key(product, standard, "id"), cache_key(product, standard, "en")
    assert indonesian != english and cache.get(indonesian) is None
    first = board(cast.ktp)
    assert cache.get(indonesian) == first.content and cache.get(english) is None
    assert board(cast.ktp).content == first.content
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    other = board(cast.ktp, client)
    assert other.status_code == 200 and other["ETag"] != first["ETag"]
    assert cache.get(english) == other.content


def test_a_new_version_or_a_new_maklumat_gives_a_new_board(cast: Any) -> None:
    first = board(cast.ktp)
    services.unit_save(actor=cast.admin_tabalong, institution=cast.tabalong, unit=cast.dukcapil, data={
        "name": cast.dukcapil.name, "kind": "dinas", "maklumat": "Kami berjanji melayani dengan sepenuh hati."})
    second = board(cast.ktp, If_None_Match=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert "Kami berjanji melayani dengan sepenuh hati." in read(second.content)[1]
    publish(cast.admin_tabalong, cast.ktp, effective=dt.date(2025, 6, 1), completion_time="2 hari kerja")
    third = board(cast.ktp, If_None_Match=second["ETag"])
    assert third.status_code == 200
    _, text = read(third.content)
    assert "2 hari kerja" in text and "versi 2, berlaku sejak 1 Juni 2025" in text


def test_the_board_keeps_a_flat_query_count(cast: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        assert board(cast.ktp).status_code == 200
    for i in range(20):
        product = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": f"Layanan {i}"})
        publish(cast.admin_tabalong, product)
    for day in range(2, 6):
        publish(cast.admin_tabalong, cast.ktp, effective=dt.date(2025, 2, day))
    cache.clear()
    with django_assert_max_num_queries(3):
        assert board(cast.ktp).status_code == 200
    with django_assert_max_num_queries(3):
        assert board(cast.ktp).status_code == 200  # from the cache


def test_the_public_and_the_manage_product_pages_link_to_the_board(cast: Any) -> None:
    url = reverse("public:board", args=[cast.ktp.pk])
    assert f'href="{url}"' in Client().get(reverse("public:product", args=[cast.ktp.pk])).content.decode()
    staff = Client()
    staff.force_login(cast.admin_tabalong)
    assert f'href="{url}"' in staff.get(reverse("manage:product", args=[cast.ktp.pk])).content.decode()


def test_pdf_resources_come_from_static_files_and_data_uris_only() -> None:
    fetcher = StaticOnlyFetcher()
    css = fetcher.fetch(f"{settings.SITE_URL}/static/registry/board.css")
    assert b"size: A3 portrait" in css.read()
    for url in ("http://example.invalid/logo.png", "file:///etc/passwd", f"{settings.SITE_URL}/admin/",
                f"{settings.SITE_URL}/static/../settings.py", f"{settings.SITE_URL}/static/nothing-here.css"):
        with pytest.raises(ValueError, match="static files only"):
            fetcher.fetch(url)
    assert static_path("https://elsewhere.invalid/static/registry/board.css") is None
    assert fetcher.fetch("data:text/plain;base64,SGFsbw==").read() == b"Halo"
