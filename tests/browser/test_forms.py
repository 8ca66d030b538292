"""Forms on a 360 px phone (issue 6 item 15): the error summary after a bad submit is shown,
focused and links to the field; a double tap on "Simpan" creates exactly one product, with
JavaScript (the button is busy after the first tap) and without it (the server's one-time token)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import PHONE, TIMEOUT_MS, Site, log_in_through_form, no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_a_bad_submit_shows_the_error_summary_focused_and_linking_to_the_field(
    phone: Page, site: Site, log_in: Callable[..., None],
) -> None:
    log_in(phone, "operator_dukcapil")
    phone.goto(site.at(f"/kelola/unit/{site.cast.dukcapil.pk}/produk/baru/"))
    phone.get_by_role("button", name="Simpan").click()

    summary = phone.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Ada masalah")
    expect(phone).to_have_title(re.compile(r"^Kesalahan: "))
    name = phone.locator("#id_name")
    expect(name).to_have_attribute("aria-invalid", "true")
    no_horizontal_scroll(phone)

    summary.get_by_role("link", name=re.compile("Nama produk layanan")).click()
    expect(name).to_be_focused()


@pytest.fixture
def slow_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded server: the product form takes 0.6 s to start, so a second tap 0.15 s after the
    first reaches the server (the live server is a thread of this process) while the first runs."""
    import time

    from pantau.registry.forms import ProductForm

    original = ProductForm.__init__

    def slow(self: ProductForm, *args: object, **kwargs: object) -> None:
        if args and args[0] is not None:
            time.sleep(0.6)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ProductForm, "__init__", slow)


def double_tap(page: Page, name: str) -> None:
    """Tap, and tap the same spot again 0.15 s later, as an impatient thumb does."""
    button = page.get_by_role("button", name=name)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.wait_for_timeout(150)
    page.touchscreen.tap(x, y)


def test_the_error_summary_page_has_no_serious_accessibility_problem(
    axe_context: BrowserContext, site: Site, axe: Callable[[Page], None],
) -> None:
    page = axe_context.new_page()
    log_in_through_form(page, site, "operator_dukcapil")
    page.goto(site.at(f"/kelola/unit/{site.cast.dukcapil.pk}/produk/baru/"))
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#error-summary")).to_be_focused()
    axe(page)


def _product_count(site: Site, name: str) -> int:
    from pantau.registry.models import ServiceProduct

    return ServiceProduct.objects.filter(unit=site.cast.dukcapil, name=name).count()


def test_a_double_tap_on_simpan_creates_one_product(
    phone: Page, site: Site, log_in: Callable[..., None], slow_server: None,
) -> None:
    log_in(phone, "operator_dukcapil")
    phone.goto(site.at(f"/kelola/unit/{site.cast.dukcapil.pk}/produk/baru/"))
    phone.get_by_label("Nama produk layanan").fill("Legalisir Dokumen")
    double_tap(phone, "Simpan")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Legalisir Dokumen")
    expect(phone.locator("#error-summary")).to_have_count(0)
    assert _product_count(site, "Legalisir Dokumen") == 1


def test_a_double_tap_without_javascript_still_creates_one_product(
    browser: Browser, site: Site, slow_server: None,
) -> None:
    context = browser.new_context(**PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in_through_form(page, site, "operator_dukcapil")
        page.goto(site.at(f"/kelola/unit/{site.cast.dukcapil.pk}/produk/baru/"))
        page.get_by_label("Nama produk layanan").fill("Legalisir Ijazah")
        double_tap(page, "Simpan")
        expect(page.get_by_role("heading", level=1)).to_have_text("Legalisir Ijazah")
        assert _product_count(site, "Legalisir Ijazah") == 1
    finally:
        context.close()
