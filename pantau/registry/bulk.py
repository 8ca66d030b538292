"""The import's writes in bulk: the services' rules, values and audit events, a few queries per hundred rows.

``pantau.registry.services`` writes one record per call (a lock, a validation with its unique
queries, a save, an audit event, the signals): about ten queries per row. The importer loads, for
each chunk of rows, every record the chunk may touch (and knows every name by id), so it hands the
rows to a ``Writer`` instead. For each row the writer applies the same steps as the service
— the same text cleaning (``services.apply``), the same scope rules before and after the change,
the same field validation (``full_clean``; the unique names are the importer's own lookups, and
the database constraints stay as the last guard), the same standard rules (``check_cost``,
``check_publishable``, ``check_effective_date``) — and queues the record and its audit event.
``flush`` (at the end of each chunk of rows) writes them with ``bulk_create`` / ``bulk_update`` in
batches, the audit events with ``audit.record_many`` (the same content as ``audit.record``: same
types, before/after, institution and province), and then does what the ``post_save`` signals do
for a service write: forget the products' page stamps and enqueue their boards. The completeness
summaries are touched as the services touch them (once per institution inside ``deferred``).

Everything runs inside the importer's one transaction: a failure anywhere rolls all of it back.
"""

from __future__ import annotations

import copy
import datetime as dt
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.core import audit, cachegen
from pantau.core.errors import NotInScope
from pantau.core.models import AuditEvent
from pantau.core.search.index import refresh as search_refresh
from pantau.core.text import fold_key
from pantau.registry import completeness, search_docs, services, tasks
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.selectors import (
    LISTS,
    can_edit_institution,
    can_edit_unit,
    current_standard_subquery,
    forget_product_stamps,
    product_generation,
)

BATCH = 500
# Ids per ``pk__in`` list (SQLite allows 32 766 parameters in one statement).
ID_CHUNK = 5000


def chunks(ids: Iterable[int], size: int = ID_CHUNK) -> Iterator[list[int]]:
    items = list(ids)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _where(inst: Institution) -> dict[str, Any]:
    return {"institution_id": inst.pk, "province_id": inst.province_id}


def _check(obj: models.Model, exclude: list[str]) -> None:
    """The field validation of ``services._validate`` without its queries: the foreign keys come
    from the importer's lookups, and the unique names from its own maps (the constraints remain)."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


@dataclass
class _Event:
    """An audit event waiting for its object's id (a new record has none before ``flush``)."""

    obj: models.Model
    event_type: str
    before: dict[str, Any] | None
    after: dict[str, Any]
    where: dict[str, Any]


class Writer:
    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.creates: dict[type[models.Model], list[Any]] = {}
        self.updates: dict[type[models.Model], dict[int, Any]] = {}
        self.update_fields: dict[type[models.Model], set[str]] = {}
        self.events: list[_Event] = []
        self.current: list[tuple[ServiceProduct, ServiceStandard]] = []  # new standards in force
        self.saved_units: list[ServiceUnit] = []
        self.saved_products: list[ServiceProduct] = []
        self.written = 0
        # The version in force of a product (as ``selectors.current_standard``), read once.
        self.in_force: dict[int, ServiceStandard] = {}
        # Products whose page stamps are forgotten again, and boards enqueued, once the import
        # commits (one set of ids for all the flushes: see ``_after_commit``).
        self.forgotten = array("q")  # ids, 8 bytes each (repeats removed at the end)
        self.boards = array("q")
        self.hooked = False

    def load_in_force(self, products: Any) -> None:
        """Read the standard in force of these products (a queryset) in one query."""
        ids = products.order_by().annotate(cs=current_standard_subquery(self.today)).values("cs")
        for std in ServiceStandard.objects.filter(pk__in=ids).order_by().only("pk", "product_id", "version",
                                                                               "effective_date"):
            self.in_force[std.product_id] = std

    # Queueing.

    def _stage(self, obj: models.Model, fields: Iterable[str]) -> None:
        model = type(obj)
        if obj.pk is None:
            if not any(o is obj for o in self.creates.get(model, [])[-1:]):
                self.creates.setdefault(model, []).append(obj)
        else:
            self.updates.setdefault(model, {})[obj.pk] = obj
            self.update_fields.setdefault(model, set()).update(fields)

    def _event(self, obj: models.Model, event_type: str, before: dict[str, Any] | None, after: dict[str, Any],
               inst: Institution) -> None:
        self.events.append(_Event(obj, event_type, before, after, _where(inst)))

    # The services' steps, one row at a time (raising what they raise).

    def unit_save(self, *, actor: Any, data: dict[str, Any], institution: Institution | None = None,
                  unit: ServiceUnit | None = None) -> ServiceUnit:
        if unit is None:
            if institution is None or not can_edit_institution(actor, institution):
                raise NotInScope
            unit, before = ServiceUnit(institution=institution), None
        else:
            if not can_edit_unit(actor, unit):
                raise NotInScope
            unit, before = copy.copy(unit), audit.snapshot(unit, services.UNIT_FIELDS)
        services.apply(unit, data, services.UNIT_FIELDS)
        if not can_edit_unit(actor, unit):
            raise NotInScope
        _check(unit, ["institution", "regency"])
        unit.name_key, unit.updated_at = fold_key(unit.name or ""), self.now
        self._stage(unit, (*services.UNIT_FIELDS, "name_key", "updated_at"))
        completeness.touch([unit.institution_id])
        self._event(unit, "unit.created" if before is None else "unit.updated", before,
                    audit.snapshot(unit, services.UNIT_FIELDS), unit.institution)
        self.saved_units.append(unit)
        return unit

    def product_save(self, *, actor: Any, data: dict[str, Any], unit: ServiceUnit | None = None,
                     product: ServiceProduct | None = None) -> ServiceProduct:
        if product is None:
            if unit is None or not can_edit_unit(actor, unit):
                raise NotInScope
            product, before = ServiceProduct(unit=unit), None
        else:
            if not can_edit_unit(actor, product.unit):
                raise NotInScope
            product, before = copy.copy(product), audit.snapshot(product, services.PRODUCT_FIELDS)
        services.apply(product, data, services.PRODUCT_FIELDS)
        if not can_edit_unit(actor, product.unit):
            raise NotInScope
        _check(product, ["unit", "current_standard"])
        product.name_key, product.updated_at = fold_key(product.name or ""), self.now
        self._stage(product, (*services.PRODUCT_FIELDS, "name_key", "updated_at"))
        completeness.touch([product.unit.institution_id])
        self._event(product, "product.created" if before is None else "product.updated", before,
                    audit.snapshot(product, services.PRODUCT_FIELDS), product.unit.institution)
        self.saved_products.append(product)
        return product

    def standard_save_draft(self, *, actor: Any, product: ServiceProduct, data: dict[str, Any],
                            latest: ServiceStandard | None) -> ServiceStandard:
        """``services.standard_save_draft``; ``latest``: the product's latest version (None: none yet)."""
        if not can_edit_unit(actor, product.unit):
            raise NotInScope
        if latest is not None and latest.status == ServiceStandard.Status.DRAFT:
            draft, before = latest, audit.snapshot(latest, services.STANDARD_FIELDS)
            draft.product = product  # as this file left it (a rename shows in the event's name)
        else:  # as ``services.draft_for_edit``: the latest version's text, no date, the next number
            draft, before = ServiceStandard(product=product, version=(latest.version if latest else 0) + 1), None
            if latest is not None:
                for name in services.STANDARD_FIELDS:
                    setattr(draft, name, getattr(latest, name))
                draft.effective_date = None
        services.apply(draft, data, services.STANDARD_FIELDS)
        services.check_cost(draft, publishing=False)
        draft.present_count = services.count_present(draft)
        _check(draft, ["product", "published_by"])
        draft.updated_at = self.now
        self._stage(draft, (*services.STANDARD_FIELDS, "present_count", "updated_at"))
        self._event(draft, "standard.draft_saved", before, audit.snapshot(draft, services.STANDARD_FIELDS),
                    product.unit.institution)
        return draft

    def standard_publish(self, *, actor: Any, standard: ServiceStandard,
                         effective_date: dt.date | None = None) -> ServiceStandard:
        product = standard.product
        if not can_edit_unit(actor, product.unit):
            raise NotInScope
        if standard.status != ServiceStandard.Status.DRAFT:
            raise ValidationError(_("Versi ini sudah terbit dan tidak dapat diubah; buat draf baru."))
        effective = effective_date or standard.effective_date or self.today
        services.check_publishable(standard)
        services.check_effective_date(standard, effective, self.in_force.get(product.pk))
        services.check_cost(standard, publishing=True)
        standard.status = ServiceStandard.Status.PUBLISHED
        standard.effective_date = effective
        standard.published_at = timezone.now()
        standard.published_by = actor if getattr(actor, "is_authenticated", False) else None
        standard.present_count = services.count_present(standard)
        standard.updated_at = self.now
        self._stage(standard, ("status", "effective_date", "published_at", "published_by", "present_count",
                               "updated_at"))
        if effective <= self.today:
            # In force from today: the newest version, dated on or after the one in force (checked).
            self.current.append((product, standard))
            self.in_force[product.pk] = standard
        self._event(standard, "standard.published", None,
                    {"version": standard.version, "effective_date": effective.isoformat(),
                     "present_count": standard.present_count}, product.unit.institution)
        return standard

    # Writing.

    def flush(self) -> None:
        """Write what is queued (inside the caller's transaction), with its audit events."""
        for model, objs in self.creates.items():
            model._default_manager.bulk_create(objs, batch_size=BATCH)
            self.written += len(objs)
        for model, by_pk in self.updates.items():
            model._default_manager.bulk_update(
                list(by_pk.values()), sorted(self.update_fields[model]), batch_size=BATCH)
            self.written += len(by_pk)
        # The standards now in force: each product points at it (``services.refresh_current_standard``),
        # set in one statement per chunk from the same subquery ``selectors.current_standard`` reads.
        products: dict[int, ServiceProduct] = {}
        for product, standard in self.current:
            if product.current_standard_id != standard.pk:
                product.current_standard_id, product.updated_at = standard.pk, self.now
                products[product.pk] = product
                completeness.touch([product.unit.institution_id])
        for part in chunks(products):
            ServiceProduct.objects.filter(pk__in=part).update(
                current_standard=current_standard_subquery(self.today), updated_at=self.now)
        audit.record_many([self._built(e) for e in self.events], batch_size=BATCH)
        self._after_write(unit_ids={u.pk for u in self.saved_units},
                          product_ids={p.pk for p in self.saved_products} | set(products))
        self.creates, self.updates, self.update_fields = {}, {}, {}
        self.events, self.current, self.saved_units, self.saved_products = [], [], [], []

    def _built(self, event: _Event) -> AuditEvent:
        return audit.build(actor=self.actor, event_type=event.event_type, obj=event.obj, before=event.before,
                           after=event.after, **event.where)

    def _after_write(self, *, unit_ids: set[int], product_ids: set[int]) -> None:
        """What the ``post_save`` signals do after a service write: forget the page stamps of the
        products shown changed (now and after the commit) and enqueue their boards (after it)."""
        ids = set(product_ids)
        for part in chunks(unit_ids):
            ids.update(ServiceProduct.objects.filter(unit__in=part).order_by().values_list("pk", flat=True))
        # The search documents, as ``search_docs``' signals keep them (once, at the end of the
        # importer's ``search_index.deferred()``).
        search_refresh(search_docs.UNIT, unit_ids)
        search_refresh(search_docs.PRODUCT, ids)
        if not ids:
            return
        cachegen.forget([LISTS, *(product_generation(pk) for pk in ids)])
        if not self.hooked:
            transaction.on_commit(self._after_commit)
            self.hooked = True
        self.forgotten.extend(ids)
        if not settings.BOARD_PRERENDER:
            return
        for part in chunks(ids):
            self.boards.extend(ServiceProduct.objects.filter(pk__in=part, is_active=True,
                                                             current_standard__isnull=False)
                               .order_by().values_list("pk", flat=True))

    def _after_commit(self) -> None:
        """After the commit, as ``forget_product_stamps`` does: the stamps forgotten once more (a
        reader may have taken a token before the commit made the change visible); then the boards."""
        for part in chunks(sorted(set(self.forgotten))):
            forget_product_stamps(part)
        if self.boards:
            tasks.enqueue_boards(list(self.boards))  # (sorted and without repeats there)
