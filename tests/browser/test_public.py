"""A citizen on a 360 px phone: search, read a standard, switch language; axe-core on public pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Site, no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_it_lets_a_citizen_on_a_phone_find_a_service_and_read_its_standard(phone: Page, site: Site) -> None:
    phone.goto(site.at("/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Cari standar pelayanan publik")
    no_horizontal_scroll(phone)

    search = phone.get_by_role("search")
    search.get_by_label("Layanan, unit, atau instansi").fill("KTP")
    search.get_by_role("button", name="Cari").click()
    expect(phone).to_have_url(re.compile(r"/layanan/\?q=KTP"))
    expect(phone.get_by_role("status")).to_have_text("2 layanan ditemukan.")
    no_horizontal_scroll(phone)

    result = phone.get_by_role("listitem").filter(has_text="Pemerintah Kabupaten Tabalong")
    result.get_by_role("link", name="Penerbitan KTP-el").click()
    expect(phone).to_have_url(site.at(f"/layanan/{site.cast.ktp.pk}/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Penerbitan KTP-el")

    requirements = phone.get_by_role("region", name="Persyaratan")
    expect(requirements.locator("ul.checklist > li")).to_have_text(
        ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW"]
    )
    steps = phone.get_by_role("region", name="Prosedur")
    expect(steps.locator("ol > li")).to_have_text(
        ["Ambil nomor antrean", "Serahkan berkas", "Terima dokumen"]
    )
    expect(phone.get_by_role("region", name="Waktu penyelesaian")).to_contain_text("1 hari kerja")
    expect(phone.get_by_role("region", name="Biaya")).to_contain_text("Gratis")
    complain = phone.get_by_role("region", name="Cara mengadu")
    expect(complain).to_contain_text("SP4N-LAPOR!")
    expect(complain).to_contain_text("Ombudsman RI Perwakilan Kalimantan Selatan")
    no_horizontal_scroll(phone)


def test_it_switches_a_page_to_english_and_back(phone: Page, site: Site) -> None:
    product_url = site.at(f"/layanan/{site.cast.ktp.pk}/")
    phone.goto(product_url)
    html = phone.locator("html")
    expect(html).to_have_attribute("lang", "id")

    phone.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(phone).to_have_url(product_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Penerbitan KTP-el")
    no_horizontal_scroll(phone)

    phone.get_by_role("button", name="Bahasa Indonesia").click()
    expect(html).to_have_attribute("lang", "id")
    expect(phone).to_have_url(product_url)
    expect(phone.get_by_role("button", name="English")).to_be_visible()


PUBLIC_PAGES: dict[str, Callable[[Site], str]] = {
    "home": lambda s: "/",
    "search results": lambda s: "/layanan/?q=KTP",
    "product": lambda s: f"/layanan/{s.cast.ktp.pk}/",
    "institution": lambda s: f"/instansi/{s.cast.tabalong.pk}/",
    "help": lambda s: "/bantuan/",
    "login": lambda s: "/akun/masuk/",
    "not found": lambda s: "/tidak-ada/",
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_it_has_no_serious_accessibility_violation_on_a_public_page(
    name: str,
    site: Site,
    axe_context: BrowserContext,
    axe: Callable[[Page], None],
) -> None:
    page = axe_context.new_page()
    page.goto(site.at(PUBLIC_PAGES[name](site)))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)
