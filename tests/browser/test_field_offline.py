"""An assessor on a 360 px phone fills a unit's instrument with a photo, loses the signal, keeps
answering, reloads the page without a signal (the service worker serves it, IndexedDB puts the
waiting answers back), gets the signal back, and every answer and the photo are stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.signals import request_started
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from pantau.assessments import services_period
from pantau.assessments.models import Answer, Evidence, SampledUnit
from pantau.assessments.tests.cycle_helpers import make_period
from pantau.assessments.tests.test_evidence import photo_bytes
from tests.browser.conftest import Site, no_horizontal_scroll

pytestmark = pytest.mark.browser


def _collecting_unit(site: Site) -> SampledUnit:
    """Tabalong's Disdukcapil in a Kalsel period collecting data today, assigned to assessor_kalsel."""
    c, today = site.cast, timezone.localdate()
    dates = {"collection_start": today - dt.timedelta(days=1), "collection_end": today + dt.timedelta(days=30),
             "review_end": today + dt.timedelta(days=40), "response_start": today + dt.timedelta(days=41),
             "response_end": today + dt.timedelta(days=50), "publication_date": today + dt.timedelta(days=60)}
    period = make_period(c, dates=dates)
    services_period.sample_choose(actor=c.head_kalsel, period=period, institution_id=c.tabalong.pk, rule="all")
    unit = SampledUnit.objects.get(period=period, unit=c.dukcapil)
    services_period.assignment_create(actor=c.head_kalsel, sampled_unit=unit, assessor=c.assessor_kalsel)
    services_period.period_advance(actor=c.head_kalsel, period=period, target="collection")
    return unit


def test_an_assessor_keeps_answering_without_a_signal_and_the_answers_sync_when_it_returns(
    phone: Page, site: Site, log_in: Callable[..., None],
) -> None:
    unit = _collecting_unit(site)
    product = unit.products.get()
    k = {code: f"#item-p{product.pk}-{code}" for code in ("sp_persyaratan", "sp_prosedur", "sp_waktu", "sp_biaya")}
    status = phone.locator("#sync-status")

    log_in(phone, "assessor_kalsel")
    phone.goto(site.at(f"/kelola/penilaian/unit/{unit.pk}/"))
    expect(phone.locator("html")).to_have_attribute("data-offline-ready", "1")  # the page is kept on the phone
    no_horizontal_scroll(phone)

    # Online: an answer and a photo taken with the phone's camera.
    phone.locator(k["sp_persyaratan"]).get_by_label("Ya", exact=True).check()
    phone.locator(f"{k['sp_persyaratan']} input[data-kind=photo]").set_input_files(
        files=[{"name": "loket.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}])
    # Sent, not merely shown: the page's first state is "synced" too, and a waiting photo is
    # listed with "menunggu dikirim" (under load the upload can take a while).
    expect(phone.locator(f"{k['sp_persyaratan']} .item-status")).to_have_text("Tersimpan")
    expect(phone.locator(f"{k['sp_persyaratan']} .evidence-list")).to_contain_text("loket.jpg")
    expect(phone.locator(f"{k['sp_persyaratan']} .evidence-list")).not_to_contain_text("menunggu dikirim")
    expect(status).to_have_attribute("data-state", "synced")

    # The signal goes: answers wait on the phone.
    phone.context.set_offline(True)
    phone.locator(k["sp_prosedur"]).get_by_label("Ya", exact=True).check()
    phone.locator(k["sp_waktu"]).get_by_label("Tidak", exact=True).check()
    expect(status).to_contain_text("Luring")
    expect(status).to_contain_text("2 perubahan menunggu dikirim")

    # A reload without a signal: the page comes from the phone, the waiting answers are put back.
    reached: list[str] = []

    def seen(sender: object, environ: dict[str, str], **kwargs: object) -> None:
        reached.append(environ.get("PATH_INFO", ""))

    request_started.connect(seen)
    try:
        phone.reload()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Dinas Kependudukan dan Pencatatan Sipil")
    finally:
        request_started.disconnect(seen)
    assert reached == [], f"the server was reached without a signal: {reached}"
    expect(phone.locator(k["sp_prosedur"]).get_by_label("Ya", exact=True)).to_be_checked()
    expect(phone.locator(k["sp_waktu"]).get_by_label("Tidak", exact=True)).to_be_checked()
    expect(status).to_contain_text("2 perubahan menunggu dikirim")
    phone.locator(k["sp_biaya"]).get_by_label("Ya", exact=True).check()
    expect(status).to_contain_text("3 perubahan menunggu dikirim")
    assert not Answer.objects.filter(sampled_unit=unit, item__in=["sp_prosedur", "sp_waktu", "sp_biaya"]).exists()

    # The signal returns: everything is sent.
    phone.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "synced")
    stored = dict(Answer.objects.filter(sampled_unit=unit).values_list("item", "value"))
    assert stored == {"sp_persyaratan": Decimal(1), "sp_prosedur": Decimal(1), "sp_waktu": Decimal(0),
                      "sp_biaya": Decimal(1)}
    photo = Evidence.objects.get(sampled_unit=unit, kind="photo")
    assert photo.item == "sp_persyaratan" and photo.latitude is not None  # kept privately, stripped from the file
    no_horizontal_scroll(phone)


def _answer_in_conflict(phone: Page, site: Site, log_in: Callable[..., None]) -> tuple[SampledUnit, Locator]:
    """The assessor opens the instrument; the head of office answers sp_persyaratan meanwhile; the
    assessor then answers it too ("Ya"): a conflict, kept on the phone until chosen."""
    from pantau.assessments import services_answers

    unit = _collecting_unit(site)
    product = unit.products.get()
    item = phone.locator(f"#item-p{product.pk}-sp_persyaratan")
    log_in(phone, "assessor_kalsel")
    phone.goto(site.at(f"/kelola/penilaian/unit/{unit.pk}/"))
    expect(phone.locator("html")).to_have_attribute("data-offline-ready", "1")
    expect(phone.locator("#sync-status")).to_have_attribute("data-state", "synced")
    services_answers.answer_save(actor=site.cast.head_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                 value=Decimal(0), sampled_product=product)
    item.get_by_label("Ya", exact=True).check()
    return unit, item


def test_a_conflict_is_shown_side_by_side_and_the_assessor_chooses(
    phone: Page, site: Site, log_in: Callable[..., None],
) -> None:
    unit, item = _answer_in_conflict(phone, site, log_in)
    status = phone.locator("#sync-status")
    conflict = item.locator(".js-conflict")
    expect(conflict).to_contain_text("Jawaban Anda")
    expect(conflict).to_contain_text("Tersimpan (revisi 1)")
    expect(status).to_contain_text("1 jawaban bentrok")
    assert Answer.objects.get(sampled_unit=unit, item="sp_persyaratan").value == Decimal(0)  # nothing overwritten
    no_horizontal_scroll(phone)
    conflict.get_by_role("button", name="Pakai jawaban saya").click()
    expect(status).to_have_attribute("data-state", "synced")
    stored = Answer.objects.get(sampled_unit=unit, item="sp_persyaratan")
    assert (stored.value, stored.revision) == (Decimal(1), 2)


def test_signing_out_warns_about_unsent_changes_and_then_leaves_nothing_on_the_phone(
    phone: Page, site: Site, log_in: Callable[..., None],
) -> None:
    # An answer that cannot be sent yet (someone else saved the item meanwhile) stays on the phone.
    unit, _item = _answer_in_conflict(phone, site, log_in)
    status = phone.locator("#sync-status")
    expect(status).to_contain_text("1 jawaban bentrok")
    on_device = "() => indexedDB.databases().then(l => l.map(d => d.name))"
    assert phone.evaluate(on_device) == [f"pantau-u{site.cast.assessor_kalsel.pk}-instrument"]

    asked: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    phone.once("dialog", lambda d: answer(d, False))  # "cancel": the change is kept, still signed in
    with phone.expect_event("dialog"):
        phone.get_by_role("button", name="Keluar").click()
    expect(phone.get_by_role("button", name="Keluar")).to_be_enabled()
    assert len(asked) == 1 and "1 perubahan yang belum terkirim" in asked[0]
    expect(status).to_contain_text("1 jawaban bentrok")
    assert phone.evaluate(on_device) == [f"pantau-u{site.cast.assessor_kalsel.pk}-instrument"]

    phone.once("dialog", lambda d: answer(d, True))  # sign out anyway: nothing stays on the device
    phone.get_by_role("button", name="Keluar").click()
    expect(phone.get_by_role("link", name="Masuk")).to_be_visible()
    assert len(asked) == 2
    assert phone.evaluate(on_device) == []
    assert phone.evaluate("() => caches.keys()") == []
    assert phone.evaluate("() => navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    assert Answer.objects.get(sampled_unit=unit, item="sp_persyaratan").value == Decimal(0)


def test_the_instrument_passes_axe(axe_context: BrowserContext, site: Site, axe: Callable[[Page], None]) -> None:
    from tests.browser.conftest import log_in_through_form

    unit = _collecting_unit(site)
    page = axe_context.new_page()
    log_in_through_form(page, site, "assessor_kalsel")
    page.goto(site.at(f"/kelola/penilaian/unit/{unit.pk}/"))
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1")
    axe(page)
    page.get_by_role("button", name="Simpan jawaban").click()  # the page with its error summary
    axe(page)
