"""The provider's response (ADR 0019): the draft results of a period as the user may see them
(``selectors_cycle.draft_results_for``), an institution admin's objection to an answer within the
response window (``contest_create``), and the office's decision (``contest_decide``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts.scope import scope_of
from pantau.assessments import cycle_rules, services, services_answers
from pantau.assessments.forms_periods import ContestForm, DecideForm
from pantau.assessments.models import Answer, Contest, Period, Result, SampledUnit
from pantau.assessments.selectors_cycle import draft_results_for, sampled_units_for
from pantau.assessments.views_periods import period_of, sees_periods
from pantau.core.access import access
from pantau.core.errors import NotInScope
from pantau.core.forms import posted, save_form, submit_once
from pantau.registry import selectors as registry

S = Period.Status
RESULTS_PAGE = 100  # rows (institutions and their units) a page
CONTESTS_SHOWN = 200  # the open ones first


def response_open(period: Period) -> bool:
    today = timezone.localdate()
    return period.status == S.RESPONSE and period.response_start <= today <= period.response_end


def provider_sees(user: Any, period: Period, institution_id: int) -> bool:
    """An institution admin sees its own answers once the response window opened (official)."""
    return (period.is_official and cycle_rules.contests_for(user, institution_id)
            and period.status in (S.RESPONSE, S.PUBLISHED) and timezone.localdate() >= period.response_start)


def _contests(user: Any, period: Period) -> list[Contest]:
    scope = scope_of(user)
    qs = Contest.objects.filter(answer__sampled_unit__period=period).select_related("answer__sampled_unit")
    if not scope.is_office_staff:
        qs = qs.filter(answer__sampled_unit__institution__in=scope.institution_ids)
    else:
        qs = qs.filter(answer__sampled_unit__in=sampled_units_for(user).filter(period=period))
    open_first = Case(When(status=Contest.Status.OPEN, then=Value(0)), default=Value(1))
    return list(qs.order_by(open_first, "pk")[:CONTESTS_SHOWN])


@access(sees_periods)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Institution and unit results in the user's scope, the contests, and for a provider a link
    to each unit's answers (to contest one)."""
    period = period_of(request, pk)
    page = Paginator(draft_results_for(request.user, period).filter(
        level__in=[Result.Level.INSTITUTION, Result.Level.UNIT]).order_by("institution_id", "level", "key"),
        RESULTS_PAGE).get_page(request.GET.get("halaman"))
    rows = list(page)
    institutions = registry.institution_rows({r.institution_id for r in rows})
    unit_ids = [r.sampled_unit_id for r in rows if r.sampled_unit_id]
    sampled = {s.pk: s for s in SampledUnit.objects.filter(pk__in=unit_ids)}
    units = registry.unit_rows({s.unit_id for s in sampled.values()})
    table = [{"result": r, "institution": institutions.get(r.institution_id, {}).get("name", ""),
              "unit": units.get(sampled[r.sampled_unit_id].unit_id, {}).get("name", "") if r.sampled_unit_id else "",
              "answers": bool(r.sampled_unit_id) and provider_sees(request.user, period, r.institution_id)}
             for r in rows]
    contests = _contests(request.user, period)
    return render(request, "assessments/periods/results.html", {
        "period": period, "rows": table, "page": page, "contests": contests,
        "response_open": response_open(period),
        "office": scope_of(request.user).is_office_staff})


@access(sees_periods)
def unit_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's answers as its institution's admin sees them in the response window, each with its
    contest (or a link to contest it)."""
    sampled = get_object_or_404(SampledUnit.objects.select_related("period__methodology_version"), pk=pk)
    period = sampled.period
    if not provider_sees(request.user, period, sampled.institution_id):
        raise Http404
    document = services.document_of(period.methodology_version)
    products = {p.pk: p.product_id for p in sampled.products.all()}
    names = registry.product_rows(products.values())
    open_ = {c.answer_id: c for c in Contest.objects.filter(answer__sampled_unit=sampled).order_by("pk")}
    rows = [{"answer": a, "text": document.items[a.item].text if a.item in document.items else "",
             "product": names.get(products.get(a.sampled_product_id or 0, 0), {}).get("name", ""),
             "contest": open_.get(a.pk)}
            for a in Answer.objects.filter(sampled_unit=sampled).order_by("sampled_product_id", "item")]
    return render(request, "assessments/periods/unit_answers.html", {
        "period": period, "sampled": sampled, "rows": rows, "response_open": response_open(period),
        "unit": registry.unit_rows([sampled.unit_id]).get(sampled.unit_id, {}).get("name", "")})


@access(sees_periods)
def contest_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Contest one answer (the institution admin, within the response window)."""
    answer = get_object_or_404(Answer.objects.select_related("sampled_unit__period"), pk=pk)
    sampled = answer.sampled_unit
    if not provider_sees(request.user, sampled.period, sampled.institution_id):
        raise Http404
    form = ContestForm(posted(request))
    submit_once(form)

    def save(data: dict[str, Any]) -> str:
        try:
            services_answers.contest_create(actor=request.user, answer=answer, text=data["text"],
                                            evidence=data.get("evidence", ""))
        except NotInScope:
            raise Http404 from None
        return reverse("assessment_periods:unit_answers", kwargs={"pk": sampled.pk})

    if url := save_form(request, form, save, _("Keberatan terkirim; kantor Ombudsman akan memutuskannya.")):
        return redirect(url)
    document = services.document_of(sampled.period.methodology_version)
    item = document.items.get(answer.item)
    return render(request, "assessments/periods/form.html", {
        "form": form, "title": _("Keberatan atas item %(item)s") % {"item": answer.item},
        "intro": _("%(text)s — jawaban: %(value)s") % {
            "text": item.text if item else "",
            "value": answer.value.normalize() if answer.value is not None else _("Tidak berlaku")},
        "button": _("Kirim keberatan"),
        "back": reverse("assessment_periods:unit_answers", kwargs={"pk": sampled.pk}),
    }, status=422 if request.method == "POST" else 200)


@access(sees_periods)
def contest_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The office decides a contest: accepted with the new value, or rejected, with its grounds."""
    contest = get_object_or_404(Contest.objects.select_related("answer__sampled_unit__period"), pk=pk)
    sampled = contest.answer.sampled_unit
    if not sampled_units_for(request.user).filter(pk=sampled.pk).exists():
        raise Http404
    institution = registry.institution_rows([sampled.institution_id])[sampled.institution_id]
    if not cycle_rules.reviews_unit(request.user, sampled, institution):
        raise Http404
    form = DecideForm(posted(request))

    def save(data: dict[str, Any]) -> str:
        try:
            services_answers.contest_decide(actor=request.user, contest=contest, accept=data["accept"] == "yes",
                                            decision=data["decision"], value=data.get("value"),
                                            reason=data.get("na_reason", ""))
        except NotInScope:
            raise Http404 from None
        return reverse("assessment_periods:results", kwargs={"pk": sampled.period_id})

    if contest.status == Contest.Status.OPEN and (url := save_form(request, form, save, _("Keberatan diputuskan."))):
        return redirect(url)
    document = services.document_of(sampled.period.methodology_version)
    item = document.items.get(contest.answer.item)
    return render(request, "assessments/periods/contest.html", {
        "contest": contest, "form": form if contest.status == Contest.Status.OPEN else None, "item": item,
        "period": sampled.period}, status=422 if request.method == "POST" else 200)
