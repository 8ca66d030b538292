"""The case page of the staff and provider screens (issue 10, task B) and its forms. Outside the user's scope a
case answers 404 (``selectors.case_for``); a forged action answers 404, a refused one 422 with its message.

**What a provider sees.** Provider staff (institution admin, unit operator) see the case's number, title,
kind, stage, reported institution, the redacted ``public_summary`` (never the chronology as given), the
running deadlines, the history rows addressed to them or to the reporter (never internal notes), the
demands addressed to them with their answer form, and the files a provider gave. Never the identity, the
flags or the classification. **Staff who may not see the identity** (head of office or an examiner not
assigned on a confidential case, national oversight) likewise get ``public_summary`` instead of the
chronology, and redacted history notes: the chronology and the reporter's messages may hold the reporter's
e-mail, phone and NIK. The identity panel shows only after a POST, and each showing is audited
(``selectors.reporter_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pantau.accounts.models import Membership, Role
from pantau.complaints import clock, deadlines, duplicates, files, selectors, services, workflow
from pantau.complaints import forms_manage as f
from pantau.complaints.messages import translate as tr
from pantau.complaints.models import Case, Demand, Outcome, Reporter, Timer
from pantau.complaints.redact import redact
from pantau.complaints.views_manage import works_on_complaints
from pantau.complaints.vocab import MALADMINISTRATION_LABELS, Maladministration, RecordKind, State, state_label
from pantau.core.access import access
from pantau.core.forms import add_validation_error
from pantau.registry.models import Office

OMBUDSMAN = {workflow.INTAKE_OFFICER, workflow.EXAMINER, workflow.HEAD_OF_OFFICE}
PROVIDER_ANSWERS = {"answer_corrective_action", "report_implementation"}  # answered through the demand form
CONCLUSION_STATES = {State.EXAMINATION, State.RAPID_RESPONSE, State.DRAFT_LAHP}
EVENT_LIMIT = 300
ACTION_LABELS = {"open": "Laporan diterima", "assign": "Asisten pemeriksa ditetapkan", "hand_over": "Dilimpahkan",
                 "visibility": "Kerahasiaan diubah", "reporter_message": "Pesan dari pelapor",
                 "duplicate_link": "Ditautkan sebagai laporan ganda", "duplicate_unlink": "Dilepas dari laporan ganda",
                 **{t.action: t.label for t in reversed(workflow.TRANSITIONS)}}
ROLE_LABELS = {**dict(Role.choices), "pelapor": gettext_lazy("Pelapor"), "sistem": gettext_lazy("Sistem"),
               "petugas": gettext_lazy("Petugas")}


class Viewer:
    """Who looks at the case, and what that allows (computed once per request)."""

    def __init__(self, user: Any, case: Case) -> None:
        self.user = user
        self.roles = set(selectors.roles_on(user, case))
        self.assigned = selectors.is_assigned(user, case)
        self.provider = bool(self.roles) and self.roles <= workflow.PROVIDER_STAFF
        self.identity = selectors.may_see_identity(user, case)
        provider_case = case.kind == RecordKind.PROVIDER_COMPLAINT
        ombudsman_case = not provider_case and case.is_open
        self.checks = case.is_open and bool(
            self.roles & {workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE}
            or (provider_case and self.roles & workflow.PROVIDER_STAFF))
        self.judge = workflow.HEAD_OF_OFFICE in self.roles or (workflow.EXAMINER in self.roles and self.assigned)
        self.conclusion = ombudsman_case and self.judge and State(case.state) in CONCLUSION_STATES
        self.classify = ombudsman_case and bool(self.roles & {workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE}
                                                or self.judge)
        self.assign = ombudsman_case and workflow.HEAD_OF_OFFICE in self.roles
        self.hand_over = ombudsman_case and bool(self.roles & {workflow.INTAKE_OFFICER, workflow.HEAD_OF_OFFICE})
        self.visibility = bool(self.roles & OMBUDSMAN)
        self.answer = case.is_open and bool(self.roles & workflow.PROVIDER_STAFF)
        self.assess = case.is_open and self.judge


def examiners_of(case: Case) -> list[tuple[int, str]]:
    if case.office_id is None:
        return []
    rows = (Membership.objects.filter(role=Role.EXAMINER, office_id=case.office_id).select_related("user")
            .order_by("user__full_name", "user__username"))
    return [(m.user.pk, m.user.display_name()) for m in rows]


def _examiner(case: Case, pk: int) -> Any:
    """The user ``pk`` if an examiner of the case's office (the form's choices already say so), else 404."""
    row = Membership.objects.filter(user_id=pk, role=Role.EXAMINER, office_id=case.office_id or 0) \
        .select_related("user").first()
    if row is None:
        raise Http404
    return row.user


def _presence(case: Case) -> dict[str, str] | None:
    """Which identity fields are filled, without reading them (for ``services.formal_missing``)."""
    filled = Reporter.objects.filter(case=case).aggregate(
        n=Count("pk"), full_name=Count("pk", filter=~Q(full_name="")), address=Count("pk", filter=~Q(address="")),
        email=Count("pk", filter=~Q(email="")), phone=Count("pk", filter=~Q(phone="")))
    if not filled["n"]:
        return None
    return {k: "x" if v else "" for k, v in filled.items() if k != "n"}


def _timers(case: Case, running: list[Timer]) -> list[dict[str, Any]]:
    today, calendar = clock.today(), clock.calendar()
    try:
        rules = clock.rule_set(case.rule_set)
    except deadlines.DeadlineError:
        rules = None
    out = []
    for timer in running:
        try:
            title = rules.step(timer.step).title if rules else timer.step
            status = deadlines.status(timer.due_on, today, calendar,
                                      **({"due_soon_within": rules.due_soon_within,
                                          "very_overdue_after": rules.very_overdue_after} if rules else {}))
        except deadlines.DeadlineError:
            title, status = timer.step, None
        out.append({"timer": timer, "title": title, "status": status})
    return out


def _events(case: Case, viewer: Viewer) -> list[dict[str, Any]]:
    qs = (selectors.events_for_provider(case) if viewer.provider else case.events.all()) \
        .select_related("actor").order_by("-at", "-id")
    rows = []
    for event in reversed(list(qs[:EVENT_LIMIT])):
        note = event.note if viewer.identity else redact(event.note)
        who = ROLE_LABELS.get(event.actor_label, event.actor_label)
        if event.actor is not None and not viewer.provider:
            who = f"{event.actor.display_name()} ({who})"
        rows.append({"event": event, "note": note, "who": who,
                     "action": ACTION_LABELS.get(event.action, event.action),
                     "target": state_label(State(event.target_state), RecordKind(case.kind))
                     if event.target_state else ""})
    return rows


def _actions(request: HttpRequest, case: Case, viewer: Viewer, bound: dict[str, forms.Form],
             examiners: Callable[[], list[tuple[int, str]]], running: list[Timer],
             demands: list[Demand]) -> list[dict[str, Any]]:
    out = []
    for transition, role, failed in services.actions_for(request.user, case, running=running, demands=demands):
        if viewer.provider and transition.action in PROVIDER_ANSWERS:
            continue
        posted = bound.get(f"act:{transition.action}")
        form = posted or action_form(case, transition, role, None, examiners)
        out.append({"transition": transition, "failed": failed, "form": form, "posted": posted is not None})
    return out


def action_form(case: Case, transition: workflow.Transition, role: str, data: Any,
                examiners: Callable[[], list[tuple[int, str]]]) -> f.ActionForm:
    reasons = [(r.code, tr(r.label)) for r in workflow.reasons_for(RecordKind(case.kind), State(case.state), role)] \
        if transition.requires_reason else []
    people = examiners() if "assign_examiner" in transition.effects else []
    return f.ActionForm(data, transition=transition, reasons=reasons, examiners=people)


def _offices(case: Case) -> list[tuple[int, str]]:
    offices = Office.objects.exclude(pk=case.office_id or 0).order_by("-is_national", "name")
    return list(offices.values_list("pk", "name"))


def render_case(request: HttpRequest, case: Case, *, bound: dict[str, forms.Form] | None = None,
                status: int = 200, identity: Reporter | None = None, identity_shown: bool = False) -> HttpResponse:
    bound = bound or {}
    viewer = Viewer(request.user, case)
    cache: dict[str, list[tuple[int, str]]] = {}

    def examiners() -> list[tuple[int, str]]:
        if "x" not in cache:
            cache["x"] = examiners_of(case)
        return cache["x"]

    demands = list(case.demands.select_related("institution").order_by("pk"))
    running = list(case.timers.filter(stopped_at__isnull=True).order_by("due_on", "pk"))
    demand_rows = [{"demand": d,
                    "answer_form": bound.get(f"answer:{d.pk}") or f.DemandAnswerForm(
                        auto_id=f"id_answer{d.pk}_%s", initial={"answer": d.answer}),
                    "assess_form": bound.get(f"assess:{d.pk}") or f.DemandAssessForm(
                        auto_id=f"id_assess{d.pk}_%s",
                        initial={"outcome": "" if d.outcome == Outcome.PENDING else d.outcome}),
                    "may_answer": viewer.answer and d.outcome == Outcome.PENDING}
                   for d in demands]
    context: dict[str, Any] = {
        "case": case, "viewer": viewer, "stage": state_label(State(case.state), RecordKind(case.kind)),
        "kind_label": RecordKind(case.kind).label,
        "text": case.chronology if viewer.identity else case.public_summary,
        "timers": _timers(case, running), "events": _events(case, viewer), "demands": demand_rows,
        "attachments": list(files.visible_to_staff(request.user, case)),
        "actions": _actions(request, case, viewer, bound, examiners, running, demands),
        "identity": identity, "identity_shown": identity_shown,
        "identity_form": f.IdentityForm(auto_id="id_identity_%s"),
        "alleged": [MALADMINISTRATION_LABELS[Maladministration(c)] for c in case.alleged
                    if c in set(Maladministration)],
        "found": [MALADMINISTRATION_LABELS[Maladministration(c)] for c in case.found if c in set(Maladministration)],
        "bound_error": bool(bound),
    }
    if not viewer.provider:
        context["missing"] = services.formal_missing(case, _presence(case))
    if viewer.checks:
        context["checks_form"] = bound.get("checks") or f.VerificationForm(auto_id="id_checks_%s", initial={
            k: getattr(case, k) for k in f.VerificationForm.base_fields})
    if viewer.conclusion:
        context["conclusion_form"] = bound.get("conclusion") or f.ConclusionForm(
            auto_id="id_conclusion_%s", initial={"conclusion": case.conclusion, "found": case.found})
    if not viewer.provider and viewer.roles & OMBUDSMAN:
        context["duplicates"] = duplicates.panel(request.user, case)
    if viewer.classify:
        context["classify_form"] = bound.get("classify") or f.ClassifyForm(
            auto_id="id_classify_%s", keep=case.substance,
            initial={k: getattr(case, k) for k in f.ClassifyForm.base_fields})
    if viewer.assign:
        context["assign_form"] = bound.get("assign") or f.AssignForm(
            examiners=examiners(), initial={"examiner": case.examiner_id})
    if viewer.hand_over:
        context["hand_over_form"] = bound.get("hand_over") or f.HandOverForm(offices=_offices(case))
    if viewer.visibility:
        context["visibility_form"] = bound.get("visibility") or f.VisibilityForm(
            auto_id="id_visibility_%s", initial={"visibility": case.visibility})
    response = render(request, "complaints/manage/case.html", context, status=status)
    if identity_shown:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@access(works_on_complaints)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    return render_case(request, case)


@never_cache
@require_POST
@access(works_on_complaints)
def case_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the reporter's identity once (each showing is audited); others get 404."""
    case = selectors.case_for(request.user, pk)
    if not selectors.may_see_identity(request.user, case):
        raise Http404
    form = f.IdentityForm(request.POST)
    purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
    reporter = selectors.reporter_for(request.user, case, purpose=purpose)
    return render_case(request, case, identity=reporter, identity_shown=True)


def _submit(request: HttpRequest, case: Case, key: str, form: forms.Form, allowed: bool,
            write: Callable[[dict[str, Any]], Any], done: str, *, after: str | None = None) -> HttpResponse:
    """The common path of a POST on the case page: refuse outside the user's part (404), validate, call the
    service, and on success go back to the page (or ``after``); else show the page again with the form as
    typed and the message (422)."""
    if not allowed:
        raise Http404
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except workflow.TransitionRefused as refused:
            if refused.code == "not_found":
                raise Http404 from None
            form.add_error(None, tr(refused.message))
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(after or "complaint_manage:case", *([] if after else [case.pk]))
    case.refresh_from_db()
    return render_case(request, case, bound={key: form}, status=422)


@require_POST
@access(works_on_complaints)
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    offered = {t.action: (t, role) for t, role, _failed in services.actions_for(request.user, case)}
    if action not in offered:
        raise Http404
    transition, role = offered[action]
    form = action_form(case, transition, role, request.POST, lambda: examiners_of(case))

    def write(data: dict[str, Any]) -> None:
        payload: dict[str, Any] = {}
        if data.get("examiner"):
            payload["examiner"] = _examiner(case, data["examiner"])
        if data.get("demands"):
            payload["demands"] = data["demands"]
        services.case_transition(actor=request.user, case=case, action=action, reason=data.get("reason") or None,
                                 note=data.get("note", ""), payload=payload)

    return _submit(request, case, f"act:{action}", form, True, write,
                   _("Tersimpan: %(label)s.") % {"label": tr(transition.label)})


@require_POST
@access(works_on_complaints)
def case_checks(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    form = f.VerificationForm(request.POST, auto_id="id_checks_%s")
    return _submit(request, case, "checks", form, Viewer(request.user, case).checks,
                   lambda d: services.case_update_checks(actor=request.user, case=case, **d),
                   _("Hasil verifikasi disimpan."))


@require_POST
@access(works_on_complaints)
def case_conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    form = f.ConclusionForm(request.POST, auto_id="id_conclusion_%s")
    return _submit(request, case, "conclusion", form, Viewer(request.user, case).conclusion,
                   lambda d: services.case_update_checks(actor=request.user, case=case, **d),
                   _("Kesimpulan pemeriksaan disimpan."))


@require_POST
@access(works_on_complaints)
def case_classify(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    form = f.ClassifyForm(request.POST, auto_id="id_classify_%s", keep=case.substance)
    return _submit(request, case, "classify", form, Viewer(request.user, case).classify,
                   lambda d: services.case_classify(actor=request.user, case=case, **d), _("Klasifikasi disimpan."))


@require_POST
@access(works_on_complaints)
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    form = f.AssignForm(request.POST, examiners=examiners_of(case))

    def write(data: dict[str, Any]) -> None:
        services.case_assign(actor=request.user, case=case, examiner=_examiner(case, data["examiner"]))

    return _submit(request, case, "assign", form, Viewer(request.user, case).assign, write,
                   _("Asisten pemeriksa ditetapkan."))


@require_POST
@access(works_on_complaints)
def case_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    form = f.HandOverForm(request.POST, offices=_offices(case))

    def write(data: dict[str, Any]) -> None:
        services.case_hand_over(actor=request.user, case=case, office=Office.objects.get(pk=data["office"]),
                                note=data["note"])

    # After a hand-over the case usually leaves the user's reach: back to the queue.
    return _submit(request, case, "hand_over", form, Viewer(request.user, case).hand_over, write,
                   _("Laporan %(number)s dilimpahkan.") % {"number": case.number}, after="complaint_manage:list")


@require_POST
@access(works_on_complaints)
def case_visibility(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    form = f.VisibilityForm(request.POST, auto_id="id_visibility_%s")
    return _submit(request, case, "visibility", form, Viewer(request.user, case).visibility,
                   lambda d: services.case_set_visibility(actor=request.user, case=case, **d),
                   _("Kerahasiaan disimpan."))


def _demand(case: Case, demand_pk: int) -> Demand:
    demand = case.demands.filter(pk=demand_pk).first()
    if demand is None:
        raise Http404
    return demand


@require_POST
@access(works_on_complaints)
def demand_answer(request: HttpRequest, pk: int, demand_pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    demand = _demand(case, demand_pk)
    form = f.DemandAnswerForm(request.POST, request.FILES, auto_id=f"id_answer{demand.pk}_%s")

    def write(data: dict[str, Any]) -> None:
        with transaction.atomic():  # the answer and its evidence together, or neither
            services.demand_answer(actor=request.user, demand=demand, answer=data["answer"])
            files.attach(case=case, uploads=data.get("evidence") or [], source="provider", actor=request.user)

    allowed = Viewer(request.user, case).answer and demand.outcome == Outcome.PENDING
    response = _submit(request, case, f"answer:{demand.pk}", form, allowed, write, _("Jawaban dan bukti terkirim."))
    if response.status_code == 422 and request.FILES:
        form.add_error(None, _("Berkas bukti perlu dipilih lagi: berkas tidak disimpan karena ada kesalahan."))
        return render_case(request, case, bound={f"answer:{demand.pk}": form}, status=422)
    return response


@require_POST
@access(works_on_complaints)
def demand_assess(request: HttpRequest, pk: int, demand_pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    demand = _demand(case, demand_pk)
    form = f.DemandAssessForm(request.POST, auto_id=f"id_assess{demand.pk}_%s")
    return _submit(request, case, f"assess:{demand.pk}", form, Viewer(request.user, case).assess,
                   lambda d: services.demand_assess(actor=request.user, demand=demand, outcome=d["outcome"]),
                   _("Penilaian disimpan."))
