"""Export the registry a user may see to XLSX, and the import template (the same workbook, prefilled).

The export is the import format: importing an export unchanged changes nothing. Institution, unit
and product rows carry their id, so a name changed in the file renames the record on import. Each sheet is one
query streamed into openpyxl's write-only workbook, so the number of queries does not grow with
the number of rows. Standards: each product's latest version (its draft when one is open).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

from django.db.models import OuterRef, Subquery

from pantau.registry import components, transfer
from pantau.registry.models import Office, Province, Regency, ServiceStandard
from pantau.registry.selectors import institutions_for, products_for, units_for
from pantau.reports import xlsx

CHUNK = 2000
PROGRESS_EVERY = 1000  # rows between two progress reports


def _row(sheet: xlsx.Sheet, values: dict[str, Any]) -> list[Any]:
    return [values.get(c.key) for c in sheet.columns]


def _name(obj: Any) -> str:
    return obj.name if obj is not None else ""


def _institution_rows(user: Any, sheet: xlsx.Sheet) -> Iterator[list[Any]]:
    qs = institutions_for(user).select_related("province", "regency", "office").order_by("name", "pk")
    for inst in qs.iterator(chunk_size=CHUNK):
        yield _row(sheet, {
            "name": inst.name, "kind": inst.kind, "province": _name(inst.province),
            "regency": _name(inst.regency), "office": inst.office.name, "website": inst.website, "id": inst.pk,
        })


def _unit_rows(user: Any, sheet: xlsx.Sheet) -> Iterator[list[Any]]:
    qs = units_for(user).select_related("institution", "regency").order_by("institution__name", "name", "pk")
    for unit in qs.iterator(chunk_size=CHUNK):
        yield _row(sheet, {
            "institution": unit.institution.name, "name": unit.name, "kind": unit.kind,
            "address": unit.address, "regency": _name(unit.regency), "phone": unit.phone,
            "lat": unit.lat, "lng": unit.lng, "maklumat": unit.maklumat, "maklumat_date": unit.maklumat_date,
            "vulnerable_facilities": unit.vulnerable_facilities, "id": unit.pk,
        })


def _product_rows(user: Any, sheet: xlsx.Sheet) -> Iterator[list[Any]]:
    qs = (products_for(user).select_related("unit__institution")
          .order_by("unit__institution__name", "unit__name", "name", "pk"))
    for product in qs.iterator(chunk_size=CHUNK):
        yield _row(sheet, {
            "institution": product.unit.institution.name, "unit": product.unit.name, "name": product.name,
            "category": product.category, "description": product.description,
            "is_active": xlsx.yes_no(product.is_active), "id": product.pk,
        })


def latest_standards(user: Any) -> Any:
    """Each visible product's latest standard version (one query)."""
    latest = ServiceStandard.objects.filter(product=OuterRef("product")).order_by("-version").values("version")[:1]
    return (ServiceStandard.objects.filter(product__in=products_for(user).values("pk"), version=Subquery(latest))
            .select_related("product__unit__institution")
            .order_by("product__unit__institution__name", "product__unit__name", "product__name", "product_id"))


def _standard_rows(user: Any, sheet: xlsx.Sheet) -> Iterator[list[Any]]:
    for std in latest_standards(user).iterator(chunk_size=CHUNK):
        product = std.product
        values: dict[str, Any] = {
            "institution": product.unit.institution.name, "unit": product.unit.name, "product": product.name,
            "is_free": xlsx.yes_no(std.is_free), "completion_days": std.completion_days,
            "effective_date": std.effective_date,
            "publish": xlsx.yes_no(std.status == ServiceStandard.Status.PUBLISHED),
        }
        for field in components.STANDARD_FIELDS:
            values[field] = getattr(std, field)
        yield _row(sheet, values)


def _choice_lists() -> dict[str, Sequence[str]]:
    return {
        transfer.PROVINCE_LIST: list(Province.objects.order_by("code").values_list("name", flat=True)),
        transfer.REGENCY_LIST: list(Regency.objects.order_by("code").values_list("name", flat=True)),
        transfer.OFFICE_LIST: list(Office.objects.order_by("name").values_list("name", flat=True)),
    }


class _Counted:
    """Counts the rows written, telling a job's progress now and then."""

    def __init__(self, progress: Any) -> None:
        self.progress, self.rows = progress, 0

    def wrap(self, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
        for row in rows:
            self.rows += 1
            if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
                self.progress.progress(written=self.rows)
            yield row


def write_registry(user: Any, out: IO[bytes], *, template: bool = False, progress: Any = None) -> int:
    """Write the user's registry (or, with ``template``, only their institutions) as XLSX to ``out``;
    return the number of rows written. ``progress`` (a job's ``Work``) hears of the rows written.

    Memory stays flat whatever the size: every sheet is one query read in chunks
    (``.iterator(chunk_size)``) into openpyxl's write-only workbook, which keeps rows on disk."""
    counted = _Counted(progress)
    sheets = transfer.build_sheets()
    lists = _choice_lists()
    ranges = xlsx.choice_ranges(lists)
    wb = xlsx.new_workbook()
    xlsx.add_notes_sheet(wb, transfer.NOTES_SHEET, transfer.notes())
    writers = {
        transfer.INSTITUTIONS: _institution_rows, transfer.UNITS: _unit_rows,
        transfer.PRODUCTS: _product_rows, transfer.STANDARDS: _standard_rows,
    }
    for name in transfer.SHEET_ORDER:
        sheet = sheets[name]
        rows: Iterator[list[Any]] | list[list[Any]] = (
            counted.wrap(writers[name](user, sheet)) if not template or name == transfer.INSTITUTIONS else []
        )
        xlsx.add_sheet(wb, sheet, rows, ranges)
    xlsx.add_choice_sheet(wb, lists)
    xlsx.save(wb, out)
    return counted.rows
