"""The assessment cycle's staff screens on a 360 px phone: a head of office creates a period,
chooses the sample and assigns an assessor; the assessor submits (answers set through the
services); the head returns one item; the assessor sees the comment on the instrument, fixes the
item there and submits again; the head approves; the provider contests an answer; the head decides
it and publishes; the public result opens and its rapor PDF lists the unmet item. Every date of
the period is today, so each step is due without moving time."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from pantau.assessments import services_answers
from pantau.assessments.models import Answer, Period, ReturnedItem, SampledUnit
from pantau.assessments.tests.cycle_helpers import fill
from tests.browser.conftest import Site, no_horizontal_scroll

pytestmark = pytest.mark.browser


def _as(phone: Page, log_in: Callable[..., None], username: str) -> None:
    if phone.get_by_role("button", name="Keluar").count():
        phone.get_by_role("button", name="Keluar").click()
        expect(phone.get_by_role("link", name="Masuk")).to_be_visible()  # signed out (after the device check)
    log_in(phone, username)


def _period_page(phone: Page, site: Site, period: Period) -> None:
    phone.goto(site.at(f"/kelola/penilaian/periode/{period.pk}/"))


def _step(phone: Page, label: str) -> None:
    phone.get_by_role("button", name=f"Pindah ke “{label}”").click()
    expect(phone.get_by_role("status").first).to_contain_text(f"Periode kini berstatus “{label}”")


def test_a_period_runs_from_creation_to_publication_on_a_phone(phone: Page, site: Site,
                                                                log_in: Callable[..., None]) -> None:
    cast = site.cast
    today = dt.date.today().isoformat()
    _as(phone, log_in, "head_kalsel")
    phone.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Periode penilaian").click()
    phone.get_by_role("link", name="Periode baru").click()
    phone.get_by_label("Nama periode").fill("Penilaian Kepatuhan Uji")
    phone.get_by_label("Tahun").fill(str(dt.date.today().year))
    phone.get_by_label("Metodologi").select_option(label="ombudsman-2016 — dimuat dari berkas bawaan")
    phone.get_by_label("Kantor penyelenggara penilaian").select_option(label=cast.kalsel.name)
    phone.get_by_label("Hanya instansi yang saya pilih atau tulis di bawah").check()
    phone.get_by_label("Ketik beberapa huruf nama instansi").press_sequentially("tabal")
    phone.get_by_role("checkbox", name="Pemerintah Kabupaten Tabalong").check()  # suggested as one types (htmx)
    for label in ("Mulai pengumpulan data", "Akhir pengumpulan data", "Akhir reviu", "Mulai tanggapan penyelenggara",
                  "Akhir tanggapan penyelenggara", "Tanggal publikasi"):
        phone.get_by_label(label).fill(today)
    no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Penilaian Kepatuhan Uji ({dt.date.today().year})")
    period = Period.objects.get()
    no_horizontal_scroll(phone)

    # the sample, by rule, and an assessor on Disdukcapil
    phone.get_by_role("link", name="Pemerintah Kabupaten Tabalong").click()
    phone.get_by_label("Semua unit dan produk aktif").check()
    phone.get_by_role("button", name="Pilih sampel").click()
    expect(phone.get_by_role("status").first).to_contain_text("Sampel dipilih: 2 unit.")
    no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Dinas Kependudukan dan Pencatatan Sipil").click()
    phone.get_by_label("Asisten penilai").select_option(label="Assessor Kalsel (assessor_kalsel)")
    phone.get_by_role("button", name="Tugaskan").click()
    expect(phone.get_by_role("status").first).to_contain_text("Asisten penilai ditugaskan.")
    no_horizontal_scroll(phone)
    dukcapil = SampledUnit.objects.get(period=period, unit=cast.dukcapil)
    dpmptsp = SampledUnit.objects.get(period=period, unit=cast.dpmptsp)
    from pantau.assessments import services_period

    services_period.assignment_create(actor=cast.head_kalsel, sampled_unit=dpmptsp, assessor=cast.assessor_kalsel)
    _period_page(phone, site, period)
    _step(phone, "Pengumpulan data")

    # answers through the services; the assessor submits Disdukcapil on its page
    fill(cast.assessor_kalsel, dukcapil)
    fill(cast.assessor_kalsel, dpmptsp)
    services_answers.unit_submit(actor=cast.assessor_kalsel, sampled_unit=dpmptsp)
    _as(phone, log_in, "assessor_kalsel")
    phone.goto(site.at(f"/kelola/penilaian/periode/unit/{dukcapil.pk}/"))
    phone.get_by_role("button", name="Ajukan untuk reviu").click()
    expect(phone.get_by_role("status").first).to_contain_text("Unit diajukan untuk reviu.")

    # the head returns one item with a comment
    _as(phone, log_in, "head_kalsel")
    _period_page(phone, site, period)
    _step(phone, "Reviu")
    phone.goto(site.at(f"/kelola/penilaian/periode/unit/{dukcapil.pk}/"))
    phone.get_by_role("checkbox").first.check()
    phone.get_by_role("textbox").first.fill("Foto papan persyaratan tidak terbaca.")
    phone.get_by_role("button", name="Kembalikan item terpilih").click()
    expect(phone.get_by_role("status").first).to_contain_text("1 item dikembalikan")
    no_horizontal_scroll(phone)

    # the assessor sees the comment on the instrument, fixes the item (not met after all), submits
    returned = ReturnedItem.objects.get()
    answer = Answer.objects.get(sampled_unit=dukcapil, item=returned.item,
                                sampled_product=returned.sampled_product)
    item_key = (f"p{returned.sampled_product_id}-{returned.item}" if returned.sampled_product_id
                else f"u-{returned.item}")
    _as(phone, log_in, "assessor_kalsel")
    phone.goto(site.at(f"/kelola/penilaian/unit/{dukcapil.pk}/"))
    fieldset = phone.locator(f"#item-{item_key}")
    expect(fieldset.locator(".returned")).to_contain_text("Foto papan persyaratan tidak terbaca.")
    fieldset.locator("input[name$='__value'][value='0']").check()
    expect(fieldset.locator(".item-status")).to_have_text("Tersimpan")  # sent to the server
    expect(phone.locator("#sync-status")).to_have_attribute("data-state", "synced")
    no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Ajukan untuk reviu").click()
    expect(phone.get_by_role("status").first).to_contain_text("Unit diajukan untuk reviu.")
    answer.refresh_from_db()
    assert answer.value == Decimal(0) and ReturnedItem.objects.get().resolved_at is not None

    # the head approves
    _as(phone, log_in, "head_kalsel")
    phone.goto(site.at(f"/kelola/penilaian/periode/unit/{dukcapil.pk}/"))
    phone.get_by_role("button", name="Setujui unit").click()
    expect(phone.get_by_role("status").first).to_contain_text("Unit disetujui")
    services_answers.unit_approve(actor=cast.head_kalsel, sampled_unit=dpmptsp)
    _period_page(phone, site, period)
    _step(phone, "Tanggapan penyelenggara")

    # the provider contests an answer
    _as(phone, log_in, "admin_tabalong")
    phone.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Periode penilaian").click()
    phone.get_by_role("link", name=f"Penilaian Kepatuhan Uji ({dt.date.today().year})").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Hasil")
    no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Dinas Kependudukan dan Pencatatan Sipil").click()
    phone.get_by_role("link", name="Ajukan keberatan").first.click()
    phone.get_by_label("Alasan keberatan").fill("Papan persyaratan terpasang di loket sejak Mei.")
    phone.get_by_label("Rujukan bukti").fill("foto-loket-0512.jpg")
    phone.get_by_role("button", name="Kirim keberatan").click()
    expect(phone.get_by_role("status").first).to_contain_text("Keberatan terkirim")
    no_horizontal_scroll(phone)

    # the head decides it and publishes
    _as(phone, log_in, "head_kalsel")
    phone.goto(site.at(f"/kelola/penilaian/periode/{period.pk}/hasil/"))
    phone.get_by_role("link", name="Putuskan").click()
    phone.get_by_label("Ditolak: jawaban tetap").check()
    phone.get_by_label("Dasar keputusan").fill("Foto pengamatan menunjukkan papan tidak ada.")
    phone.get_by_role("button", name="Simpan keputusan").click()
    expect(phone.get_by_role("status").first).to_contain_text("Keberatan diputuskan.")
    _period_page(phone, site, period)
    _step(phone, "Dipublikasikan")
    period.refresh_from_db()
    assert period.status == Period.Status.PUBLISHED

    # anyone reads the result and opens the rapor, which lists the item the assessor found unmet
    _as(phone, log_in, "outsider")
    phone.goto(site.at(f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Tabalong")
    no_horizontal_scroll(phone)
    with phone.expect_response(lambda r: r.url.endswith("/rapor.pdf")) as opened:
        phone.get_by_role("link", name="Rapor (PDF)").click()
    assert opened.value.status == 200 and opened.value.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(phone.request.get(opened.value.url).body()))  # the viewer keeps the body
    text = " ".join((page.extract_text() or "") for page in pdf.pages)
    assert returned.item in text and "Dinas Kependudukan" in text, text[:500]


def test_the_period_pages_pass_axe(axe_context: BrowserContext, site: Site, axe: Callable[[Page], None]) -> None:
    from pantau.assessments import services_period
    from pantau.assessments.tests.cycle_helpers import make_period
    from tests.browser.conftest import log_in_through_form

    cast = site.cast
    period = make_period(cast)
    services_period.sample_choose(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk, rule="all")
    unit = SampledUnit.objects.get(period=period, unit=cast.dukcapil)
    page = axe_context.new_page()
    log_in_through_form(page, site, "head_kalsel")
    base = "/kelola/penilaian/periode/"
    for path in ("", "baru/", f"{period.pk}/", f"{period.pk}/instansi/{cast.tabalong.pk}/?unit={cast.dukcapil.pk}",
                 f"unit/{unit.pk}/", f"{period.pk}/hasil/"):
        page.goto(site.at(base + path))
        axe(page)
