"""Writes of field work: answers (with revisions and conflicts), a unit's submission and review,
and the providers' contests. One transaction each, audit event inside, actors out of scope
refused (ADR 0019).

An answer carries a revision counter. A save names the revision the client saw (0 for a new
answer); when the stored one differs, somebody else saved in between and ``AnswerConflict``
returns both values to the caller — nothing is overwritten. A unit's answers are locked once it is
approved: only a reviewer may change one then, with a reason, and the change is audited as such.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pantau.assessments import cycle_rules, scoring, services, workflow
from pantau.assessments import methodology as mdoc
from pantau.assessments.models import Answer, Contest, Period, ReturnedItem, SampledProduct, SampledUnit
from pantau.assessments.models_cycle import COMMENT_CHARS, CONTEST_CHARS, EVIDENCE_CHARS, REASON_CHARS
from pantau.assessments.services_evidence import missing_evidence
from pantau.assessments.services_period import where
from pantau.core import audit
from pantau.core.errors import NotInScope
from pantau.core.text import clean_text
from pantau.registry import selectors as registry

ANSWER_FIELDS = ("item", "sampled_product_id", "value", "reason", "revision")
PLACES = Decimal("0.0001")


class AnswerConflict(Exception):
    """The answer changed since the client read it: both versions, for the caller to show side by side."""

    def __init__(self, *, item: str, product_id: int | None, revision_seen: int, stored: dict[str, Any],
                 submitted: dict[str, Any]) -> None:
        self.item, self.product_id, self.revision_seen = item, product_id, revision_seen
        self.stored, self.submitted = stored, submitted
        super().__init__(_("Jawaban item %(item)s sudah diubah orang lain sejak Anda membukanya (revisi %(seen)d, "
                           "sekarang %(now)d). Tersimpan: %(stored)s; jawaban Anda: %(mine)s. Pilih salah satu lalu "
                           "simpan lagi.") % {"item": item, "seen": revision_seen, "now": stored["revision"],
                                              "stored": _shown(stored), "mine": _shown(submitted)})


def _shown(answer: dict[str, Any]) -> str:
    value = answer.get("value")
    return _("tidak berlaku") if value is None else str(value)


def _allowed(item: mdoc.Item) -> str:
    na = _(", atau “tidak berlaku” dengan alasan") if item.na_allowed else ""
    if item.points:
        return _("salah satu dari %(points)s") % {"points": ", ".join(str(p) for p in item.points)} + na
    return _("angka %(min)s sampai %(max)s") % {"min": item.minimum, "max": item.maximum} + na


def check_value(document: mdoc.Methodology, item_code: str, value: Decimal | None, reason: str,
                product: bool) -> mdoc.Item:
    """The item, if ``value`` answers it; ``ValidationError`` naming the item otherwise (in
    Indonesian; ``scoring.check_answer`` then checks it the way scores are made)."""
    item = document.items.get(item_code)
    if item is None:
        raise ValidationError(_("Item %(item)s tidak ada dalam metodologi %(m)s.")
                              % {"item": item_code, "m": f"{document.id}@{document.version}"})
    named = {"item": item.code, "text": item.text[:120]}
    if item.level == "product" and not product:
        raise ValidationError(_("Item %(item)s (“%(text)s”) dijawab per produk: pilih produknya.") % named)
    if item.level == "unit" and product:
        raise ValidationError(_("Item %(item)s (“%(text)s”) dijawab per unit, bukan per produk.") % named)
    if value is None:
        if not item.na_allowed:
            raise ValidationError(_("Item %(item)s (“%(text)s”) tidak boleh dijawab “tidak berlaku”.") % named)
        if not reason:
            raise ValidationError(_("Item %(item)s (“%(text)s”) dijawab “tidak berlaku”: tulis alasannya.") % named)
    else:
        try:
            if not value.is_finite() or value != value.quantize(PLACES):
                raise ValueError
            item.check(value)
        except (ValueError, ArithmeticError):
            raise ValidationError(_("Jawaban %(value)s untuk item %(item)s (“%(text)s”) di luar skala: %(allowed)s.")
                                  % {**named, "value": value, "allowed": _allowed(item)}) from None
    scoring.check_answer(document, scoring.Answer("i", "u", "p" if product else "", item.code, value, reason))
    return item


def _snapshot(answer: Answer) -> dict[str, Any]:
    return audit.snapshot(answer, ANSWER_FIELDS)


def _write(*, actor: Any, answer: Answer, value: Decimal | None, reason: str, event_type: str,
           change_reason: str, institution: dict[str, Any]) -> Answer:
    before = None if answer.pk is None else _snapshot(answer)
    answer.value, answer.reason = value, (reason if value is None else "")
    answer.revision += 1
    answer.answered_by = actor
    answer.save()
    ReturnedItem.objects.filter(sampled_unit_id=answer.sampled_unit_id, sampled_product_id=answer.sampled_product_id,
                                item=answer.item, resolved_at__isnull=True).update(resolved_at=timezone.now())
    audit.record(actor=actor, event_type=event_type, obj=answer, before=before, after=_snapshot(answer),
                 reason=change_reason, **where(institution))
    return answer


def _unit(sampled_unit: SampledUnit) -> tuple[SampledUnit, dict[str, Any]]:
    sampled = (SampledUnit.objects.select_for_update().select_related("period__methodology_version__methodology")
               .get(pk=sampled_unit.pk))
    return sampled, registry.institution_rows([sampled.institution_id])[sampled.institution_id]


@transaction.atomic
def answer_save(*, actor: Any, sampled_unit: SampledUnit, item: str, value: Decimal | None, reason: str = "",
                sampled_product: SampledProduct | None = None, revision: int = 0,
                change_reason: str = "") -> Answer:
    """Save one answer. ``revision``: the revision the client saw (0: it saw no answer).

    While the period collects data or is in review, the unit's assessors answer an open or
    returned unit. An approved unit (or any unit once the period is past review) is locked: only a
    reviewer changes an answer there, with ``change_reason``, audited as
    ``answer.changed_after_approval``."""
    sampled, institution = _unit(sampled_unit)
    period = sampled.period
    reviewer = cycle_rules.reviews_unit(actor, sampled, institution)
    if not (reviewer or cycle_rules.answers_unit(actor, sampled)):
        raise NotInScope
    if sampled_product is not None and sampled_product.sampled_unit_id != sampled.pk:
        raise NotInScope
    reason = clean_text(reason or "")[:REASON_CHARS]
    change_reason = clean_text(change_reason or "")[:REASON_CHARS]
    locked = sampled.status == SampledUnit.Status.APPROVED or period.status not in workflow.WORKING
    if period.status == Period.Status.DRAFT:
        raise ValidationError(_("Pengumpulan data periode ini belum dibuka."))
    if locked:
        if not reviewer:
            raise ValidationError(_("Jawaban unit ini sudah dikunci setelah disetujui; minta kepala perwakilan "
                                    "mengubahnya dengan alasan."))
        if not change_reason:
            raise ValidationError({"change_reason": _("Unit ini sudah disetujui: tulis alasan perubahan jawaban.")})
    elif sampled.status == SampledUnit.Status.SUBMITTED and not reviewer:
        raise ValidationError(_("Unit ini sedang direviu; jawaban dapat diubah lagi bila dikembalikan."))
    check_value(services.document_of(period.methodology_version), item, value, reason, sampled_product is not None)
    stored = Answer.objects.select_for_update().filter(sampled_unit=sampled, sampled_product=sampled_product,
                                                       item=item).first()
    current = 0 if stored is None else stored.revision
    if current != revision:
        raise AnswerConflict(item=item, product_id=sampled_product.pk if sampled_product else None,
                             revision_seen=revision,
                             stored={"value": stored.value if stored else None,
                                     "reason": stored.reason if stored else "", "revision": current},
                             submitted={"value": value, "reason": reason})
    answer = stored or Answer(sampled_unit=sampled, sampled_product=sampled_product, item=item)
    event = "answer.changed_after_approval" if locked else "answer.saved"
    return _write(actor=actor, answer=answer, value=value, reason=reason, event_type=event,
                  change_reason=change_reason, institution=institution)


def lock_of(actor: Any, sampled: SampledUnit) -> tuple[bool, bool]:
    """(locked, may change with a reason): the instrument page shows which applies to the user."""
    locked = sampled.status == SampledUnit.Status.APPROVED or sampled.period.status not in workflow.WORKING
    if not locked or sampled.period.status == Period.Status.DRAFT:
        return locked, False
    institution = registry.institution_rows([sampled.institution_id])[sampled.institution_id]
    return True, cycle_rules.reviews_unit(actor, sampled, institution)


def missing_items(sampled: SampledUnit, document: mdoc.Methodology) -> list[str]:
    """The items still unanswered in a unit: ``code`` per unit, ``code (produk <id>)`` per product."""
    have: set[tuple[int | None, str]] = set(
        Answer.objects.filter(sampled_unit=sampled).values_list("sampled_product_id", "item"))
    missing = []
    products = list(sampled.products.values_list("pk", "product_id"))
    for item in document.items.values():
        if item.level == "unit":
            if (None, item.code) not in have:
                missing.append(item.code)
        else:
            missing += [f"{item.code} (produk {pid})" for spk, pid in products if (spk, item.code) not in have]
    return missing


def _unit_step(sampled: SampledUnit, name: str) -> str:
    sources, target, _who = workflow.UNIT_TRANSITIONS[name]
    if sampled.period.status not in workflow.WORKING:
        raise ValidationError(_("Periode berstatus “%(status)s”: reviu unit sudah ditutup.")
                              % {"status": sampled.period.get_status_display()})
    if sampled.status not in sources:
        raise ValidationError(_("Unit berstatus “%(status)s” tidak dapat %(step)s.") % {
            "status": sampled.get_status_display(), "step": {"submitted": _("diajukan"), "approved": _("disetujui"),
                                                             "returned": _("dikembalikan")}[name]})
    return target


def _move(*, actor: Any, sampled: SampledUnit, name: str, institution: dict[str, Any], **after: Any) -> SampledUnit:
    target = _unit_step(sampled, name)
    before = {"status": sampled.status}
    sampled.status = target  # the one place a unit's status changes (workflow.UNIT_TRANSITIONS)
    if name == "approved":
        sampled.approved_by, sampled.approved_at = actor, timezone.now()
    sampled.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(actor=actor, event_type=f"unit_review.{name}", obj=sampled, before=before,
                 after={"status": sampled.status, **after}, **where(institution))
    return sampled


@transaction.atomic
def unit_submit(*, actor: Any, sampled_unit: SampledUnit) -> SampledUnit:
    """The assessor hands the unit in for review: every item answered, every returned item fixed,
    the evidence each answered item's methodology entry requires attached (``services_evidence``)."""
    sampled, institution = _unit(sampled_unit)
    if not cycle_rules.answers_unit(actor, sampled):
        raise NotInScope
    _unit_step(sampled, "submitted")
    missing = missing_items(sampled, services.document_of(sampled.period.methodology_version))
    if missing:
        shown = ", ".join(missing[:10]) + (_(" dan %(n)d lagi") % {"n": len(missing) - 10} if len(missing) > 10 else "")
        raise ValidationError(_("Belum dijawab: %(items)s.") % {"items": shown})
    if workflow.open_returns(sampled):
        raise ValidationError(_("Masih ada item yang dikembalikan dan belum diperbaiki."))
    lacking = missing_evidence(sampled, services.document_of(sampled.period.methodology_version))
    if lacking:
        shown = "; ".join(lacking[:10]) + (_(" dan %(n)d lagi") % {"n": len(lacking) - 10} if len(lacking) > 10 else "")
        raise ValidationError(_("Bukti wajib belum dilampirkan: %(items)s.") % {"items": shown})
    return _move(actor=actor, sampled=sampled, name="submitted", institution=institution)


@transaction.atomic
def unit_approve(*, actor: Any, sampled_unit: SampledUnit) -> SampledUnit:
    """The reviewer approves a submitted unit: its answers lock."""
    sampled, institution = _unit(sampled_unit)
    if not cycle_rules.reviews_unit(actor, sampled, institution):
        raise NotInScope
    return _move(actor=actor, sampled=sampled, name="approved", institution=institution)


@transaction.atomic
def unit_return(*, actor: Any, sampled_unit: SampledUnit,
                items: list[tuple[str, SampledProduct | None, str]]) -> SampledUnit:
    """The reviewer returns items of a submitted unit, each (item, product or None, comment)."""
    sampled, institution = _unit(sampled_unit)
    if not cycle_rules.reviews_unit(actor, sampled, institution):
        raise NotInScope
    _unit_step(sampled, "returned")
    if not items:
        raise ValidationError(_("Pilih item yang dikembalikan beserta catatannya."))
    document = services.document_of(sampled.period.methodology_version)
    notes = []
    for code, product, comment in items:
        comment = clean_text(comment or "", multiline=True)
        if code not in document.items:
            raise ValidationError(_("Item %(item)s tidak ada dalam metodologi ini.") % {"item": code})
        if product is not None and product.sampled_unit_id != sampled.pk:
            raise NotInScope
        if not comment:
            raise ValidationError(_("Tulis catatan untuk item %(item)s.") % {"item": code})
        if len(comment) > COMMENT_CHARS:
            raise ValidationError(_("Catatan item %(item)s terlalu panjang (paling banyak %(n)d karakter).")
                                  % {"item": code, "n": COMMENT_CHARS})
        notes.append(ReturnedItem(sampled_unit=sampled, sampled_product=product, item=code, comment=comment,
                                  returned_by=actor))
    ReturnedItem.objects.bulk_create(notes)
    return _move(actor=actor, sampled=sampled, name="returned", institution=institution,
                 items=[n.item for n in notes])


def _date(day: Any) -> str:
    return str(formats.date_format(day, "j F Y"))


@transaction.atomic
def contest_create(*, actor: Any, answer: Answer, text: str, evidence: str = "") -> Contest:
    """The institution admin contests one answer of its own institution, within the response window."""
    stored = Answer.objects.select_related("sampled_unit__period").get(pk=answer.pk)
    sampled, institution = _unit(stored.sampled_unit)
    period = sampled.period
    if not cycle_rules.contests_for(actor, sampled.institution_id) or period.kind != Period.Kind.OFFICIAL:
        raise NotInScope
    today = timezone.localdate()
    if period.status != Period.Status.RESPONSE or today < period.response_start:
        raise ValidationError(_("Masa tanggapan penyelenggara belum dibuka (mulai %(date)s).")
                              % {"date": _date(period.response_start)})
    if today > period.response_end:
        raise ValidationError(_("Masa tanggapan berakhir pada %(date)s; keberatan tidak dapat diajukan lagi.")
                              % {"date": _date(period.response_end)})
    body = clean_text(text or "", multiline=True)
    evidence = clean_text(evidence or "")
    if not body:
        raise ValidationError({"text": _("Tulis alasan keberatan Anda.")})
    if len(body) > CONTEST_CHARS or len(evidence) > EVIDENCE_CHARS:
        raise ValidationError(_("Keberatan paling banyak %(text)d karakter, rujukan bukti %(evidence)d karakter.")
                              % {"text": CONTEST_CHARS, "evidence": EVIDENCE_CHARS})
    if stored.contests.filter(status=Contest.Status.OPEN).exists():
        raise ValidationError(_("Keberatan atas item %(item)s masih menunggu keputusan.") % {"item": stored.item})
    contest = Contest.objects.create(answer=stored, text=body, evidence=evidence, created_by=actor,
                                     old_value=stored.value)
    audit.record(actor=actor, event_type="contest.created", obj=contest,
                 after={"answer": stored.pk, "item": stored.item, "evidence": evidence},
                 **where(institution, provider_reads=True))
    return contest


@transaction.atomic
def contest_decide(*, actor: Any, contest: Contest, accept: bool, decision: str, value: Decimal | None = None,
                   reason: str = "") -> Contest:
    """The office decides a contest while the period is in its response step: accepted, the
    answer takes ``value`` (audited with the decision as its reason); rejected, it stays."""
    contest = Contest.objects.select_for_update().select_related("answer").get(pk=contest.pk)
    sampled, institution = _unit(contest.answer.sampled_unit)
    if not cycle_rules.reviews_unit(actor, sampled, institution):
        raise NotInScope
    if sampled.period.status != Period.Status.RESPONSE:
        raise ValidationError(_("Keberatan hanya diputuskan selama masa tanggapan."))
    if contest.status != Contest.Status.OPEN:
        raise ValidationError(_("Keberatan ini sudah diputuskan."))
    decision = clean_text(decision or "")[:REASON_CHARS]
    if not decision:
        raise ValidationError({"decision": _("Tulis dasar keputusan.")})
    answer = Answer.objects.select_for_update().get(pk=contest.answer_id)
    if accept:
        reason = clean_text(reason or "")[:REASON_CHARS]
        check_value(services.document_of(sampled.period.methodology_version), answer.item, value, reason,
                    answer.sampled_product_id is not None)
        _write(actor=actor, answer=answer, value=value, reason=reason, event_type="answer.changed_after_approval",
               change_reason=f"keberatan #{contest.pk}: {decision}"[:REASON_CHARS], institution=institution)
        contest.new_value = value
    contest.status = Contest.Status.ACCEPTED if accept else Contest.Status.REJECTED
    contest.decision, contest.decided_by, contest.decided_at = decision, actor, timezone.now()
    contest.save()
    audit.record(actor=actor, event_type="contest.decided", obj=contest,
                 after={"status": contest.status, "old_value": str(contest.old_value),
                        "new_value": None if contest.new_value is None else str(contest.new_value)},
                 reason=decision, **where(institution, provider_reads=True))
    return contest
