"""Writes of a period: create it, choose its sample, assign assessors, move it through the
transition table (``workflow.py``). Each runs in one transaction, refuses an actor out of scope
(``NotInScope``) and writes its audit event there (ADR 0019)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.assessments import cycle_rules, sampling, services, workflow
from pantau.assessments import methodology as mdoc
from pantau.assessments.models import (
    Assignment,
    MethodologyVersion,
    Period,
    SampledProduct,
    SampledUnit,
    SampleRule,
)
from pantau.core import audit, text
from pantau.core.errors import NotInScope
from pantau.registry import selectors as registry

DATE_FIELDS = ("collection_start", "collection_end", "review_end", "response_start", "response_end",
               "publication_date")
PERIOD_FIELDS = ("year", "title", "kind", "methodology_version_id", "office_id", "owner_id", *DATE_FIELDS, "status")
SYSTEM = "system:assessments"


def actor_name(actor: Any) -> str:
    return str(getattr(actor, "username", "") or actor)[:150]


def where(institution: Mapping[str, Any], *, provider_reads: bool = False) -> dict[str, Any]:
    """The audit event's place (who may read it: ``registry.hooks.audit_scope``). Field work —
    samples, assignments, answers, reviews — is placed in the province only, so the offices
    covering it read it and the assessed institution's admin does not (an institution admin reads
    its institution's events): the provider sees results when the response window opens, not the
    assessors' work as it happens. A provider's own objections and their decisions carry the
    institution (``provider_reads``)."""
    if provider_reads:
        return {"institution_id": institution["id"], "province_id": institution["province_id"]}
    return {"province_id": institution["province_id"]}


def needs_products(document: mdoc.Methodology) -> bool:
    return document.aggregation.scored_level == "product" or any(
        i.level == "product" for i in document.items.values())


def _locked(period: Period) -> Period:
    return Period.objects.select_for_update().select_related("methodology_version__methodology").get(pk=period.pk)


def _check_dates(dates: Mapping[str, dt.date]) -> None:
    missing = [f for f in DATE_FIELDS if not isinstance(dates.get(f), dt.date)]
    if missing:
        raise ValidationError({f: _("Isi tanggal ini.") for f in missing})
    order = [dates[f] for f in DATE_FIELDS]
    if any(a > b for a, b in zip(order, order[1:], strict=False)):
        raise ValidationError(_("Tanggal harus berurutan: mulai pengumpulan data ≤ akhir pengumpulan ≤ akhir reviu ≤ "
                                "mulai tanggapan ≤ akhir tanggapan ≤ tanggal publikasi."))


@transaction.atomic
def period_create(*, actor: Any, year: int, title: str, methodology_version: MethodologyVersion,
                  dates: Mapping[str, dt.date], institution_ids: Iterable[int], kind: str = Period.Kind.OFFICIAL,
                  office_id: int | None = None, owner_id: int | None = None) -> Period:
    """A period in draft. Its methodology version is frozen here (``services.freeze``): from now
    on it never changes. An official period names the office that runs it (none: national) and
    institutions that office supervises; a self-assessment names its one institution."""
    if kind not in Period.Kind.values:
        raise ValidationError({"kind": _("Jenis periode tidak dikenal.")})
    if kind == Period.Kind.SELF:
        office_id = None
    else:
        owner_id = None
    if not cycle_rules.may_create_period(actor, kind=kind, office_id=office_id, owner_id=owner_id):
        raise NotInScope
    title = text.clean_name(title or "")[:200]
    if not title:
        raise ValidationError({"title": _("Tulis nama periode.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Tahun penilaian harus antara 2000 dan 2100.")})
    _check_dates(dates)
    ids = sorted(set(institution_ids))
    rows = registry.institution_rows(ids)
    if not ids or len(rows) != len(ids):
        raise ValidationError({"institutions": _("Pilih instansi yang dinilai (yang terdaftar).")})
    version = MethodologyVersion.objects.select_related("methodology").get(pk=methodology_version.pk)
    if kind == Period.Kind.SELF:
        if ids != [owner_id]:
            raise ValidationError({"institutions": _("Penilaian mandiri hanya menilai instansinya sendiri.")})
    else:
        if not version.official:
            raise ValidationError({"methodology_version": _(
                "Penilaian resmi memakai metodologi resmi; %(version)s adalah salinan tidak resmi.")
                % {"version": f"{version.methodology.slug}@{version.version}"}})
        if office_id is not None:
            national, provinces = registry.offices_covering(office_id)
            outside = [r["name"] for r in rows.values()
                       if not national and r["province_id"] not in provinces and r["office_id"] != office_id]
            if outside:
                raise ValidationError({"institutions": _("Di luar wilayah kantor ini: %(names)s.")
                                       % {"names": ", ".join(sorted(outside))}})
    period = Period(year=int(year), title=title, kind=kind, methodology_version=version, office_id=office_id,
                    owner_id=owner_id, created_by=actor, **{f: dates[f] for f in DATE_FIELDS})
    period.save()
    period.institutions.set(ids)
    services.freeze(version, actor=SYSTEM, reason=f"period {period.pk}: {title}"[:200])
    audit.record(actor=actor, event_type="period.created", obj=period,
                 after={**audit.snapshot(period, PERIOD_FIELDS), "institutions": ids})
    return period


@transaction.atomic
def period_advance(*, actor: Any, period: Period, target: str) -> Period:
    """Take the period's transition to ``target`` (``workflow.PERIOD_TRANSITIONS``): refused when
    the table has no such step for this kind of period, or a guard objects (every objection is
    named). Opening the response window stores the draft results; publication stores the final
    ones and makes them immutable."""
    from pantau.assessments import services_results

    period = _locked(period)
    if not cycle_rules.manages_period(actor, period):
        raise NotInScope
    step = workflow.period_transition(period, target)
    if step is None:
        raise ValidationError(_("Periode berstatus “%(status)s” tidak dapat berpindah ke “%(target)s”.") % {
            "status": period.get_status_display(), "target": dict(Period.Status.choices).get(target, target)})
    problems = workflow.blockers(step, period, timezone.localdate())
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(period, ("status",))
    if step.computes_results:
        services_results.results_store(actor=actor, period=period)
    if step.publishes:
        services_results.results_publish(period)
    period.status = step.target  # the one place a period's status changes
    period.save(update_fields=["status", "changed_at"])
    audit.record(actor=actor, event_type=f"period.{step.name}", obj=period, before=before,
                 after=audit.snapshot(period, ("status",)))
    return period


def _working_period(period: Period, allowed: Iterable[str]) -> None:
    if period.status not in set(allowed):
        raise ValidationError(_("Sampel tidak dapat diubah: periode berstatus “%(status)s”.")
                              % {"status": period.get_status_display()})


def _document(period: Period) -> mdoc.Methodology:
    return services.document_of(period.methodology_version)


@transaction.atomic
def sample_choose(*, actor: Any, period: Period, institution_id: int, rule: str, per_kind: int = 1,
                  per_unit: int = sampling.DEFAULT_PRODUCTS) -> sampling.Choice:
    """Choose an institution's sample by rule (``sampling.py``), replacing its previous sample;
    only while the period is in draft. Each sampled unit and product records the rule and who
    chose it."""
    period = _locked(period)
    if not cycle_rules.manages_period(actor, period):
        raise NotInScope
    _working_period(period, [Period.Status.DRAFT])
    if rule not in SampleRule.values or rule == SampleRule.HAND:
        raise ValidationError({"rule": _("Aturan sampel tidak dikenal.")})
    if not period.institutions.filter(pk=institution_id).exists():
        raise NotInScope
    institution = registry.institution_rows([institution_id])[institution_id]
    units = registry.active_units_of([institution_id])
    products = registry.active_products_of([u["id"] for u in units])
    choice = sampling.choose(rule, institution_kind=institution["kind"], units=units, products=products,
                             per_kind=per_kind, per_unit=per_unit, needs_products=needs_products(_document(period)))
    before = sorted(period.sampled_units.filter(institution_id=institution_id).values_list("unit_id", flat=True))
    period.sampled_units.filter(institution_id=institution_id).delete()
    name = actor_name(actor)
    for unit_id, product_ids in choice.units:
        sampled = SampledUnit.objects.create(period=period, institution_id=institution_id, unit_id=unit_id, rule=rule,
                                             chosen_by=actor, chosen_by_name=name)
        SampledProduct.objects.bulk_create([SampledProduct(sampled_unit=sampled, product_id=p, rule=rule,
                                                           chosen_by=actor, chosen_by_name=name) for p in product_ids])
    audit.record(actor=actor, event_type="sample.chosen", obj=period, before={"units": before},
                 after={"rule": rule, "units": [u for u, _ in choice.units], "missing_loci": choice.missing_loci,
                        "without_products": choice.without_products}, **where(institution))
    return choice


@transaction.atomic
def sample_add(*, actor: Any, period: Period, unit_id: int, product_ids: Iterable[int] = ()) -> SampledUnit:
    """Add a unit (and products of it) to the sample by hand, while the period is in draft or
    collecting data; a unit already sampled gets the products added."""
    period = _locked(period)
    if not cycle_rules.manages_period(actor, period):
        raise NotInScope
    _working_period(period, [Period.Status.DRAFT, Period.Status.COLLECTION])
    unit = registry.unit_rows([unit_id]).get(unit_id)
    if unit is None or not period.institutions.filter(pk=unit["institution_id"]).exists():
        raise NotInScope
    if not unit["is_active"]:
        raise ValidationError(_("Unit “%(name)s” tidak aktif.") % {"name": unit["name"]})
    wanted = sorted(set(product_ids))
    rows = registry.product_rows(wanted)
    wrong = [p for p in wanted if p not in rows or rows[p]["unit_id"] != unit_id or not rows[p]["is_active"]]
    if wrong:
        raise ValidationError(_("Produk %(ids)s bukan produk aktif unit “%(name)s”.")
                              % {"ids": ", ".join(map(str, wrong)), "name": unit["name"]})
    name = actor_name(actor)
    sampled, _created = SampledUnit.objects.get_or_create(
        period=period, unit_id=unit_id,
        defaults={"institution_id": unit["institution_id"], "rule": SampleRule.HAND, "chosen_by": actor,
                  "chosen_by_name": name})
    have = set(sampled.products.values_list("product_id", flat=True))
    new = [p for p in wanted if p not in have]
    SampledProduct.objects.bulk_create([SampledProduct(sampled_unit=sampled, product_id=p, rule=SampleRule.HAND,
                                                       chosen_by=actor, chosen_by_name=name) for p in new])
    if needs_products(_document(period)) and not sampled.products.exists():
        raise ValidationError(_("Metodologi ini menilai per produk: pilih paling sedikit satu produk unit “%(name)s”.")
                              % {"name": unit["name"]})
    institution = registry.institution_rows([unit["institution_id"]])[unit["institution_id"]]
    audit.record(actor=actor, event_type="sample.added", obj=sampled, after={"unit": unit_id, "products": new},
                 **where(institution))
    return sampled


@transaction.atomic
def assignment_create(*, actor: Any, sampled_unit: SampledUnit, assessor: Any) -> Assignment:
    """Assign an assessor to a sampled unit of an official period: one with the assessor role in
    the national office or in an office covering the unit's institution."""
    sampled = SampledUnit.objects.select_for_update().select_related("period").get(pk=sampled_unit.pk)
    institution = registry.institution_rows([sampled.institution_id])[sampled.institution_id]
    if not cycle_rules.reviews_unit(actor, sampled, institution):
        raise NotInScope
    if sampled.period.kind != Period.Kind.OFFICIAL:
        raise ValidationError(_("Penilaian mandiri diisi oleh admin instansinya; tidak ada penugasan asisten."))
    if sampled.period.status == Period.Status.PUBLISHED:
        raise ValidationError(_("Periode ini sudah dipublikasikan."))
    if not cycle_rules.may_be_assigned(assessor, institution):
        raise ValidationError({"assessor": _(
            "%(name)s bukan asisten penilai di kantor yang mencakup instansi ini.") % {"name": actor_name(assessor)}})
    assignment, created = Assignment.objects.get_or_create(sampled_unit=sampled, assessor=assessor,
                                                           defaults={"assigned_by": actor})
    if created:
        audit.record(actor=actor, event_type="assignment.created", obj=assignment,
                     after={"sampled_unit": sampled.pk, "assessor": assessor.pk}, **where(institution))
    return assignment
