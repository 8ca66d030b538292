"""The home page map on a 360 px phone: ECharts draws the provinces, a click drills down, the table agrees."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from pantau.registry.models import Province, Regency
from pantau.registry.regions import load_regions
from tests.browser.conftest import Site, no_horizontal_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def mapped(site: Site) -> Site:
    """The cast with the real boundaries of all 38 provinces and 514 regencies (about half a second)."""
    load_regions()
    return site


def open_home(page: Page, site: Site) -> None:
    page.goto(site.at("/"))
    expect(page.locator("#map[data-ready='true'][data-level='provinces'] canvas").first).to_be_visible()


def click_on_map(page: Page, lng: float, lat: float) -> None:
    """A real mouse click on the canvas where ECharts drew the point (lng, lat)."""
    page.locator("#map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        "([lng, lat]) => echarts.getInstanceByDom(document.getElementById('map'))"
        ".convertToPixel({seriesIndex: 0}, [lng, lat])",
        [lng, lat],
    )
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_the_home_page_draws_the_provinces_coloured_by_completeness(phone: Page, mapped: Site) -> None:
    open_home(phone, mapped)
    assert phone.locator("#map canvas").count() >= 1
    box = phone.locator("#map").bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] > 200
    chart_data = phone.evaluate(
        "echarts.getInstanceByDom(document.getElementById('map')).getOption().series[0].data"
    )
    by_code = {row["name"]: row for row in chart_data}
    assert len(by_code) == 38
    assert (by_code["63"]["value"], by_code["63"]["products"]) == (91, 2)
    assert (by_code["62"]["value"], by_code["62"]["products"]) == (88, 1)
    kalsel = phone.locator("#map-table tr[data-code='63']")
    expect(kalsel.locator("td")).to_have_text(["2", "91%"])
    expect(phone.get_by_role("search")).to_be_visible()  # the search box sits with the map
    no_horizontal_scroll(phone)


def test_a_click_on_a_province_shows_its_regencies_and_a_click_on_one_searches_there(
    phone: Page, mapped: Site
) -> None:
    open_home(phone, mapped)
    kalsel = Province.objects.get(code="63")
    click_on_map(phone, kalsel.lng, kalsel.lat)
    expect(phone.locator("#map")).to_have_attribute("data-shown", "63")
    expect(phone.locator("#map")).to_have_attribute("data-level", "regencies")
    expect(phone.locator("#map-where")).to_have_text("Kabupaten/kota di Kalimantan Selatan")
    tabalong_row = phone.locator("#map-table tr[data-code='63.09']")
    expect(tabalong_row.locator("td")).to_have_text(["2", "91%"])
    expect(phone.locator("#map-table tr[data-code='63.71'] td")).to_have_text(["0", "—"])
    assert phone.locator("#map-table tbody:visible tr").count() == Regency.objects.filter(province=kalsel).count()
    no_horizontal_scroll(phone)

    tabalong = Regency.objects.get(code="63.09")
    click_on_map(phone, tabalong.lng, tabalong.lat)
    expect(phone).to_have_url(re.compile(r"/layanan/\?provinsi=63&kabupaten=63\.09$"))
    expect(phone.get_by_role("status")).to_have_text("2 layanan ditemukan.")
    expect(phone.get_by_label("Kabupaten/kota")).to_have_value("63.09")


def test_the_table_buttons_drill_down_and_back_without_a_mouse(phone: Page, mapped: Site) -> None:
    open_home(phone, mapped)
    back = phone.get_by_role("button", name="← Semua provinsi")
    expect(back).to_be_hidden()
    phone.get_by_role("button", name="Lihat kabupaten/kota di Kalimantan Tengah").press("Enter")
    expect(phone.locator("#map")).to_have_attribute("data-shown", "62")
    expect(back).to_be_focused()
    expect(phone.locator("#map-table caption")).to_have_text("Kabupaten/kota di Kalimantan Tengah")
    expect(phone.locator("#map-table tr[data-code='62.04'] td")).to_have_text(["1", "88%"])
    link = phone.locator("#map-table tr[data-code='62.04'] a")
    expect(link).to_have_attribute("href", "/layanan/?provinsi=62&kabupaten=62.04")

    back.press("Enter")
    expect(phone.locator("#map")).to_have_attribute("data-level", "provinces")
    expect(back).to_be_hidden()
    expect(phone.locator("#map-table caption")).to_have_text("Kelengkapan per provinsi")
    expect(phone.locator("#map-table tbody:visible tr")).to_have_count(38)


def test_without_boundaries_the_table_still_lists_every_province(phone: Page, site: Site) -> None:
    phone.goto(site.at("/"))
    expect(phone.locator("#map")).to_have_attribute("data-ready", "true")
    expect(phone.locator("#map-table tbody:visible tr")).to_have_count(2)  # the cast's two provinces
    expect(phone.locator("#map-table tr[data-code='63'] td")).to_have_text(["2", "91%"])


def test_the_home_page_with_its_map_has_no_serious_accessibility_violation(
    mapped: Site, axe_context: BrowserContext, axe: Callable[[Page], None]
) -> None:
    page = axe_context.new_page()
    open_home(page, mapped)
    axe(page)
    page.get_by_role("button", name="Lihat kabupaten/kota di Kalimantan Selatan").click()
    expect(page.locator("#map")).to_have_attribute("data-level", "regencies")
    axe(page)


def map_zoom(page: Page) -> float:
    return float(page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('map')).getOption().series[0].zoom || 1"))


def test_the_map_leaves_the_mouse_wheel_to_the_page_until_it_is_clicked_and_has_a_reset_button(
    page: Page, mapped: Site
) -> None:
    page.set_viewport_size({"width": 1024, "height": 700})
    open_home(page, mapped)
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, min(box["y"] + 40, 690))
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") > 0, "the wheel over the map must scroll the page"
    assert map_zoom(page) == 1
    expect(page.locator("#map")).to_have_attribute("data-roam", "false")

    page.locator("#map").focus()  # clicked or reached with Tab: now the wheel zooms the map
    expect(page.locator("#map")).to_have_attribute("data-roam", "true")
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scrolled = page.evaluate("window.scrollY")
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(300)
    assert map_zoom(page) > 1
    assert page.evaluate("window.scrollY") == scrolled

    page.get_by_role("button", name="Atur ulang peta").click()
    assert map_zoom(page) == 1
    expect(page.locator("#map")).to_have_attribute("data-roam", "false")  # focus left the map


def test_the_results_map_colours_provinces_and_then_the_regencies_of_one_by_zone(phone: Page, mapped: Site) -> None:
    from pantau.assessments.tests.results_helpers import published_now

    period = published_now(mapped.cast)
    phone.goto(mapped.at(f"/penilaian/{period.year}/"))
    drawn = "#zone-map[data-ready='true'] canvas"
    expect(phone.locator(drawn).first).to_be_visible()
    series = "echarts.getInstanceByDom(document.getElementById('zone-map')).getOption().series[0].data"
    provinces = {row["name"]: row for row in phone.evaluate(series)}
    assert len(provinces) == 38 and provinces["63"]["row"]["zone"] in ("green", "yellow", "red")
    assert provinces["62"]["row"] is None  # not assessed: grey, and said so in the legend
    no_horizontal_scroll(phone)

    phone.get_by_role("link", name="Kalimantan Selatan").first.click()
    expect(phone.get_by_role("heading", name="Peta zona per kabupaten/kota")).to_be_visible()
    expect(phone.locator(drawn).first).to_be_visible()
    regencies = {row["name"]: row for row in phone.evaluate(series)}
    assert len(regencies) == Regency.objects.filter(province__code="63").count()
    tabalong = mapped.cast.tabalong.regency.code
    assert regencies[tabalong]["row"]["zone"] == provinces["63"]["row"]["zone"]
    assert sum(1 for r in regencies.values() if r["row"]) == 1
    no_horizontal_scroll(phone)
