"""Duplicate reports: suggestions on the case page and staff linking of duplicates into one group.

**Suggestions** for a case, among the cases of the same office (the scope of the case's own staff), never
by reading the whole table:

- *the same reporter*: another case whose reporter has the same NIK, e-mail or phone (indexed columns of
  ``Reporter``, filled values only). Shown only to a viewer who may see this case's identity
  (``selectors.may_see_identity``); the other reporter's identity is never shown, only the other case's
  number and title;
- *the same reported institution and similar text*: the newest ``CANDIDATES`` cases of the same
  institution, scored by the Jaccard similarity of the stemmed, synonym-aware terms of their title and
  redacted chronology (``pantau.core.search.text``), at least ``THRESHOLD``.

**Linking** (``link``, ``unlink``): the intake officer or the head of the case's office puts two cases of
that office in one group (merging groups), or takes a case out; each step is an event in the history of
the cases concerned and an audit event.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pantau.complaints import search_docs, selectors, workflow
from pantau.complaints.models import Case, DuplicateGroup, Event, Reporter
from pantau.complaints.views_manage import works_on_complaints
from pantau.core import audit
from pantau.core.access import access
from pantau.core.converters import parse_id
from pantau.core.search import text as search_text
from pantau.core.search.models import SearchDocument
from pantau.core.search.text import kind_marker

CANDIDATES = 100  # the newest cases of the same institution and office compared by text
THRESHOLD = 0.25  # the least Jaccard similarity suggested
SHOWN = 8
SAME_REPORTER_LIMIT = 20
LINKERS = (workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE)


@dataclass(frozen=True)
class Suggestion:
    pk: int
    number: str
    title: str
    same_reporter: bool
    score: float  # text similarity, 0..1

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _terms(*texts: str) -> frozenset[str]:
    return frozenset(" ".join(search_text.document_terms(t) for t in texts if t).split())


def indexed_terms(ids: list[int]) -> dict[int, frozenset[str]]:
    """The stemmed, synonym-aware words the search index holds for these cases (one query, no stemming:
    the case page shows suggestions on every view)."""
    rows = SearchDocument.objects.filter(kind=search_docs.KIND, object_id__in=ids).values_list(
        "object_id", "title_terms", "body_terms")
    return {pk: frozenset(f"{title} {body}".split()) for pk, title, body in rows}


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _phone_variants(phone: str) -> list[str]:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return []
    local = "0" + digits[2:] if digits.startswith("62") else digits
    return sorted({phone, digits, local, "+62" + local[1:] if local.startswith("0") else local})


def same_reporter_ids(case: Case) -> set[int]:
    """Other cases of the same office whose reporter shares this case's NIK, e-mail or phone."""
    keys = Reporter.objects.filter(case=case).values_list("nik", "email", "phone").first()
    if keys is None or case.office_id is None:
        return set()
    nik, email, phone = keys
    match = Q(pk__in=[])
    if nik:
        match |= Q(nik=nik)
    if email:
        match |= Q(email__in=sorted({email, email.lower()}))
    if variants := _phone_variants(phone):
        match |= Q(phone__in=variants)
    if not (nik or email or variants):
        return set()
    return set(Reporter.objects.filter(match, case__office_id=case.office_id).exclude(case_id=case.pk)
               .values_list("case_id", flat=True)[:SAME_REPORTER_LIMIT])


def suggestions(user: Any, case: Case) -> list[Suggestion]:
    """The likely duplicates of ``case`` for ``user`` (best first, at most ``SHOWN``), without the cases
    already in its group."""
    if case.office_id is None:
        return []
    grouped = set(group_ids(case))
    reporter_ids = same_reporter_ids(case) if selectors.may_see_identity(user, case) else set()
    scored: dict[int, float] = {}
    rows: dict[int, tuple[str, str]] = {}
    if case.institution_id is not None:
        candidates = list(Case.objects.filter(institution_id=case.institution_id, office_id=case.office_id)
                          .exclude(pk=case.pk).order_by("-pk").values_list("pk", "number", "title")[:CANDIDATES])
        terms = indexed_terms([case.pk, *(pk for pk, _number, _title in candidates)])
        own = terms.get(case.pk) or _terms(case.title, case.public_summary)
        # Words most of the candidates share (the institution's and the service's names, the kind's marker)
        # say nothing about this report: left out of both sides.
        shared = Counter(word for pk, _number, _title in candidates for word in terms.get(pk, ()))
        common = {word for word, n in shared.items() if n > max(2, len(candidates) // 2)}
        common |= _terms(*(x.name for x in (case.institution, case.unit, case.product) if x is not None))
        common.add(kind_marker(search_docs.KIND))
        own = own - common
        for pk, number, title in candidates:
            score = similarity(own, terms.get(pk, frozenset()) - common)
            if score >= THRESHOLD or pk in reporter_ids:
                scored[pk], rows[pk] = score, (number, title)
    missing = reporter_ids - set(rows)
    if missing:
        for pk, number, title in Case.objects.filter(pk__in=missing, office_id=case.office_id).values_list(
                "pk", "number", "title"):
            scored[pk], rows[pk] = 0.0, (number, title)
    found = [Suggestion(pk, rows[pk][0], rows[pk][1], pk in reporter_ids, scored[pk])
             for pk in rows if pk not in grouped]
    found.sort(key=lambda s: (not s.same_reporter, -s.score, -s.pk))
    return found[:SHOWN]


def group_ids(case: Case) -> list[int]:
    if case.duplicate_group_id is None:
        return []
    return list(Case.objects.filter(duplicate_group_id=case.duplicate_group_id).exclude(pk=case.pk)
                .order_by("pk").values_list("pk", flat=True))


def may_link(user: Any, case: Case) -> bool:
    return any(role in LINKERS for role in selectors.roles_on(user, case))


def panel(user: Any, case: Case) -> dict[str, Any]:
    """The case page's duplicates part (``complaints/manage/duplicates.html``)."""
    linked = []
    if case.duplicate_group_id is not None:
        linked = list(Case.objects.filter(duplicate_group_id=case.duplicate_group_id).exclude(pk=case.pk)
                      .filter(selectors.cases_q(user) or Q()).order_by("pk").values("pk", "number", "title"))
    # Suggestions are for those who decide on them (intake officer, head of office) while the case is open;
    # others see the group it is in.
    checked = may_link(user, case) and case.is_open
    if not (checked or linked):
        return {}
    return {"suggestions": suggestions(user, case) if checked else [], "linked": linked, "may_link": checked,
            "checked": checked}


# --- linking (a service: one transaction, an event on each case, an audit event) ---------------------------------


def _note(case: Case, actor: Any, action: str, note: str) -> None:
    Event.objects.create(case=case, actor=actor, actor_label="petugas", action=action, note=note)


@transaction.atomic
def link(*, actor: Any, case: Case, other: Case) -> DuplicateGroup:
    """Put ``case`` and ``other`` (of the same office) in one group of duplicates."""
    first, second = sorted((case.pk, other.pk))
    locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second])}
    if first == second or len(locked) != 2:
        raise ValidationError(_("Pilih laporan lain untuk ditautkan."))
    case, other = locked[case.pk], locked[other.pk]
    if case.office_id is None or case.office_id != other.office_id:
        raise ValidationError(_("Hanya laporan dari kantor yang sama yang dapat ditautkan."))
    if not (may_link(actor, case) and may_link(actor, other)):
        raise workflow.TransitionRefused("not_found", _("Tindakan ini tidak tersedia untuk Anda pada laporan ini."))
    if case.duplicate_group_id is not None and case.duplicate_group_id == other.duplicate_group_id:
        raise ValidationError(_("Kedua laporan sudah ditautkan."))
    group_id = case.duplicate_group_id or other.duplicate_group_id
    if group_id is None:
        group = DuplicateGroup.objects.create(created_by=actor)
    else:
        group = DuplicateGroup.objects.get(pk=group_id)
    moved = [c for c in (case, other) if c.duplicate_group_id != group.pk]
    absorbed = {c.duplicate_group_id for c in moved if c.duplicate_group_id is not None}
    if absorbed:  # merge the other group into this one
        Case.objects.filter(duplicate_group_id__in=absorbed).update(duplicate_group=group)
        DuplicateGroup.objects.filter(pk__in=absorbed).delete()
    Case.objects.filter(pk__in=[c.pk for c in moved]).update(duplicate_group=group)
    for one, two in ((case, other), (other, case)):
        _note(one, actor, "duplicate_link", _("Ditautkan sebagai laporan ganda dengan %(number)s.") % {
            "number": two.number})
        audit.record(actor=actor, event_type="case.duplicate_linked", obj=one,
                     after={"group": group.pk, "with": two.number},
                     institution_id=one.institution_id, province_id=one.province_id)
    return group


@transaction.atomic
def unlink(*, actor: Any, case: Case) -> None:
    """Take ``case`` out of its group of duplicates (a group of one is removed)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_link(actor, case):
        raise workflow.TransitionRefused("not_found", _("Tindakan ini tidak tersedia untuk Anda pada laporan ini."))
    group_id = case.duplicate_group_id
    if group_id is None:
        raise ValidationError(_("Laporan ini tidak ditautkan dengan laporan lain."))
    Case.objects.filter(pk=case.pk).update(duplicate_group=None)
    case.duplicate_group_id = None
    rest = list(Case.objects.filter(duplicate_group_id=group_id).values_list("pk", flat=True))
    if len(rest) <= 1:
        Case.objects.filter(pk__in=rest).update(duplicate_group=None)
        DuplicateGroup.objects.filter(pk=group_id).delete()
    _note(case, actor, "duplicate_unlink", _("Dilepas dari kelompok laporan ganda."))
    audit.record(actor=actor, event_type="case.duplicate_unlinked", obj=case, before={"group": group_id},
                 institution_id=case.institution_id, province_id=case.province_id)


# --- views ---------------------------------------------------------------------------------------------------


def _answer(request: HttpRequest, case: Case, write: Any, done: str) -> HttpResponse:
    try:
        write()
    except workflow.TransitionRefused as refused:
        if refused.code == "not_found":
            raise Http404 from None
        messages.error(request, str(refused.message))
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(request, done)
    return redirect("complaint_manage:case", case.pk)


@require_POST
@access(works_on_complaints)
def link_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    other_pk = parse_id(str(request.POST.get("other") or ""))
    if other_pk is None or not may_link(request.user, case):
        raise Http404
    other = selectors.case_for(request.user, other_pk)  # another office's case: 404
    return _answer(request, case, lambda: link(actor=request.user, case=case, other=other),
                   _("Laporan %(number)s ditautkan sebagai laporan ganda.") % {"number": other.number})


@require_POST
@access(works_on_complaints)
def unlink_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if not may_link(request.user, case):
        raise Http404
    return _answer(request, case, lambda: unlink(actor=request.user, case=case),
                   _("Laporan dilepas dari kelompok laporan ganda."))
