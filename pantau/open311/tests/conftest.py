"""Fixtures of the Open311 tests: the cast, an API key, a frozen day, and a helper that posts a report."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from pantau.open311 import keys

BASE = "/open311/v2"
PERSON = {"email": "siti.rahma@contoh.id", "first_name": "Siti", "last_name": "Rahmawati", "phone": "081234567890"}
DESCRIPTION = ("Saya mengurus KTP-el sejak Januari. Petugas meminta uang Rp 150.000 agar cepat selesai, dan "
               "sampai sekarang KTP belum terbit.")


@pytest.fixture
def november_2nd() -> Iterator[None]:
    with time_machine.travel("2026-11-02 09:00 +07:00", tick=False):
        yield


@pytest.fixture
def api_key(cast: Any) -> str:
    return keys.client_issue(actor=keys.SYSTEM, name="Aplikasi Warga", hourly_limit=5)[1]


def form(api_key: str, **extra: Any) -> dict[str, Any]:
    """A complete POST requests form for the Disdukcapil case (Pemkab Tabalong named as free text)."""
    data: dict[str, Any] = {
        "api_key": api_key, "service_code": "administrasi-kependudukan", "lat": "-2.1716", "long": "115.3822",
        "address_string": "Jl. Tanjung Raya, Tabalong", "description": DESCRIPTION, **PERSON,
        "attribute[institution]": "Disdukcapil Kabupaten Tabalong", "attribute[event_date]": "2026-10-01",
        "attribute[prior_complaint]": "silent", "attribute[prior_complaint_date]": "2026-10-15",
        "attribute[visibility]": "public",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post(fmt: str, data: dict[str, Any]) -> Any:
    return Client().post(f"{BASE}/requests.{fmt}", data)
