"""Complaint writes: opening a case (any channel), moving it through the one transition table
(``workflow.apply``) and carrying out the effects the table names. Each write runs in one transaction with
its audit event; e-mail to the reporter is queued on commit. The ``state`` and ``kind`` of a case are
written here and nowhere else.

Identity and text: the reporter's identity goes to :class:`Reporter`, never into an audit event, an
``Event`` note or a log line; ``public_summary`` is the chronology with e-mail, phone and NIK redacted.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.complaints import clock, deadlines, lists, search_docs, workflow
from pantau.complaints.models import (
    VISIBILITY_RANK,
    Case,
    Channel,
    Counter,
    Demand,
    Event,
    Notice,
    Outcome,
    PriorComplaint,
    Reporter,
    Timer,
    Visibility,
)
from pantau.complaints.redact import redact
from pantau.complaints.selectors import is_assigned, roles_on, seats_of, token_hash
from pantau.complaints.vocab import (
    WITHOUT_REPORTER,
    Activity,
    Complexity,
    Conclusion,
    Maladministration,
    RecordKind,
    State,
)
from pantau.core import audit
from pantau.registry.models import Institution, Office, ServiceProduct, ServiceUnit

SYSTEM = "system:complaints"
REPORTER = "pelapor"
KIND_CODES = {
    RecordKind.CONSULTATION: "KNS", RecordKind.COPY_LETTER: "TBS", RecordKind.PUBLIC_REPORT: "LM",
    RecordKind.FAST_RESPONSE: "RCO", RecordKind.OWN_INITIATIVE: "IAPS", RecordKind.PROVIDER_COMPLAINT: "PGD",
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
STAFF_CHANNELS = frozenset(Channel) - {Channel.WEB, Channel.API}
REPORTER_FIELDS = ("full_name", "nik", "birth_place", "birth_date", "occupation", "address", "email", "phone",
                   "reporter_type", "acting_for")


def _where(case: Case) -> dict[str, Any]:
    return {"institution_id": case.institution_id, "province_id": case.province_id}


# --- numbers and tokens ----------------------------------------------------------------------------------------


def office_code(office: Office | None) -> str:
    if office is None:
        return "PST"
    if office.code:
        return office.code
    words = [w for w in re.findall(r"[A-Za-z]+", office.name)
             if w.lower() not in ("ombudsman", "ri", "republik", "indonesia", "perwakilan", "provinsi", "kantor")]
    if len(words) > 1:
        return "".join(w[0] for w in words[:3]).upper()
    return (words[0][:3] if words else "ORI").upper()


def _next_number(case: Case, on: dt.date) -> str:
    """``0179/LM/VI/2022/BJM``: the office's (or, for a provider complaint, the institution's) sequence of
    the year for this kind, the month in Roman numerals, the year, the office code."""
    code = KIND_CODES[RecordKind(case.kind)]
    if case.office_id is not None:
        holder, suffix = f"o{case.office_id}", office_code(case.office)
    else:
        holder, suffix = f"i{case.institution_id}", f"INS{case.institution_id}"
    return case_number(_bump(holder, on.year, code), code, on, suffix)


def case_number(sequence: int, code: str, on: dt.date, suffix: str) -> str:
    """The written number: ``0179/LM/VI/2022/BJM`` (sequence, kind code, month in Roman numerals, year,
    office code)."""
    return f"{sequence:04d}/{code}/{ROMAN[on.month - 1]}/{on.year}/{suffix}"


def _bump(holder: str, year: int, code: str) -> int:
    """The next number of a counter, in the caller's transaction: one upsert returning the new value
    (PostgreSQL; SQLite 3.35+), else a locked read and an update."""
    if connection.vendor == "postgresql" or (connection.vendor == "sqlite" and sqlite_returning()):
        table = Counter._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'INSERT INTO {table} (holder, year, code, "last") VALUES (%s, %s, %s, 1) '  # noqa: S608
                           f'ON CONFLICT (holder, year, code) DO UPDATE SET "last" = {table}."last" + 1 '
                           f'RETURNING "last"', [holder, year, code])
            return int(cursor.fetchone()[0])
    counter, _created = Counter.objects.select_for_update().get_or_create(holder=holder, year=year, code=code)
    Counter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last


def sqlite_returning() -> bool:
    import sqlite3

    return sqlite3.sqlite_version_info >= (3, 35, 0)


def new_tracking_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(24)
    return raw, token_hash(raw)


# --- opening a case --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    case: Case
    token: str  # the raw secret of the tracking link, shown once (empty when the case has no reporter)
    created: bool  # False: the client token was seen before and the earlier case is returned


def route_office(institution: Institution | None, office: Office | None) -> Office | None:
    """The office that handles a report: the one chosen, else the office that supervises the reported
    institution, else the national office."""
    if office is not None:
        return office
    if institution is not None:
        return institution.office
    return Office.objects.filter(is_national=True).order_by("pk").first()


def _check_place(institution: Institution | None, unit: ServiceUnit | None,
                 product: ServiceProduct | None) -> tuple[Institution | None, ServiceUnit | None]:
    if product is not None:
        if unit is not None and product.unit_id != unit.pk:
            raise ValidationError({"product": _("Layanan ini bukan layanan unit yang dipilih.")})
        unit = unit or product.unit
    if unit is not None:
        if institution is not None and unit.institution_id != institution.pk:
            raise ValidationError({"unit": _("Unit ini bukan unit instansi yang dipilih.")})
        institution = institution or unit.institution
    return institution, unit


def formal_missing(case: Case, reporter: Mapping[str, Any] | None) -> list[str]:
    """What UU 37/2008 Pasal 24 ayat (1) asks for and the report lacks (guidance, never a refusal)."""
    missing: list[str] = []
    kind = RecordKind(case.kind)
    if kind not in (RecordKind.OWN_INITIATIVE, RecordKind.COPY_LETTER):
        who = reporter or {}
        if not who.get("full_name"):
            missing.append(_("nama lengkap pelapor"))
        if not (who.get("address") or who.get("email") or who.get("phone")):
            missing.append(_("alamat atau kontak pelapor"))
    if len((case.chronology or "").strip()) < 30:
        missing.append(_("uraian kronologi yang jelas"))
    if kind is RecordKind.PUBLIC_REPORT and case.prior_complaint in ("", PriorComplaint.NOT_YET):
        missing.append(_("bukti sudah mengadu kepada instansi terlapor"))
    if not case.event_date:
        missing.append(_("tanggal peristiwa"))
    return missing


@transaction.atomic
def case_open(*, actor: Any, kind: str, channel: str, title: str, chronology: str,
              visibility: str = Visibility.CONFIDENTIAL, reporter: Mapping[str, Any] | None = None,
              institution: Institution | None = None, unit: ServiceUnit | None = None,
              product: ServiceProduct | None = None, reported_other: str = "", office: Office | None = None,
              event_date: dt.date | None = None, remedy: str = "", prior_complaint: str = "",
              prior_complaint_date: dt.date | None = None, prior_complaint_channel: str = "",
              prior_complaint_answer: str = "", in_court: bool = False, outside_authority: bool = False,
              client_token: str | None = None, received_on: dt.date | None = None,
              tracking_hash: str | None = None) -> Opened:
    """Open a case. ``actor`` is ``None`` for the public form and the API's anonymous intake; staff entry
    (walk-in, letter, phone, e-mail, WhatsApp, social media) needs an intake officer of ``office``. A
    ``client_token`` seen before returns the case it opened (a double tap files once). ``tracking_hash``: the
    hash of a link already shown to the reporter (``filings``; no new link is made, the token returned is empty)."""
    record_kind = RecordKind(kind)
    if client_token:
        earlier = Case.objects.filter(client_token=client_token).order_by().first()
        if earlier is not None:
            return Opened(earlier, "", False)
    institution, unit = _check_place(institution, unit, product)
    if record_kind is RecordKind.PROVIDER_COMPLAINT:
        if institution is None:
            raise ValidationError({"institution": _("Pilih instansi penyelenggara yang diadukan.")})
        office = None
    else:
        office = route_office(institution, office)
    if actor is not None:
        _require_intake(actor, record_kind, office, institution)
    elif channel not in (Channel.WEB, Channel.API) or record_kind not in (
            RecordKind.PUBLIC_REPORT, RecordKind.PROVIDER_COMPLAINT, RecordKind.CONSULTATION):
        raise ValidationError(_("Saluran atau jenis laporan ini hanya dapat dicatat oleh petugas."))
    today = received_on or clock.today()
    rules = clock.rules(today)
    case = Case(kind=record_kind, state=State.RECEIVED, office=office, channel=channel, visibility=visibility,
                title=redact(title.strip()), chronology=chronology.strip(), event_date=event_date,
                remedy=remedy.strip(),
                prior_complaint=prior_complaint, prior_complaint_date=prior_complaint_date,
                prior_complaint_channel=prior_complaint_channel.strip(),
                prior_complaint_answer=prior_complaint_answer.strip(), institution=institution, unit=unit,
                product=product, reported_other=reported_other.strip(),
                province_id=(institution.province_id if institution else None), in_court=in_court,
                outside_authority=outside_authority, received_on=today, rule_set=rules.version,
                client_token=client_token or None,
                intake_officer=actor if getattr(actor, "is_authenticated", False) else None)
    if event_date is not None:
        if event_date > today:
            raise ValidationError({"event_date": _("Tanggal peristiwa tidak boleh sesudah hari ini.")})
        case.event_too_old = deadlines.event_too_old(event_date, today)
    case.public_summary = redact(case.chronology)
    case.formal_complete = not formal_missing(case, reporter)
    raw = ""
    if record_kind not in WITHOUT_REPORTER:
        raw, case.tracking_hash = ("", tracking_hash) if tracking_hash else new_tracking_token()
    case.number = _next_number(case, today)
    # The related objects were read above; their existence is not checked again (one query each).
    case.full_clean(exclude=["number", "tracking_hash", "client_token", "office", "institution", "unit", "product",
                             "province", "intake_officer", "examiner"], validate_unique=False)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        earlier = Case.objects.filter(client_token=client_token).first() if client_token else None
        if earlier is None:
            raise
        return Opened(earlier, "", False)
    if reporter and record_kind not in WITHOUT_REPORTER:
        person = Reporter(case=case, **{k: v for k, v in reporter.items() if k in REPORTER_FIELDS and v})
        person.full_clean(exclude=["case"])
        person.save()
    outcome = workflow.opening(record_kind)
    label = _actor_label(actor, None)
    event = Event.objects.create(case=case, actor=_user(actor), actor_label=label, action="open",
                                 target_state=State.RECEIVED, audience=Event.Audience.REPORTER,
                                 note=_("Laporan diterima melalui %(channel)s.") % {
                                     "channel": Channel(channel).label})
    _carry_out(case, outcome.effects, event, actor, {}, fresh=True)
    case.save(update_fields=EFFECT_FIELDS)
    audit.record(actor=actor or SYSTEM, event_type="case.opened", obj=case,
                 after={"kind": case.kind, "channel": case.channel, "number": case.number,
                        "visibility": case.visibility}, **_where(case))
    from pantau.complaints import tasks

    tasks.index_cases.enqueue([case.pk])  # in this transaction: queued only if the report is stored
    return Opened(case, raw, True)


def _require_intake(actor: Any, kind: RecordKind, office: Office | None, institution: Institution | None) -> None:
    for seat in seats_of(actor):
        if kind is RecordKind.PROVIDER_COMPLAINT:
            if institution is not None and (seat.institution_id == institution.pk
                                            or seat.unit_institution_id == institution.pk):
                return
        elif (seat.role in (workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE, workflow.EXAMINER)
              and office is not None and seat.office_id == office.pk
              and (kind is RecordKind.OWN_INITIATIVE or seat.role == workflow.INTAKE_OFFICER)):
            return
    raise ValidationError(_("Anda tidak dapat mencatat laporan untuk kantor atau instansi ini."))


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _actor_label(actor: Any, role: str | None) -> str:
    if actor is None:
        return REPORTER
    if isinstance(actor, str):
        return "sistem"
    return role or "petugas"


# --- the facts the guards read --------------------------------------------------------------------------------


def facts_of(case: Case, today: dt.date | None = None, *, running: Sequence[Timer] | None = None,
             demands: Sequence[Demand] | None = None) -> workflow.CaseFacts:
    """The workflow's view of ``case`` on ``today``: its fields, its demands and its expired timers
    (``running``: its timers not stopped, and ``demands``: all of its demands, when the caller has read them)."""
    today = today or clock.today()
    if running is None:
        expired = {t.step for t in case.timers.filter(stopped_at__isnull=True, due_on__lt=today)}
    else:
        expired = {t.step for t in running if t.stopped_at is None and t.due_on < today}
    if demands is None:
        corrective = list(case.demands.filter(kind=Demand.Kind.CORRECTIVE).values_list("outcome", flat=True))
    else:
        corrective = [d.outcome for d in demands if d.kind == Demand.Kind.CORRECTIVE]
    return workflow.CaseFacts(
        kind=RecordKind(case.kind), state=State(case.state),
        complexity=Complexity(case.complexity) if case.complexity else None,
        formal_complete=case.formal_complete, documents_supplied=case.documents_supplied,
        completeness_expired="completeness" in expired, substantive_ok=case.substantive_ok,
        rco_criterion=case.rco_criterion, activities=frozenset(Activity(a) for a in case.activities),
        conclusion=Conclusion(case.conclusion) if case.conclusion else None,
        found_forms=frozenset(Maladministration(f) for f in case.found),
        reporter_answered=case.reporter_answered, response_expired="lahp_response" in expired,
        corrective_answered=bool(corrective) and all(o == Outcome.IMPLEMENTED for o in corrective),
        corrective_expired=any(step.startswith("corrective_") for step in expired),
        implementation_reported=case.implementation_reported,
        implementation_report_expired="recommendation_report" in expired,
        monitoring_expired="recommendation_monitoring" in expired,
    )


# --- moving a case ---------------------------------------------------------------------------------------------


def actions_for(user: Any, case: Case, *, running: Sequence[Timer] | None = None,
                demands: Sequence[Demand] | None = None) -> list[tuple[workflow.Transition, str, list[str]]]:
    """The transitions ``user`` is offered on ``case``: (transition, the role it is taken in, the refusals
    of its guards, empty when it can be taken now). Examiner actions need the examiner assigned.
    ``running`` and ``demands`` as for :func:`facts_of`."""
    facts = facts_of(case, running=running, demands=demands)
    offered: list[tuple[workflow.Transition, str, list[str]]] = []
    seen: set[str] = set()
    for role in roles_on(user, case):
        if role == workflow.EXAMINER and not is_assigned(user, case):
            continue
        for transition in workflow.allowed(facts.state, facts.kind, role):
            if transition.action in seen:
                continue
            seen.add(transition.action)
            offered.append((transition, role, workflow.failed_guards(transition.guards, facts)))
    return offered


def _role_for(actor: Any, case: Case, action: str) -> str:
    """The role ``actor`` takes ``action`` in on ``case``; refused as ``not_found`` when none allows it."""
    state, kind = State(case.state), RecordKind(case.kind)
    for role in roles_on(actor, case):
        if role == workflow.EXAMINER and not is_assigned(actor, case):
            continue
        if any(t.action == action for t in workflow.allowed(state, kind, role)):
            return role
    raise workflow.TransitionRefused("not_found", _("Tindakan ini tidak tersedia untuk Anda pada laporan ini."))


@transaction.atomic
def case_transition(*, actor: Any, case: Case, action: str, reason: str | None = None, note: str = "",
                    payload: Mapping[str, Any] | None = None) -> Case:
    """Take ``action`` on ``case`` as ``actor`` (a user, or :data:`SYSTEM` for the daily command). Raises
    ``workflow.TransitionRefused`` (nothing written) or ``ValidationError`` for a bad payload."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    role = workflow.SYSTEM if actor == SYSTEM else _role_for(actor, case, action)
    if len(note) > 4000:
        raise ValidationError({"note": _("Catatan paling banyak 4.000 karakter.")})
    outcome = workflow.apply(facts_of(case), action, role, reason or None)
    before = {"state": case.state, "kind": case.kind}
    case.state, case.kind = outcome.target.value, outcome.kind.value
    event = Event.objects.create(case=case, actor=_user(actor), actor_label=_actor_label(actor, role),
                                 action=action, source_state=before["state"], target_state=case.state,
                                 note=note.strip(), reason=outcome.reason or "",
                                 audience=audience_of(outcome.effects))
    _carry_out(case, outcome.effects, event, actor, dict(payload or {}))
    if outcome.reason:
        case.closure_reason = outcome.reason
    case.save()
    audit.record(actor=actor, event_type="case.transition", obj=case, before=before,
                 after={"state": case.state, "kind": case.kind, "action": action}, reason=outcome.reason or "",
                 **_where(case))
    return case


def audience_of(effects: Iterable[str]) -> str:
    """Who a transition's history row is shown to: the reporter when they are notified, the reported party
    when it is (``notify_reported_party``), both, or staff only."""
    reporter, provider = "notify_reporter" in effects, "notify_reported_party" in effects
    if reporter and provider:
        return Event.Audience.BOTH
    return Event.Audience.REPORTER if reporter else Event.Audience.PROVIDER if provider else Event.Audience.STAFF


# The case fields ``_carry_out`` may change (saved by name after a case is opened).
EFFECT_FIELDS = ("next_due_on", "activities", "closed_at", "provider_notified", "examiner",
                 "implementation_reported", "updated_at")


def _carry_out(case: Case, effects: Iterable[str], event: Event, actor: Any, payload: dict[str, Any], *,
               fresh: bool = False) -> None:
    """Apply a transition's side effects to ``case`` (not saved). ``fresh``: the case was just created, so
    the timers started here are all it has."""
    today = clock.today()
    started: list[dt.date] = []
    clocks = ("start_timer:", "stop_timer:", "stop_all_timers")  # first: demands take their due date from them
    for effect in sorted(effects, key=lambda e: not e.startswith(clocks)):
        name, _sep, arg = effect.partition(":")
        if name == "start_timer":
            rules = clock.rule_set(case.rule_set)
            timer = Timer.objects.create(case=case, step=arg, started_on=today,
                                         due_on=deadlines.due_date(rules, arg, today, clock.calendar()))
            started.append(timer.due_on)
        elif name == "stop_timer":
            case.timers.filter(step=arg, stopped_at__isnull=True).update(stopped_at=timezone.now())
        elif name == "stop_all_timers":
            case.timers.filter(stopped_at__isnull=True).update(stopped_at=timezone.now())
        elif name == "record_activity":
            case.activities = sorted({*case.activities, arg})
        elif name == "record_closure":
            case.closed_at = timezone.now()
        elif name == "notify_reporter":
            _notify(case, event)
        elif name == "notify_reported_party":
            case.provider_notified = True
        elif name in ("assign_examiner", "assign_handler"):
            _assign_on_transition(case, actor, payload, handler=name == "assign_handler")
        elif name == "open_corrective_actions":
            _issue(case, Demand.Kind.CORRECTIVE, payload, actor, due=_running_due(case, "corrective_"))
        elif name == "send_recommendation":
            _issue(case, Demand.Kind.RECOMMENDATION, payload, actor,
                   due=deadlines.due_date(clock.rule_set(case.rule_set), "recommendation_report", today,
                                          clock.calendar()))
        elif name == "record_implementation_report":
            case.implementation_reported = True
        # record_plenary_decision, record_conversion, record_corrective_answer, request_chair_signature,
        # send_lahp, send_sanction_recommendation, set_kind: the Event row written for the transition is
        # their record (the letters themselves are drafted outside Pantau for now).
    if fresh:
        case.next_due_on = min(started, default=None)
        return
    running = case.timers.filter(stopped_at__isnull=True).order_by("due_on").values_list("due_on", flat=True)
    case.next_due_on = running.first()


def _running_due(case: Case, prefix: str) -> dt.date:
    due = case.timers.filter(stopped_at__isnull=True, step__startswith=prefix).order_by("-due_on") \
        .values_list("due_on", flat=True).first()
    return due or clock.today()


def _assign_on_transition(case: Case, actor: Any, payload: dict[str, Any], *, handler: bool) -> None:
    if handler:
        case.examiner = _user(actor)
        return
    examiner = payload.get("examiner")
    if examiner is None:
        if case.examiner_id is None:
            raise ValidationError({"examiner": _("Pilih asisten pemeriksa yang menangani laporan ini.")})
        return
    _check_examiner(case, examiner)
    case.examiner = examiner


def _check_examiner(case: Case, examiner: Any) -> None:
    if not any(s.role == workflow.EXAMINER and s.office_id == case.office_id for s in seats_of(examiner)):
        raise ValidationError({"examiner": _("Orang ini bukan asisten pemeriksa di kantor yang menangani laporan.")})


def _issue(case: Case, kind: str, payload: dict[str, Any], actor: Any, *, due: dt.date) -> None:
    texts = [str(t).strip() for t in payload.get("demands", []) if str(t).strip()]
    if not texts:
        raise ValidationError({"demands": _("Tuliskan sedikitnya satu tindakan yang diminta dari terlapor.")})
    if case.institution_id is None:
        raise ValidationError({"institution": _("Tetapkan instansi terlapor dari daftar sebelum meminta tindakan.")})
    for text in texts:
        demand = Demand(case=case, kind=kind, institution_id=case.institution_id, text=text,
                        issued_on=clock.today(), due_on=due)
        demand.full_clean()
        demand.save()
        audit.record(actor=actor, event_type="demand.issued", obj=demand, after={"kind": kind, "case": case.number},
                     **_where(case))


def _notify(case: Case, event: Event) -> None:
    if RecordKind(case.kind) in WITHOUT_REPORTER:
        return
    notice = Notice.objects.create(case=case, event=event, subject=_("Perkembangan laporan %(number)s") % {
        "number": case.number})
    from pantau.complaints import tasks

    transaction.on_commit(lambda: tasks.send_notice.enqueue(notice.pk))


# --- other changes to a case -----------------------------------------------------------------------------------


def _require(actor: Any, case: Case, *roles: str) -> str:
    held = [r for r in roles_on(actor, case) if r in roles]
    if not held:
        raise workflow.TransitionRefused("not_found", _("Tindakan ini tidak tersedia untuk Anda pada laporan ini."))
    return held[0]


@transaction.atomic
def case_update_checks(*, actor: Any, case: Case, **checks: Any) -> Case:
    """Record the verification facts the guards read: ``formal_complete``, ``substantive_ok``,
    ``rco_criterion``, ``documents_supplied`` (intake, head), ``conclusion`` and ``found`` (examiner)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    allowed = {"formal_complete", "substantive_ok", "rco_criterion", "documents_supplied", "in_court",
               "outside_authority"}
    examiner_fields = {"conclusion", "found"}
    if unknown := set(checks) - allowed - examiner_fields:
        raise ValidationError(_("Isian tidak dikenal: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if set(checks) & allowed:
        _require(actor, case, workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE,
                 *(workflow.PROVIDER_STAFF if case.kind == RecordKind.PROVIDER_COMPLAINT else ()))
    if set(checks) & examiner_fields:
        role = _require(actor, case, workflow.EXAMINER, workflow.HEAD_OF_OFFICE)
        if role == workflow.EXAMINER and not is_assigned(actor, case):
            raise workflow.TransitionRefused("not_found", _("Laporan ini tidak ditugaskan kepada Anda."))
        if "conclusion" in checks and checks["conclusion"] not in ("", *[c.value for c in Conclusion]):
            raise ValidationError({"conclusion": _("Kesimpulan tidak dikenal.")})
        if "found" in checks:
            checks["found"] = _forms(checks["found"])
    before = {k: getattr(case, k) for k in checks}
    for key, value in checks.items():
        setattr(case, key, value)
    case.save()
    audit.record(actor=actor, event_type="case.classified", obj=case, before=before, after=dict(checks),
                 **_where(case))
    return case


def _forms(values: Iterable[str]) -> list[str]:
    known = {m.value for m in Maladministration}
    values = list(values)
    if bad := [v for v in values if v not in known]:
        raise ValidationError(_("Bentuk maladministrasi tidak dikenal: %(codes)s") % {"codes": ", ".join(bad)})
    return sorted(set(values))


@transaction.atomic
def case_classify(*, actor: Any, case: Case, substance: str = "", agency_group: str = "",
                  alleged: Iterable[str] = (), complexity: str = "", reporter_type: str = "") -> Case:
    """Classify a case (intake, examiner assigned, head): substance, agency group, alleged forms,
    complexity (set by the plenary), reporter type."""
    from pantau.complaints import vocab

    case = Case.objects.select_for_update().get(pk=case.pk)
    role = _require(actor, case, workflow.INTAKE_OFFICER, workflow.EXAMINER, workflow.HEAD_OF_OFFICE)
    if role == workflow.EXAMINER and not is_assigned(actor, case):
        raise workflow.TransitionRefused("not_found", _("Laporan ini tidak ditugaskan kepada Anda."))
    offered = lists.substances()
    problems = vocab.check(vocab.Classification(substance=substance, agency_group=agency_group),
                           substances={*offered, case.substance} if case.substance else offered)
    if complexity and complexity not in {c.value for c in Complexity}:
        problems.append(_("Klasifikasi laporan tidak dikenal."))
    if reporter_type and reporter_type not in {t.value for t in vocab.ReporterType}:
        problems.append(_("Jenis pelapor tidak dikenal."))
    if problems:
        raise ValidationError(problems)
    before = {"substance": case.substance, "agency_group": case.agency_group, "alleged": case.alleged,
              "complexity": case.complexity, "reporter_type": case.reporter_type}
    case.substance, case.agency_group, case.alleged = substance, agency_group, _forms(alleged)
    case.complexity, case.reporter_type = complexity, reporter_type
    case.save()
    audit.record(actor=actor, event_type="case.classified", obj=case, before=before,
                 after={"substance": substance, "agency_group": agency_group, "alleged": case.alleged,
                        "complexity": complexity, "reporter_type": reporter_type}, **_where(case))
    search_docs.refresh_cases([case.pk])
    return case


@transaction.atomic
def case_assign(*, actor: Any, case: Case, examiner: Any) -> Case:
    """Assign (or re-assign) the examiner: the head of the office that holds the case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(actor, case, workflow.HEAD_OF_OFFICE)
    _check_examiner(case, examiner)
    before = {"examiner": case.examiner_id}
    case.examiner = examiner
    case.save()
    Event.objects.create(case=case, actor=actor, actor_label=workflow.HEAD_OF_OFFICE, action="assign",
                         note=_("Asisten pemeriksa ditetapkan."))
    audit.record(actor=actor, event_type="case.assigned", obj=case, before=before,
                 after={"examiner": examiner.pk}, **_where(case))
    return case


@transaction.atomic
def case_hand_over(*, actor: Any, case: Case, office: Office, note: str = "") -> Case:
    """Hand a case to another office (PO 58/2023 Pasal 17): the head or intake officer of the holding office;
    the examiner assignment ends, the history stays. The case leaves the actor's reach on purpose."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(actor, case, workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE)
    if case.kind == RecordKind.PROVIDER_COMPLAINT or not case.is_open:
        raise ValidationError(_("Laporan ini tidak dapat dilimpahkan."))
    if office.pk == case.office_id:
        raise ValidationError({"office": _("Laporan sudah ditangani kantor ini.")})
    before = {"office": case.office_id, "examiner": case.examiner_id}
    case.office, case.examiner = office, None
    case.save()
    Event.objects.create(case=case, actor=actor, actor_label="petugas", action="hand_over", note=note[:4000],
                         audience=Event.Audience.REPORTER)
    audit.record(actor=actor, event_type="case.handed_over", obj=case, before=before,
                 after={"office": office.pk}, **_where(case))
    search_docs.refresh_cases([case.pk])
    return case


@transaction.atomic
def case_set_visibility(*, actor: Any, case: Case, visibility: str, consent: bool = False) -> Case:
    """Staff may make a case more private at any time; less private only with the reporter's recorded
    consent (``consent``), noted in the history."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(actor, case, workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE, workflow.EXAMINER)
    new = Visibility(visibility)
    if VISIBILITY_RANK[new] < VISIBILITY_RANK[Visibility(case.visibility)] and not consent:
        raise ValidationError({"visibility": _("Kerahasiaan hanya dapat dilonggarkan dengan persetujuan pelapor "
                                               "yang dicatat.")})
    before = {"visibility": case.visibility}
    case.visibility = new.value
    case.save()
    if consent:
        Reporter.objects.filter(case=case).update(visibility_consent_at=timezone.now())
    Event.objects.create(case=case, actor=actor, actor_label="petugas", action="visibility",
                         note=_("Kerahasiaan diubah menjadi: %(v)s") % {"v": new.label})
    audit.record(actor=actor, event_type="case.visibility_changed", obj=case, before=before,
                 after={"visibility": new.value, "consent": consent}, **_where(case))
    return case


@transaction.atomic
def reporter_message(*, case: Case, note: str) -> Event:
    """The reporter adds information through the tracking link. In the stages that wait for the reporter it
    answers them: documents supplied (awaiting completeness), a response to the examination result."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Tuliskan informasi yang ingin Anda tambahkan.")})
    if len(note) > 10_000:
        raise ValidationError({"note": _("Pesan paling banyak 10.000 karakter.")})
    if not case.is_open:
        raise ValidationError(_("Laporan ini sudah ditutup; untuk hal baru, buat laporan baru."))
    if case.state == State.AWAITING_COMPLETENESS:
        case.documents_supplied = True
    elif case.state == State.AWAITING_REPORTER_RESPONSE:
        case.reporter_answered = True
    case.save()
    event = Event.objects.create(case=case, actor=None, actor_label=REPORTER, action="reporter_message",
                                 note=note, audience=Event.Audience.REPORTER)
    audit.record(actor=SYSTEM, event_type="case.reporter_message", obj=case, **_where(case))
    return event


@transaction.atomic
def demand_answer(*, actor: Any, demand: Demand, answer: str) -> Demand:
    """The provider answers a corrective action or Recommendation (evidence is attached to the case)."""
    demand = Demand.objects.select_for_update().select_related("case").get(pk=demand.pk)
    case = demand.case
    role = _require(actor, case, *workflow.PROVIDER_STAFF)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Tuliskan apa yang sudah dilaksanakan.")})
    demand.answer, demand.answered_at, demand.answered_by = answer, timezone.now(), actor
    demand.full_clean()
    demand.save()
    action = "answer_corrective_action" if demand.kind == Demand.Kind.CORRECTIVE else "report_implementation"
    if any(t.action == action for t in workflow.allowed(State(case.state), RecordKind(case.kind), role)):
        case_transition(actor=actor, case=case, action=action, note=answer[:4000])
    audit.record(actor=actor, event_type="demand.answered", obj=demand, **_where(case))
    return demand


@transaction.atomic
def demand_assess(*, actor: Any, demand: Demand, outcome: str) -> Demand:
    """The Ombudsman (assigned examiner or head) marks a demand implemented, partly or not."""
    demand = Demand.objects.select_for_update().select_related("case").get(pk=demand.pk)
    role = _require(actor, demand.case, workflow.EXAMINER, workflow.HEAD_OF_OFFICE)
    if role == workflow.EXAMINER and not is_assigned(actor, demand.case):
        raise workflow.TransitionRefused("not_found", _("Laporan ini tidak ditugaskan kepada Anda."))
    if outcome not in (Outcome.IMPLEMENTED, Outcome.PARTLY, Outcome.NOT_IMPLEMENTED):
        raise ValidationError({"outcome": _("Pilih: dilaksanakan, dilaksanakan sebagian, atau tidak dilaksanakan.")})
    before = {"outcome": demand.outcome}
    demand.outcome, demand.assessed_on, demand.assessed_by = outcome, clock.today(), actor
    demand.save()
    audit.record(actor=actor, event_type="demand.assessed", obj=demand, before=before, after={"outcome": outcome},
                 **_where(demand.case))
    return demand
