"""Staff pages of a period (ADR 0019): the list, a new period, its page (dates, sample per
institution, progress, the transition buttons) and its steps. Reads through ``selectors_cycle``,
writes through the services (which check the rules again and write the audit); whatever the user
may not see answers 404. The sample, review and response pages: ``views_periods_work``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pantau.accounts import rules as r
from pantau.accounts.scope import headed_by, scope_of
from pantau.assessments import cycle_rules, services_period, workflow
from pantau.assessments.forms_periods import PeriodForm, chosen_version
from pantau.assessments.models import Contest, Period, SampledUnit
from pantau.assessments.selectors_cycle import periods_for
from pantau.core import hooks
from pantau.core.access import access
from pantau.core.errors import NotInScope
from pantau.core.forms import posted, save_form, submit_once
from pantau.registry import selectors as registry
from pantau.registry.models import Institution, Province

LIST_SIZE = 50
INSTITUTIONS_PAGE = 50
# Who may open a period's page or create one: office staff, and institution admins (their
# self-assessments, and official periods once the response window opened).
sees_periods = r.is_office_staff | r.is_institution_admin
creates_periods = r.is_national_admin | r.is_head_of_office | r.is_institution_admin


def period_of(request: HttpRequest, pk: int) -> Period:
    return get_object_or_404(periods_for(request.user).select_related("methodology_version__methodology"), pk=pk)


def managed_period(request: HttpRequest, pk: int) -> Period:
    period = period_of(request, pk)
    if not cycle_rules.manages_period(request.user, period):
        raise Http404
    return period


def sees_field_work(user: Any, period: Period) -> bool:
    """Office staff see the sample and the progress; a provider only its self-assessments'."""
    return cycle_rules.manages_period(user, period) or (period.is_official and scope_of(user).is_office_staff)


@access(sees_periods)
def period_list(request: HttpRequest) -> HttpResponse:
    """The periods the user may see, newest first (a few per year: one page, the newest 50)."""
    periods = list(periods_for(request.user).select_related("methodology_version__methodology", "office", "owner")
                   .order_by("-year", "-pk")[:LIST_SIZE])
    return render(request, "assessments/periods/list.html", {
        "periods": periods, "can_create": creates_periods(request.user)})


def _office_choices(user: Any) -> list[tuple[str, str]]:
    head = headed_by(user)
    national = r.is_national_admin(user) or head.national
    offices = registry.offices_for(user).filter(is_national=False) if national else registry.offices_for(user).filter(
        pk__in=head.office_ids, is_national=False)
    choices = [("", _("Kantor pusat (nasional)"))] if national else []
    return choices + [(str(o.pk), o.name) for o in offices.order_by("name")]


def _owner_choices(user: Any) -> list[tuple[str, str]]:
    scope = scope_of(user)
    if not scope.has("institution_admin"):
        return []
    rows = registry.institution_rows(scope.institution_ids)
    return [(str(pk), row["name"]) for pk, row in sorted(rows.items(), key=lambda kv: kv[1]["name"])]


def area_of(user: Any, office_id: int | None) -> Any:
    """The institutions an office covers, as the user may see them (``institutions_for``)."""
    qs = registry.institutions_for(user)
    if office_id is None:
        return qs
    national, provinces = registry.offices_covering(office_id)
    return qs if national else qs.filter(Q(province__in=provinces) | Q(office=office_id))


def institutions_chosen(user: Any, data: dict[str, Any], office_id: int | None) -> list[int]:
    """The institutions in scope from the form: the office's area narrowed by province and kind,
    and the names typed one per line (each must match one institution of the area)."""
    area = area_of(user, office_id)
    ids: set[int] = set()
    if data.get("scope") == "area":
        qs = area
        if data.get("provinces"):
            qs = qs.filter(province__code__in=data["provinces"])
        if data.get("kinds"):
            qs = qs.filter(kind__in=data["kinds"])
        ids |= set(qs.values_list("pk", flat=True))
    names = [n.strip() for n in (data.get("names") or "").splitlines() if n.strip()]
    found: dict[str, list[int]] = {}
    if names:  # one query for all the names typed, whatever their case
        for pk, lname in area.annotate(lname=Lower("name")).filter(
                lname__in={n.lower() for n in names}).values_list("pk", "lname"):
            found.setdefault(lname, []).append(pk)
    unknown = []
    for name in names:
        matches = found.get(name.lower(), [])
        if len(matches) != 1:
            unknown.append(name)
        else:
            ids |= set(matches)
    if unknown:
        raise ValidationError({"names": _("Tidak ditemukan (atau lebih dari satu) di wilayah kantor: %(names)s.")
                               % {"names": "; ".join(unknown[:10])}})
    picked = chosen_ids(data.get("picked", []))
    if picked:
        inside = set(area.filter(pk__in=picked).values_list("pk", flat=True))
        if inside != set(picked):
            raise ValidationError({"names": _("%(count)d instansi yang dipilih tidak berada di wilayah kantor ini.")
                                   % {"count": len(set(picked) - inside)}})
        ids |= inside
    if not ids:
        raise ValidationError({"scope": _("Tidak ada instansi yang cocok; periksa provinsi, jenis atau nama.")})
    return sorted(ids)


PICK = "pilih"  # the institutions ticked in the search-as-you-type chooser
SUGGESTIONS = 20
MAX_PICKED = 2000


def chosen_ids(values: list[str]) -> list[int]:
    return sorted({int(v) for v in values[:MAX_PICKED] if v.isdigit() and 0 < int(v) < 2**63})


def _office_from(request: HttpRequest, offices: list[tuple[str, str]]) -> int | None:
    value = request.GET.get("office") or request.POST.get("office") or ""
    return int(value) if value in {pk for pk, _name in offices if pk} else None


def picked_rows(user: Any, office_id: int | None, values: list[str]) -> list[dict[str, Any]]:
    ids = chosen_ids(values)
    if not ids:
        return []
    return list(area_of(user, office_id).filter(pk__in=ids).order_by("name", "pk").values("id", "name"))


@access(creates_periods)
def institution_search(request: HttpRequest) -> HttpResponse:
    """The chooser of the period form, as the user types (htmx): the institutions ticked so far,
    still ticked, and up to 20 more of the office's area whose name matches (the registry's
    institution search, ``core.hooks.search_institutions``)."""
    user = request.user
    office_id = _office_from(request, _office_choices(user))
    picked = picked_rows(user, office_id, request.GET.getlist(PICK))
    text = (request.GET.get("cari") or "").strip()[:100]
    matches = _matches(user, office_id, text, {row["id"] for row in picked})
    return render(request, "assessments/periods/chooser.html", {"picked": picked, "matches": matches, "q": text})


@access(creates_periods)
def period_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    offices = _office_choices(user) if (r.is_national_admin(user) or r.is_head_of_office(user)) else []
    owners = _owner_choices(user)
    if not offices and not owners:
        raise Http404
    form = PeriodForm(posted(request), offices=offices, owners=owners,
                      provinces=[(p.code, p.name) for p in Province.objects.only("code", "name")],
                      kinds=[(str(v), str(label)) for v, label in Institution.Kind.choices])
    submit_once(form)

    def save(data: dict[str, Any]) -> str:
        kind = data["kind"]
        dates = {f: data[f] for f in services_period.DATE_FIELDS}
        if kind == Period.Kind.SELF:
            if not data.get("owner"):
                raise ValidationError({"owner": _("Pilih instansi yang menilai dirinya.")})
            owner_id, office_id = int(data["owner"]), None
            ids = [owner_id]
        else:
            owner_id = None
            office_id = int(data["office"]) if data.get("office") else None
            ids = institutions_chosen(user, {**data, "picked": request.POST.getlist(PICK)}, office_id)
        try:
            period = services_period.period_create(
                actor=user, year=data["year"], title=data["title"], methodology_version=chosen_version(
                    data["methodology"]), dates=dates, institution_ids=ids, kind=kind, office_id=office_id,
                owner_id=owner_id)
        except NotInScope:
            raise ValidationError(_("Anda tidak dapat membuat periode untuk kantor atau instansi ini.")) from None
        return reverse("assessment_periods:detail", kwargs={"pk": period.pk})

    searching = request.method == "POST" and "_cari" in request.POST  # the chooser without JavaScript
    if not searching and (url := save_form(request, form, save, _("Periode tersimpan."))):
        return redirect(url)
    data = posted(request)
    office_id = _office_from(request, offices)
    picked = picked_rows(user, office_id, data.getlist(PICK) if data is not None else [])
    text = (request.POST.get("cari") or "").strip()[:100] if searching else ""
    return render(request, "assessments/periods/period_form.html", {
        "form": form, "title": _("Periode penilaian baru"), "picked": picked, "q": text,
        "matches": _matches(user, office_id, text, {row["id"] for row in picked})},
        status=422 if request.method == "POST" and not searching else 200)


def _matches(user: Any, office_id: int | None, text: str, have: set[int]) -> list[dict[str, Any]]:
    if not text:
        return []
    found = hooks.search_institutions(user, text, SUGGESTIONS * 3)
    inside = set(area_of(user, office_id).filter(pk__in=[pk for pk, _name in found]).values_list("pk", flat=True))
    return [{"id": pk, "name": name} for pk, name in found if pk in inside and pk not in have][:SUGGESTIONS]


def steps_of(user: Any, period: Period, *, with_blockers: bool) -> list[dict[str, Any]]:
    """The transitions the period may take next (``workflow.PERIOD_TRANSITIONS``), each with what
    still blocks it today."""
    if not cycle_rules.manages_period(user, period):
        return []
    today = timezone.localdate()
    return [{"target": t.target, "label": dict(Period.Status.choices)[t.target],
             "blockers": workflow.blockers(t, period, today) if with_blockers else []}
            for t in workflow.PERIOD_TRANSITIONS if t.source == period.status and period.kind in t.kinds]


def detail_context(request: HttpRequest, period: Period, errors: list[str] | None = None) -> dict[str, Any]:
    """The period's page: dates, status, progress per unit status, and a page of its institutions
    with their sample counts (one grouped query per page, whatever the number of institutions)."""
    user = request.user
    field_work = sees_field_work(user, period)
    context: dict[str, Any] = {"period": period, "errors": errors or [], "field_work": field_work,
                               "manages": cycle_rules.manages_period(user, period),
                               "steps": steps_of(user, period, with_blockers=not errors)}
    if not field_work:
        return context
    counts = dict(period.sampled_units.values_list("status").annotate(n=Count("pk")).order_by())
    context["progress"] = [{"status": s, "label": label, "count": counts.get(s, 0)}
                           for s, label in SampledUnit.Status.choices]
    context["open_contests"] = Contest.objects.filter(answer__sampled_unit__period=period,
                                                      status=Contest.Status.OPEN).count()
    page = Paginator(period.institutions.order_by("name", "pk").values("id", "name"),
                     INSTITUTIONS_PAGE).get_page(request.GET.get("halaman"))
    ids = [row["id"] for row in page]
    per: dict[int, dict[str, Any]] = {i: {"units": 0, "n_products": 0, "assigned": 0} for i in ids}
    for row in (period.sampled_units.filter(institution__in=ids).values("institution_id")
                .annotate(units=Count("pk", distinct=True), n_products=Count("products", distinct=True),
                          assigned=Count("pk", filter=Q(assignments__isnull=False), distinct=True)).order_by()):
        per[row["institution_id"]] = dict(row)
    context.update(page=page, institutions=[{**row, **per[row["id"]]} for row in page])
    return context


@access(sees_periods)
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_of(request, pk)
    if not sees_field_work(request.user, period):
        return redirect("assessment_periods:results", pk=period.pk)
    return render(request, "assessments/periods/detail.html", detail_context(request, period))


@require_POST
@access(sees_periods)
def period_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the period's next step; a refusal shows the page again with every guard's message."""
    period = managed_period(request, pk)
    target = request.POST.get("target", "")
    try:
        services_period.period_advance(actor=request.user, period=period, target=target)
    except NotInScope:
        raise Http404 from None
    except ValidationError as exc:
        return render(request, "assessments/periods/detail.html",
                      detail_context(request, period, errors=exc.messages), status=422)
    from django.contrib import messages

    messages.success(request, _("Periode kini berstatus “%(status)s”.") % {
        "status": dict(Period.Status.choices).get(target, target)})
    return redirect("assessment_periods:detail", pk=period.pk)
