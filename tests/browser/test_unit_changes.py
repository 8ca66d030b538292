"""A merge dated next month, on a 360 px phone: the old units' services stay public until that date;
afterwards the QR code already printed on the counter's board lands on the successor's page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, Site, no_horizontal_scroll

pytestmark = pytest.mark.browser


def _next_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def test_a_merge_dated_next_month_keeps_the_services_public_until_then_and_the_old_qr_link_follows(
    phone: Page, site: Site, browser: Browser, log_in: Callable[..., None],
) -> None:
    c = site.cast
    date = _next_month(timezone.localdate())
    log_in(phone, "admin_tabalong")
    phone.goto(site.at(f"/kelola/instansi/{c.tabalong.pk}/"))
    phone.get_by_role("link", name="Catat perubahan unit").click()
    phone.get_by_label("Jenis perubahan").select_option("merge")
    phone.get_by_label("Tanggal berlaku").fill(date.isoformat())
    phone.get_by_label("Unit yang berubah").select_option([str(c.dukcapil.pk), str(c.dpmptsp.pk)])
    phone.get_by_label("Nama baru").fill("Mal Pelayanan Publik Tabalong")
    phone.get_by_label("Dasar hukum").fill("Perbup Tabalong 12/2026")
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pemerintah Kabupaten Tabalong")
    history = phone.get_by_role("listitem").filter(has_text="Perbup Tabalong 12/2026")
    expect(history).to_contain_text("Menunggu tanggal berlaku")
    no_horizontal_scroll(phone)

    citizen = browser.new_context(**PHONE).new_page()
    qr_link = site.at(f"/l/{c.ktp.pk}")
    citizen.goto(qr_link)  # scanned at the Dukcapil counter before the date
    expect(citizen).to_have_url(site.at(f"/layanan/{c.ktp.pk}/"))
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Penerbitan KTP-el")
    expect(citizen.get_by_role("navigation", name="Lokasi halaman")).to_contain_text(
        "Dinas Kependudukan dan Pencatatan Sipil")

    # The night of the date: the daily command, told which day it is.
    call_command("refresh_standards", f"--unit-changes-until={date.isoformat()}", stdout=io.StringIO())

    citizen.goto(qr_link)  # the same printed QR code, after the date
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Penerbitan KTP-el")
    expect(citizen.get_by_role("navigation", name="Lokasi halaman")).to_contain_text("Mal Pelayanan Publik Tabalong")
    no_horizontal_scroll(citizen)
    citizen.context.close()
