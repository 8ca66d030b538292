"""Stored results: computed with ``scoring.score_answers`` from the stored answers, one row per
product (era 1), unit and institution, with score, category, zone, the breakdown (the scoring
``Step`` tree as JSON) and the methodology version. ``recompute`` gives the same rows from the
answers again, bit for bit (tests compare them). Published rows never change; a correction after
publication stores the next version with its reason and keeps the old one (ADR 0019)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.assessments import cycle_rules, results_stamp, scoring, services
from pantau.assessments import methodology as mdoc
from pantau.assessments.models import Answer, MethodologyVersion, Period, Result
from pantau.assessments.models_cycle import REASON_CHARS
from pantau.assessments.services_period import actor_name
from pantau.core import audit, text
from pantau.core.errors import NotInScope
from pantau.registry import selectors as registry

COMPARED = ("level", "institution_id", "sampled_unit_id", "sampled_product_id", "methodology_version_id", "score",
            "exact", "category", "category_label", "zone", "breakdown")


def step_json(step: scoring.Step) -> dict[str, Any]:
    """A breakdown step as JSON: numbers as exact strings."""
    return {"name": step.name, "value": None if step.value is None else str(step.value), "formula": step.formula,
            "parts": [step_json(p) for p in step.parts]}


def canonical_value(value: Decimal | None) -> Decimal | None:
    """An answer as the methodology writes its points: without the padding of the stored column
    (``1.0000`` → ``1``, ``61.5000`` → ``61.5``), so that a breakdown reads the same whether the
    answers came from the database or straight from a file."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _answers(period: Period, institution_ids: Iterable[int] | None) -> list[scoring.Answer]:
    qs = Answer.objects.filter(sampled_unit__period=period)
    if institution_ids is not None:
        qs = qs.filter(sampled_unit__institution_id__in=list(institution_ids))
    rows = qs.values_list("sampled_unit__institution_id", "sampled_unit_id", "sampled_product_id", "item", "value",
                          "reason").order_by("pk")
    return [scoring.Answer(str(i), str(u), "" if p is None else str(p), item, canonical_value(value), reason)
            for i, u, p, item, value, reason in rows]


def result_fields(version: MethodologyVersion, document: mdoc.Methodology,
                  result: scoring.Result) -> tuple[str, dict[str, Any]]:
    """A scored result's key (``i:``/``u:``/``p:`` and its id) and the fields of its row, all but
    the breakdown (the per-object and the bulk path write it each their own way)."""
    if result.level == "institution":
        key, unit, product = f"i:{result.institution}", None, None
    elif result.level == "unit":
        key, unit, product = f"u:{result.unit}", int(result.unit), None
    else:
        key, unit, product = f"p:{result.product}", int(result.unit), int(result.product)
    return key, {
        "level": result.level, "institution_id": int(result.institution), "sampled_unit_id": unit,
        "sampled_product_id": product, "methodology_version_id": version.pk,
        "score": result.score.quantize(document.step, rounding=scoring.RULES[document.aggregation.rounding]),
        "exact": str(result.score), "category": result.band.code, "category_label": result.band.label[:100],
        "zone": result.zone.code,
    }


def recompute(period: Period, institution_ids: Iterable[int] | None = None) -> dict[str, dict[str, Any]]:
    """key → the fields of a result row, computed from the stored answers (nothing written)."""
    version = period.methodology_version
    document = services.document_of(version)
    answers = _answers(period, institution_ids)
    if not answers:
        return {}
    try:
        card = scoring.score_answers(document, answers)
    except scoring.ScoringError as exc:
        raise ValidationError(_("Hasil belum dapat dihitung: %(problem)s") % {"problem": exc}) from exc
    rows: dict[str, dict[str, Any]] = {}

    def add(result: scoring.Result) -> None:
        key, fields = result_fields(version, document, result)
        rows[key] = {**fields, "breakdown": step_json(result.step)}
        for child in result.children:
            add(child)

    for institution in card.institutions:
        add(institution)
    return rows


def results_store(*, actor: Any, period: Period) -> int:
    """Store the period's draft results (replacing earlier drafts); inside the caller's transaction
    (``services_period.period_advance``). Refused once a result is published."""
    if Result.objects.filter(period=period, is_published=True).exists():
        raise ValidationError(_("Hasil periode ini sudah dipublikasikan; perbaikan disimpan sebagai koreksi."))
    rows = recompute(period)
    Result.objects.filter(period=period).delete()
    name = actor_name(actor)
    Result.objects.bulk_create([Result(period=period, key=key, computed_by_name=name, **fields)
                                for key, fields in rows.items()])
    audit.record(actor=actor, event_type="result.computed", obj=period, after={"results": len(rows)})
    return len(rows)


def results_publish(period: Period) -> int:
    """Mark the current results published (inside the caller's transaction, which saves the period)."""
    results_stamp.forget()
    return Result.objects.filter(period=period, is_current=True, is_published=False).update(
        is_published=True, published_at=timezone.now())


def _same(row: Result, fields: dict[str, Any]) -> bool:
    return all(getattr(row, f) == fields[f] for f in COMPARED)


@transaction.atomic
def result_correct(*, actor: Any, period: Period, institution_id: int, reason: str) -> list[Result]:
    """After publication: recompute one institution from its answers as they stand now (changed
    with a reason by a reviewer, ``answer_save``) and store each changed result as the next
    version, published, with ``reason``; the old versions stay (``is_current`` false)."""
    period = Period.objects.select_for_update().select_related("methodology_version").get(pk=period.pk)
    institution = registry.institution_rows([institution_id]).get(institution_id)
    if institution is None or not period.institutions.filter(pk=institution_id).exists():
        raise NotInScope
    may = cycle_rules.reviews_institution(actor, period, institution)
    if not may:
        raise NotInScope
    if period.status != Period.Status.PUBLISHED:
        raise ValidationError(_("Koreksi hanya untuk hasil yang sudah dipublikasikan."))
    reason = text.clean_text(reason or "")[:REASON_CHARS]
    if not reason:
        raise ValidationError({"reason": _("Tulis alasan koreksi.")})
    fresh = recompute(period, [institution_id])
    current = {r.key: r for r in Result.objects.filter(period=period, is_current=True, key__in=list(fresh))}
    changed = {k: f for k, f in fresh.items() if k not in current or not _same(current[k], f)}
    if not changed:
        raise ValidationError(_("Hasil yang dihitung ulang sama dengan yang dipublikasikan; tidak ada yang dikoreksi."))
    now, name, stored = timezone.now(), actor_name(actor), []
    versions: dict[str, int] = defaultdict(int)
    for key, number in Result.objects.filter(period=period, key__in=list(changed)).values_list("key", "version"):
        versions[key] = max(versions[key], number)
    for key, fields in changed.items():
        old = current.get(key)
        if old is not None:
            old.is_current = False
            old.save(update_fields=["is_current"])
        stored.append(Result.objects.create(period=period, key=key, version=versions[key] + 1, is_published=True,
                                            published_at=now, reason=reason, computed_by_name=name, **fields))
    period.save(update_fields=["changed_at"])  # the public pages' stamp
    results_stamp.forget()
    audit.record(actor=actor, event_type="result.corrected", obj=period, reason=reason,
                 after={"institution": institution_id, "keys": sorted(changed)},
                 institution_id=institution_id, province_id=institution["province_id"])
    return stored
