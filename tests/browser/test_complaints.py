"""Issue 10's walk at 360 px: a citizen files a confidential report with a photo carrying GPS EXIF, loses the
connection while sending, comes back to the form (what was typed is still there), files it and gets the
secret tracking link; no public page, log line or stored file shows the identity or the EXIF. Then the
examiner takes the case through to an issued LAHP on the case page (the reporter answers the draft through
the link, the head of office issues it), opens corrective actions, and the provider answers one with
evidence."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from pantau.complaints import services
from pantau.complaints.models import Attachment, Case, Demand
from pantau.complaints.tests.helpers import add_staff, to_examination
from tests.browser.conftest import PHONE, TIMEOUT_MS, Site, log_in_through_form, no_horizontal_scroll

pytestmark = pytest.mark.browser

NAME, NIK, EMAIL, PHONE_NO = "Rahmat Fiktif Santoso", "6309011203850004", "rahmat.fiktif@example.org", "081200001234"
TEXT = ("Saya mengurus KTP-el di Disdukcapil sejak Agustus. Petugas loket meminta uang Rp 200.000 agar cepat "
        "jadi. Saya menolak dan sampai sekarang KTP-el belum terbit. Nomor saya 081200001234.")


def gps_photo() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (80, 60), (20, 120, 200))
    exif = image.getexif()
    exif[0x010F] = "KameraWarga"
    exif[0x8825] = {1: "S", 2: (2.0, 10.0, 5.0), 3: "E", 4: (115.0, 22.0, 1.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _secrets() -> tuple[str, ...]:
    return NAME, NIK, EMAIL, PHONE_NO, "0812-0000-1234"


def test_a_citizen_files_a_confidential_report_offline_and_back(site: Site, phone: Page, tmp_path: Any,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    photo = tmp_path / "IMG_20261101.jpg"
    photo.write_bytes(gps_photo())
    phone.goto(site.at(f"/lapor/?layanan={site.cast.ktp.pk}"))
    no_horizontal_scroll(phone)
    phone.get_by_label("Apa yang terjadi? (kronologi)").fill(TEXT)
    phone.get_by_label("Nama lengkap").fill(NAME)
    phone.get_by_label("NIK (tidak wajib)").fill(NIK)
    phone.get_by_role("textbox", name="E-mail").fill(EMAIL)
    phone.get_by_label("Nomor telepon / WhatsApp").fill(PHONE_NO)
    phone.locator("input[name=kerahasiaan][value=confidential]").check()
    phone.locator("#id_lampiran").set_input_files(str(photo))
    phone.wait_for_timeout(700)  # the draft is kept as the citizen types
    # The connection drops as the citizen sends: nothing arrives, nothing is filed.
    phone.context.set_offline(True)
    with pytest.raises(Exception):  # noqa: B017 - the browser's own network error, whatever its wording
        phone.get_by_role("button", name="Kirim laporan").click()
        phone.wait_for_url("**/lapor/terkirim/**", timeout=3_000)
    assert not Case.objects.exists()
    phone.context.set_offline(False)
    phone.goto(site.at(f"/lapor/?layanan={site.cast.ktp.pk}"))
    expect(phone.get_by_label("Apa yang terjadi? (kronologi)")).to_have_value(TEXT)
    expect(phone.get_by_label("Nama lengkap")).to_have_value(NAME)
    phone.locator("#id_lampiran").set_input_files(str(photo))  # a browser never keeps a chosen file
    phone.get_by_role("button", name="Kirim laporan").click()
    expect(phone.get_by_role("heading", name="Laporan Anda terkirim")).to_be_visible()
    no_horizontal_scroll(phone)
    link = phone.locator("#tracking-link").input_value()
    case = Case.objects.get()
    assert case.visibility == "confidential" and case.product_id == site.cast.ktp.pk
    [stored] = Attachment.objects.filter(case=case)
    data = stored.file.open("rb").read()
    from PIL import Image

    assert not Image.open(io.BytesIO(data)).getexif() and b"KameraWarga" not in data
    # The tracking page, the product page and the log show no identity.
    phone.goto(link)
    expect(phone.get_by_text(case.number)).to_be_visible()
    pages = [phone.content()]
    phone.goto(site.at(f"/layanan/{site.cast.ktp.pk}/"))
    pages.append(phone.content())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in _secrets():
        assert all(secret not in page for page in pages), secret
        assert secret not in logged, secret
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in logged


def _staff_page(browser: Browser, site: Site, username: str, opened: list[BrowserContext]) -> Page:
    """A phone of its own for ``username``, signed in; closed by the test (``opened``) before the live
    server stops, so no request of it is still being served then."""
    context = browser.new_context(**PHONE)
    opened.append(context)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    log_in_through_form(page, site, username)
    return page


def _act(page: Page, label: str, fill: Callable[[Page], None] | None = None) -> None:
    """Press the action ``label`` on the case page (its form filled first) and wait for the page again."""
    form = page.locator("form", has=page.get_by_role("button", name=label, exact=True))
    if fill is not None:
        fill(form)  # type: ignore[arg-type]
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_examiner_takes_a_report_to_an_issued_lahp_and_the_provider_answers(site: Site, browser: Browser,
                                                                               phone: Page) -> None:
    c = add_staff(site.cast)
    opened = services.case_open(
        actor=None, kind="public_report", channel="web", title="Pungutan KTP-el", chronology=TEXT,
        reporter={"full_name": NAME, "email": EMAIL}, institution=c.tabalong, unit=c.dukcapil, product=c.ktp,
        event_date=__import__("datetime").date.today(), prior_complaint="silent")
    case = to_examination(c, opened.case)
    contexts: list[BrowserContext] = []
    try:
        _walk(site, browser, phone, case, opened.token, contexts)
    finally:
        for context in contexts:
            context.close()


def _walk(site: Site, browser: Browser, phone: Page, case: Case, token: str, contexts: list[BrowserContext]) -> None:
    url = site.at(f"/kelola/laporan/{case.pk}/")
    examiner = _staff_page(browser, site, "examiner_kalsel", contexts)
    examiner.goto(url)
    no_horizontal_scroll(examiner)
    _act(examiner, "Permintaan klarifikasi tertulis")
    form = examiner.locator("form", has=examiner.get_by_role("button", name="Simpan kesimpulan"))
    form.get_by_label("Kesimpulan pemeriksaan").select_option("found")
    form.get_by_label("Permintaan imbalan uang, barang dan jasa").check()
    form.get_by_role("button", name="Simpan kesimpulan").click()
    _act(examiner, "Susun draf LAHP")
    _act(examiner, "Sampaikan hasil pemeriksaan kepada pelapor")
    assert Case.objects.get(pk=case.pk).state == "awaiting_reporter_response"
    # The reporter answers the draft through the tracking link.
    phone.goto(site.at(f"/lapor/lacak/{token}/"))
    phone.get_by_label("Informasi tambahan").fill("Saya menerima hasil pemeriksaan ini.")
    phone.get_by_role("button", name="Kirim").first.click()
    expect(phone.get_by_text("Saya menerima hasil pemeriksaan ini.")).to_be_visible()
    head = _staff_page(browser, site, "head_kalsel", contexts)
    head.goto(url)
    _act(head, "Terbitkan LAHP")
    assert Case.objects.get(pk=case.pk).state == "lahp_issued"
    examiner.goto(url)
    _act(examiner, "Mulai monitoring tindakan korektif", lambda form: form.get_by_label(
        "Tindakan yang diminta dari terlapor (satu per baris)").fill("Terbitkan KTP-el pelapor tanpa biaya."))
    demand = Demand.objects.get(case=case)
    # The provider answers with evidence: a photo of the handed-over KTP-el (its GPS stripped as well).
    provider = _staff_page(browser, site, "admin_tabalong", contexts)
    provider.goto(url)
    no_horizontal_scroll(provider)
    assert NAME not in provider.content() and EMAIL not in provider.content()
    form = provider.locator("form", has=provider.get_by_role("button", name="Kirim jawaban"))
    form.get_by_label("Jawaban: apa yang sudah dilaksanakan").fill("KTP-el sudah diserahkan tanpa biaya.")
    form.get_by_label("Bukti (berkas)").set_input_files(files=[{"name": "serah-terima.jpg", "mimeType": "image/jpeg",
                                                                 "buffer": gps_photo()}])
    form.get_by_role("button", name="Kirim jawaban").click()
    expect(provider.get_by_role("paragraph").filter(has_text="KTP-el sudah diserahkan tanpa biaya.")).to_be_visible()
    demand.refresh_from_db()
    assert demand.answered_at is not None
    evidence = Attachment.objects.get(case=case, source="provider")
    assert b"KameraWarga" not in evidence.file.open("rb").read()
