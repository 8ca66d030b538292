"""Summary rows (ADR 0014): what the services keep on write equals a rebuild from scratch, and the
rebuild equals a recount over the products themselves, after any sequence of registry writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.core.errors import NotInScope
from pantau.registry import completeness, services, unit_changes
from pantau.registry.importer import import_registry
from pantau.registry.models import (
    Institution,
    ProvinceSummary,
    RegencySummary,
    ServiceProduct,
    ServiceUnit,
    UnitEvent,
    UnitSummary,
)
from pantau.registry.selectors import public_products
from pantau.registry.tests.workbooks import STANDARD, upload, xlsx_bytes
from tests.cast import FULL_STANDARD

pytestmark = pytest.mark.django_db

TOTALS = ("product_count", "score_sum", "public_count", "public_score_sum")


def snapshot() -> dict[str, Any]:
    """Every summary row as plain data (region rows that count nothing left out: a region row is
    made when first touched and stays, a rebuild makes one for every region)."""
    def regions(model: Any) -> dict[int, tuple[int, ...]]:
        fields = ("institution_count", "unit_count", *TOTALS)
        return {row[0]: row[1:] for row in model.objects.values_list("pk", *fields) if any(row[1:])}

    return {
        "units": {r[0]: r[1:] for r in UnitSummary.objects.values_list("pk", "institution", "unit_active", *TOTALS)},
        "institutions": {r[0]: r[1:] for r in Institution.objects.values_list(
            "pk", "unit_count", "completeness", *TOTALS)},
        "provinces": regions(ProvinceSummary),
        "regencies": regions(RegencySummary),
    }


def recount() -> dict[str, Any]:
    """The same numbers counted the slow way, over the products (``score_expression``, ``public_products``)."""
    score = completeness.score_expression()
    active = ServiceProduct.objects.filter(is_active=True).order_by()
    public = public_products().order_by()

    def grouped(qs: Any, key: str) -> dict[int, tuple[int, int]]:
        return {r[key]: (r["n"], r["s"] or 0) for r in qs.values(key).annotate(n=Count("pk"), s=Sum(score))}

    units_all, units_public = grouped(active, "unit"), grouped(public, "unit")
    units = {}
    for pk, institution, is_active in ServiceUnit.objects.values_list("pk", "institution", "is_active"):
        units[pk] = (institution, is_active, *units_all.get(pk, (0, 0)), *units_public.get(pk, (0, 0)))
    inst_all, inst_public = grouped(active, "unit__institution"), grouped(public, "unit__institution")
    unit_counts = dict(ServiceUnit.objects.filter(is_active=True).order_by().values_list("institution")
                       .annotate(n=Count("pk")).values_list("institution", "n"))
    institutions = {}
    for pk in Institution.objects.values_list("pk", flat=True):
        n, s = inst_all.get(pk, (0, 0))
        institutions[pk] = (unit_counts.get(pk, 0), completeness.percent_of(s, n), n, s, *inst_public.get(pk, (0, 0)))

    def regions(level: str) -> dict[int, tuple[int, ...]]:
        out: dict[int, list[int]] = {}
        for inst in Institution.objects.filter(**{f"{level}__isnull": False}).values_list(f"{level}_id", "pk"):
            row = institutions[inst[1]]
            acc = out.setdefault(inst[0], [0] * 6)
            for i, v in enumerate((1, row[0], *row[2:])):
                acc[i] += v
        return {k: tuple(v) for k, v in out.items() if any(v)}

    return {"units": units, "institutions": institutions, "provinces": regions("province"),
            "regencies": regions("regency")}


def assert_kept_equals_rebuild() -> None:
    kept = snapshot()
    completeness.rebuild()
    rebuilt = snapshot()
    assert kept == rebuilt
    assert rebuilt == recount()


class World:
    """Runs one drawn operation through the services; a refusal (invalid for the current state) is
    part of the game: the service rolls its own savepoint back."""

    def __init__(self, cast: Any, stack: contextlib.ExitStack) -> None:
        self.cast, self.admin, self.stack = cast, cast.national_admin, stack
        self.start = timezone.localdate()
        self.days = 0
        self.n = 0

    def today(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days)

    def name(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix} {self.n}"

    def pick(self, qs: Any, i: int) -> Any:
        items = list(qs.order_by("pk"))
        return items[i % len(items)] if items else None

    def run(self, op: tuple[Any, ...]) -> None:
        kind, *args = op
        with contextlib.suppress(ValidationError, NotInScope):
            getattr(self, kind)(*args)

    def product_create(self, i: int) -> None:
        unit = self.pick(ServiceUnit.objects.filter(is_active=True), i)
        services.product_save(actor=self.admin, unit=unit, data={"name": self.name("Layanan")})

    def product_edit(self, i: int) -> None:
        product = self.pick(ServiceProduct.objects.all(), i)
        services.product_save(actor=self.admin, product=product, data={"name": self.name("Nama baru"),
                                                                        "category": "perizinan"})

    def product_toggle(self, i: int) -> None:
        product = self.pick(ServiceProduct.objects.all(), i)
        services.product_set_active(actor=self.admin, product=product, active=not product.is_active, reason="Uji")

    def publish(self, i: int, dropped: int, ahead: int) -> None:
        product = self.pick(ServiceProduct.objects.all(), i)
        data = dict(FULL_STANDARD)
        for field in list(data)[-dropped:] if dropped else []:
            data[field] = "" if isinstance(data[field], str) else data[field]
        draft = services.standard_save_draft(actor=self.admin, product=product, data=data)
        services.standard_publish(actor=self.admin, standard=draft, effective_date=self.today() + dt.timedelta(ahead))

    def unit_create(self, i: int, maklumat: bool) -> None:
        inst = self.pick(Institution.objects.all(), i)
        services.unit_save(actor=self.admin, institution=inst, data={
            "name": self.name("Unit"), "kind": "dinas", "maklumat": "Siap melayani" if maklumat else ""})

    def unit_edit(self, i: int, maklumat: bool, vulnerable: bool) -> None:
        unit = self.pick(ServiceUnit.objects.all(), i)
        services.unit_save(actor=self.admin, unit=unit, data={
            "maklumat": "Kami siap" if maklumat else "", "vulnerable_facilities": "Ram" if vulnerable else ""})

    def relocate(self, i: int, where: int) -> None:
        c = self.cast
        inst = self.pick(Institution.objects.all(), i)
        province, regency = [(c.kalteng_province, c.barsel.regency), (c.kalsel_province, c.tabalong.regency),
                             (c.kalsel_province, None)][where]
        services.institution_save(actor=self.admin, institution=inst, data={
            "province_id": province.pk, "regency_id": regency.pk if regency else None})

    def institution_create(self, where: int) -> None:
        c = self.cast
        province, regency = [(c.kalsel_province, c.banjarmasin.regency), (c.kalteng_province, None)][where]
        services.institution_save(actor=self.admin, data={
            "name": self.name("Pemerintah Uji"), "kind": "pemkab", "province_id": province.pk,
            "regency_id": regency.pk if regency else None, "office_id": c.kalsel.pk})

    def unit_change(self, i: int, kind: str, offset: int) -> None:
        inst = self.pick(Institution.objects.all(), i)
        units = list(ServiceUnit.objects.filter(institution=inst, is_active=True).order_by("pk"))
        count = {"merge": 2, "split": 1, "dissolve": 1}[kind]
        if len(units) < count:
            return
        names = {"merge": [self.name("Unit gabungan")], "split": [self.name("Unit A"), self.name("Unit B")],
                 "dissolve": []}[kind]
        unit_changes.unit_event_record(actor=self.admin, kind=kind, date=self.today() + dt.timedelta(offset),
                                       institution=inst, from_units=units[:count], new_names=names)

    def unit_change_undo(self, i: int) -> None:
        event = self.pick(UnitEvent.objects.exclude(state=UnitEvent.State.UNDONE), i)
        if event is not None:
            unit_changes.unit_event_undo(actor=self.admin, event=event, reason="Salah catat")

    def days_pass(self, days: int) -> None:
        self.days += days
        self.stack.enter_context(time_machine.travel(dt.datetime.combine(self.today(), dt.time(1)), tick=False))
        call_command("refresh_standards", stdout=io.StringIO())

    def import_file(self, i: int, ahead: int) -> None:
        inst = self.pick(Institution.objects.all(), i)
        unit = self.name("Unit impor")
        data = xlsx_bytes({
            "Unit": [{"Instansi": inst.name, "Nama unit": unit, "Jenis": "dinas", "Maklumat pelayanan": "Siap"}],
            "Produk": [{"Instansi": inst.name, "Unit": unit, "Nama produk": "Layanan impor", "Kategori": "lainnya"},
                       {"Instansi": inst.name, "Unit": unit, "Nama produk": "Layanan draf", "Kategori": "lainnya"}],
            "Standar": [{"Instansi": inst.name, "Unit": unit, "Produk": "Layanan impor", **STANDARD, "Terbitkan": "ya",
                         "Tanggal berlaku": self.today() + dt.timedelta(ahead)}],
        })
        fh, size = upload(data)
        result = import_registry(actor=self.admin, upload=fh, size=size)
        assert result.ok, result.problems


INDEX = st.integers(0, 20)
OPERATIONS = st.one_of(
    st.tuples(st.just("product_create"), INDEX),
    st.tuples(st.just("product_edit"), INDEX),
    st.tuples(st.just("product_toggle"), INDEX),
    st.tuples(st.just("publish"), INDEX, st.integers(0, 10), st.sampled_from([0, 0, 1, 2])),
    st.tuples(st.just("unit_create"), INDEX, st.booleans()),
    st.tuples(st.just("unit_edit"), INDEX, st.booleans(), st.booleans()),
    st.tuples(st.just("relocate"), INDEX, st.integers(0, 2)),
    st.tuples(st.just("institution_create"), st.integers(0, 1)),
    st.tuples(st.just("unit_change"), INDEX, st.sampled_from(["merge", "split", "dissolve"]), st.sampled_from([0, 2])),
    st.tuples(st.just("unit_change_undo"), INDEX),
    st.tuples(st.just("days_pass"), st.integers(1, 3)),
    st.tuples(st.just("import_file"), INDEX, st.sampled_from([0, 1])),
)


def play(cast: Any, operations: Any) -> None:
    with contextlib.ExitStack() as stack, transaction.atomic():
        world = World(cast, stack)
        for op in operations:
            world.run(op)
        assert_kept_equals_rebuild()
        transaction.set_rollback(True)  # the next example starts from the cast again


SETTINGS = {"deadline": None, "database": None,
            "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}


@settings(max_examples=20, **SETTINGS)
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=12))
def test_the_rows_kept_on_write_equal_a_rebuild_after_any_sequence_of_writes(cast: Any, operations: Any) -> None:
    play(cast, operations)


@pytest.mark.slow
@settings(max_examples=300, **SETTINGS)
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=30))
def test_the_same_with_many_more_and_longer_sequences(cast: Any, operations: Any) -> None:
    play(cast, operations)


def test_the_cast_as_built_equals_a_rebuild(cast: Any) -> None:
    assert_kept_equals_rebuild()
    tabalong = Institution.objects.get(pk=cast.tabalong.pk)
    assert (tabalong.unit_count, tabalong.product_count, tabalong.public_count) == (2, 2, 2)


def test_a_rebuild_repairs_rows_written_around_the_services(cast: Any) -> None:
    ServiceProduct.objects.filter(pk=cast.pbg.pk).update(is_active=False)  # a bulk write, no touch
    UnitSummary.objects.filter(pk=cast.dukcapil.pk).delete()
    ProvinceSummary.objects.update(public_count=0)
    out = io.StringIO()
    call_command("rebuild_aggregates", stdout=out)
    assert "summary rows rebuilt" in out.getvalue()
    assert snapshot() == recount()
    assert Institution.objects.get(pk=cast.tabalong.pk).product_count == 1
    call_command("rebuild_aggregates", stdout=io.StringIO())  # idempotent
    assert snapshot() == recount()


def test_a_version_that_takes_effect_on_a_later_day_counts_from_that_day(cast: Any) -> None:
    product = services.product_save(actor=cast.admin_barsel, unit=cast.barsel_dukcapil, data={"name": "Akta"})
    draft = services.standard_save_draft(actor=cast.admin_barsel, product=product, data=FULL_STANDARD)
    later = timezone.localdate() + dt.timedelta(days=3)
    services.standard_publish(actor=cast.admin_barsel, standard=draft, effective_date=later)
    barsel = Institution.objects.get(pk=cast.barsel.pk)
    assert (barsel.product_count, barsel.public_count) == (2, 1)
    with time_machine.travel(dt.datetime.combine(later, dt.time(1)), tick=False):
        call_command("refresh_standards", stdout=io.StringIO())
    barsel.refresh_from_db()
    assert (barsel.product_count, barsel.public_count) == (2, 2)
    assert ProvinceSummary.objects.get(pk=cast.kalteng_province.pk).public_count == 2
    assert_kept_equals_rebuild()


def test_a_relocated_institution_leaves_its_old_region(cast: Any) -> None:
    services.institution_save(actor=cast.national_admin, institution=cast.barsel, data={
        "province_id": cast.kalsel_province.pk, "regency_id": cast.banjarmasin.regency_id})
    assert not ProvinceSummary.objects.filter(pk=cast.kalteng_province.pk).exclude(
        Q(public_count=0) & Q(institution_count=0)).exists()
    assert ProvinceSummary.objects.get(pk=cast.kalsel_province.pk).institution_count == 3
    assert_kept_equals_rebuild()
