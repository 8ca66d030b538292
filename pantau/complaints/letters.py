"""Generated documents of a case (issue 10, "Confidentiality"): the LAHP (Laporan Akhir Hasil Pemeriksaan)
and the letter asking the reported institution for a written clarification (surat permintaan klarifikasi),
as PDF through the shared writer (``pantau.reports.pdf``).

**The reporter's identity.** It is printed in the LAHP and the letter only when the case's visibility is
*public*, and then only the name (with whom the reporter acts for); for an anonymous or confidential report
the documents say :data:`IDENTITY_HIDDEN` (UU 37/2008 Pasal 24 ayat (2); PO 48/2020 Pasal 25 ayat (3)).
Contact data is never printed: every text taken from the case (title, chronology or summary, remedy,
activity notes, corrective actions) goes through ``redact.redact`` (e-mail, phone, NIK), and the
reporter's own recorded NIK, e-mail, phone and address — and the name, unless public — are also replaced
wherever they occur, so a name typed into the chronology does not leak either. The identity row is read
here only for that scrubbing (never shown otherwise); the download is audited by the view.

**Who may download** (:func:`may_download`): Ombudsman staff of the case's office (intake, examiner, head:
``selectors.roles_on``); the LAHP once issued (:data:`ISSUED_STATES`, or closed after it was issued) also
the reported provider's staff; never providers for a draft. A document that does not exist in the case's
kind or stage answers 404.

**Bounded.** Every text is cut at a limit with a note saying so (the chronology at :data:`MATTER_LIMIT`
characters, each activity note at :data:`NOTE_SHOWN`, at most :data:`ACTIVITIES_SHOWN` activities and
:data:`DEMANDS_SHOWN` demands), so the worst case is a few pages and renders in the request (measured in
``tests/test_letters.py``: well under two seconds).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts.models import Membership, Role
from pantau.complaints import clock, deadlines, selectors, workflow
from pantau.complaints.models import Case, Event, Reporter, Visibility
from pantau.complaints.redact import MARKER, redact
from pantau.complaints.vocab import (
    CLOSURE_REASONS,
    IAPS,
    LM,
    MALADMINISTRATION_LABELS,
    RCO,
    Conclusion,
    Maladministration,
    RecordKind,
    State,
)
from pantau.reports.pdf import render_pdf

LAHP, CLARIFICATION = "lahp", "klarifikasi"
KINDS = (LAHP, CLARIFICATION)
TEMPLATES = {LAHP: "complaints/letters/lahp.html", CLARIFICATION: "complaints/letters/clarification.html"}
IDENTITY_HIDDEN = "Identitas pelapor dirahasiakan (UU 37/2008 Pasal 24 ayat (2))"
STAFF_ROLES = frozenset({workflow.INTAKE_OFFICER, workflow.EXAMINER, workflow.HEAD_OF_OFFICE})
LAHP_KINDS = frozenset({LM, IAPS})
DRAFT_STATES = frozenset({State.DRAFT_LAHP, State.AWAITING_REPORTER_RESPONSE})
ISSUED_STATES = frozenset({State.LAHP_ISSUED, State.CORRECTIVE_MONITORING, State.RECOMMENDATION,
                           State.RECOMMENDATION_MONITORING})
CLARIFICATION_KINDS = frozenset({LM, RCO, IAPS})
CLARIFICATION_STATES = frozenset({State.EXAMINATION, State.RAPID_RESPONSE})
ACTIVITY_ACTIONS = {"request_written_clarification": "Permintaan klarifikasi tertulis",
                    "hold_oral_clarification": "Klarifikasi lisan / koordinasi langsung",
                    "summon": "Pemanggilan", "check_in_field": "Pemeriksaan lapangan",
                    "mediate": "Mediasi / konsiliasi"}
CONCLUSIONS = {Conclusion.FOUND: "Ditemukan maladministrasi",
               Conclusion.NOT_FOUND: "Tidak ditemukan maladministrasi",
               Conclusion.STOPPED: "Pemeriksaan dihentikan"}
# Limits (characters, rows) that keep a document a few pages long whatever the case holds.
MATTER_LIMIT = 6_000
TITLE_LIMIT = 200
REMEDY_LIMIT = 1_500
NOTE_SHOWN = 800
ACTIVITIES_SHOWN = 20
DEMANDS_SHOWN = 20
DEMAND_TEXT_SHOWN = 2_000


@dataclass(frozen=True)
class Cut:
    """A text as printed: possibly shortened (``cut``: the document says so)."""

    text: str
    cut: bool = False


def shorten(text: str, limit: int) -> Cut:
    """``text`` cut at ``limit`` characters, on a word boundary when one is near, with an ellipsis."""
    if len(text) <= limit:
        return Cut(text)
    head = text[:limit]
    space = head.rfind(" ")
    if space > limit * 0.8:
        head = head[:space]
    return Cut(head.rstrip() + " …", True)


# --- who may download what -------------------------------------------------------------------------------------


def lahp_issued(case: Case) -> bool:
    """Whether the case's LAHP has been issued (a closed case: if it was issued before closing)."""
    if State(case.state) in ISSUED_STATES:
        return True
    return case.state == State.CLOSED and case.events.filter(action="issue_lahp").exists()


def exists(case: Case, kind: str) -> bool:
    """Whether the document ``kind`` exists for the case's kind and stage."""
    record = RecordKind(case.kind)
    if kind == LAHP:
        return record in LAHP_KINDS and (State(case.state) in DRAFT_STATES or lahp_issued(case))
    if kind == CLARIFICATION:
        return record in CLARIFICATION_KINDS and State(case.state) in CLARIFICATION_STATES
    return False


def may_download(user: Any, case: Case, kind: str) -> bool:
    """Ombudsman staff of the case's office; the provider's staff only for an issued LAHP."""
    if kind not in KINDS:
        return False
    roles = set(selectors.roles_on(user, case))
    if roles & STAFF_ROLES:
        return exists(case, kind)
    if kind == LAHP and roles & workflow.PROVIDER_STAFF:
        return RecordKind(case.kind) in LAHP_KINDS and lahp_issued(case)
    return False


def offered(user: Any, case: Case) -> list[str]:
    """The documents ``user`` may download on the case page (in :data:`KINDS` order)."""
    return [kind for kind in KINDS if may_download(user, case, kind)]


# --- what the documents say ------------------------------------------------------------------------------------


class Scrubber:
    """Removes contact data (``redact``) and the reporter's own recorded data from text. The name stays only
    when the identity may be printed (a public report)."""

    def __init__(self, reporter: Reporter | None, *, show_name: bool) -> None:
        values = []
        if reporter is not None:
            values = [reporter.nik, reporter.email, reporter.phone, reporter.address, reporter.acting_for]
            if not show_name:
                values.append(reporter.full_name)
        words = sorted({v.strip() for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)
        self.pattern = re.compile(
            "(?<!\\w)(?:" + "|".join(re.escape(w) for w in words) + ")(?!\\w)", re.IGNORECASE) if words else None

    def __call__(self, text: str) -> str:
        if self.pattern is not None:
            text = self.pattern.sub(MARKER, text)
        return redact(text)


def _local_date(moment: dt.datetime | None) -> dt.date:
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


def _head_name(case: Case, issued: Event | None) -> str:
    """Who signs: the head who issued the LAHP, else the (first) head of the case's office."""
    if issued is not None and issued.actor is not None:
        return str(issued.actor.display_name())
    row = (Membership.objects.filter(role=Role.HEAD_OF_OFFICE, office_id=case.office_id or 0)
           .select_related("user").order_by("pk").first())
    return str(row.user.display_name()) if row is not None else ""


def _identity(case: Case, reporter: Reporter | None) -> dict[str, Any]:
    """What the documents say of the reporter: the name only for a public report."""
    if RecordKind(case.kind) is IAPS:
        return {"shown": False, "text": _("Investigasi atas prakarsa sendiri (tanpa pelapor)")}
    if case.visibility != Visibility.PUBLIC:
        return {"shown": False, "text": IDENTITY_HIDDEN}
    name = reporter.full_name.strip() if reporter is not None else ""
    acting = reporter.acting_for.strip() if reporter is not None else ""
    if not name:
        return {"shown": False, "text": _("Identitas pelapor tidak tercatat.")}
    return {"shown": True, "text": name, "acting_for": acting}


def _common(case: Case, scrub: Scrubber, reporter: Reporter | None) -> dict[str, Any]:
    public = case.visibility == Visibility.PUBLIC
    matter = shorten(scrub(case.chronology if public else case.public_summary), MATTER_LIMIT)
    return {
        "case": case, "kind_label": RecordKind(case.kind).label,
        "title": shorten(scrub(case.title), TITLE_LIMIT).text,
        "matter": matter, "matter_limit": MATTER_LIMIT,
        "identity": _identity(case, reporter),
        "reported": [x for x in (case.institution.name if case.institution else case.reported_other,
                                 case.unit.name if case.unit else "",
                                 case.product.name if case.product else "") if x],
        "office": case.office,
    }


def _activities(case: Case, scrub: Scrubber) -> tuple[list[dict[str, Any]], int]:
    qs = case.events.filter(action__in=list(ACTIVITY_ACTIONS)).order_by("at", "pk")
    total = qs.count()
    rows = []
    for event in qs[:ACTIVITIES_SHOWN]:
        note = shorten(scrub(event.note), NOTE_SHOWN)
        rows.append({"date": _local_date(event.at), "label": ACTIVITY_ACTIONS[event.action], "note": note})
    return rows, max(total - ACTIVITIES_SHOWN, 0)


def _demands(case: Case, scrub: Scrubber) -> tuple[list[dict[str, Any]], int]:
    qs = case.demands.select_related("institution").order_by("pk")
    total = qs.count()
    rows = [{"demand": d, "text": shorten(scrub(d.text), DEMAND_TEXT_SHOWN)} for d in qs[:DEMANDS_SHOWN]]
    return rows, max(total - DEMANDS_SHOWN, 0)


def lahp_context(case: Case) -> dict[str, Any]:
    reporter = Reporter.objects.filter(case=case).first()
    scrub = Scrubber(reporter, show_name=case.visibility == Visibility.PUBLIC)
    issued_event = (case.events.filter(action="issue_lahp").select_related("actor").order_by("-at", "-pk").first()
                    if lahp_issued(case) else None)
    activities, more_activities = _activities(case, scrub)
    demands, more_demands = _demands(case, scrub)
    conclusion = Conclusion(case.conclusion) if case.conclusion in set(Conclusion) else None
    return {
        **_common(case, scrub, reporter),
        "draft": issued_event is None,
        "number": f"LAHP/{case.number}",
        "date": _local_date(issued_event.at if issued_event else None),
        "remedy": shorten(scrub(case.remedy), REMEDY_LIMIT) if case.remedy and RecordKind(case.kind) is not IAPS
        else None,
        "activities": activities, "more_activities": more_activities,
        "conclusion": CONCLUSIONS[conclusion] if conclusion else "",
        "found": [MALADMINISTRATION_LABELS[Maladministration(c)] for c in case.found
                  if c in set(Maladministration)] if conclusion is Conclusion.FOUND else [],
        "closure": CLOSURE_REASONS[case.closure_reason].label if case.closure_reason in CLOSURE_REASONS else "",
        "demands": demands, "more_demands": more_demands,
        "signer": _head_name(case, issued_event),
    }


def reply_by(case: Case, day: dt.date) -> dt.date | None:
    """The date the clarification letter of ``day`` asks the answer by: the rule set's
    ``clarification_reply`` step (working days on the holiday calendar); ``None`` without one."""
    try:
        return deadlines.due_date(clock.rule_set(case.rule_set), "clarification_reply", day, clock.calendar())
    except deadlines.DeadlineError:
        return None


def clarification_context(case: Case) -> dict[str, Any]:
    reporter = Reporter.objects.filter(case=case).first()
    scrub = Scrubber(reporter, show_name=case.visibility == Visibility.PUBLIC)
    day = _local_date(None)
    return {**_common(case, scrub, reporter), "date": day, "number": f"{case.number}/KLR",
            "signer": _head_name(case, None), "reply_by": reply_by(case, day)}


def render(case: Case, kind: str) -> tuple[bytes, str, bool]:
    """The PDF of document ``kind``, its file name, and whether the reporter's name is printed in it."""
    context = lahp_context(case) if kind == LAHP else clarification_context(case)
    pdf = render_pdf(TEMPLATES[kind], context)
    safe_number = re.sub(r"[^0-9A-Za-z]+", "-", case.number).strip("-")
    name = f"{'lahp' if kind == LAHP else 'permintaan-klarifikasi'}-{safe_number}.pdf"
    return pdf, name, bool(context["identity"]["shown"])
