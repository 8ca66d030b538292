"""The checks of one row of each sheet of the registry import (``import_run.Run`` supplies the lookups).

A row is checked against the records the file and Pantau hold (by ID or by natural key), in the
user's scope, and handed to the services' steps (``bulk.Writer``; institutions through
``services.institution_save``). Every refusal is a problem with its sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pantau.registry import bulk, components, services, transfer
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.selectors import can_create_institution, can_edit_institution, can_edit_unit
from pantau.registry.transfer import INSTITUTIONS, PRODUCTS, STANDARDS, UNITS
from pantau.reports import xlsx
from pantau.reports.xlsx import Problem, Row

STANDARD_FIELDS = services.STANDARD_FIELDS


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    published: int = 0


class ByParent:
    """A map keyed by tuples ``(*parent, name key)``, kept per parent: no tuple is kept per entry
    (the import keeps one entry per product of the file: names and ids only, a few in a hundred bytes)."""

    __slots__ = ("parents",)

    def __init__(self) -> None:
        self.parents: dict[tuple[Any, ...], dict[str, Any]] = {}

    def get(self, k: tuple[Any, ...], default: Any = None) -> Any:
        inner = self.parents.get(k[:-1])
        return default if inner is None else inner.get(k[-1], default)

    def __contains__(self, k: tuple[Any, ...]) -> bool:
        inner = self.parents.get(k[:-1])
        return inner is not None and k[-1] in inner

    def __getitem__(self, k: tuple[Any, ...]) -> Any:
        return self.parents[k[:-1]][k[-1]]

    def __setitem__(self, k: tuple[Any, ...], value: Any) -> None:
        self.parents.setdefault(k[:-1], {})[k[-1]] = value

    def __delitem__(self, k: tuple[Any, ...]) -> None:
        del self.parents[k[:-1]][k[-1]]

    def setdefault(self, k: tuple[Any, ...], value: Any) -> Any:
        return self.parents.setdefault(k[:-1], {}).setdefault(k[-1], value)


class SheetChecks:
    """The row checks, mixed into ``import_run.Run`` (which defines what is declared here)."""

    actor: Any
    sheets: dict[str, xlsx.Sheet]
    counts: dict[str, Counts]
    broken: set[tuple[str, ...]]
    regions: Any
    institutions: dict[str, Any]
    institution_ids: dict[int, Institution]
    visible_institutions: set[int]
    units: ByParent
    visible_units: set[int | None]
    products: ByParent
    visible_products: set[int]
    unit_cache: dict[int, ServiceUnit]
    product_cache: dict[int, ServiceProduct]
    latest: dict[int, Any]
    renamed: dict[str, dict[Any, Any]]
    writer: bulk.Writer
    created: list[ServiceUnit]
    seen: ByParent
    seen_ids: dict[int, int]

    problem: Callable[[str, Row, str, str], None]
    add: Callable[[Problem], None]
    header: Callable[[str, str], str]
    call: Callable[..., Any]
    key: Callable[[str | None], str]
    find_institution: Callable[[str | None], Any]
    find_unit: Callable[[int, str | None], Any]
    find_product: Callable[[int, str | None], Any]
    unit_record: Callable[[Any], Any]
    product_record: Callable[[Any], Any]
    remember: Callable[[Any, str, Any, Any, Any], None]

    # Helpers.

    def duplicate(self, sheet: str, row: Row, k: tuple[str, ...], column: str) -> bool:
        if k in self.seen:
            self.problem(sheet, row, self.header(sheet, column),
                         _("Data ini sudah ada di baris %d lembar ini. Tulis setiap data satu kali saja.")
                         % self.seen[k])
            return True
        self.seen[k] = row.number
        return False

    def by_id(self, sheet: str, row: Row, find: Callable[[int], Any], visible: set[Any]) -> tuple[bool, Any]:
        """The record the row's ID names: (False, None) after reporting an unknown, out-of-scope or
        repeated ID; (True, None) when the ID is blank; (True, record) otherwise."""
        rid = row.values.get("id")
        if not rid:
            return True, None
        column = self.header(sheet, "id")
        if rid in self.seen_ids:
            self.problem(sheet, row, column, _("ID %(id)d sudah ada di baris %(row)d lembar ini. Tulis setiap data "
                                               "satu kali saja.") % {"id": rid, "row": self.seen_ids[rid]})
            return False, None
        self.seen_ids[rid] = row.number
        record = find(rid)
        if record is None or record.pk not in visible:
            self.problem(sheet, row, column, _("ID %d tidak dikenal atau di luar wilayah kerja Anda. Kosongkan ID "
                                               "untuk menambah data baru.") % rid)
            return False, None
        return True, record

    def name_taken(self, sheet: str, row: Row, other: Any, record: Any) -> bool:
        """Whether the row renames ``record`` to the name of ``other``, another record (reported).
        ``other`` is a record or its id (``import_run.Ref``)."""
        other_pk = other if other is None or isinstance(other, int) else other.pk
        if other is None or record is None or other_pk == record.pk:
            return False
        if other_pk is None:  # a record an earlier row of this file adds
            self.problem(sheet, row, self.header(sheet, "name"),
                         _("Nama ini sudah dipakai data lain di tempat yang sama. Pakai nama lain."))
        else:
            self.problem(sheet, row, self.header(sheet, "name"),
                         _("Nama ini sudah dipakai data lain di tempat yang sama (ID %d). Pakai nama lain.")
                         % other_pk)
        return True

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
        inst: Institution | None = self.find_institution(name)
        column = self.header(sheet, "institution")
        if inst is None:
            self.problem(sheet, row, column, _("Instansi “%s” tidak ada di lembar Instansi maupun di Pantau.") % name)
        elif inst.pk not in self.visible_institutions:
            self.problem(sheet, row, column, _("Instansi “%s” di luar wilayah kerja Anda.") % name)
            inst = None
        return inst

    def unit(self, sheet: str, row: Row, inst: Institution) -> ServiceUnit | None:
        name = row.values["unit"]
        unit: ServiceUnit | None = self.unit_record(self.find_unit(inst.pk, name))
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
        product: ServiceProduct | None = self.product_record(self.find_product(unit.pk, name))
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
                out["province_id"] = self.regions.provinces.get(self.key(values["province"]))
                if out["province_id"] is None:
                    ok = False
                    self.problem(sheet, row, self.header(sheet, "province"),
                                 _("Provinsi “%s” tidak dikenal. Tulis kode Kemendagri (misalnya 63) atau nama "
                                   "provinsi.") % values["province"])
        out["regency_id"] = None
        if values["regency"]:
            found = self.regions.regencies.get(self.key(values["regency"]))
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
            out["office_id"] = self.regions.offices.get(self.key(values["office"]))
            if out["office_id"] is None:
                ok = False
                self.problem(sheet, row, self.header(sheet, "office"),
                             _("Kantor Ombudsman “%s” tidak dikenal. Tulis namanya seperti di daftar pilihan.")
                             % values["office"])
        return out if ok else None

    def _parent_broken(self, row: Row, depth: int) -> bool:
        """Whether the row's institution (or, depth 2, its unit) had a problem already reported."""
        inst = self.key(row.values.get("institution"))
        if ("i", inst) in self.broken:
            return True
        return depth >= 2 and ("u", inst, self.key(row.values.get("unit"))) in self.broken

    # Rows.

    def institution_row(self, row: Row) -> None:
        counts, name_col = self.counts[INSTITUTIONS], self.header(INSTITUTIONS, "name")
        v = row.values
        k = ("i", self.key(v["name"]))
        if v["name"] and self.duplicate(INSTITUTIONS, row, k, "name"):
            return
        ok, existing = self.by_id(INSTITUTIONS, row, self.institution_ids.get, self.visible_institutions)
        ids = None if row.problems or not ok else self.region_ids(INSTITUTIONS, row)
        if ids is None or self.name_taken(INSTITUTIONS, row, self.institutions.get(k[1]), existing):
            self.broken.add(k)
            return
        data = {"name": v["name"], "kind": v["kind"], "website": v["website"], **ids}
        old_key = self.key(existing.name) if existing is not None else None
        existing = existing or self.institutions.get(k[1])
        saved = None
        if existing is not None:
            if existing.pk not in self.visible_institutions:
                self.problem(INSTITUTIONS, row, name_col, _("Instansi “%s” di luar wilayah kerja Anda.") % v["name"])
            elif not transfer.differs(existing, data, services.INSTITUTION_FIELDS):
                counts.unchanged += 1
                return
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

    def unit_row(self, row: Row) -> None:
        counts, name_col = self.counts[UNITS], self.header(UNITS, "name")
        v = row.values
        k = ("u", self.key(v["institution"]), self.key(v["name"]))
        if v["institution"] and v["name"] and self.duplicate(UNITS, row, k, "name"):
            return
        if row.problems or self._parent_broken(row, 1):
            self.broken.add(k)
            return
        ok, existing = self.by_id(UNITS, row, self.unit_cache.get, self.visible_units)
        inst = self.institution(UNITS, row) if ok else None
        ids = self.region_ids(UNITS, row) if inst is not None else None
        if inst is None or ids is None or not self.fits(UNITS, row, existing, "institution_id", inst) \
                or self.name_taken(UNITS, row, self.units.get((inst.pk, k[2])), existing):
            self.broken.add(k)
            return
        data = {f: v[f] for f in services.UNIT_FIELDS if f in v} | ids
        old_key = (inst.pk, self.key(existing.name)) if existing is not None else None
        existing = existing or self.unit_record(self.units.get((inst.pk, k[2])))
        saved = None
        if existing is not None:
            if existing.pk not in self.visible_units:
                self.problem(UNITS, row, name_col, _("Unit “%s” di luar wilayah kerja Anda.") % v["name"])
            elif not transfer.differs(existing, data, services.UNIT_FIELDS):
                counts.unchanged += 1
                return
            elif not can_edit_unit(self.actor, existing):
                self.problem(UNITS, row, name_col, _("Anda tidak berwenang mengubah unit “%s”.") % v["name"])
            else:
                saved = self.call(UNITS, row, self.writer.unit_save, name_col, data=data, unit=existing)
                counts.updated += saved is not None
        elif not can_edit_institution(self.actor, inst):
            self.problem(UNITS, row, name_col, _("Anda tidak berwenang menambah unit di instansi “%s”.") % inst.name)
        else:
            saved = self.call(UNITS, row, self.writer.unit_save, name_col, data=data, institution=inst)
            counts.created += saved is not None
        if saved is None:
            self.broken.add(k)
        else:
            self.remember(self.units, "u", old_key, (inst.pk, k[2]), saved)
            if saved.pk is None:
                self.created.append(saved)  # in scope, and without products, once written
            else:
                self.visible_units.add(saved.pk)

    def product_row(self, row: Row) -> None:
        counts, name_col = self.counts[PRODUCTS], self.header(PRODUCTS, "name")
        v = row.values
        k = ("p", self.key(v["institution"]), self.key(v["unit"]), self.key(v["name"]))
        if all(k[1:]) and self.duplicate(PRODUCTS, row, k, "name"):
            return
        if row.problems or self._parent_broken(row, 2):
            self.broken.add(k)
            return
        ok, existing = self.by_id(PRODUCTS, row, self.product_cache.get, self.visible_products)
        inst = self.institution(PRODUCTS, row) if ok else None
        unit = self.unit(PRODUCTS, row, inst) if inst is not None else None
        if unit is None or not self.fits(PRODUCTS, row, existing, "unit_id", unit) \
                or self.name_taken(PRODUCTS, row, self.products.get((unit.pk, k[3])), existing):
            self.broken.add(k)
            return
        data = {f: v[f] for f in services.PRODUCT_FIELDS}
        old_key = (unit.pk, self.key(existing.name)) if existing is not None else None
        existing = existing or self.product_record(self.products.get((unit.pk, k[3])))
        saved = None
        if existing is not None and not transfer.differs(existing, data, services.PRODUCT_FIELDS):
            counts.unchanged += 1
            return
        if not can_edit_unit(self.actor, unit):
            self.problem(PRODUCTS, row, name_col, _("Anda tidak berwenang mengubah produk di unit “%s”.") % unit.name)
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

    def standard_row(self, row: Row) -> None:
        counts, publish_col = self.counts[STANDARDS], self.header(STANDARDS, "publish")
        v = row.values
        k = ("p", self.key(v["institution"]), self.key(v["unit"]), self.key(v["product"]))
        if all(k[1:]) and self.duplicate(STANDARDS, row, k, "product"):
            return
        if row.problems or self._parent_broken(row, 2) or k in self.broken:
            return
        inst = self.institution(STANDARDS, row)
        unit = self.unit(STANDARDS, row, inst) if inst is not None else None
        product = self.product(STANDARDS, row, unit) if unit is not None else None
        if product is None or unit is None:
            return
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
            return
        if not can_edit_unit(self.actor, unit):
            self.problem(STANDARDS, row, self.header(STANDARDS, "product"),
                         _("Anda tidak berwenang mengubah standar di unit “%s”.") % unit.name)
            return
        if same and latest is not None:
            latest.product = product  # as this file left it (renamed, say)
        draft = latest if same else self.call(STANDARDS, row, self.writer.standard_save_draft,
                                              product=product, data=data, latest=latest)
        if draft is None:
            return
        if not same:
            if is_draft:
                counts.updated += 1
            else:
                counts.created += 1
        if v["publish"] and self.call(STANDARDS, row, self.writer.standard_publish, publish_col,
                                      standard=draft, effective_date=v["effective_date"]) is not None:
            counts.published += 1
