"""The methodology pages on a 360 px phone: from the menu to a version, no sideways scroll, axe clean."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Site, no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_a_visitor_on_a_phone_reads_a_methodology_from_the_menu(phone: Page, site: Site) -> None:
    call_command("load_methodologies", stdout=None)
    phone.goto(site.at("/"))
    phone.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Metodologi").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Metodologi penilaian kepatuhan")
    no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik (Opini Pengawasan) "
                                    "2022–2024").click()
    expect(phone).to_have_url(site.at("/metodologi/ombudsman-2022/1.0/"))
    expect(phone.get_by_role("region", name="Kategori dan zona").locator("tbody tr")).to_have_count(5)
    expect(phone.locator("#dim-input h3")).to_contain_text("21,85")
    no_horizontal_scroll(phone)


def test_the_methodology_pages_pass_axe(axe_context: BrowserContext, site: Site,
                                        axe: Callable[[Page], None]) -> None:
    call_command("load_methodologies", stdout=None)
    page = axe_context.new_page()
    for path in ("/metodologi/", "/metodologi/ombudsman-2016/1.0/"):
        page.goto(site.at(path))
        axe(page)
