"""The complaints' part of the public product page (``core.hooks.page_panel``): a "Laporkan" link that
opens the report form with the service chosen. It reads nothing, so its stamp never changes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

STAMP = "lapor-1"


def product_stamp(product_id: int) -> str:
    return STAMP


def product_context(product_id: int) -> dict[str, Any]:
    return {"link": f"{reverse('complaints:report')}?layanan={int(product_id)}"}
