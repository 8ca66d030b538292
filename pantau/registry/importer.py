"""Import institutions, units, products and standards from the registry workbook (see ``transfer``).

All or nothing: the whole file is read and every cell checked; then every row is written through
the registry services inside ONE transaction, so each write is checked by the same rules as the
forms and recorded in the audit trail. If anything at all is wrong — a cell, a reference, a row
outside the user's scope, or a service refusing a row — the transaction is rolled back and the
user gets the full list of problems by sheet, row and column. A dry run does the same and always
rolls back.

Rows that would change nothing are skipped (no write, no audit event), so importing an export, or
the same file twice, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from pantau.core.errors import NotInScope
from pantau.core.search import index as search_index
from pantau.registry import bulk, completeness, components, services, transfer
from pantau.registry.exporter import latest_standards
from pantau.registry.models import Institution, Office, Province, Regency, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.selectors import (
    can_create_institution,
    can_edit_institution,
    can_edit_unit,
    institutions_for,
    units_for,
)
from pantau.registry.transfer import INSTITUTIONS, PRODUCTS, SHEET_ORDER, STANDARDS, UNITS, key
from pantau.reports import xlsx
from pantau.reports.xlsx import FileProblem, Problem, Row
from pantau.reports.xlsx_reader import Budget

STANDARD_FIELDS = services.STANDARD_FIELDS
PROGRESS_EVERY = 500  # rows between two progress reports


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    published: int = 0


@dataclass
class ImportResult:
    problems: list[Problem]
    counts: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in SHEET_ORDER})
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[dict[str, Any]]:
        """Counts per sheet as plain data (kept in the session between the upload and the next page)."""
        return [{"sheet": name, **vars(self.counts[name])} for name in SHEET_ORDER]


class Progress(Protocol):
    def progress(self, *, total: int | None = None, checked: int | None = None, written: int | None = None,
                 errors: int | None = None, message: str | None = None, save: bool = False) -> None: ...


def import_registry(*, actor: Any, upload: IO[bytes], size: int, dry_run: bool = False,
                    progress: Progress | None = None) -> ImportResult:
    """Check the file and, when all of it is valid (and not a dry run), write it. Raises ``FileProblem``.

    ``progress`` (a job's ``Work``) hears of the rows read, checked and written."""
    sheets = transfer.build_sheets()
    wb = xlsx.open_workbook(upload, size=size, max_bytes=settings.IMPORT_MAX_BYTES,
                            max_inflated=settings.IMPORT_MAX_INFLATED_BYTES, seconds=settings.IMPORT_MAX_SECONDS)
    rows: dict[str, list[Row]] = {}
    structure: list[Problem] = []
    try:
        found = {name: xlsx.find_sheet(wb, name) for name in SHEET_ORDER}
        if not any(found.values()):
            raise FileProblem(_("Berkas ini bukan templat impor Pantau: lembar Instansi, Unit, Produk dan Standar "
                                "tidak ditemukan. Unduh templat dari halaman ini, lalu isi."))
        for name, title in found.items():
            if title is None:
                structure.append(Problem(name, None, "", _("Lembar “%s” tidak ada. Pakai templat dari Pantau; "
                                                           "lembar yang tidak dipakai boleh dibiarkan kosong.")
                                         % name))
                continue
            rows[name], header_problems = xlsx.read_sheet(wb, title, sheets[name], max_rows=transfer.MAX_ROWS)
            structure.extend(header_problems)
    finally:
        wb.close()
    if structure:
        return ImportResult(problems=structure, dry_run=dry_run)
    if progress is not None:
        progress.progress(total=sum(len(r) for r in rows.values()), checked=0,
                          errors=sum(len(r.problems) for sheet in rows.values() for r in sheet),
                          message=_("Memeriksa baris…"), save=True)
    run = _Run(actor, sheets, rows, wb.budget, progress)
    with transaction.atomic():
        # The completeness summaries and the search documents: written once per object at the end.
        with completeness.deferred(), search_index.deferred():
            run.all()
        if run.problems or dry_run:
            transaction.set_rollback(True)
    order = {name: i for i, name in enumerate(SHEET_ORDER)}
    problems = sorted(run.problems, key=lambda p: (order.get(p.sheet, 9), p.row or 0))
    result = ImportResult(problems=problems, dry_run=dry_run)
    if not problems:
        result.counts = run.counts
    if progress is not None:
        written = 0 if problems or dry_run else sum(c.created + c.updated for c in run.counts.values())
        progress.progress(checked=run.checked, written=written, errors=len(problems), message="", save=True)
    return result


class _Regions:
    """Provinces, regencies and offices found by Kemendagri code or by name."""

    def __init__(self) -> None:
        self.provinces: dict[str, int] = {}
        for pk, code, name in Province.objects.values_list("pk", "code", "name"):
            self.provinces[code] = self.provinces[key(name)] = pk
        self.regencies: dict[str, tuple[int, int]] = {}
        for pk, code, name, province_id in Regency.objects.values_list("pk", "code", "name", "province_id"):
            self.regencies[code] = self.regencies[key(name)] = (pk, province_id)
        self.offices = {key(name): pk for pk, name in Office.objects.values_list("pk", "name")}


class _Run:
    """One import: walks the sheets in order, so later sheets can refer to rows of earlier ones."""

    def __init__(self, actor: Any, sheets: dict[str, xlsx.Sheet], rows: dict[str, list[Row]],
                 budget: Budget, progress: Progress | None = None) -> None:
        self.actor = actor
        self.reporter = progress
        self.checked = 0
        self.budget = budget
        self.sheets = sheets
        self.rows = rows
        self.problems: list[Problem] = [p for name in SHEET_ORDER for r in rows[name] for p in r.problems]
        self.counts = {name: Counts() for name in SHEET_ORDER}
        # Keys of rows that already have a reported problem: rows that refer to them are skipped quietly.
        self.broken: set[tuple[str, ...]] = set()
        self.regions = _Regions()
        everyone = list(Institution.objects.all())
        self.institutions: dict[str, Institution] = {key(i.name): i for i in everyone}
        self.institution_ids = {i.pk: i for i in everyone}
        self.visible_institutions = set(institutions_for(actor).values_list("pk", flat=True))
        referred = {key(r.values.get("institution") or "") for name in (UNITS, PRODUCTS, STANDARDS)
                    for r in rows[name]}
        ids = [i.pk for k, i in self.institutions.items() if k in referred]
        self.institution_scope = ids
        # Records named by an ID column are loaded too (wherever they are, to say why they do not fit).
        unit_ids = {r.values["id"] for r in rows[UNITS] if r.values.get("id")}
        product_ids = {r.values["id"] for r in rows[PRODUCTS] if r.values.get("id")}
        product_query = ServiceProduct.objects.select_related("unit__institution")
        products = list(product_query.filter(unit__institution__in=ids))
        known = {p.pk for p in products}
        for part in bulk.chunks(product_ids - known):
            products.extend(product_query.filter(pk__in=part))
        unit_ids |= {p.unit_id for p in products if p.pk in product_ids}
        unit_query = ServiceUnit.objects.select_related("institution")
        units = list(unit_query.filter(institution__in=ids))
        known = {u.pk for u in units}
        for part in bulk.chunks(unit_ids - known):
            units.extend(unit_query.filter(pk__in=part))
        self.units: dict[tuple[int, str], ServiceUnit] = {(u.institution_id, key(u.name)): u for u in units}
        self.unit_ids = {u.pk: u for u in units}
        self.visible_units = set(units_for(actor).filter(institution__in=ids).values_list("pk", flat=True))
        for part in bulk.chunks(unit_ids - known):
            self.visible_units.update(units_for(actor).filter(pk__in=part).values_list("pk", flat=True))
        self.products: dict[tuple[int, str], ServiceProduct] = {(p.unit_id, key(p.name)): p for p in products}
        self.product_ids = {p.pk: p for p in products}
        self.visible_products = {p.pk for p in products if p.unit_id in self.visible_units}
        # Old names of records renamed by this file: rows of later sheets may still use them.
        self.renamed: dict[str, dict[Any, Any]] = {"i": {}, "u": {}, "p": {}}
        self.latest = {s.product_id: s for s in latest_standards(actor).filter(product__unit__institution__in=ids)}
        self.writer = bulk.Writer(actor)
        self.created: list[Any] = []  # units and products staged without an id yet (see ``flush``)

    # Reporting.

    def next_row(self) -> None:
        """One more row checked: the time budget, and now and then the job's counters."""
        self.budget.check()
        self.checked += 1
        if self.reporter is not None and self.checked % PROGRESS_EVERY == 0:
            self.reporter.progress(checked=self.checked, errors=len(self.problems))

    def problem(self, sheet: str, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(sheet, row.number, column, message))

    def header(self, sheet: str, column_key: str) -> str:
        for column in self.sheets[sheet].columns:
            if column.key == column_key:
                return column.header
        return ""

    def call(self, sheet: str, row: Row, service: Callable[..., Any], column: str = "", **kwargs: Any) -> Any:
        """Run a service for a row; on refusal, report why (per column where the service says which)."""
        self.budget.check()
        try:
            return service(actor=self.actor, **kwargs)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    target = self.header(sheet, name) if name != NON_FIELD_ERRORS else column
                    for message in ValidationError(errors).messages:
                        self.problem(sheet, row, target or column, message)
            else:
                for message in exc.messages:
                    self.problem(sheet, row, column, message)
        except NotInScope:
            self.problem(sheet, row, column, _("Baris ini di luar wilayah kerja Anda."))
        except DatabaseError:
            self.problem(sheet, row, column, _("Baris ini tidak dapat disimpan. Periksa isinya, lalu coba lagi."))
        return None

    def duplicate(self, sheet: str, row: Row, seen: dict[tuple[str, ...], int], k: tuple[str, ...],
                  column: str) -> bool:
        if k in seen:
            self.problem(sheet, row, self.header(sheet, column),
                         _("Data ini sudah ada di baris %d lembar ini. Tulis setiap data satu kali saja.") % seen[k])
            return True
        seen[k] = row.number
        return False

    def by_id(self, sheet: str, row: Row, records: dict[int, Any], visible: set[int],
              seen: dict[int, int]) -> tuple[bool, Any]:
        """The record the row's ID names: (False, None) after reporting an unknown, out-of-scope or
        repeated ID; (True, None) when the ID is blank; (True, record) otherwise."""
        rid = row.values.get("id")
        if not rid:
            return True, None
        column = self.header(sheet, "id")
        if rid in seen:
            self.problem(sheet, row, column, _("ID %(id)d sudah ada di baris %(row)d lembar ini. Tulis setiap data "
                                               "satu kali saja.") % {"id": rid, "row": seen[rid]})
            return False, None
        seen[rid] = row.number
        record = records.get(rid)
        if record is None or record.pk not in visible:
            self.problem(sheet, row, column, _("ID %d tidak dikenal atau di luar wilayah kerja Anda. Kosongkan ID "
                                               "untuk menambah data baru.") % rid)
            return False, None
        return True, record

    def name_taken(self, sheet: str, row: Row, other: Any, record: Any) -> bool:
        """Whether the row renames ``record`` to the name of ``other``, another record (reported)."""
        if other is None or record is None or other.pk == record.pk:
            return False
        self.problem(sheet, row, self.header(sheet, "name"),
                     _("Nama ini sudah dipakai data lain di tempat yang sama (ID %d). Pakai nama lain.") % other.pk)
        return True

    def remember(self, names: dict[Any, Any], kind: str, old_key: Any, new_key: Any, saved: Any) -> None:
        """Keep the lookups current after a save; a renamed record stays findable by its old name."""
        if old_key is not None and old_key != new_key and names.get(old_key) is not None \
                and names[old_key].pk == saved.pk:
            del names[old_key]
            self.renamed[kind][old_key] = saved
        names[new_key] = saved

    def fits(self, sheet: str, row: Row, record: Any, parent_field: str, parent: Any) -> bool:
        """Whether the record named by the row's ID sits where the row says (the import moves nothing)."""
        if record is None or getattr(record, parent_field) == parent.pk:
            return True
        if sheet == UNITS:
            message = _("Unit dengan ID %(id)d milik instansi lain, bukan “%(parent)s”. Impor tidak memindahkan unit "
                        "ke instansi lain: perbaiki kolom Instansi, atau kosongkan ID untuk menambah unit baru.")
        else:
            message = _("Produk dengan ID %(id)d milik unit lain, bukan “%(parent)s”. Impor tidak memindahkan produk "
                        "ke unit lain: perbaiki kolom Unit, atau kosongkan ID untuk menambah produk baru.")
        self.problem(sheet, row, self.header(sheet, "id"), message % {"id": record.pk, "parent": parent.name})
        return False

    # References.

    def institution(self, sheet: str, row: Row) -> Institution | None:
        name = row.values["institution"]
        inst = self.institutions.get(key(name)) or self.renamed["i"].get(key(name))
        column = self.header(sheet, "institution")
        if inst is None:
            self.problem(sheet, row, column, _("Instansi “%s” tidak ada di lembar Instansi maupun di Pantau.") % name)
        elif inst.pk not in self.visible_institutions:
            self.problem(sheet, row, column, _("Instansi “%s” di luar wilayah kerja Anda.") % name)
            inst = None
        return inst

    def unit(self, sheet: str, row: Row, inst: Institution) -> ServiceUnit | None:
        name = row.values["unit"]
        unit = self.units.get((inst.pk, key(name))) or self.renamed["u"].get((inst.pk, key(name)))
        column = self.header(sheet, "unit")
        if unit is None:
            self.problem(sheet, row, column, _("Unit “%(unit)s” tidak ada di instansi “%(inst)s” (di lembar Unit "
                                               "maupun di Pantau).") % {"unit": name, "inst": inst.name})
        elif unit.pk not in self.visible_units:
            self.problem(sheet, row, column, _("Unit “%s” di luar wilayah kerja Anda.") % name)
            unit = None
        return unit

    def product(self, sheet: str, row: Row, unit: ServiceUnit) -> ServiceProduct | None:
        name = row.values["product"]
        product = self.products.get((unit.pk, key(name))) or self.renamed["p"].get((unit.pk, key(name)))
        if product is None:
            self.problem(sheet, row, self.header(sheet, "product"),
                         _("Produk “%(product)s” tidak ada di unit “%(unit)s” (di lembar Produk maupun di Pantau).")
                         % {"product": name, "unit": unit.name})
        return product

    def region_ids(self, sheet: str, row: Row) -> dict[str, Any] | None:
        """province_id / regency_id / office_id for the region and office cells present in the sheet."""
        values, ok = row.values, True
        out: dict[str, Any] = {}
        if "province" in values:
            out["province_id"] = None
            if values["province"]:
                out["province_id"] = self.regions.provinces.get(key(values["province"]))
                if out["province_id"] is None:
                    ok = False
                    self.problem(sheet, row, self.header(sheet, "province"),
                                 _("Provinsi “%s” tidak dikenal. Tulis kode Kemendagri (misalnya 63) atau nama "
                                   "provinsi.") % values["province"])
        out["regency_id"] = None
        if values["regency"]:
            found = self.regions.regencies.get(key(values["regency"]))
            if found is None:
                ok = False
                self.problem(sheet, row, self.header(sheet, "regency"),
                             _("Kabupaten/kota “%s” tidak dikenal. Tulis kode Kemendagri (misalnya 63.09) atau "
                               "nama lengkapnya (misalnya Kabupaten Tabalong).") % values["regency"])
            else:
                out["regency_id"] = found[0]
                if "province_id" in out and out["province_id"] is None and not values["province"]:
                    out["province_id"] = found[1]
        if "office" in values:
            out["office_id"] = self.regions.offices.get(key(values["office"]))
            if out["office_id"] is None:
                ok = False
                self.problem(sheet, row, self.header(sheet, "office"),
                             _("Kantor Ombudsman “%s” tidak dikenal. Tulis namanya seperti di daftar pilihan.")
                             % values["office"])
        return out if ok else None

    # Sheets.

    def all(self) -> None:
        self.institution_rows()
        self.unit_rows()
        self.product_rows()
        self.standard_rows()

    def institution_rows(self) -> None:
        seen: dict[tuple[str, ...], int] = {}
        seen_ids: dict[int, int] = {}
        counts, name_col = self.counts[INSTITUTIONS], self.header(INSTITUTIONS, "name")
        for row in self.rows[INSTITUTIONS]:
            self.next_row()
            v = row.values
            k = ("i", key(v["name"] or ""))
            if v["name"] and self.duplicate(INSTITUTIONS, row, seen, k, "name"):
                continue
            ok, existing = self.by_id(INSTITUTIONS, row, self.institution_ids, self.visible_institutions, seen_ids)
            ids = None if row.problems or not ok else self.region_ids(INSTITUTIONS, row)
            if ids is None or self.name_taken(INSTITUTIONS, row, self.institutions.get(k[1]), existing):
                self.broken.add(k)
                continue
            data = {"name": v["name"], "kind": v["kind"], "website": v["website"], **ids}
            old_key = key(existing.name) if existing is not None else None
            existing = existing or self.institutions.get(k[1])
            saved = None
            if existing is not None:
                if existing.pk not in self.visible_institutions:
                    self.problem(INSTITUTIONS, row, name_col,
                                 _("Instansi “%s” di luar wilayah kerja Anda.") % v["name"])
                elif not transfer.differs(existing, data, services.INSTITUTION_FIELDS):
                    counts.unchanged += 1
                    continue
                elif not can_edit_institution(self.actor, existing):
                    self.problem(INSTITUTIONS, row, name_col, _("Anda tidak berwenang mengubah instansi “%s”.")
                                 % v["name"])
                else:
                    saved = self.call(INSTITUTIONS, row, services.institution_save, name_col, data=data,
                                      institution=existing)
                    counts.updated += saved is not None
            elif not can_create_institution(self.actor):
                self.problem(INSTITUTIONS, row, name_col, _("Instansi “%s” belum ada di Pantau, dan Anda tidak "
                                                            "berwenang menambah instansi baru. Minta kantor "
                                                            "Ombudsman Anda menambahkannya.") % v["name"])
            else:
                saved = self.call(INSTITUTIONS, row, services.institution_save, name_col, data=data)
                counts.created += saved is not None
            if saved is None:
                self.broken.add(k)
            else:
                self.remember(self.institutions, "i", old_key, k[1], saved)
                self.visible_institutions.add(saved.pk)

    def _parent_broken(self, row: Row, depth: int) -> bool:
        """Whether the row's institution (or, depth 2, its unit) had a problem already reported."""
        inst = key(row.values.get("institution") or "")
        if ("i", inst) in self.broken:
            return True
        return depth >= 2 and ("u", inst, key(row.values.get("unit") or "")) in self.broken

    def unit_rows(self) -> None:
        seen: dict[tuple[str, ...], int] = {}
        seen_ids: dict[int, int] = {}
        counts, name_col = self.counts[UNITS], self.header(UNITS, "name")
        for row in self.rows[UNITS]:
            self.next_row()
            v = row.values
            k = ("u", key(v["institution"] or ""), key(v["name"] or ""))
            if v["institution"] and v["name"] and self.duplicate(UNITS, row, seen, k, "name"):
                continue
            if row.problems or self._parent_broken(row, 1):
                self.broken.add(k)
                continue
            ok, existing = self.by_id(UNITS, row, self.unit_ids, self.visible_units, seen_ids)
            inst = self.institution(UNITS, row) if ok else None
            ids = self.region_ids(UNITS, row) if inst is not None else None
            if inst is None or ids is None or not self.fits(UNITS, row, existing, "institution_id", inst) \
                    or self.name_taken(UNITS, row, self.units.get((inst.pk, k[2])), existing):
                self.broken.add(k)
                continue
            data = {f: v[f] for f in services.UNIT_FIELDS if f in v} | ids
            old_key = (inst.pk, key(existing.name)) if existing is not None else None
            existing = existing or self.units.get((inst.pk, k[2]))
            saved = None
            if existing is not None:
                if existing.pk not in self.visible_units:
                    self.problem(UNITS, row, name_col, _("Unit “%s” di luar wilayah kerja Anda.") % v["name"])
                elif not transfer.differs(existing, data, services.UNIT_FIELDS):
                    counts.unchanged += 1
                    continue
                elif not can_edit_unit(self.actor, existing):
                    self.problem(UNITS, row, name_col, _("Anda tidak berwenang mengubah unit “%s”.") % v["name"])
                else:
                    saved = self.call(UNITS, row, self.writer.unit_save, name_col, data=data, unit=existing)
                    counts.updated += saved is not None
            elif not can_edit_institution(self.actor, inst):
                self.problem(UNITS, row, name_col, _("Anda tidak berwenang menambah unit di instansi “%s”.")
                             % inst.name)
            else:
                saved = self.call(UNITS, row, self.writer.unit_save, name_col, data=data, institution=inst)
                counts.created += saved is not None
            if saved is None:
                self.broken.add(k)
            else:
                self.remember(self.units, "u", old_key, (inst.pk, k[2]), saved)
                self.visible_units.add(saved.pk)
                self.created.append(saved)
        self.flush(UNITS)
        self.visible_units.update(u.pk for u in self.created)
        self.created = []

    def product_rows(self) -> None:
        seen: dict[tuple[str, ...], int] = {}
        seen_ids: dict[int, int] = {}
        counts, name_col = self.counts[PRODUCTS], self.header(PRODUCTS, "name")
        for row in self.rows[PRODUCTS]:
            self.next_row()
            v = row.values
            k = ("p", key(v["institution"] or ""), key(v["unit"] or ""), key(v["name"] or ""))
            if all(k[1:]) and self.duplicate(PRODUCTS, row, seen, k, "name"):
                continue
            if row.problems or self._parent_broken(row, 2):
                self.broken.add(k)
                continue
            ok, existing = self.by_id(PRODUCTS, row, self.product_ids, self.visible_products, seen_ids)
            inst = self.institution(PRODUCTS, row) if ok else None
            unit = self.unit(PRODUCTS, row, inst) if inst is not None else None
            if unit is None or not self.fits(PRODUCTS, row, existing, "unit_id", unit) \
                    or self.name_taken(PRODUCTS, row, self.products.get((unit.pk, k[3])), existing):
                self.broken.add(k)
                continue
            data = {f: v[f] for f in services.PRODUCT_FIELDS}
            old_key = (unit.pk, key(existing.name)) if existing is not None else None
            existing = existing or self.products.get((unit.pk, k[3]))
            saved = None
            if existing is not None and not transfer.differs(existing, data, services.PRODUCT_FIELDS):
                counts.unchanged += 1
                continue
            if not can_edit_unit(self.actor, unit):
                self.problem(PRODUCTS, row, name_col, _("Anda tidak berwenang mengubah produk di unit “%s”.")
                             % unit.name)
            elif existing is not None:
                saved = self.call(PRODUCTS, row, self.writer.product_save, name_col, data=data, product=existing)
                counts.updated += saved is not None
            else:
                saved = self.call(PRODUCTS, row, self.writer.product_save, name_col, data=data, unit=unit)
                counts.created += saved is not None
            if saved is None:
                self.broken.add(k)
            else:
                self.remember(self.products, "p", old_key, (unit.pk, k[3]), saved)
        self.flush(PRODUCTS)

    def standard_rows(self) -> None:
        seen: dict[tuple[str, ...], int] = {}
        counts, publish_col = self.counts[STANDARDS], self.header(STANDARDS, "publish")
        if self.rows[STANDARDS]:
            self.writer.load_in_force(ServiceProduct.objects.filter(unit__institution__in=self.institution_scope))
        for row in self.rows[STANDARDS]:
            self.next_row()
            v = row.values
            k = ("p", key(v["institution"] or ""), key(v["unit"] or ""), key(v["product"] or ""))
            if all(k[1:]) and self.duplicate(STANDARDS, row, seen, k, "product"):
                continue
            if row.problems or self._parent_broken(row, 2) or k in self.broken:
                continue
            inst = self.institution(STANDARDS, row)
            unit = self.unit(STANDARDS, row, inst) if inst is not None else None
            product = self.product(STANDARDS, row, unit) if unit is not None else None
            if product is None or unit is None:
                continue
            data = {f: v[f] for f in STANDARD_FIELDS}
            latest = self.latest.get(product.pk)
            is_draft = latest is not None and latest.status == ServiceStandard.Status.DRAFT
            if latest is None:
                # An empty row for a product without a standard asks for nothing (unless it asks to publish).
                same = not components.present_codes(data) and not data["completion_days"] and not v["publish"]
            else:
                # A blank "Tanggal berlaku" leaves the date of a published version alone (publishing set it).
                fields = STANDARD_FIELDS
                if data["effective_date"] is None and not is_draft:
                    fields = tuple(f for f in STANDARD_FIELDS if f != "effective_date")
                same = not transfer.differs(latest, data, fields)
            if same and not (v["publish"] and is_draft):
                counts.unchanged += 1
                continue
            if not can_edit_unit(self.actor, unit):
                self.problem(STANDARDS, row, self.header(STANDARDS, "product"),
                             _("Anda tidak berwenang mengubah standar di unit “%s”.") % unit.name)
                continue
            if same and latest is not None:
                latest.product = product  # as this file left it (renamed, say)
            draft = latest if same else self.call(STANDARDS, row, self.writer.standard_save_draft,
                                                  product=product, data=data, latest=latest)
            if draft is None:
                continue
            if not same:
                if is_draft:
                    counts.updated += 1
                else:
                    counts.created += 1
            if v["publish"] and self.call(STANDARDS, row, self.writer.standard_publish, publish_col,
                                          standard=draft, effective_date=v["effective_date"]) is not None:
                counts.published += 1
        self.flush(STANDARDS)

    def flush(self, sheet: str) -> None:
        """Write the sheet's queued rows (``bulk.Writer``); a refusal of the database is a problem."""
        try:
            with transaction.atomic():
                self.writer.flush()
        except DatabaseError:
            self.problems.append(Problem(sheet, None, "", _(
                "Data lembar ini tidak dapat disimpan (bentrok dengan perubahan lain yang baru saja disimpan). "
                "Coba impor lagi.")))
        if self.reporter is not None:
            self.reporter.progress(written=self.writer.written)
