"""Self-assessment pages (penilaian mandiri, issue 8) for an institution admin: the list of the
institution's self-assessments, the form to start one (``services_self``), and a summary per
period with the *projected* score, category and zone of each unit and of the institution, the
ranking of the units as the Ombudsman would make it, and a prioritised list of what is still
lacking (``gaps.py``).

The projection is computed on the fly from the answers so far (an unanswered item counts as not
met) and is never stored: it is not a result, and nothing here is official. Who: the admin of the
institution that owns the period (``is_institution_admin`` and the period's owner in their scope);
anyone else, national and office staff included, gets a 404 — a self-assessment is the provider's
own rehearsal, which the Ombudsman's offices do not see (``selectors_cycle.periods_for``).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.accounts.rules import is_institution_admin
from pantau.accounts.scope import scope_of
from pantau.assessments import gaps, ranking, scoring, services, services_self
from pantau.assessments.models import Answer, MethodologyVersion, Period, SampledProduct, SampledUnit
from pantau.assessments.selectors_cycle import periods_for
from pantau.assessments.services_results import canonical_value
from pantau.core.access import access
from pantau.core.forms import posted, save_form, submit_once
from pantau.registry import selectors as registry

LACKING_SHOWN = 100  # rows of the prioritised list on the page
TWO = Decimal("0.01")
EVIDENCE = {"photo": gettext_lazy("foto"), "document": gettext_lazy("dokumen"), "note": gettext_lazy("catatan"),
            "url": gettext_lazy("tautan")}
UNIT_KIND = "unit"  # the one ranking scope: the institution's units among themselves


def admin_institutions(user: Any) -> frozenset[int]:
    scope = scope_of(user)
    return scope.institution_ids if is_institution_admin(user) else frozenset()


def self_periods_for(user: Any) -> QuerySet[Period]:
    """The self-assessments of the institutions the user administers."""
    return (periods_for(user).filter(kind=Period.Kind.SELF, owner__in=admin_institutions(user))
            .select_related("methodology_version__methodology").order_by("-created_at", "-pk"))


class VersionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.methodology.slug}@{obj.version})"


class StartForm(forms.Form):
    institution = forms.TypedChoiceField(label=gettext_lazy("Instansi"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Nama penilaian"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=2000, max_value=2100)
    methodology_version = VersionChoice(
        label=gettext_lazy("Metodologi"), queryset=MethodologyVersion.objects.none(),
        help_text=gettext_lazy("Metodologi penilaian mandiri atau salinan yang disesuaikan (bukan metodologi resmi)."))
    collection_end = forms.DateField(label=gettext_lazy("Pengisian selesai pada"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.ChoiceField(label=gettext_lazy("Unit yang dinilai"), widget=forms.RadioSelect, choices=[
        ("all", gettext_lazy("Semua unit layanan aktif")), ("chosen", gettext_lazy("Unit yang dipilih di bawah"))])
    units = forms.TypedMultipleChoiceField(label=gettext_lazy("Unit yang dipilih"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, data: Any, *, institutions: dict[int, dict[str, Any]], units: list[dict[str, Any]]) -> None:
        today = timezone.localdate()
        super().__init__(data, initial={
            "title": _("Penilaian mandiri %(year)d") % {"year": today.year}, "year": today.year, "scope": "all",
            "collection_end": today + dt.timedelta(days=90),
            "institution": next(iter(institutions), None)})
        institution = self.fields["institution"]
        assert isinstance(institution, forms.ChoiceField)
        institution.choices = [(i, r["name"]) for i, r in institutions.items()]
        field = self.fields["methodology_version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services_self.methodologies_for_self()
        self.unit_institution = {u["id"]: u["institution_id"] for u in units}
        many = len(institutions) > 1
        chosen = self.fields["units"]
        assert isinstance(chosen, forms.ChoiceField)
        chosen.choices = [
            (u["id"], f"{institutions[u['institution_id']]['name']} — {u['name']}" if many else u["name"])
            for u in units]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "chosen":
            chosen = data.get("units") or []
            if not chosen:
                self.add_error("units", _("Pilih paling sedikit satu unit layanan."))
            elif any(self.unit_institution.get(u) != data.get("institution") for u in chosen):
                self.add_error("units", _("Pilih unit layanan dari instansi yang dinilai."))
        return data


def _start_form(request: HttpRequest) -> StartForm:
    ids = sorted(admin_institutions(request.user))
    institutions = dict(sorted(registry.institution_rows(ids).items(), key=lambda kv: kv[1]["name"].casefold()))
    form = StartForm(posted(request), institutions=institutions, units=registry.active_units_of(ids))
    submit_once(form)
    return form


@access(is_institution_admin)
def periods(request: HttpRequest) -> HttpResponse:
    """The self-assessments of the admin's institutions, newest first, and the way to start one."""
    rows = list(self_periods_for(request.user))
    names = registry.institution_rows({p.owner_id for p in rows if p.owner_id is not None})
    return render(request, "assessments/self/list.html", {
        "rows": [{"period": p, "institution": names.get(p.owner_id or 0, {}).get("name", "")} for p in rows]})


@access(is_institution_admin)
def start(request: HttpRequest) -> HttpResponse:
    """Start a self-assessment: it collects answers from today (``services_self``)."""
    form = _start_form(request)
    notes: list[str] = []

    def save(d: dict[str, Any]) -> str:
        started = services_self.self_assessment_start(
            actor=request.user, institution_id=d["institution"], methodology_version=d["methodology_version"],
            title=d["title"], year=d["year"], collection_end=d["collection_end"],
            unit_ids=d["units"] if d["scope"] == "chosen" else None)
        if started.without_products:
            names = registry.unit_rows(started.without_products)
            notes.append(", ".join(sorted(str(names[u]["name"]) for u in started.without_products if u in names)))
        return reverse("self_assessment:summary", kwargs={"pk": started.period.pk})

    if url := save_form(request, form, save, _("Penilaian mandiri dimulai; isi instrumen tiap unit.")):
        if notes:
            messages.warning(request, _("Unit tanpa produk layanan aktif tidak dinilai: %(names)s.")
                             % {"names": notes[0]})
        return redirect(url)
    status = 422 if request.method == "POST" else 200
    return render(request, "assessments/self/start.html", {"form": form}, status=status)


def _two(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def summary_data(period: Period) -> dict[str, Any]:
    """The projection of a self-assessment from its answers so far (nothing stored): a constant
    number of queries whatever the number of units."""
    document = services.document_of(period.methodology_version)
    units = list(SampledUnit.objects.filter(period=period).values("pk", "unit_id", "institution_id", "status"))
    products = list(SampledProduct.objects.filter(sampled_unit__period=period)
                    .values("pk", "sampled_unit_id", "product_id"))
    stored = Answer.objects.filter(sampled_unit__period=period).values_list(
        "sampled_unit__institution_id", "sampled_unit_id", "sampled_product_id", "item", "value", "reason")
    unit_names = {k: r["name"] for k, r in registry.unit_rows([u["unit_id"] for u in units]).items()}
    product_names = {k: r["name"] for k, r in registry.product_rows([p["product_id"] for p in products]).items()}
    institution = registry.institution_rows([period.owner_id or 0]).get(period.owner_id or 0, {})
    by_unit: dict[int, list[Any]] = {u["pk"]: [] for u in units}
    for p in products:
        by_unit[p["sampled_unit_id"]].append(p)
    slots = [gaps.UnitSlots(str(u["institution_id"]), str(u["pk"]), tuple(str(p["pk"]) for p in by_unit[u["pk"]]))
             for u in units]
    given = [scoring.Answer(str(i), str(u), "" if p is None else str(p), item, canonical_value(v), r)
             for i, u, p, item, v, r in stored]
    projected, unanswered = gaps.projected_answers(document, slots, given)
    unit_label = {str(u["pk"]): unit_names.get(u["unit_id"], "") for u in units}
    product_label = {str(p["pk"]): product_names.get(p["product_id"], "") for p in products}
    total = len(projected)
    answered = total - len(unanswered)
    data: dict[str, Any] = {"document": document, "answered": answered, "total": total, "institution": institution,
                            "units": [], "ranking": None, "zones": (), "lacking": [], "more": 0, "problem": ""}
    if not projected:
        return data
    try:
        card = scoring.score_answers(document, projected)
    except scoring.ScoringError as exc:
        data["problem"] = str(exc)
        return data
    (whole,) = card.institutions
    data["whole"] = whole
    unit_results = {r.unit: r for r in whole.children}
    per_unit_total: dict[str, int] = {}
    per_unit_missing: dict[str, int] = {}
    for a in projected:
        per_unit_total[a.unit] = per_unit_total.get(a.unit, 0) + 1
    for unit_key, _p, _i in unanswered:
        per_unit_missing[unit_key] = per_unit_missing.get(unit_key, 0) + 1
    info = {str(u["pk"]): u for u in units}
    entries = [ranking.Entry(institution=key, name=unit_label[key], kind=UNIT_KIND, province="", score=r.score,
                             category=r.band.code, zone=r.zone.code, era=document.era)
               for key, r in unit_results.items()]
    ranked = ranking.rank(entries, decimals=document.aggregation.decimals).national.get(UNIT_KIND)
    if ranked is not None:
        labels = {z.code: z.label for z in document.zones}
        data["zones"] = ranking.zone_shares((e.zone for e in entries), labels=labels)
        data["ranking"] = [{
            "rank": row.rank, "tied": row.tied, "name": row.entry.name, "score": row.score,
            "band": unit_results[str(row.entry.institution)].band, "sampled": info[str(row.entry.institution)],
            "answered": per_unit_total[str(row.entry.institution)]
            - per_unit_missing.get(str(row.entry.institution), 0),
            "total": per_unit_total[str(row.entry.institution)]} for row in ranked.rows]
    ordered = gaps.prioritise(document, gaps.lacking(document, projected, unanswered), unit_label, product_label)
    registry_ids = {str(u["pk"]): u["unit_id"] for u in units}
    registry_products = {str(p["pk"]): p["product_id"] for p in products}
    rows = []
    for n, g in enumerate(ordered[:LACKING_SHOWN], start=1):
        item = document.items[g.item]
        if g.product:
            link = reverse("manage:product", kwargs={"pk": registry_products[g.product]})
        else:
            link = reverse("manage:unit", kwargs={"pk": registry_ids[g.unit]})
        rows.append({"n": n, "gap": g, "item": item, "unit": unit_label[g.unit],
                     "product": product_label.get(g.product, ""), "lost": _two(g.lost),
                     "evidence": [str(EVIDENCE.get(e, e)) for e in item.evidence], "link": link,
                     "percent": _two(g.share * 100)})
    data.update(lacking=rows, more=max(0, len(ordered) - LACKING_SHOWN),
                lost_total=_two(sum((g.lost for g in ordered), Decimal(0))))
    return data


@access(is_institution_admin)
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """A self-assessment's projection: score, category and zone per unit and for the institution,
    the units' ranking, and what is still lacking, most points first. Never official."""
    period = get_object_or_404(self_periods_for(request.user), pk=pk)
    return render(request, "assessments/self/summary.html", {"period": period, **summary_data(period)})
