"""Scope in the browser: a unit operator sees their own unit and a 404 page for anyone else's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Site, log_in_through_form, no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_it_shows_a_unit_operator_their_own_unit_and_not_another_institution(
    phone: Page,
    site: Site,
    log_in: Callable[..., None],
) -> None:
    log_in(phone, "operator_dukcapil")

    response = phone.goto(site.at(f"/kelola/unit/{site.cast.dukcapil.pk}/"))
    assert response is not None and response.status == 200
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dinas Kependudukan dan Pencatatan Sipil")
    expect(phone.get_by_role("link", name="Penerbitan KTP-el")).to_be_visible()
    no_horizontal_scroll(phone)

    response = phone.goto(site.at(f"/kelola/instansi/{site.cast.barsel.pk}/"))
    assert response is not None and response.status == 404
    expect(phone.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(phone.get_by_role("main")).not_to_contain_text("Barito Selatan")
    expect(phone.get_by_role("button", name="Keluar")).to_be_visible()  # still signed in, just out of scope


def test_it_sends_an_anonymous_visitor_to_the_login_form_and_back(phone: Page, site: Site) -> None:
    from tests.cast import PASSWORD

    unit_path = f"/kelola/unit/{site.cast.dukcapil.pk}/"
    phone.goto(site.at(unit_path))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Masuk ke Pantau")

    phone.get_by_label("Nama pengguna").fill("operator_dukcapil")
    phone.get_by_label("Kata sandi").fill("salah-" + PASSWORD)
    phone.get_by_role("main").get_by_role("button", name="Masuk").click()
    expect(phone.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")

    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("main").get_by_role("button", name="Masuk").click()
    expect(phone).to_have_url(site.at(unit_path))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dinas Kependudukan dan Pencatatan Sipil")


def test_it_has_no_serious_accessibility_violation_on_an_institution_admins_pages(
    site: Site,
    axe_context: BrowserContext,
    axe: Callable[[Page], None],
) -> None:
    page = axe_context.new_page()
    log_in_through_form(page, site, "admin_tabalong")
    c = site.cast
    failures = []
    for path in [
        "/kelola/",
        "/kelola/instansi/",
        f"/kelola/instansi/{c.tabalong.pk}/",
        f"/kelola/unit/{c.dukcapil.pk}/",
        f"/kelola/produk/{c.ktp.pk}/",
        f"/kelola/produk/{c.ktp.pk}/standar/",
        "/akun/pengguna/",
    ]:
        page.goto(site.at(path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        try:
            axe(page)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
