"""A citizen scans the survey's QR code with a 360 px phone, answers, loses the connection mid-way,
opens the link again (the answers come back from the phone), submits once (a double tap sends
once), and the unit sees the response counted. Without JavaScript the form works too, and sending
the same page again (back, submit) stores no second response."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.signals import request_started
from playwright.sync_api import Browser, BrowserContext, Page, expect

from pantau.surveys.models import Campaign, Response
from pantau.surveys.tests.helpers import SKM_CODES, make_campaign
from tests.browser.conftest import PHONE, TIMEOUT_MS, Site, no_horizontal_scroll

pytestmark = pytest.mark.browser

# What the citizen taps, element by element (the value is the choice's position, 1–4).
ONLINE = {"persyaratan": ("Sangat sesuai", 4), "prosedur": ("Mudah", 3), "waktu": ("Kurang cepat", 2),
          "biaya": ("Gratis", 4)}
OFFLINE = {"produk": ("Sesuai", 3), "kompetensi": ("Sangat kompeten", 4), "perilaku": ("Kurang sopan dan ramah", 2),
           "sarana": ("Baik", 3), "pengaduan": ("Tidak ada", 1)}
OFFLINE_TEXT = "Tidak ada sambungan. Jawaban Anda tetap tersimpan di perangkat ini; kirim lagi saat tersambung."
SUGGESTION = "Antrean pagi panjang, petugas ramah."


def _qr_link(site: Site, campaign: Campaign) -> str:
    return site.at(f"/survei/{campaign.public_token}/?src=qr&layanan={site.cast.ktp.pk}")


def _watch(page: Page) -> list[str]:
    """What the ``phone`` fixture watches on its page, for a page opened later in the test: a CSP
    violation or a JavaScript error."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.set_default_timeout(TIMEOUT_MS)
    return problems


def _slots(answers: dict[str, tuple[str, int]]) -> list[int]:
    """The slot columns a1..a9 the answers are stored in (the questionnaire's order)."""
    return [answers[code][1] for code in SKM_CODES]


def _tap(page: Page, code: str, label: str) -> None:
    page.locator(f"#el-{code}").get_by_label(label, exact=True).check()


def _eventually(page: Page, check: Callable[[], bool], what: str) -> None:
    """Wait until ``check()`` holds (the server works in its own thread), failing after TIMEOUT_MS."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        page.wait_for_timeout(100)


def _back_and_send_again(page: Page, token: str) -> None:
    """Back from the thank-you page to the form, and tap "send" again.

    The browser may show the page as it was sent (back/forward cache: the same token, so the server
    stores nothing new) or fetch the form again (this chromium does). A fetched form has a fresh
    token, so it must not come back with the sent answers (the browser's own restoring of form fields
    is off, ``autocomplete="off"``): sending it again would store them a second time. Empty, the
    browser refuses to send it (every element is required).
    """
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("SKM 2026")
    if page.locator("input[name=token]").input_value() != token:
        expect(page.locator("fieldset.element input:checked")).to_have_count(0)
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_load_state()


class _Posts:
    """Counts the POSTs of the form that reach the server (``request_started`` runs in the server's
    thread), and holds them while ``hold`` is on: a slow connection, "send" seems to do nothing."""

    def __init__(self, path: str) -> None:
        self.path, self.seen = path, 0
        self.released = threading.Event()
        self.released.set()

    def hold(self) -> None:
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def __call__(self, sender: object, environ: dict[str, str], **kwargs: object) -> None:
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") == self.path:
            self.seen += 1
            self.released.wait(TIMEOUT_MS / 1000)


def test_a_citizen_answers_on_a_phone_loses_the_signal_resumes_and_submits_once(
    phone: Page, site: Site, settings: Any, browser: Browser, axe_context: BrowserContext,
    axe: Callable[[Page], None], log_in: Callable[..., None],
) -> None:
    settings.SURVEY_MIN_SECONDS = 1
    c = site.cast
    campaign = make_campaign(c)
    link = _qr_link(site, campaign)
    draft_key = f"pantau-survey-{campaign.public_token}"
    context = phone.context
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    posts = _Posts(f"/survei/{campaign.public_token}/")
    request_started.connect(posts)
    try:
        # 1. The QR link: the service is chosen already, the page fits the screen.
        phone.goto(link)
        expect(phone.get_by_role("heading", level=1)).to_have_text("SKM 2026")
        service = phone.get_by_role("group", name="Jenis layanan yang diterima")
        expect(service.get_by_label("Penerbitan KTP-el")).to_be_checked()
        no_horizontal_scroll(phone)
        token = phone.locator("input[name=token]").input_value()

        # 2. The profile and four of the nine elements, saved as a partial response.
        phone.get_by_role("group", name="Jenis kelamin").get_by_label("Perempuan").check()
        phone.get_by_label("Usia (tahun)").fill("34")
        phone.get_by_role("group", name="Pendidikan terakhir").get_by_label("SMA", exact=True).check()
        phone.get_by_role("group", name="Pekerjaan utama").get_by_label("Wirausaha").check()
        for code, (label, _value) in ONLINE.items():
            _tap(phone, code, label)
        expect(phone.get_by_role("status")).to_have_text("Jawaban tersimpan di perangkat ini.")
        partial = Response.objects.filter(campaign=campaign, client_token=token, complete=False, age=34,
                                          product=c.ktp, a1=4, a2=3, a3=2, a4=4)
        _eventually(phone, partial.exists, "the partial response with four answers reached the server")
        no_horizontal_scroll(phone)

        # 3. The signal goes: five more answers stay on the phone, sending says so and keeps them.
        context.set_offline(True)
        phone.wait_for_function("() => !navigator.onLine")
        for code, (label, _value) in OFFLINE.items():
            _tap(phone, code, label)
        phone.get_by_role("button", name="Kirim jawaban").click()
        expect(phone.get_by_role("status")).to_have_text(OFFLINE_TEXT)
        expect(phone).to_have_url(link)
        for code, (label, _value) in {**ONLINE, **OFFLINE}.items():
            expect(phone.locator(f"#el-{code}").get_by_label(label, exact=True)).to_be_checked()
        assert posts.seen == 0
        assert phone.evaluate("k => localStorage.getItem(k) !== null", draft_key)

        # The connection dropped, the page is closed; later, with a signal, the QR link again.
        phone.close()
        context.set_offline(False)
        page = context.new_page()
        problems = _watch(page)
        page.goto(link)
        expect(page.get_by_role("status")).to_have_text("Jawaban tersimpan di perangkat ini.")
        expect(page.locator("input[name=token]")).to_have_value(token)  # the same submission
        expect(page.get_by_role("group", name="Jenis kelamin").get_by_label("Perempuan")).to_be_checked()
        expect(page.get_by_label("Usia (tahun)")).to_have_value("34")
        expect(page.get_by_role("group", name="Pendidikan terakhir").get_by_label("SMA", exact=True)).to_be_checked()
        expect(page.get_by_role("group", name="Pekerjaan utama").get_by_label("Wirausaha")).to_be_checked()
        expect(page.get_by_role("group", name="Jenis layanan yang diterima").get_by_label("Penerbitan KTP-el")
               ).to_be_checked()
        for code, (label, _value) in {**ONLINE, **OFFLINE}.items():
            expect(page.locator(f"#el-{code}").get_by_label(label, exact=True)).to_be_checked()
        assert Response.objects.get(campaign=campaign).a5 is None  # the offline answers came from the phone

        # 4. She changes her mind on one answer, adds a suggestion and taps "send"; the connection is
        # slow (the server holds the request), nothing seems to happen, she taps again.
        _tap(page, "waktu", "Cepat")
        # Still the same partial response; waited for, so that no partial save is still at work when
        # the form is sent.
        _eventually(page, Response.objects.filter(campaign=campaign, client_token=token, complete=False, a3=3).exists,
                    "the changed answer reached the server")
        page.get_by_label("Saran dan masukan (tidak wajib)").fill(SUGGESTION)
        send = page.locator(".survey-form button[type=submit]")  # its label changes while sending
        expect(send).to_have_text("Kirim jawaban")
        send.scroll_into_view_if_needed()
        box = send.bounding_box()
        assert box is not None
        posts.hold()
        send.tap()
        _eventually(page, lambda: posts.seen == 1, "the form reached the server")
        # The same spot again (a finger does not wait for the button, nor for the page).
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        posts.release()
        expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih")
        expect(page).to_have_url(site.at(f"/survei/{campaign.public_token}/terima-kasih/"))
        assert page.evaluate("k => localStorage.getItem(k)", draft_key) is None
        assert posts.seen == 1, f"the double tap sent the form {posts.seen} times"
        stored = Response.objects.get(campaign=campaign)
        assert stored.complete and stored.client_token == token
        assert (stored.channel, stored.product_id, stored.age) == ("qr", c.ktp.pk, 34)
        assert (stored.sex, stored.education, stored.occupation) == ("Perempuan", "SMA", "Wirausaha")
        assert stored.slots()[:9] == _slots({**ONLINE, **OFFLINE, "waktu": ("Cepat", 3)})
        assert stored.suggestion == SUGGESTION
        no_horizontal_scroll(page)

        # Back and "send" again: no second response (see _back_and_send_again).
        _back_and_send_again(page, token)
        assert Response.objects.filter(campaign=campaign).count() == 1
        page.close()
        assert not problems, "the browser reported:\n" + "\n".join(problems)
    finally:
        posts.release()
        request_started.disconnect(posts)
    outside = [url for url in requested if not url.startswith((site.url + "/", "data:"))]
    assert requested and not outside, f"requests left {site.url}: {outside}"

    # axe-core on the form as the QR link opens it and on the thank-you page.
    checked = axe_context.new_page()
    checked.goto(link)
    expect(checked.get_by_role("heading", level=1)).to_have_text("SKM 2026")
    axe(checked)
    checked.goto(site.at(f"/survei/{campaign.public_token}/terima-kasih/"))
    axe(checked)

    # 5. The unit's operator sees the response counted on the campaign page.
    staff = browser.new_context(**PHONE)
    try:
        office = staff.new_page()
        log_in(office, "operator_dukcapil")
        office.goto(site.at(f"/kelola/survei/{campaign.pk}/"))
        expect(office.get_by_role("main")).to_contain_text("1 jawaban lengkap, 0 belum selesai")
    finally:
        staff.close()


def test_without_javascript_the_form_submits_and_sending_it_again_stores_nothing_more(
    browser: Browser, site: Site, settings: Any,
) -> None:
    settings.SURVEY_MIN_SECONDS = 0
    campaign = make_campaign(site.cast)
    link = _qr_link(site, campaign)
    context = browser.new_context(**PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(link)
        for code, (label, _value) in {**ONLINE, **OFFLINE}.items():
            _tap(page, code, label)
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih")
        stored = Response.objects.get(campaign=campaign)
        assert stored.complete and stored.channel == "qr" and stored.product_id == site.cast.ktp.pk
        assert stored.slots()[:9] == _slots({**ONLINE, **OFFLINE})

        _back_and_send_again(page, stored.client_token)
        assert list(Response.objects.filter(campaign=campaign)) == [stored]
    finally:
        context.close()
