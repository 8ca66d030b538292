"""Staff pages of a period's work (ADR 0019): an institution's sample (by rule, or a unit by
hand), a sampled unit's page (its answers, its assessors, submit, approve, return items), and
the correction of published results. Each write goes through its service; a refusal shows the
form again with the service's message; out of scope: 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pantau.accounts.models import Role
from pantau.assessments import cycle_rules, sampling, services, services_answers, services_period, services_results
from pantau.assessments.forms_periods import AddForm, AssignForm, CorrectForm, ReturnForm, RuleForm
from pantau.assessments.models import Answer, Period, ReturnedItem, SampledUnit, SampleRule
from pantau.assessments.selectors_cycle import sampled_units_for
from pantau.assessments.views_periods import period_of, sees_field_work
from pantau.core.access import access
from pantau.core.errors import NotInScope
from pantau.core.forms import add_validation_error, posted, save_form
from pantau.registry import selectors as registry

from .views_periods import sees_periods


def _status(request: HttpRequest, ok: bool = True) -> int:
    return 422 if request.method == "POST" and not ok else 200


def institution_of(request: HttpRequest, period: Period, institution_pk: int) -> dict[str, Any]:
    """The institution's row, when it is in the period and the user may see its field work."""
    if not sees_field_work(request.user, period) or not period.institutions.filter(pk=institution_pk).exists():
        raise Http404
    if not (cycle_rules.manages_period(request.user, period)
            or registry.institutions_for(request.user).filter(pk=institution_pk).exists()):
        raise Http404
    return registry.institution_rows([institution_pk])[institution_pk]


def _missing_loci(institution: dict[str, Any], units: list[dict[str, Any]]) -> list[str]:
    """The loci of §2.6 the registry lacks for this institution (``sampling.choose``, read again)."""
    products = registry.active_products_of([u["id"] for u in units])
    return sampling.choose("loci-2022", institution_kind=institution["kind"], units=units, products=products,
                           needs_products=False).missing_loci


@access(sees_periods)
def sample(request: HttpRequest, pk: int, institution_pk: int) -> HttpResponse:
    """An institution's sample: each unit and product with the rule that chose it, who chose it
    and when; choose again by rule (draft), or add a unit and its products by hand."""
    period = period_of(request, pk)
    institution = institution_of(request, period, institution_pk)
    manages = cycle_rules.manages_period(request.user, period)
    units = registry.active_units_of([institution_pk])
    rule_form = RuleForm(request.POST if request.POST.get("action") == "rule" else None)
    chosen_unit = next((u for u in units if str(u["id"]) == (request.POST.get("unit") or request.GET.get("unit"))),
                       None)
    add_form = None
    if chosen_unit is not None:
        products = [(p["id"], p["name"]) for p in registry.active_products_of([chosen_unit["id"]])]
        add_form = AddForm(request.POST if request.POST.get("action") == "add" else None, products=products)
    ok = True
    if request.method == "POST":
        if not manages:
            raise Http404
        ok = False
        if request.POST.get("action") == "rule":
            ok = _choose(request, period, institution_pk, rule_form)
        elif request.POST.get("action") == "add" and add_form is not None and chosen_unit is not None:
            ok = _add(request, period, chosen_unit["id"], add_form)
        if ok:
            return redirect("assessment_periods:sample", pk=period.pk, institution_pk=institution_pk)
    sampled = list(period.sampled_units.filter(institution=institution_pk).prefetch_related(
        "products", "assignments__assessor").order_by("pk"))
    names = registry.unit_rows([s.unit_id for s in sampled])
    product_names = registry.product_rows([p.product_id for s in sampled for p in s.products.all()])
    rows = [{"sampled": s, "unit": names.get(s.unit_id, {}).get("name", ""),
             "products": [{"p": p, "name": product_names.get(p.product_id, {}).get("name", "")}
                          for p in s.products.all()],
             "assessors": [a.assessor for a in s.assignments.all()]} for s in sampled]
    loci = any(s.rule == SampleRule.LOCI_2022 for s in sampled)
    return render(request, "assessments/periods/sample.html", {
        "period": period, "institution": institution, "rows": rows, "manages": manages,
        "rule_form": rule_form if manages and period.status == Period.Status.DRAFT else None,
        "can_add": manages and period.status in (Period.Status.DRAFT, Period.Status.COLLECTION),
        "units": units, "chosen_unit": chosen_unit, "add_form": add_form,
        "missing_loci": _missing_loci(institution, units) if loci else [],
    }, status=_status(request, ok))


def _choose(request: HttpRequest, period: Period, institution_pk: int, form: RuleForm) -> bool:
    if not form.is_valid():
        return False
    try:
        choice = services_period.sample_choose(actor=request.user, period=period, institution_id=institution_pk,
                                               rule=form.cleaned_data["rule"],
                                               per_kind=form.cleaned_data.get("per_kind") or 1)
    except NotInScope:
        raise Http404 from None
    except ValidationError as exc:
        add_validation_error(form, exc)
        return False
    messages.success(request, _("Sampel dipilih: %(n)d unit.") % {"n": len(choice.units)})
    if choice.missing_loci:
        messages.warning(request, _("Lokus tidak ditemukan di registri (tidak diganti): %(loci)s.")
                         % {"loci": ", ".join(choice.missing_loci)})
    if choice.without_products:
        rows = registry.unit_rows(choice.without_products)
        messages.warning(request, _("Unit tanpa produk aktif tidak masuk sampel: %(units)s.")
                         % {"units": ", ".join(rows[u]["name"] for u in choice.without_products if u in rows)})
    return True


def _add(request: HttpRequest, period: Period, unit_id: int, form: AddForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services_period.sample_add(actor=request.user, period=period, unit_id=unit_id,
                                   product_ids=[int(p) for p in form.cleaned_data["products"]])
    except NotInScope:
        raise Http404 from None
    except ValidationError as exc:
        add_validation_error(form, exc)
        return False
    messages.success(request, _("Unit ditambahkan ke sampel."))
    return True


# A sampled unit ----------------------------------------------------------------------------------

def unit_of(request: HttpRequest, pk: int) -> tuple[SampledUnit, dict[str, Any]]:
    sampled = get_object_or_404(sampled_units_for(request.user).select_related(
        "period__methodology_version__methodology"), pk=pk)
    return sampled, registry.institution_rows([sampled.institution_id])[sampled.institution_id]


def eligible_assessors(institution: dict[str, Any]) -> list[tuple[int, str]]:
    """Users the service would accept (``cycle_rules.may_be_assigned``): the assessor role in the
    national office or in an office covering the institution."""
    covering = (Q(memberships__office__is_national=True) | Q(memberships__office__provinces=institution["province_id"])
                | Q(memberships__office=institution["office_id"]))
    users = (get_user_model().objects.filter(covering, memberships__role=Role.ASSESSOR, is_active=True)
             .distinct().order_by("full_name", "pk"))
    return [(u.pk, f"{u.full_name or u.username} ({u.username})") for u in users]


def answer_rows(sampled: SampledUnit) -> list[dict[str, Any]]:
    document = services.document_of(sampled.period.methodology_version)
    products = {p.pk: p.product_id for p in sampled.products.all()}
    names = registry.product_rows(products.values())
    rows = []
    for a in Answer.objects.filter(sampled_unit=sampled).order_by("sampled_product_id", "item"):
        item = document.items.get(a.item)
        product = names.get(products.get(a.sampled_product_id or 0, 0), {}).get("name", "")
        rows.append({"answer": a, "text": item.text if item else "", "product": product,
                     "label": f"{a.item}" + (f" ({product})" if product else "")})
    return rows


def unit_context(request: HttpRequest, sampled: SampledUnit, institution: dict[str, Any],
                 **extra: Any) -> dict[str, Any]:
    user = request.user
    period = sampled.period
    reviewer = cycle_rules.reviews_unit(user, sampled, institution)
    rows = answer_rows(sampled)
    can_review = reviewer and sampled.status == SampledUnit.Status.SUBMITTED and period.status in (
        Period.Status.COLLECTION, Period.Status.REVIEW)
    can_assign = reviewer and period.is_official and period.status != Period.Status.PUBLISHED
    context = {
        "sampled": sampled, "period": period, "institution": institution,
        "unit": registry.unit_rows([sampled.unit_id]).get(sampled.unit_id, {}).get("name", ""),
        "rows": rows, "returned": ReturnedItem.objects.filter(sampled_unit=sampled, resolved_at__isnull=True),
        "assessors": [a.assessor for a in sampled.assignments.select_related("assessor")],
        "can_submit": cycle_rules.answers_unit(user, sampled) and sampled.status in (
            SampledUnit.Status.OPEN, SampledUnit.Status.RETURNED) and period.status in (
            Period.Status.COLLECTION, Period.Status.REVIEW),
        "can_review": can_review,
        "return_form": ReturnForm(rows=[(str(r["answer"].pk), r["label"]) for r in rows]) if can_review else None,
        "assign_form": AssignForm(assessors=eligible_assessors(institution)) if can_assign else None,
        "errors": [],
    }
    context.update(extra)
    form = context["return_form"]
    if form is not None:
        for row in rows:
            key = str(row["answer"].pk)
            row["ret"], row["com"] = form[f"r_{key}"], form[f"c_{key}"]
    return context


@access(sees_periods)
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    sampled, institution = unit_of(request, pk)
    return render(request, "assessments/periods/unit.html", unit_context(request, sampled, institution))


def _refused(request: HttpRequest, sampled: SampledUnit, institution: dict[str, Any],
             exc: ValidationError, **extra: Any) -> HttpResponse:
    return render(request, "assessments/periods/unit.html",
                  unit_context(request, sampled, institution, errors=exc.messages, **extra), status=422)


def _unit_action(request: HttpRequest, pk: int, act: Any, success: str) -> HttpResponse:
    sampled, institution = unit_of(request, pk)
    try:
        act(actor=request.user, sampled_unit=sampled)
    except NotInScope:
        raise Http404 from None
    except ValidationError as exc:
        return _refused(request, sampled, institution, exc)
    messages.success(request, success)
    return redirect("assessment_periods:unit", pk=sampled.pk)


@require_POST
@access(sees_periods)
def unit_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(request, pk, services_answers.unit_submit, _("Unit diajukan untuk reviu."))


@require_POST
@access(sees_periods)
def unit_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(request, pk, services_answers.unit_approve, _("Unit disetujui; jawabannya kini terkunci."))


@require_POST
@access(sees_periods)
def unit_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the chosen items of a submitted unit, each with its comment."""
    sampled, institution = unit_of(request, pk)
    if not cycle_rules.reviews_unit(request.user, sampled, institution):
        raise Http404
    rows = answer_rows(sampled)
    form = ReturnForm(request.POST, rows=[(str(r["answer"].pk), r["label"]) for r in rows])
    if not form.is_valid():
        return render(request, "assessments/periods/unit.html",
                      unit_context(request, sampled, institution, return_form=form), status=422)
    by_pk = {str(r["answer"].pk): r["answer"] for r in rows}
    items = [(by_pk[key].item, by_pk[key].sampled_product, comment) for key, comment in form.chosen()]
    try:
        services_answers.unit_return(actor=request.user, sampled_unit=sampled, items=items)
    except NotInScope:
        raise Http404 from None
    except ValidationError as exc:
        add_validation_error(form, exc)
        return render(request, "assessments/periods/unit.html",
                      unit_context(request, sampled, institution, return_form=form), status=422)
    messages.success(request, _("%(n)d item dikembalikan kepada asisten penilai.") % {"n": len(items)})
    return redirect("assessment_periods:unit", pk=sampled.pk)


@require_POST
@access(sees_periods)
def unit_assign(request: HttpRequest, pk: int) -> HttpResponse:
    sampled, institution = unit_of(request, pk)
    if not cycle_rules.reviews_unit(request.user, sampled, institution):
        raise Http404
    form = AssignForm(request.POST, assessors=eligible_assessors(institution))

    def save(data: dict[str, Any]) -> str:
        assessor = get_user_model().objects.get(pk=int(data["assessor"]))
        try:
            services_period.assignment_create(actor=request.user, sampled_unit=sampled, assessor=assessor)
        except NotInScope:
            raise Http404 from None
        return reverse("assessment_periods:unit", kwargs={"pk": sampled.pk})

    if url := save_form(request, form, save, _("Asisten penilai ditugaskan.")):
        return redirect(url)
    return render(request, "assessments/periods/unit.html",
                  unit_context(request, sampled, institution, assign_form=form), status=422)


# Correction after publication ---------------------------------------------------------------------

@access(sees_periods)
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Store a corrected version of one institution's published results, with the reason."""
    period = period_of(request, pk)
    if period.status != Period.Status.PUBLISHED or not sees_field_work(request.user, period):
        raise Http404
    rows = registry.institution_rows(period.institutions.values_list("pk", flat=True))
    mine = [(pk_, row["name"]) for pk_, row in sorted(rows.items(), key=lambda kv: kv[1]["name"])
            if cycle_rules.reviews_institution(request.user, period, row)]
    if not mine:
        raise Http404
    form = CorrectForm(posted(request), institutions=mine)

    def save(data: dict[str, Any]) -> str:
        try:
            services_results.result_correct(actor=request.user, period=period,
                                            institution_id=int(data["institution"]), reason=data["reason"])
        except NotInScope:
            raise Http404 from None
        return reverse("assessment_periods:results", kwargs={"pk": period.pk})

    if url := save_form(request, form, save, _("Koreksi tersimpan sebagai versi hasil yang baru.")):
        return redirect(url)
    return render(request, "assessments/periods/form.html", {
        "form": form, "title": _("Koreksi hasil yang dipublikasikan"),
        "intro": _("Hasil instansi dihitung ulang dari jawabannya sekarang; setiap hasil yang berubah disimpan "
                   "sebagai versi baru dengan alasan ini, dan versi lama tetap tercatat."),
        "button": _("Simpan koreksi"), "back": reverse("assessment_periods:detail", kwargs={"pk": period.pk}),
    }, status=422 if request.method == "POST" else 200)
