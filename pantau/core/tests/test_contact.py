"""Complaint channels typed as text become links a phone can follow; the rest stays escaped text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from pantau.core.contact import international, linkify_line
from pantau.registry.models import Office
from tests.cast import publish

LINES = [
    ("WhatsApp pengaduan 0811-5000-123",
     'WhatsApp pengaduan <a href="https://wa.me/628115000123" rel="noopener">0811-5000-123</a>'),
    ("Telepon (0526) 2021234", 'Telepon <a href="tel:+625262021234">(0526) 2021234</a>'),
    ("Call center +62 811 5000 123", 'Call center <a href="tel:+628115000123">+62 811 5000 123</a>'),
    ("SP4N-LAPOR! (lapor.go.id)", 'SP4N-LAPOR! (<a href="https://lapor.go.id" rel="noopener">lapor.go.id</a>)'),
    ("https://pengaduan.tabalongkab.go.id/form",
     '<a href="https://pengaduan.tabalongkab.go.id/form" rel="noopener">https://pengaduan.tabalongkab.go.id/form</a>'),
    ("Surel pengaduan@dukcapil.go.id",
     'Surel <a href="mailto:pengaduan@dukcapil.go.id">pengaduan@dukcapil.go.id</a>'),
    ("Loket pengaduan, UU Nomor 25 Tahun 2009", "Loket pengaduan, UU Nomor 25 Tahun 2009"),
    ('<script>alert(1)</script> "x"', "&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot;"),
]


@pytest.mark.parametrize(("line", "html"), LINES)
def test_each_channel_becomes_a_link_of_its_kind(line: str, html: str) -> None:
    assert linkify_line(line) == html


def test_only_plausible_indonesian_numbers_are_dialled() -> None:
    assert international("0811-5000-123") == "628115000123"
    assert international("+62 511 3356500") == "625113356500"
    assert international("12345") is None and international("0123") is None


def test_the_product_page_links_the_channels_and_names_the_office_with_address_and_phone(cast: Any) -> None:
    Office.objects.filter(pk=cast.kalsel.pk).update(
        address="Jl. Letjen S. Parman No. 57, Banjarmasin", phone="(0511) 3356500")
    publish(cast.national_admin, cast.ktp, dt.date(2025, 6, 1),
            complaints="Loket pengaduan\nWhatsApp 0811-5000-123\nSP4N-LAPOR! (lapor.go.id)")
    html = Client().get(f"/layanan/{cast.ktp.pk}/").content.decode()
    assert 'href="https://wa.me/628115000123"' in html
    assert 'href="https://lapor.go.id"' in html and 'href="https://www.lapor.go.id"' in html
    assert "Jl. Letjen S. Parman No. 57, Banjarmasin" in html
    assert '<a href="tel:+625113356500">(0511) 3356500</a>' in html
