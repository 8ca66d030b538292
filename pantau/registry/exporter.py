"""Export the registry a user may see to XLSX, and the import template (the same workbook, prefilled).

The export is the import format: importing an export unchanged changes nothing. Institution, unit
and product rows carry their id, so a name changed in the file renames the record on import. Each
sheet is one query read as tuples (``values_list``, no model instances) in chunks and streamed
into ``reports.xlsx``, so the number of queries does not grow with the number of rows. Standards:
each product's latest version (its draft when one is open).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from django.db.models import OuterRef, Subquery

from pantau.registry import components, transfer
from pantau.registry.models import Office, Province, Regency, ServiceStandard
from pantau.registry.selectors import institutions_for, products_for, units_for
from pantau.reports import xlsx

CHUNK = 2000
PROGRESS_EVERY = 1000  # rows between two progress reports


def _rows(qs: Any, sheet: xlsx.Sheet, fields: dict[str, str],
          convert: dict[str, Callable[[Any], Any]]) -> Iterator[list[Any]]:
    """The sheet's rows from ``qs`` read as tuples (no model instances): ``fields`` maps a column
    key to its field path, ``convert`` a key to what its value becomes; other columns stay empty."""
    keys = list(fields)
    where = [(keys.index(c.key), convert.get(c.key)) if c.key in fields else (None, None) for c in sheet.columns]
    for values in qs.values_list(*fields.values()).iterator(chunk_size=CHUNK):
        yield [None if i is None else fn(values[i]) if fn is not None else values[i] for i, fn in where]


def _blank_if_none(value: Any) -> Any:
    return "" if value is None else value


def _institution_rows(user: Any, sheet: xlsx.Sheet) -> Iterator[list[Any]]:
    qs = institutions_for(user).order_by("name", "pk")
    fields = {"name": "name", "kind": "kind", "province": "province__name", "regency": "regency__name",
              "office": "office__name", "website": "website", "id": "pk"}
    return _rows(qs, sheet, fields, {"province": _blank_if_none, "regency": _blank_if_none})


def _unit_rows(user: Any, sheet: xlsx.Sheet) -> Iterator[list[Any]]:
    qs = units_for(user).order_by("institution__name", "name", "pk")
    fields = {"institution": "institution__name", "name": "name", "kind": "kind", "address": "address",
              "regency": "regency__name", "phone": "phone", "lat": "lat", "lng": "lng", "maklumat": "maklumat",
              "maklumat_date": "maklumat_date", "vulnerable_facilities": "vulnerable_facilities", "id": "pk"}
    return _rows(qs, sheet, fields, {"regency": _blank_if_none})


def _product_rows(user: Any, sheet: xlsx.Sheet) -> Iterator[list[Any]]:
    qs = products_for(user).order_by("unit__institution__name", "unit__name", "name", "pk")
    fields = {"institution": "unit__institution__name", "unit": "unit__name", "name": "name",
              "category": "category", "description": "description", "is_active": "is_active", "id": "pk"}
    return _rows(qs, sheet, fields, {"is_active": xlsx.yes_no})


def latest_standards(user: Any) -> Any:
    """Each visible product's latest standard version (one query)."""
    latest = ServiceStandard.objects.filter(product=OuterRef("product")).order_by("-version").values("version")[:1]
    return (ServiceStandard.objects.filter(product__in=products_for(user).values("pk"), version=Subquery(latest))
            .select_related("product__unit__institution")
            .order_by("product__unit__institution__name", "product__unit__name", "product__name", "product_id"))


def _published(status: str) -> str:
    return xlsx.yes_no(status == ServiceStandard.Status.PUBLISHED)


def _standard_rows(user: Any, sheet: xlsx.Sheet) -> Iterator[list[Any]]:
    fields = {"institution": "product__unit__institution__name", "unit": "product__unit__name",
              "product": "product__name", "is_free": "is_free", "completion_days": "completion_days",
              "effective_date": "effective_date", "publish": "status"}
    fields.update((field, field) for field in components.STANDARD_FIELDS)
    return _rows(latest_standards(user), sheet, fields, {"is_free": xlsx.yes_no, "publish": _published})


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
    (``.iterator(chunk_size)``) into ``reports.xlsx``, which spools the rows to disk as sheet XML."""
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
