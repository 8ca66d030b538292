"""Real XLSX files built in memory with openpyxl, in the layout of the registry import template."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook

from pantau.core.models import AuditEvent
from pantau.registry import transfer
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit

STANDARD = {
    "Persyaratan": "Fotokopi Kartu Keluarga\nSurat pengantar RT/RW",
    "Sistem, mekanisme dan prosedur": "Ambil nomor antrean\nSerahkan berkas",
    "Jangka waktu penyelesaian": "1 hari kerja",
    "Biaya/tarif": "",
    "Produk pelayanan": "Akta kelahiran",
    "Penanganan pengaduan, saran dan masukan": "Loket pengaduan",
    "Gratis": "ya",
    "Jangka waktu (hari kerja)": 1,
}


def headers(sheet: str) -> list[str]:
    return list(transfer.build_sheets()[sheet].headers)


def xlsx_bytes(sheets: dict[str, list[dict[str, Any]]] | None = None, *, omit: tuple[str, ...] = (),
               header_override: dict[str, list[str]] | None = None) -> bytes:
    """A workbook with all four sheets (minus ``omit``); rows are dicts by header (missing = blank)."""
    sheets = sheets or {}
    wb = Workbook()
    wb.remove(wb.active)
    for name in transfer.SHEET_ORDER:
        if name in omit:
            continue
        ws = wb.create_sheet(name)
        head = (header_override or {}).get(name) or headers(name)
        ws.append(head)
        for row in sheets.get(name, []):
            unknown = set(row) - set(head)
            assert not unknown, f"not a column of {name}: {unknown}"
            ws.append([row.get(h) for h in head])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes) -> tuple[io.BytesIO, int]:
    return io.BytesIO(data), len(data)


def read_back(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """The data rows of a workbook by sheet, as dicts by header (blank rows left out)."""
    wb = load_workbook(io.BytesIO(data), read_only=True)
    out: dict[str, list[dict[str, Any]]] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if not rows:
            out[ws.title] = []
            continue
        head = [str(h) if h is not None else "" for h in rows[0]]
        out[ws.title] = [dict(zip(head, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]
    wb.close()
    return out


def table_counts() -> dict[str, int]:
    """Rows in the registry tables and the audit trail (to show that nothing was written)."""
    return {model.__name__: model.objects.count()
            for model in (Institution, ServiceUnit, ServiceProduct, ServiceStandard, AuditEvent)}
