"""The printable A3 board: a real PDF read back with pypdf, fitted to one page, rendered off the request
path, its caching and who may have it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks import task_backends
from pypdf import PdfReader

from pantau.registry import board as boards
from pantau.registry import components as comp
from pantau.registry import services
from pantau.registry.demo import MAKLUMAT, _standard_data
from pantau.registry.models import ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.tasks import render_boards
from pantau.reports.pdf import StaticOnlyFetcher, static_path
from tests.cast import publish

pytestmark = pytest.mark.django_db

A3_POINTS = (842, 1191)
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # a worker that never runs


@pytest.fixture(autouse=True)
def _no_stored_boards() -> Any:
    """Each test starts without rendered boards (the test storage lives in memory, per process)."""
    storages._storages.pop("boards", None)  # type: ignore[attr-defined]
    yield
    storages._storages.pop("boards", None)  # type: ignore[attr-defined]


def queued() -> list[Any]:
    return list(task_backends["default"].results)  # type: ignore[attr-defined]


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


def test_a_standard_of_a_thousand_lines_is_cut_to_one_page_that_points_to_the_public_page(cast: Any) -> None:
    """Issue 6 item 2: 750 requirement lines took minutes to lay out; now the board is one page."""
    lines = "\n".join(f"Dokumen persyaratan nomor {i} yang harus dibawa pemohon" for i in range(1, 1001))
    product = demo_product(cast)
    # Written past the services (as data from before the text limits could be).
    ServiceStandard.objects.filter(pk=product.current_standard_id).update(
        **{c.field: lines for c in comp.COMPONENTS if c.field != "completion_time"})
    ServiceUnit.objects.filter(pk=product.unit_id).update(maklumat=lines, vulnerable_facilities=lines)
    reader, text = read(board(product).content)
    assert len(reader.pages) == 1
    assert_a3(reader)
    url = settings.SITE_URL + reverse("public:product_short", args=[product.pk])
    assert "Dokumen persyaratan nomor 1 " in text and "Dokumen persyaratan nomor 1000" not in text
    assert f"butirlainnya:selengkapnyadi{url}" in text.replace(" ", "")  # the address may wrap
    assert "Sampaikan keluhan lebih dulu" in text and "MAKLUMAT PELAYANAN" in text


def test_the_fitting_keeps_what_fits_and_counts_the_rest() -> None:
    block = boards.Block([f"butir {i}" for i in range(500)], cpl=40, row_mm=7.0, gap_mm=1.0)
    used = block.fit(50.0, "… selengkapnya di http://x/l/1")
    assert used <= 50.0 and 0 < len(block.shown) < 10
    assert block.shown == [f"butir {i}" for i in range(len(block.shown))]
    assert block.hidden == 500 - len(block.shown)
    prose = boards.Block(["kata " * 100], cpl=40, row_mm=7.0, prose=True)
    prose.fit(30.0, "… selengkapnya")
    assert prose.hidden == 1 and prose.shown[0].endswith("…") and len(prose.shown[0]) < 160
    assert boards.clip("satu dua tiga empat", 12) == "satu dua…"


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
    assert "Accept-Language" not in first.get("Vary", "")
    again = board(cast.ktp, If_None_Match=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert board(cast.ktp, If_Modified_Since=first["Last-Modified"]).status_code == 304
    assert board(cast.ktp, If_None_Match='"something-else"').status_code == 200


def test_the_board_is_indonesian_unless_english_is_asked_for_in_its_address(cast: Any) -> None:
    """Issue 6 item 14: a phone or PC set up in English printed an English board."""
    english_browser = board(cast.ktp, Accept_Language="en-US,en;q=0.9")
    _, text = read(english_browser.content)
    assert "Persyaratan" in text and "Requirements" not in text
    assert english_browser["Content-Language"] == "id"
    chose_english = Client()
    chose_english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert board(cast.ktp, chose_english)["ETag"] == english_browser["ETag"]  # the same Indonesian board
    asked = Client().get(reverse("public:board", args=[cast.ktp.pk]), {"lang": "en"})
    assert asked.status_code == 200 and asked["Content-Language"] == "en"
    assert asked["ETag"] != english_browser["ETag"]
    _, text = read(asked.content)
    assert "Requirements" in text and "Persyaratan" not in text
    assert "-en.pdf" in asked["Content-Disposition"]
    unknown = Client().get(reverse("public:board", args=[cast.ktp.pk]), {"lang": "fr"})
    assert unknown["ETag"] == english_browser["ETag"]


@pytest.mark.cache
@override_settings(TASKS=QUEUE_ONLY)
def test_a_board_that_is_not_ready_answers_at_once_and_is_queued_once(cast: Any) -> None:
    answers = [board(cast.ktp, Accept_Language="en") for _ in range(5)]
    for answer in answers:
        assert answer.status_code == 503
        assert answer["Retry-After"] == "10"
        assert "no-store" in answer["Cache-Control"]
        assert "Papan sedang disiapkan" in answer.content.decode()
    assert [r.args for r in queued()] == [[[cast.ktp.pk], "id"]]  # once, not once per request
    render_boards.call([cast.ktp.pk], "id")  # what the db_worker does
    ready = board(cast.ktp)
    assert ready.status_code == 200 and ready.content.startswith(b"%PDF-")


def test_a_failed_render_is_recorded_and_not_tried_on_every_request(cast: Any, monkeypatch: Any) -> None:
    attempts = []

    def broken(*args: Any) -> bytes:
        attempts.append(args)
        raise RuntimeError("layout failed")

    monkeypatch.setattr(boards, "render", broken)
    first = board(cast.ktp)
    assert first.status_code == 503 and "Papan belum dapat dibuat" in first.content.decode()
    assert "Retry-After" not in first
    cache.clear()  # even when the "queued" mark is gone
    for _ in range(3):
        assert board(cast.ktp).status_code == 503
    assert len(attempts) == 1


@override_settings(TASKS=QUEUE_ONLY, BOARD_PRERENDER=True)
def test_boards_are_rendered_after_a_publication_or_a_change_of_the_unit(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast.admin_tabalong, cast.ktp, effective=dt.date(2025, 6, 1), completion_time="2 hari kerja")
    assert [r.args for r in queued()] == [[[cast.ktp.pk], "id"]]
    task_backends["default"].clear()  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        services.unit_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"maklumat": "Kami siap melayani."})
    unit_products = set(ServiceProduct.objects.filter(unit=cast.dukcapil, current_standard__isnull=False)
                        .values_list("pk", flat=True))
    assert unit_products and {pk for r in queued() for pk in r.args[0]} == unit_products
    results = render_boards.call(sorted(unit_products), "id")
    assert results == {"rendered": len(unit_products)}
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        assert board(cast.ktp).status_code == 200
    assert render_boards.call([cast.ktp.pk], "id") == {"ready": 1}  # stored: not rendered twice


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
    assert board(cast.ktp).status_code == 200  # rendered by the (immediate) task backend
    with django_assert_max_num_queries(3):
        assert board(cast.ktp).status_code == 200
    for i in range(20):
        product = services.product_save(actor=cast.admin_tabalong, unit=cast.dukcapil, data={"name": f"Layanan {i}"})
        publish(cast.admin_tabalong, product)
    for day in range(2, 6):
        publish(cast.admin_tabalong, cast.ktp, effective=dt.date(2025, 2, day))
    assert board(cast.ktp).status_code == 200
    cache.clear()
    with django_assert_max_num_queries(3):
        assert board(cast.ktp).status_code == 200  # from the boards storage
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


def test_the_english_product_page_links_the_indonesian_board_and_offers_the_english_one(cast: Any) -> None:
    url = reverse("public:board", args=[cast.ktp.pk])
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("public:product", args=[cast.ktp.pk])).content.decode()
    assert f'href="{url}"' in body and f'href="{url}?lang=en"' in body
    assert f'href="{url}?lang=en"' not in Client().get(reverse("public:product", args=[cast.ktp.pk])).content.decode()
