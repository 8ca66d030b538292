"""One registry import, a chunk of rows at a time: the lookups, the checks and the writes (``importer``).

The sheets are walked in order (later sheets may refer to rows of earlier ones) and each is read
as a stream, ``importer.CHUNK_ROWS`` rows at a time. For a chunk the run first loads, in a few
queries, what its rows may need (``prepare``): the names of the units and products under the
institutions and units the chunk names, and the records its rows may update or refer to. Then it
checks the rows one by one, queues their writes in the ``bulk.Writer`` and writes them at the end
of the chunk (``flush``), all inside the importer's one transaction.

What lives for the whole import is compact: every institution (few), and per unit and product
its natural key and id (``Ref``: a record queued in this chunk until its flush gives it an id),
the ids that are in the user's scope, the keys already seen in the current sheet (duplicates) and
the keys of rows with a problem. Records themselves live for one chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from pantau.core.errors import NotInScope
from pantau.registry import bulk
from pantau.registry.exporter import latest_standards
from pantau.registry.import_sheets import ByParent, Counts, SheetChecks
from pantau.registry.models import Institution, Office, Province, Regency, ServiceProduct, ServiceUnit
from pantau.registry.selectors import institutions_for, units_for
from pantau.registry.transfer import INSTITUTIONS, PRODUCTS, SHEET_ORDER, STANDARDS, UNITS, key
from pantau.reports import xlsx
from pantau.reports.xlsx import Problem, Row
from pantau.reports.xlsx_reader import Budget

PROGRESS_EVERY = 500  # rows between two progress reports
# Problems kept for the report (all are counted): the job page shows the first 200 anyway.
KEPT_PROBLEMS = 10_000

Ref = Any  # a record's id (int), or the record itself while it waits for its flush (no id yet)


def pk_of(ref: Ref) -> int | None:
    return ref if ref is None or isinstance(ref, int) else ref.pk


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


class Run(SheetChecks):
    def __init__(self, actor: Any, sheets: dict[str, xlsx.Sheet], budget: Budget, progress: Any = None) -> None:
        self.actor = actor
        self.reporter = progress
        self.checked = 0
        self.budget = budget
        self.sheets = sheets
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.counts = {name: Counts() for name in SHEET_ORDER}
        # Keys of rows that already have a reported problem: rows that refer to them are skipped quietly.
        self.broken: set[tuple[str, ...]] = set()
        self.regions = _Regions()
        everyone = list(Institution.objects.all())
        self.institutions: dict[str, Any] = {key(i.name): i for i in everyone}
        self.institution_ids = {i.pk: i for i in everyone}
        self.institution_records = dict(self.institution_ids)  # as this import left them
        self.visible_institutions = set(institutions_for(actor).values_list("pk", flat=True))
        # Units by (institution id, name key) and products by (unit id, name key), loaded per
        # institution and per unit the first time a chunk names them.
        self.units = ByParent()
        self.units_loaded: set[int] = set()
        self.visible_units: set[int | None] = set()
        self.products = ByParent()
        self.products_loaded: set[int] = set()
        # Old names of records renamed by this file: rows of later sheets may still use them.
        self.renamed: dict[str, dict[Any, Any]] = {"i": {}, "u": {}, "p": {}}
        self.writer = bulk.Writer(actor)
        # The current chunk: its records by id, the latest standard of its products, the name keys
        # it computed, the lookups holding records not yet written, the units it created.
        self.unit_cache: dict[int, ServiceUnit] = {}
        self.product_cache: dict[int, ServiceProduct] = {}
        self.visible_products: set[int] = set()
        self.latest: dict[int, Any] = {}
        self.keys: dict[str, str] = {}
        self.staged: list[tuple[Any, Any]] = []  # (lookup, key)
        self.created: list[ServiceUnit] = []
        # The current sheet: the keys and ids seen (duplicates), whether a flush failed.
        self.seen = ByParent()
        self.seen_ids: dict[int, int] = {}
        self.flush_failed = False

    # Reporting.

    def next_row(self) -> None:
        """One more row checked: the time budget, and now and then the job's counters."""
        self.budget.check()
        self.checked += 1
        if self.reporter is not None and self.checked % PROGRESS_EVERY == 0:
            self.reporter.progress(checked=self.checked, errors=self.problem_count)

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < KEPT_PROBLEMS:
            self.problems.append(problem)

    def problem(self, sheet: str, row: Row, column: str, message: str) -> None:
        self.add(Problem(sheet, row.number, column, message))

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

    # Sheets and chunks.

    def begin(self, sheet: str) -> None:
        self.seen, self.seen_ids, self.flush_failed = ByParent(), {}, False

    def chunk(self, sheet: str, rows: list[Row]) -> None:
        """Check a chunk of the sheet's rows and write them."""
        self.keys = {}
        self.prepare(sheet, rows)
        check = {INSTITUTIONS: self.institution_row, UNITS: self.unit_row, PRODUCTS: self.product_row,
                 STANDARDS: self.standard_row}[sheet]
        for row in rows:
            for p in row.problems:
                self.add(p)
            self.next_row()
            check(row)
        self.flush(sheet)
        self.unit_cache, self.product_cache, self.visible_products, self.latest = {}, {}, set(), {}

    def end(self, sheet: str) -> None:
        self.seen, self.seen_ids = ByParent(), {}

    def key(self, text: str | None) -> str:
        """``transfer.key``, computed once per text in a chunk (names of parents repeat)."""
        text = text or ""
        found = self.keys.get(text)
        if found is None:
            found = self.keys[text] = key(text)
        return found

    def flush(self, sheet: str) -> None:
        """Write the chunk's queued rows (``bulk.Writer``); a refusal of the database is a problem.
        Then the lookups hold the ids of the records the chunk created."""
        try:
            with transaction.atomic():
                self.writer.flush()
        except DatabaseError:
            if not self.flush_failed:
                self.add(Problem(sheet, None, "", _(
                    "Data lembar ini tidak dapat disimpan (bentrok dengan perubahan lain yang baru saja disimpan). "
                    "Coba impor lagi.")))
            self.flush_failed = True
        for names, k in self.staged:
            ref = names.get(k)
            if ref is not None and not isinstance(ref, int) and ref.pk is not None:
                names[k] = ref.pk
        self.staged = []
        new = [u.pk for u in self.created if u.pk is not None]
        self.visible_units.update(new)
        self.products_loaded.update(new)  # a new unit has no products but this file's
        self.created = []
        if self.reporter is not None:
            self.reporter.progress(written=self.writer.written)

    # Loading what a chunk needs.

    def find_institution(self, name: str | None) -> Any:
        k = self.key(name)
        return self.institutions.get(k) or self.renamed["i"].get(k)

    def find_unit(self, inst_pk: int, name: str | None) -> Ref:
        k = (inst_pk, self.key(name))
        return self.units.get(k) or self.renamed["u"].get(k)

    def find_product(self, unit_pk: int, name: str | None) -> Ref:
        k = (unit_pk, self.key(name))
        return self.products.get(k) or self.renamed["p"].get(k)

    def prepare(self, sheet: str, rows: list[Row]) -> None:
        if sheet == INSTITUTIONS:
            return
        insts = {inst.pk for row in rows if (inst := self.find_institution(row.values.get("institution")))}
        self.load_units(insts)
        ids = {row.values["id"] for row in rows if row.values.get("id")}
        if sheet == UNITS:
            named = {pk_of(self.find_unit(inst.pk, row.values.get("name"))) for row in rows
                     if (inst := self.find_institution(row.values.get("institution")))}
            self.cache_units(ids | named)
            self.check_visible_units(ids)
            return
        unit_pks = {pk for row in rows if (inst := self.find_institution(row.values.get("institution")))
                    and isinstance(pk := pk_of(self.find_unit(inst.pk, row.values.get("unit"))), int)}
        self.cache_units(unit_pks)
        self.load_products(unit_pks)
        column = "name" if sheet == PRODUCTS else "product"
        named = {pk_of(self.find_product(unit_pk, row.values.get(column))) for row in rows
                 if (inst := self.find_institution(row.values.get("institution")))
                 and isinstance(unit_pk := pk_of(self.find_unit(inst.pk, row.values.get("unit"))), int)}
        if sheet == PRODUCTS:
            self.cache_products(ids | named)
            self.check_visible_units({p.unit_id for pk, p in self.product_cache.items() if pk in ids})
            self.visible_products = {pk for pk, p in self.product_cache.items() if p.unit_id in self.visible_units}
            return
        pks = {pk for pk in named if isinstance(pk, int)}
        self.cache_products(pks)
        self.latest = {s.product_id: s for s in latest_standards(self.actor).filter(product__in=pks).order_by()}
        self.writer.in_force = {}
        self.writer.load_in_force(ServiceProduct.objects.filter(pk__in=pks))

    def load_units(self, institution_ids: Iterable[int]) -> None:
        new = set(institution_ids) - self.units_loaded
        for part in bulk.chunks(new):
            for pk, inst_id, name in ServiceUnit.objects.filter(institution__in=part).order_by().values_list(
                    "pk", "institution_id", "name"):
                self.units.setdefault((inst_id, key(name)), pk)
            self.visible_units.update(units_for(self.actor).filter(institution__in=part).order_by()
                                      .values_list("pk", flat=True))
        self.units_loaded |= new

    def load_products(self, unit_ids: Iterable[int]) -> None:
        new = set(unit_ids) - self.products_loaded
        for part in bulk.chunks(new):
            for pk, unit_id, name in ServiceProduct.objects.filter(unit__in=part).order_by().values_list(
                    "pk", "unit_id", "name"):
                self.products.setdefault((unit_id, key(name)), pk)
        self.products_loaded |= new

    def check_visible_units(self, ids: Iterable[int]) -> None:
        """Whether units named by an ID column (or holding a product named so) are in scope."""
        unknown = {i for i in ids if i not in self.visible_units}
        for part in bulk.chunks(unknown):
            self.visible_units.update(units_for(self.actor).filter(pk__in=part).order_by()
                                      .values_list("pk", flat=True))

    def cache_units(self, ids: Iterable[int | None]) -> None:
        """Read these units, each with its institution as this import holds it (no join: ``order_by()``
        and no ``select_related``, which cost SQLite ten times the query)."""
        wanted = {i for i in ids if isinstance(i, int)} - set(self.unit_cache)
        for part in bulk.chunks(wanted):
            for unit in ServiceUnit.objects.filter(pk__in=part).order_by():
                inst = self.institution_records.get(unit.institution_id)
                if inst is not None:
                    unit.institution = inst
                self.unit_cache[unit.pk] = unit

    def cache_products(self, ids: Iterable[int | None]) -> None:
        """Read these products, each with its unit (``cache_units``)."""
        wanted = {i for i in ids if isinstance(i, int)} - set(self.product_cache)
        for part in bulk.chunks(wanted):
            products = list(ServiceProduct.objects.filter(pk__in=part).order_by())
            self.cache_units({p.unit_id for p in products})
            for product in products:
                unit = self.unit_cache.get(product.unit_id)
                if unit is not None:
                    product.unit = unit
                self.product_cache[product.pk] = product

    def unit_record(self, ref: Ref) -> Any:
        """The unit a lookup holds (read now if the chunk's loading missed it)."""
        if ref is None or not isinstance(ref, int):
            return ref
        if ref not in self.unit_cache:
            self.cache_units([ref])
        return self.unit_cache.get(ref)

    def product_record(self, ref: Ref) -> Any:
        if ref is None or not isinstance(ref, int):
            return ref
        if ref not in self.product_cache:
            self.cache_products([ref])
        return self.product_cache.get(ref)

    def remember(self, names: Any, kind: str, old_key: Any, new_key: Any, saved: Any) -> None:
        """Keep the lookups current after a save; a renamed record stays findable by its old name."""
        if old_key is not None and old_key != new_key and names.get(old_key) is not None \
                and pk_of(names[old_key]) == saved.pk:
            del names[old_key]
            self.renamed[kind][old_key] = saved
            if kind != "i":
                self.staged.append((self.renamed[kind], old_key))
        names[new_key] = saved
        if kind != "i":
            self.staged.append((names, new_key))
        else:
            self.institution_records[saved.pk] = saved
