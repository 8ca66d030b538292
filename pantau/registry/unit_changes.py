"""Unit changes (rename, merge, split, dissolution) that take effect on their date.

A change dated today or earlier is applied when it is recorded. A change dated in the future is
recorded as *pending*: the units stay active and their products public until that date; the units
it will create exist already, inactive (``active_from``), so products can be prepared in them. On
the date ``unit_events_apply_due`` applies it (the daily ``pantau refresh_standards``, and lazily
when the institution's pages or an old QR link are opened).

Applying moves each product of a retired unit to its destination (``ProductMove``): a merge to the
unit merged into, a split to the new unit the user chose for it (default: the first), a
dissolution nowhere (the service is discontinued) or to a chosen unit of the same institution. The
product keeps its id, so printed QR codes keep working; when the receiving unit already has a
product of the same name, the moved one is retired into it and its addresses lead there.

A change can be corrected (date, legal basis, note) or undone with a reason: before its date that
simply cancels it; after, the units and products are put back. Every write is one audit event.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.core import audit, text
from pantau.core.errors import NotInScope
from pantau.registry import completeness
from pantau.registry.models import (
    Institution,
    ProductMove,
    ServiceProduct,
    ServiceUnit,
    UnitEvent,
    UnitEventLink,
)
from pantau.registry.selectors import can_edit_institution, can_edit_unit
from pantau.registry.services import _validate, _where

log = logging.getLogger("pantau.registry.unit_changes")

# Who applies a pending change on its date (the audit event's actor name).
SYSTEM_ACTOR = "system:unit_changes"
# A destination as the web form and the API give it: "" (discontinued), "new:<i>" (the i-th new
# unit of a split or merge) or "unit:<pk>" (an existing unit of the same institution).
DISCONTINUED = ""
CORRECTABLE = ("date", "legal_basis", "note")


def _where_event(event: UnitEvent) -> dict[str, Any]:
    return _where(event.institution)


def _new_unit(institution: Institution, name: str, kind: str, date: dt.date, pending: bool) -> ServiceUnit:
    unit = ServiceUnit(institution=institution, name=name, kind=kind, is_active=not pending,
                       active_from=date if pending else None)
    _validate(unit)
    unit.save()
    completeness.touch_units([unit])
    return unit


def _destination(value: str, *, event_kind: str, institution: Institution, targets: list[ServiceUnit],
                 from_units: list[ServiceUnit], actor: Any) -> ServiceUnit | None:
    """The unit a destination string names, checked: a unit of the same institution that stays
    active and that the writer may edit (the scope after the move as well as before)."""
    if value == DISCONTINUED:
        if event_kind != UnitEvent.Kind.DISSOLVE:
            raise ValidationError(_("Pilih unit tujuan untuk setiap produk layanan."))
        return None
    prefix, _sep, rest = value.partition(":")
    if prefix == "new" and rest.isdigit() and int(rest) < len(targets):
        return targets[int(rest)]
    if prefix == "unit" and rest.isdigit():
        unit = ServiceUnit.objects.filter(pk=int(rest), institution=institution, is_active=True).first()
        if unit is None or (unit in from_units and unit not in targets):
            raise ValidationError(_("Unit tujuan harus unit aktif instansi ini yang tidak ikut berubah."))
        if not can_edit_unit(actor, unit):
            raise NotInScope
        return unit
    raise ValidationError(_("Unit tujuan tidak dikenal."))


def _default_destination(kind: str, targets: list[ServiceUnit]) -> ServiceUnit | None:
    if kind in (UnitEvent.Kind.MERGE, UnitEvent.Kind.SPLIT) and targets:
        return targets[0]
    return None


@transaction.atomic
def unit_event_record(*, actor: Any, kind: str, date: dt.date, institution: Institution,
                      from_units: list[ServiceUnit], new_names: list[str] | None = None,
                      into: ServiceUnit | None = None, destinations: Mapping[int, str] | None = None,
                      legal_basis: str = "", note: str = "", reason: str = "") -> UnitEvent:
    """Record a rename, merge, split or dissolution; apply it now when its date has come.

    - rename: one unit, ``new_names=[name]``; the unit keeps its id (history stays attached).
    - merge: several units into ``into`` (an existing unit) or a new unit named ``new_names[0]``.
    - split: one unit into new units named ``new_names``.
    - dissolve: the units are retired.
    ``destinations`` maps a product id of the changed units to where it goes (see ``DISCONTINUED``);
    products not named go to the default: the merged unit, the first new unit, or nowhere.
    """
    if not can_edit_institution(actor, institution):
        raise NotInScope
    names = [text.clean_name(n) for n in (new_names or []) if n and text.clean_name(n)]
    if not from_units:
        raise ValidationError(_("Pilih unit yang berubah."))
    for unit in from_units:
        if unit.institution_id != institution.pk:
            raise NotInScope
        if not unit.is_active:
            raise ValidationError(_("Unit %s sudah tidak aktif.") % unit.name)
    if into is not None and (into.institution_id != institution.pk or not can_edit_unit(actor, into)):
        raise NotInScope
    if into is not None and into in from_units:
        raise ValidationError(_("Unit tujuan penggabungan tidak boleh termasuk unit yang digabungkan."))
    if into is not None and (kind != UnitEvent.Kind.MERGE or names):
        raise ValidationError(_("Unit tujuan hanya untuk penggabungan, dan tanpa nama baru: pilih unit tujuan atau "
                                "tulis nama unit baru, jangan keduanya."))
    pending = date > timezone.localdate()
    event = UnitEvent(kind=kind, date=date, institution=institution, legal_basis=text.clean_text(
        legal_basis, multiline=False), note=text.clean_text(note),
        state=UnitEvent.State.PENDING if pending else UnitEvent.State.APPLIED)
    targets: list[ServiceUnit] = []
    created: list[ServiceUnit] = []
    if kind == UnitEvent.Kind.RENAME:
        if len(from_units) != 1 or len(names) != 1:
            raise ValidationError(_("Ganti nama membutuhkan satu unit dan satu nama baru."))
        unit = from_units[0]
        event.old_name, event.new_name = unit.name, names[0]
        _check_rename(unit, names[0])
        targets = [unit]
    elif kind == UnitEvent.Kind.MERGE:
        if len(from_units) < 2:
            raise ValidationError(_("Penggabungan membutuhkan sedikitnya dua unit."))
        if into is None:
            if len(names) != 1:
                raise ValidationError(_("Tulis nama unit hasil penggabungan."))
            into = _new_unit(institution, names[0], from_units[0].kind, date, pending)
            created.append(into)
        elif not into.is_active:
            raise ValidationError(_("Unit %s sudah tidak aktif.") % into.name)
        targets = [into]
    elif kind == UnitEvent.Kind.SPLIT:
        if len(from_units) != 1 or len(names) < 2:
            raise ValidationError(_("Pemecahan membutuhkan satu unit dan sedikitnya dua nama unit baru."))
        created = [_new_unit(institution, name, from_units[0].kind, date, pending) for name in names]
        targets = list(created)
    elif kind != UnitEvent.Kind.DISSOLVE:
        raise ValidationError(_("Jenis perubahan tidak dikenal."))
    event.new_name = (event.new_name or ", ".join(t.name for t in targets))[:200]
    event.old_name = (event.old_name or ", ".join(u.name for u in from_units))[:200]
    event.full_clean(exclude=["institution"])
    event.save()
    UnitEventLink.objects.bulk_create(
        [UnitEventLink(event=event, unit=u, role=UnitEventLink.Role.FROM) for u in from_units]
        + [UnitEventLink(event=event, unit=t, role=UnitEventLink.Role.TO, created=t in created) for t in targets]
    )
    if kind != UnitEvent.Kind.RENAME:
        _plan_moves(event, actor, from_units, targets, destinations or {})
    if not pending:
        _apply(event)
    audit.record(actor=actor, event_type=f"unit.{kind}", obj=event, after=_summary(event), reason=reason,
                 **_where(institution))
    return event


def _check_rename(unit: ServiceUnit, name: str) -> None:
    """Refuse a taken name when the rename is recorded, not only on its date."""
    probe = ServiceUnit(pk=unit.pk, institution_id=unit.institution_id, name=name, kind=unit.kind)
    probe._state.adding = False
    _validate(probe)


def _plan_moves(event: UnitEvent, actor: Any, from_units: list[ServiceUnit], targets: list[ServiceUnit],
                destinations: Mapping[int, str]) -> None:
    products = list(ServiceProduct.objects.filter(unit__in=from_units).order_by("pk"))
    unknown = set(destinations) - {p.pk for p in products}
    if unknown:
        ids = ", ".join(map(str, sorted(unknown)))
        raise ValidationError(_("Produk layanan %s bukan milik unit yang berubah.") % ids)
    moves = []
    for product in products:
        if product.pk in destinations:
            to_unit = _destination(destinations[product.pk], event_kind=event.kind, institution=event.institution,
                                   targets=targets, from_units=from_units, actor=actor)
        else:
            to_unit = _default_destination(event.kind, targets)
        if to_unit is not None and to_unit.pk == product.unit_id:
            continue
        moves.append(ProductMove(event=event, product=product, from_unit_id=product.unit_id, to_unit=to_unit,
                                 was_active=product.is_active))
    ProductMove.objects.bulk_create(moves)


def _summary(event: UnitEvent) -> dict[str, Any]:
    links = list(event.links.values_list("role", "unit"))
    return {
        "date": event.date.isoformat(), "state": event.state, "legal_basis": event.legal_basis,
        "from": [u for r, u in links if r == UnitEventLink.Role.FROM],
        "to": [u for r, u in links if r == UnitEventLink.Role.TO],
        "old_name": event.old_name, "new_name": event.new_name,
        "products": {str(m.product_id): m.to_unit_id for m in event.product_moves.all()},
    }


def _units(event: UnitEvent, role: str) -> list[ServiceUnit]:
    return [link.unit for link in event.links.select_related("unit").filter(role=role).order_by("pk")]


def _apply(event: UnitEvent) -> None:
    """Make the change take effect: units renamed, created or retired, products moved."""
    from_units = _units(event, UnitEventLink.Role.FROM)
    targets = _units(event, UnitEventLink.Role.TO)
    if event.kind == UnitEvent.Kind.RENAME:
        unit = from_units[0]
        unit.name = event.new_name
        _validate(unit)
        unit.save()
    else:
        for unit in targets:
            if not unit.is_active:
                unit.is_active = True
                unit.save(update_fields=["is_active", "updated_at"])
        planned = set(event.product_moves.values_list("product", flat=True))
        late = ServiceProduct.objects.filter(unit__in=from_units).exclude(pk__in=planned)  # added since recording
        ProductMove.objects.bulk_create([
            ProductMove(event=event, product=p, from_unit_id=p.unit_id,
                        to_unit=_default_destination(event.kind, targets), was_active=p.is_active)
            for p in late
        ])
        for move in event.product_moves.select_related("product", "to_unit"):
            _move(move)
        for unit in from_units:
            if unit not in targets:
                unit.is_active = False
                unit.active_until = event.date
                unit.save(update_fields=["is_active", "active_until", "updated_at"])
    event.state = UnitEvent.State.APPLIED
    event.applied_at = timezone.now()
    event.save(update_fields=["state", "applied_at"])
    completeness.touch([event.institution_id])


def _move(move: ProductMove) -> None:
    product = move.product
    if product.unit_id != move.from_unit_id:
        return  # moved by hand meanwhile: leave it where it is
    move.was_active = product.is_active
    if move.to_unit is None:
        product.is_active = False
        product.save(update_fields=["is_active", "updated_at"])
    else:
        twin = (ServiceProduct.objects.filter(unit=move.to_unit, name_key=product.name_key)
                .exclude(pk=product.pk).first())
        if twin is not None:
            move.into_product = twin
            product.is_active = False
            product.save(update_fields=["is_active", "updated_at"])
        else:
            product.unit = move.to_unit
            product.save(update_fields=["unit", "updated_at"])
    move.save(update_fields=["was_active", "into_product"])


def unit_events_apply_due(*, today: dt.date | None = None, institution: Institution | None = None,
                          actor: Any = SYSTEM_ACTOR) -> tuple[UnitEvent, ...]:
    """Apply every pending change whose date has come (of one institution, or all), each in its own
    transaction, idempotently: a change already applied by another process is skipped. A change that
    cannot be applied (say its new name was taken meanwhile) stays pending and is logged."""
    today = today or timezone.localdate()
    due = UnitEvent.objects.filter(state=UnitEvent.State.PENDING, date__lte=today)
    if institution is not None:
        due = due.filter(institution=institution)
    applied = []
    for pk in due.order_by("date", "pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                event = UnitEvent.objects.select_for_update().select_related("institution").get(pk=pk)
                if event.state != UnitEvent.State.PENDING:
                    continue
                _apply(event)
                audit.record(actor=actor, event_type="unit.applied", obj=event,
                             before={"state": UnitEvent.State.PENDING}, after={"state": event.state},
                             **_where_event(event))
        except ValidationError as exc:
            log.warning("unit event %s stays pending: %s", pk, "; ".join(exc.messages))
            continue
        applied.append(event)
    return tuple(applied)


def apply_due_for_product(pk: int) -> None:
    """Cheap lazy application for an old QR link: only when a due change touches the product's unit."""
    if not 0 < pk < 2**63:
        return  # no such id in a BigAutoField; the product page answers 404
    due = UnitEvent.objects.filter(state=UnitEvent.State.PENDING, date__lte=timezone.localdate(),
                                   links__unit__products=pk)
    institution_ids = set(due.values_list("institution", flat=True))
    for institution in Institution.objects.filter(pk__in=institution_ids):
        unit_events_apply_due(institution=institution)


@transaction.atomic
def unit_event_correct(*, actor: Any, event: UnitEvent, data: Mapping[str, Any], reason: str = "") -> UnitEvent:
    """Correct a change's date, legal basis or note. A pending change whose date is moved to today
    or earlier takes effect now; an applied one cannot be moved into the future (undo it instead)."""
    event = UnitEvent.objects.select_for_update().select_related("institution").get(pk=event.pk)
    if not can_edit_institution(actor, event.institution):
        raise NotInScope
    if event.state == UnitEvent.State.UNDONE:
        raise ValidationError(_("Perubahan ini sudah dibatalkan dan tidak dapat dikoreksi."))
    before = audit.snapshot(event, CORRECTABLE)
    date = data.get("date") or event.date
    today = timezone.localdate()
    if event.state == UnitEvent.State.APPLIED and date > today:
        raise ValidationError({"date": _("Perubahan ini sudah berlaku; untuk menundanya, batalkan dulu lalu "
                                          "catat ulang dengan tanggal baru.")})
    event.date = date
    if "legal_basis" in data:
        event.legal_basis = text.clean_text(data["legal_basis"] or "", multiline=False)
    if "note" in data:
        event.note = text.clean_text(data["note"] or "")
    event.full_clean(exclude=["institution"])
    event.save()
    if event.state == UnitEvent.State.APPLIED:
        retired = ServiceUnit.objects.filter(event_links__event=event, event_links__role=UnitEventLink.Role.FROM,
                                             is_active=False)
        for unit in retired:
            unit.active_until = date
            unit.save(update_fields=["active_until", "updated_at"])
    else:
        for unit in ServiceUnit.objects.filter(event_links__event=event, event_links__created=True):
            unit.active_from = date
            unit.save(update_fields=["active_from", "updated_at"])
        if date <= today:
            _apply(event)
    after = audit.snapshot(event, CORRECTABLE)
    if before == after:
        raise ValidationError(_("Tidak ada yang diubah."))
    audit.record(actor=actor, event_type="unit.corrected", obj=event, before=before, after=after, reason=reason,
                 **_where_event(event))
    return event


@transaction.atomic
def unit_event_undo(*, actor: Any, event: UnitEvent, reason: str) -> UnitEvent:
    """Undo a change, with a reason. Pending: it is cancelled (the units it would have created are
    removed when nothing uses them yet). Applied: units and products are put back as they were."""
    event = UnitEvent.objects.select_for_update().select_related("institution").get(pk=event.pk)
    if not can_edit_institution(actor, event.institution):
        raise NotInScope
    reason = text.clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Tulis alasan pembatalan.")})
    if event.state == UnitEvent.State.UNDONE:
        raise ValidationError(_("Perubahan ini sudah dibatalkan."))
    unit_ids = list(event.links.values_list("unit", flat=True))
    later = (UnitEvent.objects.filter(links__unit__in=unit_ids, pk__gt=event.pk)
             .exclude(state=UnitEvent.State.UNDONE).distinct())
    if later.exists():
        raise ValidationError(_("Batalkan dulu perubahan yang lebih baru pada unit yang sama: %s.")
                              % ", ".join(str(e) for e in later[:3]))
    before_state = event.state
    if event.state == UnitEvent.State.PENDING:
        _cancel(event)
        completeness.touch([event.institution_id])
    else:
        _restore(event)
    event.state = UnitEvent.State.UNDONE
    event.undone_at = timezone.now()
    event.undo_reason = reason
    event.save(update_fields=["state", "undone_at", "undo_reason"])
    audit.record(actor=actor, event_type="unit.undone", obj=event, before={"state": before_state},
                 after={"state": event.state}, reason=reason, **_where_event(event))
    return event


def _cancel(event: UnitEvent) -> None:
    event.product_moves.all().delete()
    for link in event.links.filter(created=True).select_related("unit"):
        unit = link.unit
        try:
            with transaction.atomic():
                link.delete()
                unit.delete()
        except ProtectedError:  # products or people were added to it meanwhile: keep it, inactive
            unit.active_from = None
            unit.save(update_fields=["active_from", "updated_at"])


def _restore(event: UnitEvent) -> None:
    today = timezone.localdate()
    from_units = _units(event, UnitEventLink.Role.FROM)
    if event.kind == UnitEvent.Kind.RENAME:
        unit = from_units[0]
        unit.name = event.old_name
        _validate(unit)
        unit.save()
        return
    for unit in from_units:
        unit.is_active = True
        unit.active_until = None
        unit.save(update_fields=["is_active", "active_until", "updated_at"])
    for move in event.product_moves.select_related("product"):
        product = move.product
        if move.to_unit_id is not None and move.into_product_id is None:
            if product.unit_id != move.to_unit_id:
                continue  # moved again by hand since: leave it
            product.unit_id = move.from_unit_id
        product.is_active = move.was_active
        _validate(product)
        product.save()
    moved = {m.product_id for m in event.product_moves.all()}
    for link in event.links.filter(created=True).select_related("unit"):
        unit = link.unit
        kept = ServiceProduct.objects.filter(unit=unit, is_active=True).exclude(pk__in=moved)
        if kept.exists():
            raise ValidationError(_("Unit %s sudah punya produk layanan baru; pindahkan atau nonaktifkan dulu.")
                                  % unit.name)
        unit.is_active = False
        unit.active_until = today
        unit.save(update_fields=["is_active", "active_until", "updated_at"])
    completeness.touch([event.institution_id])

