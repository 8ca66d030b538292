"""The audit trail in the browser: a head of office filters it on a phone; htmx swaps the table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Site, log_in_through_form, no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_a_head_of_office_filters_the_trail_and_reads_a_change(
    phone: Page, site: Site, log_in: Callable[..., None]
) -> None:
    from pantau.registry import services

    services.unit_save(actor=site.cast.operator_dukcapil, unit=site.cast.dukcapil, data={"phone": "0526-2021"},
                       reason="nomor baru")
    log_in(phone, "head_kalsel")
    phone.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Jejak audit").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Jejak audit")
    no_horizontal_scroll(phone)

    phone.get_by_label("Jenis kejadian").fill("unit.updated")
    phone.get_by_label("Jenis kejadian").press("Enter")
    expect(phone.get_by_role("status").filter(has_text="kejadian")).to_have_text("1 kejadian. Unduh CSV")
    assert "jenis=unit.updated" in phone.url  # htmx pushed the filter into the address bar
    # Enter fires both "change" and "submit": let the last swap land before opening a row's details.
    phone.wait_for_load_state("networkidle")
    phone.get_by_text("1 isian").click()
    row = phone.get_by_role("row", name="Telepon/WA pengaduan")
    expect(row).to_contain_text("0526-2021")
    expect(phone.get_by_role("main")).to_contain_text("nomor baru")

    phone.get_by_label("Dari tanggal").fill("2026-02-01")
    phone.get_by_label("Sampai tanggal").fill("2026-01-01")
    expect(phone.get_by_role("alert")).to_contain_text("Tanggal akhir tidak boleh sebelum tanggal awal")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Jejak audit")  # the form stays in place


def test_the_audit_page_has_no_serious_accessibility_violation(
    site: Site, axe_context: BrowserContext, axe: Callable[[Page], None]
) -> None:
    page = axe_context.new_page()
    log_in_through_form(page, site, "national_admin")
    page.goto(site.at("/kelola/audit/"))
    page.get_by_text("17 isian").first.click()
    axe(page)
    page.goto(site.at("/kelola/audit/?id_objek=abc"))
    axe(page)
