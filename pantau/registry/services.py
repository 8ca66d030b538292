"""Writes to the registry. Each runs in one transaction, checks the rule and writes the audit."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pantau.core import audit, concurrency, text
from pantau.core.errors import NotInScope
from pantau.registry import completeness, components, costs
from pantau.registry.models import (
    DUPLICATE_NAME,
    Institution,
    ServiceProduct,
    ServiceStandard,
    ServiceUnit,
)
from pantau.registry.selectors import (
    LOCATION_FIELDS,
    can_create_institution,
    can_edit_institution,
    can_edit_unit,
    can_relocate_institution,
    current_standard,
)

INSTITUTION_FIELDS = ("name", "kind", "province_id", "regency_id", "office_id", "website")
UNIT_FIELDS = (
    "name", "kind", "address", "regency_id", "lat", "lng", "phone",
    "maklumat", "maklumat_date", "vulnerable_facilities",
)
PRODUCT_FIELDS = ("name", "category", "description", "is_active")
STANDARD_FIELDS = components.STANDARD_FIELDS + ("completion_days", "is_free", "effective_date")


def _where(inst: Institution) -> dict[str, Any]:
    return {"institution_id": inst.pk, "province_id": inst.province_id}


def apply(obj: Any, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Copy the allowed keys onto ``obj``, every string cleaned the one shared way
    (``pantau.core.text``): names NFKC with single spaces, one-line fields without newlines,
    multi-line fields keeping them, and no control or invisible characters anywhere."""
    for key in allowed:
        if key in data:
            value = data[key]
            if isinstance(value, str):
                value = _clean(obj, key, value)
            setattr(obj, key, value)


def _apply_checked(obj: Any, data: Mapping[str, Any], allowed: tuple[str, ...], base: str | None) -> None:
    """``apply``, then the stale-form check of ``pantau.core.concurrency`` against ``base`` (the
    token the edit form carried). ``obj`` must be the row as stored now, locked."""
    current = copy.copy(obj)
    apply(obj, data, allowed)
    concurrency.merge(current=current, edited=obj, fields=allowed, base=base)


def _locked(obj: Any) -> Any:
    """The row as stored now, locked until the transaction ends (a concurrent save waits)."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _clean(obj: Any, key: str, value: str) -> str:
    if key == "name":
        return text.clean_name(value)
    field = obj._meta.get_field(key)
    return text.clean_text(value, multiline=isinstance(field, models.TextField))


def _validate(obj: Any, exclude: list[str] | None = None) -> None:
    """``full_clean``, with a taken name reported on the ``name`` field (where the user fixes it)."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", None)
        if not errors or NON_FIELD_ERRORS not in errors:
            raise
        taken = [e for e in errors[NON_FIELD_ERRORS] if e.code == DUPLICATE_NAME]
        if not taken:
            raise
        rest = [e for e in errors[NON_FIELD_ERRORS] if e.code != DUPLICATE_NAME]
        moved = {k: v for k, v in errors.items() if k != NON_FIELD_ERRORS}
        moved["name"] = [*moved.get("name", []), *taken]
        if rest:
            moved[NON_FIELD_ERRORS] = rest
        raise ValidationError(moved) from exc


@transaction.atomic
def institution_save(*, actor: Any, data: Mapping[str, Any], institution: Institution | None = None,
                     reason: str = "", base: str | None = None) -> Institution:
    """Create or update an institution (instansi). ``base``: the edit form's stale-form token.

    The rule is checked on the institution as stored (before) *and* as it would be saved (after):
    an edit may not move it out of the actor's reach, and changing its province, regency or
    supervising office is a relocation only some may make (``can_relocate_institution``). The
    stored row is read afresh (locked), whatever a form has already copied onto ``institution``.
    """
    prior: Institution | None = None
    if institution is None:
        if not can_create_institution(actor):
            raise NotInScope
        institution = Institution()
        before = None
    else:
        prior = _locked(institution)
        if not can_edit_institution(actor, prior):
            raise NotInScope
        before = audit.snapshot(prior, INSTITUTION_FIELDS)
        institution = copy.copy(prior)
    _apply_checked(institution, data, INSTITUTION_FIELDS, base)
    regency = institution.regency if institution.regency_id else None
    if regency is not None and not institution.province_id:
        institution.province_id = regency.province_id
    if regency is not None and regency.province_id != institution.province_id:
        raise ValidationError({"regency": _("Kabupaten/kota tidak berada di provinsi yang dipilih.")})
    _validate(institution)
    if prior is not None and not can_relocate_institution(actor, prior, institution):
        field = next(f for f in LOCATION_FIELDS if getattr(prior, f) != getattr(institution, f))
        raise ValidationError({field.removesuffix("_id"): _(
            "Anda tidak berwenang memindahkan instansi ke provinsi, kabupaten/kota atau kantor Ombudsman "
            "lain. Kembalikan isian ini; pemindahan dilakukan oleh kantor Ombudsman yang mengawasi.")})
    if not can_edit_institution(actor, institution):
        raise ValidationError({"province": _("Provinsi ini di luar wilayah kerja Anda.")})
    institution.save()
    completeness.touch_institution(institution, before=prior)  # its regions' rows (both, when it moved)
    moved = prior is not None and prior.province_id != institution.province_id
    audit.record(
        actor=actor, event_type="institution.created" if before is None else "institution.updated",
        obj=institution, before=before, after=audit.snapshot(institution, INSTITUTION_FIELDS),
        reason=reason, prior_province_id=prior.province_id if moved and prior is not None else None,
        **_where(institution),
    )
    return institution


@transaction.atomic
def unit_save(*, actor: Any, data: Mapping[str, Any], institution: Institution | None = None,
              unit: ServiceUnit | None = None, reason: str = "", base: str | None = None) -> ServiceUnit:
    """Create a unit in an institution, or update one (including its maklumat)."""
    if unit is None:
        if institution is None or not can_edit_institution(actor, institution):
            raise NotInScope
        unit = ServiceUnit(institution=institution)
        before = None
    else:
        unit = _locked(unit)
        if not can_edit_unit(actor, unit):
            raise NotInScope
        before = audit.snapshot(unit, UNIT_FIELDS)
    _apply_checked(unit, data, UNIT_FIELDS, base)
    if not can_edit_unit(actor, unit):  # after the change too (see institution_save)
        raise NotInScope
    _validate(unit)
    unit.save()
    completeness.touch_units([unit])  # the maklumat counts in every product's score
    audit.record(
        actor=actor, event_type="unit.created" if before is None else "unit.updated", obj=unit,
        before=before, after=audit.snapshot(unit, UNIT_FIELDS), reason=reason,
        **_where(unit.institution),
    )
    return unit


@transaction.atomic
def product_save(*, actor: Any, data: Mapping[str, Any], unit: ServiceUnit | None = None,
                 product: ServiceProduct | None = None, reason: str = "",
                 base: str | None = None) -> ServiceProduct:
    """Create a service product in a unit, or update one."""
    if product is None:
        if unit is None or not can_edit_unit(actor, unit):
            raise NotInScope
        product = ServiceProduct(unit=unit)
        before = None
    else:
        product = _locked(product)
        if not can_edit_unit(actor, product.unit):
            raise NotInScope
        before = audit.snapshot(product, PRODUCT_FIELDS)
    _apply_checked(product, data, PRODUCT_FIELDS, base)
    if not can_edit_unit(actor, product.unit):  # after the change too (see institution_save)
        raise NotInScope
    _validate(product)
    product.save()
    completeness.touch_units([product.unit])
    audit.record(
        actor=actor, event_type="product.created" if before is None else "product.updated",
        obj=product, before=before, after=audit.snapshot(product, PRODUCT_FIELDS), reason=reason,
        **_where(product.unit.institution),
    )
    return product


@transaction.atomic
def product_set_active(*, actor: Any, product: ServiceProduct, active: bool, reason: str) -> ServiceProduct:
    """Deactivate a product (it leaves the public site; its history stays) or reactivate it, with a reason."""
    product = ServiceProduct.objects.select_for_update().select_related("unit__institution").get(pk=product.pk)
    if not can_edit_unit(actor, product.unit):
        raise NotInScope
    reason = text.clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Tulis alasannya.")})
    if product.is_active == active:
        raise ValidationError(_("Produk layanan ini sudah aktif.") if active
                              else _("Produk layanan ini sudah tidak aktif."))
    if active and not product.unit.is_active:
        raise ValidationError(_("Unit produk ini sudah tidak aktif; produk tidak dapat diaktifkan lagi di sana."))
    product.is_active = active
    _validate(product)
    product.save(update_fields=["is_active", "updated_at"])
    completeness.touch_units([product.unit])
    audit.record(
        actor=actor, event_type="product.reactivated" if active else "product.deactivated", obj=product,
        before={"is_active": not active}, after={"is_active": active}, reason=reason,
        **_where(product.unit.institution),
    )
    return product


def check_publishable(standard: ServiceStandard) -> None:
    """Refused (per field) when a component users must see is missing."""
    present = components.present_codes(standard)
    missing = [c for c in components.COMPONENTS[:6] if c.code not in present]
    if missing:
        errors: dict[str, list[str]] = {NON_FIELD_ERRORS: [
            _("Standar belum dapat diterbitkan. Lengkapi dulu komponen yang wajib dipublikasikan: %s.")
            % ", ".join(str(c.label) for c in missing)
        ]}
        for c in missing:
            errors[c.field] = [_("%s wajib diisi sebelum standar diterbitkan.") % c.label]
        raise ValidationError(errors)


def count_present(standard: ServiceStandard) -> int:
    return len(components.present_codes(standard))


def draft_for_edit(product: ServiceProduct, *, lock: bool = False) -> ServiceStandard:
    """The product's open draft, or (unsaved) the draft a first save would start: the latest
    version's text with no effective date. The edit form shows it and takes its base token."""
    drafts = product.standards.filter(status=ServiceStandard.Status.DRAFT)
    draft = (drafts.select_for_update() if lock else drafts).first()
    if draft is not None:
        return draft
    latest = product.standards.order_by("-version").first()
    next_version = (product.standards.aggregate(m=Max("version"))["m"] or 0) + 1
    draft = ServiceStandard(product=product, version=next_version)
    if latest is not None:
        for name in STANDARD_FIELDS:
            setattr(draft, name, getattr(latest, name))
        draft.effective_date = None
    return draft


def check_cost(standard: ServiceStandard, *, publishing: bool) -> None:
    """Gratis with a tariff is contradictory (refused in drafts too); a published non-free cost
    states its amount in Rupiah and the regulation that sets it (UU 25/2009 Pasal 31)."""
    errors: dict[str, list[str]] = {}
    if standard.is_free and costs.states_a_tariff(standard.cost):
        errors["cost"] = [_("“Gratis” dicentang, tetapi kolom biaya menyebut tarif. Hapus centang Gratis "
                            "atau hapus tarifnya.")]
    elif publishing and not standard.is_free and standard.cost.strip():
        if not costs.states_a_tariff(standard.cost):
            errors["cost"] = [_("Tulis besaran biaya dalam Rupiah, misalnya “Rp 50.000”, atau centang Gratis.")]
        if not (costs.names_a_regulation(standard.cost) or costs.names_a_regulation(standard.legal_basis)):
            errors.setdefault("cost", []).append(
                _("Sebutkan peraturan yang menetapkan tarif ini (misalnya “Perda Nomor 5 Tahun 2020”) "
                  "di kolom biaya atau di dasar hukum."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def standard_save_draft(*, actor: Any, product: ServiceProduct, data: Mapping[str, Any],
                        reason: str = "", base: str | None = None) -> ServiceStandard:
    """Write the product's draft standard, starting one (from the latest version) if none is open.

    The product row is locked first, so two saves at once never both start a draft: the second
    waits and then edits the first one's draft (checked against ``base``, the form's token)."""
    if not can_edit_unit(actor, product.unit):
        raise NotInScope
    list(ServiceProduct.objects.select_for_update().filter(pk=product.pk).values_list("pk"))
    draft = draft_for_edit(product, lock=True)
    before = None if draft.pk is None else audit.snapshot(draft, STANDARD_FIELDS)
    _apply_checked(draft, data, STANDARD_FIELDS, base)
    check_cost(draft, publishing=False)
    draft.present_count = count_present(draft)
    _validate(draft, exclude=["product"])
    draft.save()
    audit.record(
        actor=actor, event_type="standard.draft_saved", obj=draft, before=before,
        after=audit.snapshot(draft, STANDARD_FIELDS), reason=reason, **_where(product.unit.institution),
    )
    return draft


_UNREAD: Any = object()


def check_effective_date(standard: ServiceStandard, effective: dt.date, in_force: Any = _UNREAD) -> None:
    """A new version may not take effect before the version in force: it would never be shown
    (the version in force is the published one with the latest effective date). ``in_force``:
    that version when the caller has read it already (a bulk import), else it is read here."""
    if in_force is _UNREAD:
        in_force = current_standard(standard.product)
    if in_force is not None and in_force.effective_date and effective < in_force.effective_date:
        raise ValidationError({"effective_date": _(
            "Tanggal berlaku tidak boleh sebelum versi yang sedang berlaku (versi %(version)d, berlaku sejak "
            "%(date)s): versi baru itu tidak akan pernah tampil. Pilih tanggal %(date)s atau sesudahnya."
        ) % {"version": in_force.version, "date": formats.date_format(in_force.effective_date, "j F Y")}})


@transaction.atomic
def standard_publish(*, actor: Any, standard: ServiceStandard, effective_date: dt.date | None = None,
                     reason: str = "") -> ServiceStandard:
    """Publish a draft: from then on it is immutable; a later edit starts a new version.

    Refused (per field) when a component users must see is missing, when the effective date is
    before the version in force, or when the cost is contradictory or unfounded."""
    standard = ServiceStandard.objects.select_for_update().select_related("product__unit__institution").get(
        pk=standard.pk
    )
    product = standard.product
    if not can_edit_unit(actor, product.unit):
        raise NotInScope
    if standard.status != ServiceStandard.Status.DRAFT:
        raise ValidationError(_("Versi ini sudah terbit dan tidak dapat diubah; buat draf baru."))
    effective = effective_date or standard.effective_date or timezone.localdate()
    check_publishable(standard)
    check_effective_date(standard, effective)
    check_cost(standard, publishing=True)
    standard.status = ServiceStandard.Status.PUBLISHED
    standard.effective_date = effective
    standard.published_at = timezone.now()
    standard.published_by = actor if getattr(actor, "is_authenticated", False) else None
    standard.present_count = count_present(standard)
    standard.save()
    if effective <= timezone.localdate():
        refresh_current_standard(product)
    audit.record(
        actor=actor, event_type="standard.published", obj=standard,
        after={"version": standard.version, "effective_date": effective.isoformat(),
               "present_count": standard.present_count},
        reason=reason, **_where(product.unit.institution),
    )
    return standard


def refresh_current_standard(product: ServiceProduct) -> bool:
    """Point the product at the published version in force today; True when it changed."""
    current = current_standard(product)
    current_id = current.pk if current is not None else None
    if product.current_standard_id == current_id:
        return False
    product.current_standard_id = current_id
    product.save(update_fields=["current_standard", "updated_at"])
    completeness.touch_units([product.unit])
    return True
