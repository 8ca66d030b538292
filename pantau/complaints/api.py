"""Complaints in the API (mounted under /api/complaints/; issue 10).

- Public, no token: ``POST reports`` files a report through the API channel (rate-limited per address,
  idempotent by ``client_token``) and answers the tracking number and the secret tracking token once;
  ``GET track/{token}`` is what the tracking page shows; ``POST track/{token}/messages`` adds information.
- Token (staff of an Ombudsman office, the reported provider's staff): the cases of ``selectors.cases_for``
  (another office's case answers 404, like one that does not exist), the actions offered with the reasons a
  guard refuses, transitions through ``services.case_transition`` (a forged or unavailable action answers
  404, a failed guard or a missing closure reason 422 with the message), and the answers and assessments of
  corrective actions and Recommendations.

The reporter's identity is never answered: no schema has a field for it, and every text shown is the
redacted public summary or passes ``redact`` (e-mail, phone, NIK removed).
"""


import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case as Choose
from django.db.models import CharField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.params.functions import Path, Query
from ninja.responses import Status

from pantau.complaints import clock, deadlines, selectors, services, workflow
from pantau.complaints.due import Thresholds, thresholds
from pantau.complaints.messages import translate as tr
from pantau.complaints.models import Case, Demand, Timer
from pantau.complaints.redact import redact
from pantau.complaints.schemas import (
    ActionOut,
    AnswerIn,
    AssessmentIn,
    CaseDetailOut,
    CaseOut,
    DemandOut,
    DueStatus,
    KindCode,
    MessageIn,
    MessageOut,
    OpenedOut,
    ReportIn,
    StateCode,
    TrackOut,
    TransitionIn,
    TransitionOut,
)
from pantau.complaints.vocab import CLOSURE_REASONS, RecordKind, State, state_label
from pantau.core import ratelimit
from pantau.core.apitools import MAX_ID, PUBLIC_READ, TOKEN_READ_ERRORS, WRITE_ERRORS, Pagination, errors
from pantau.core.apitools import token_user as _user
from pantau.core.http import client_ip
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit

router = Router()
PUBLIC_TAGS = ["complaints: public"]
STAFF_TAGS = ["complaints: staff (token)"]
ID: Any = Path(..., ge=1, le=MAX_ID, description="Id")
STATE: Any = Query(None, description="Only cases in this state")
KIND: Any = Query(None, description="Only cases of this kind")
MINE: Any = Query(False, description="Only cases I examine or took in")
DUE: Any = Query(None, description="Only cases whose earliest running deadline has this status")
TOKEN: Any = Path(..., description="The secret tracking token given when the report was filed")
INTAKE_ERRORS = errors(400, 404, 422, 429)  # 404 only for a wrong address, as everywhere
TRACK_ERRORS = errors(404, 422)
MESSAGE_ERRORS = errors(400, 404, 422, 429)
STATUS_LABELS = {"on_time": "Tepat waktu", "due_soon": "Segera jatuh tempo", "overdue": "Terlambat",
                 "very_overdue": "Sangat terlambat"}
OTHER_ACTIONS = {"open": "Laporan diterima", "reporter_message": "Informasi tambahan dari pelapor",
                 "hand_over": "Laporan dilimpahkan ke kantor lain", "assign": "Asisten pemeriksa ditetapkan",
                 "visibility": "Kerahasiaan laporan diubah"}
ACTION_LABELS = {**{t.action: t.label for t in reversed(workflow.TRANSITIONS)}, **OTHER_ACTIONS}
EARLIEST_EVENT_YEAR = 1945  # as the public form (forms_public.ReportForm._not_future)
EARLIEST_BIRTH_YEAR = 1900  # as the staff entry (forms_manage.IntakeForm.clean)
NEEDS = {"assign_examiner": "examiner_id", "open_corrective_actions": "demands", "send_recommendation": "demands"}


def submit_limit() -> int:
    """Reports (and tracking messages) one address may send in an hour (``COMPLAINT_SUBMIT_LIMIT``)."""
    return int(getattr(settings, "COMPLAINT_SUBMIT_LIMIT", 10))


def _throttle(name: str, request: HttpRequest) -> None:
    if not ratelimit.allow(name, client_ip(request) or "-", limit=submit_limit(), window=3600):
        raise HttpError(429, _("Terlalu banyak kiriman dari jaringan ini dalam satu jam. Coba lagi nanti; "
                               "kiriman yang sudah diterima tetap tersimpan."))


def _who(label: str) -> str:
    return label if label in (services.REPORTER, "sistem") else "petugas"


def _label(action: str) -> str:
    return tr(ACTION_LABELS.get(action, action))


def _deadlines(case: Case, timers: list[Timer], today: dt.date) -> list[dict[str, Any]]:
    """The running deadlines of ``case``, soonest first, with their status on ``today``."""
    calendar = clock.calendar()
    try:
        rules: deadlines.RuleSet | None = clock.rule_set(case.rule_set)
    except deadlines.DeadlineError:
        rules = None
    rows = []
    for timer in sorted(timers, key=lambda t: (t.due_on, t.pk)):
        title, status = timer.step, None
        try:
            if rules is not None:
                title = tr(rules.step(timer.step).title)
                status = deadlines.status(timer.due_on, today, calendar, due_soon_within=rules.due_soon_within,
                                          very_overdue_after=rules.very_overdue_after)
        except deadlines.DeadlineError:
            status = None
        rows.append({"step": timer.step, "title": title, "started_on": timer.started_on, "due_on": timer.due_on,
                     "status": status, "status_label": tr(STATUS_LABELS[status]) if status else ""})
    return rows


def _running(case: Case) -> list[Timer]:
    return list(case.timers.filter(stopped_at__isnull=True))


# --- public: intake and tracking --------------------------------------------------------------------------------


def _place(payload: ReportIn) -> dict[str, Any]:
    """The reported institution, unit and product (active ones), refused field by field when unknown."""
    found: dict[str, Any] = {}
    for field, model, name in (("institution_id", Institution, "institution"), ("unit_id", ServiceUnit, "unit"),
                               ("product_id", ServiceProduct, "product")):
        pk = getattr(payload, field)
        if pk is None:
            continue
        qs: QuerySet[Any] = model.objects.all()
        found[name] = (qs if model is Institution else qs.filter(is_active=True)).filter(pk=pk).first()
        if found[name] is None:
            raise ValidationError({field: _("Tidak ada di daftar (atau tidak aktif). Pilih dari "
                                            "/api/registry/…, atau tuliskan namanya di reported_other.")})
    if not found and not payload.reported_other.strip():
        raise ValidationError({"institution_id": _("Sebutkan instansi yang dilaporkan: pilih institution_id "
                                                   "(atau unit_id / product_id), atau tuliskan namanya di "
                                                   "reported_other bila tidak ada di daftar.")})
    return found


def _check_dates(payload: ReportIn, today: dt.date) -> None:
    problems: dict[str, str] = {}
    if payload.reporter.birth_date is not None and payload.reporter.birth_date >= today:
        problems["reporter.birth_date"] = _("Tanggal lahir harus sebelum hari ini.")
    # A year the web form refuses too (it is a typing slip, not an old event: year 0001 or 0202).
    for name, first in (("event_date", EARLIEST_EVENT_YEAR), ("prior_complaint_date", EARLIEST_EVENT_YEAR)):
        day = getattr(payload, name)
        if day is not None and day.year < first:
            problems[name] = _("Periksa tahunnya: %(year)d.") % {"year": day.year}
    birth = payload.reporter.birth_date
    if birth is not None and birth.year < EARLIEST_BIRTH_YEAR:
        problems["reporter.birth_date"] = _("Periksa tahunnya: %(year)d.") % {"year": birth.year}
    if payload.prior_complaint_date is not None:
        if payload.prior_complaint_date > today:
            problems["prior_complaint_date"] = _("Tanggal pengaduan kepada instansi tidak boleh sesudah hari ini.")
        elif payload.event_date is not None and payload.prior_complaint_date < payload.event_date:
            problems["prior_complaint_date"] = _("Tanggal pengaduan kepada instansi tidak boleh sebelum tanggal "
                                                 "peristiwa.")
    if payload.prior_complaint_date is not None and payload.prior_complaint in ("", "not_yet"):
        problems["prior_complaint"] = _("Isi tanggal pengaduan hanya bila sudah mengadu (answered atau silent).")
    if problems:
        raise ValidationError(problems)


@router.post("/reports", response={200: OpenedOut, 201: OpenedOut, **INTAKE_ERRORS}, tags=PUBLIC_TAGS,
             auth=PUBLIC_READ)
def report_file(request: HttpRequest, payload: ReportIn) -> Any:
    """File a report through the API channel (no token). 201 with the tracking number and the secret
    tracking token (given once); 200 when this ``client_token`` was already stored (the same number, no
    token); 422 with the field and what to fix; 429 when this address sent too many reports this hour."""
    _throttle("complaint-api", request)
    _check_dates(payload, clock.today())
    place = _place(payload)
    reporter = payload.reporter.model_dump()
    opened = services.case_open(
        actor=None, kind=payload.kind, channel="api", title=payload.title, chronology=payload.chronology,
        visibility=payload.visibility, reporter=reporter, reported_other=payload.reported_other,
        event_date=payload.event_date, remedy=payload.remedy, prior_complaint=payload.prior_complaint,
        prior_complaint_date=payload.prior_complaint_date, prior_complaint_channel=payload.prior_complaint_channel,
        prior_complaint_answer=payload.prior_complaint_answer, in_court=payload.in_court,
        client_token=payload.client_token, **place)
    case = opened.case
    body = {"number": case.number, "token": opened.token, "created": opened.created,
            "track_url": f"{request.path.rsplit('/reports', 1)[0]}/track/{opened.token}" if opened.token else "",
            "state": case.state, "state_label": tr(state_label(State(case.state), RecordKind(case.kind))),
            "missing": services.formal_missing(case, reporter) if opened.created else []}
    return Status(201 if opened.created else 200, body)


@router.get("/track/{token}", response={200: TrackOut, **TRACK_ERRORS}, tags=PUBLIC_TAGS, auth=PUBLIC_READ)
def track(request: HttpRequest, token: str = TOKEN) -> Any:
    """What the tracking page shows: the number, kind and state, the steps shown to the reporter (text
    redacted) and the running deadlines with their due dates. 404 for a token that opens nothing."""
    case = selectors.case_by_token(token)
    events = selectors.events_for_reporter(case).order_by("at", "id")
    reason = CLOSURE_REASONS.get(case.closure_reason)
    return {
        "number": case.number, "kind": case.kind, "kind_label": tr(RecordKind(case.kind).label), "state": case.state,
        "state_label": tr(state_label(State(case.state), RecordKind(case.kind))), "received_on": case.received_on,
        "closed": not case.is_open, "closure_reason": tr(reason.label) if reason else "",
        "events": [{"at": e.at, "action": e.action, "label": _label(e.action), "by": _who(e.actor_label),
                    "note": redact(e.note)} for e in events],
        "deadlines": _deadlines(case, _running(case), clock.today()),
    }


@router.post("/track/{token}/messages", response={201: MessageOut, **MESSAGE_ERRORS}, tags=PUBLIC_TAGS,
             auth=PUBLIC_READ)
def track_message(request: HttpRequest, payload: MessageIn, token: str = TOKEN) -> Any:
    """Add information to the report of this tracking token (it answers a request for completeness or
    the examination result when the case waits for it). 422 when the case is closed."""
    case = selectors.case_by_token(token)
    _throttle("complaint-api-message", request)
    event = services.reporter_message(case=case, note=payload.note)
    case.refresh_from_db(fields=["state"])
    return Status(201, {"at": event.at, "state": case.state,
                        "state_label": tr(state_label(State(case.state), RecordKind(case.kind)))})


# --- staff: the cases in the token user's scope -----------------------------------------------------------------


def _with_due(qs: QuerySet[Case], limits: Thresholds) -> QuerySet[Case]:
    whens = [When(limits.q(s), then=Value(s)) for s in ("on_time", "due_soon", "overdue")]
    return qs.annotate(due_status=Choose(When(next_due_on__isnull=True, then=Value(None)), *whens,
                                         default=Value("very_overdue"), output_field=CharField()))


@router.get("/cases", response={200: list[CaseOut], **TOKEN_READ_ERRORS}, tags=STAFF_TAGS)
@paginate(Pagination)
def my_cases(request: HttpRequest,
          state: StateCode | None = STATE, kind: KindCode | None = KIND, mine: bool = MINE,
          due: DueStatus | None = DUE) -> Any:
    """The cases in the token user's scope, newest first (another office's cases are not listed)."""
    user, today = _user(request), clock.today()
    limits = thresholds(today, clock.calendar())
    qs = selectors.cases_for(user)
    if state is not None:
        qs = qs.filter(state=state)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if mine:
        qs = qs.filter(Q(examiner=user) | Q(intake_officer=user))
    if due is not None:
        qs = qs.filter(limits.q(due))
    return _with_due(qs, limits).order_by("-pk")


def _provider_view(user: Any, case: Case) -> bool:
    """Whether ``user`` reads ``case`` as the reported party (not as the Ombudsman, nor as the provider
    handling a complaint made to it)."""
    if case.kind == RecordKind.PROVIDER_COMPLAINT or selectors.cases_q(user) is None:
        return False
    return not set(selectors.roles_on(user, case)) & selectors.OMBUDSMAN_ROLES


def _demand(demand: Demand) -> dict[str, Any]:
    return {name: getattr(demand, name) for name in ("id", "case_id", "kind", "institution_id", "text", "issued_on",
                                                     "due_on", "answer", "answered_at", "outcome", "assessed_on")}


@router.get("/cases/{pk}", response={200: CaseDetailOut, **TOKEN_READ_ERRORS}, tags=STAFF_TAGS)
def my_case(request: HttpRequest, pk: int = ID) -> Any:
    """One case in scope, without the reporter's identity: the redacted summary, the classification, the
    running deadlines, the history and the demands to the provider. The reported party's staff see only the
    steps meant for them and no remedy text."""
    user = _user(request)
    case = selectors.case_for(user, pk)
    provider = _provider_view(user, case)
    events = (selectors.events_for_provider(case) if provider else case.events.all()).order_by("at", "id")
    today = clock.today()
    limits = thresholds(today, clock.calendar())
    data = {name: getattr(case, name) for name in (
        "id", "number", "kind", "state", "title", "visibility", "received_on", "next_due_on", "office_id",
        "institution_id", "unit_id", "product_id", "examiner_id", "event_date", "prior_complaint",
        "prior_complaint_date", "reported_other", "event_too_old", "in_court", "outside_authority", "substance",
        "agency_group", "alleged", "found", "complexity", "conclusion", "closure_reason")}
    return {
        **data, "kind_label": tr(RecordKind(case.kind).label),
        "state_label": tr(state_label(State(case.state), RecordKind(case.kind))),
        "due_status": limits.status(case.next_due_on) or None,
        "summary": case.public_summary, "remedy": "" if provider else redact(case.remedy),
        "institution_name": case.institution.name if case.institution else "",
        "unit_name": case.unit.name if case.unit else "", "product_name": case.product.name if case.product else "",
        "deadlines": _deadlines(case, _running(case), today),
        "events": [{"id": e.id, "at": e.at, "action": e.action, "label": _label(e.action), "by": _who(e.actor_label),
                    "note": redact(e.note), "audience": e.audience, "source_state": e.source_state,
                    "target_state": e.target_state, "reason": e.reason} for e in events],
        "demands": [_demand(d) for d in case.demands.order_by("id")],
    }


@router.get("/cases/{pk}/actions", response={200: list[ActionOut], **TOKEN_READ_ERRORS}, tags=STAFF_TAGS)
def my_case_actions(request: HttpRequest, pk: int = ID) -> Any:
    """The actions the token user is offered on the case, each with the reasons its guards refuse it now
    (empty when it can be taken) and, for closing, the closure reasons that may be given."""
    user = _user(request)
    case = selectors.case_for(user, pk)
    kind, state = RecordKind(case.kind), State(case.state)
    return [{"action": t.action, "label": tr(t.label), "role": role, "available": not refusals,
             "refusals": [tr(m) for m in refusals],
             "target_state": t.target.value if t.target else None, "requires_reason": t.requires_reason,
             "reasons": [{"code": r.code, "label": tr(r.label)} for r in workflow.reasons_for(kind, state, role)]
             if t.requires_reason else [],
             "needs": sorted({NEEDS[e] for e in t.effects if e in NEEDS})}
            for t, role, refusals in services.actions_for(user, case)]


@router.post("/cases/{pk}/transitions", response={200: TransitionOut, **WRITE_ERRORS}, tags=STAFF_TAGS)
@transaction.atomic
def case_transition(request: HttpRequest, payload: TransitionIn, pk: int = ID) -> Any:
    """Take an action on the case (one of GET …/actions). 200 with the new state; 404 when the action is
    unknown, not offered to you in this state, or the case is outside your scope; 422 when a guard refuses
    it, a closure reason is missing or does not fit, or the examiner or demands are wrong."""
    user = _user(request)
    case = selectors.case_for(user, pk)
    extra: dict[str, Any] = {}
    if payload.examiner_id is not None:
        extra["examiner"] = get_user_model().objects.filter(pk=payload.examiner_id, is_active=True).first()
        if extra["examiner"] is None:
            raise ValidationError({"examiner_id": _("Pengguna ini tidak ada; pilih asisten pemeriksa kantor "
                                                    "yang menangani laporan.")})
    if payload.demands:
        extra["demands"] = payload.demands
    try:
        case = services.case_transition(actor=user, case=case, action=payload.action, reason=payload.reason,
                                        note=payload.note, payload=extra)
    except workflow.TransitionRefused as refused:
        if refused.code == "not_found":
            raise Http404 from None
        raise HttpError(refused.http_status, tr(refused.message)) from None
    return {"id": case.pk, "number": case.number, "kind": case.kind, "state": case.state,
            "state_label": tr(state_label(State(case.state), RecordKind(case.kind))),
            "closure_reason": case.closure_reason}


def _scoped_demand(user: Any, pk: int) -> Demand:
    demand = Demand.objects.filter(pk=pk, case__in=selectors.cases_for(user)).first()
    if demand is None:
        raise Http404
    return demand


def _refused_as_404(call: Any) -> Any:
    try:
        return call()
    except workflow.TransitionRefused as refused:
        if refused.code == "not_found":
            raise Http404 from None
        raise HttpError(refused.http_status, tr(refused.message)) from None


@router.post("/demands/{pk}/answer", response={200: DemandOut, **WRITE_ERRORS}, tags=STAFF_TAGS)
@transaction.atomic
def demand_answer(request: HttpRequest, payload: AnswerIn, pk: int = ID) -> Any:
    """The reported provider answers a corrective action or Recommendation (its institution admin or the
    unit's operator). 404 for anyone else."""
    user = _user(request)
    demand = _scoped_demand(user, pk)
    return _demand(_refused_as_404(lambda: services.demand_answer(actor=user, demand=demand, answer=payload.answer)))


@router.post("/demands/{pk}/assessment", response={200: DemandOut, **WRITE_ERRORS}, tags=STAFF_TAGS)
@transaction.atomic
def demand_assessment(request: HttpRequest, payload: AssessmentIn, pk: int = ID) -> Any:
    """The Ombudsman (the assigned examiner or the head of office) marks a demand implemented, partly or
    not. 404 for anyone else."""
    user = _user(request)
    demand = _scoped_demand(user, pk)
    return _demand(_refused_as_404(
        lambda: services.demand_assess(actor=user, demand=demand, outcome=payload.outcome)))


# --- oversight: the SLA and statistics numbers (issue 11) --------------------------------------------------------

from pantau.complaints.api_stats import router as stats_router  # noqa: E402

router.add_router("/stats", stats_router)
