"""Staff screens of surveys: the campaign list, creating and editing a campaign, its page (link, QR
code, progress toward the minimum sample per service, the index and its breakdowns), its state
changes, the A4 poster and the streaming CSV of raw responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pantau.accounts import rules as r
from pantau.core import audit
from pantau.core.access import access
from pantau.core.forms import add_validation_error
from pantau.core.http import query_text
from pantau.core.keyset import keyset_page
from pantau.core.pagecache import CACHE_HEADER
from pantau.core.text import fold_key
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit
from pantau.registry.selectors import can_edit_institution, can_edit_unit, institutions_for, units_for
from pantau.reports.pdf import render_pdf
from pantau.reports.qr import qr_svg_data_uri
from pantau.surveys import exports, indices, report, results, selectors, services
from pantau.surveys import jobs as survey_jobs
from pantau.surveys.models import Campaign, Questionnaire, QuestionnaireVersion

PAGE_SIZE = 50
staff = r.is_office_staff | r.is_provider_staff


class CampaignForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=200)
    version = forms.TypedChoiceField(label=gettext_lazy("Kuesioner"), coerce=int)
    period_start = forms.DateField(label=gettext_lazy("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=gettext_lazy("Selesai"), widget=forms.DateInput(attrs={"type": "date"}))
    population = forms.IntegerField(
        label=gettext_lazy("Jumlah penerima layanan periode sebelumnya (N)"), required=False, min_value=1,
        max_value=services.MAX_POPULATION,
        help_text=gettext_lazy("Dari sini dihitung sampel minimum (Krejcie & Morgan)."))
    population_source = forms.CharField(label=gettext_lazy("Sumber angka N"), max_length=200, required=False)

    def __init__(self, *args: Any, unit: ServiceUnit | None, locked_version: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = questionnaire_versions(unit)
        field = self.fields["version"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(v.pk, f"{v.questionnaire.title} (v{v.number})") for v in versions]
        if locked_version:
            self.fields["version"].disabled = True


def questionnaire_versions(unit: ServiceUnit | None) -> list[QuestionnaireVersion]:
    """The newest version of each built-in questionnaire and of the unit's own (none for a campaign
    of a whole institution)."""
    services.builtin_versions()
    out = []
    owners = Q(unit=None) if unit is None else Q(unit=None) | Q(unit=unit)
    for q in Questionnaire.objects.filter(owners).order_by("pk"):
        latest = q.versions.select_related("questionnaire").order_by("-number").first()
        if latest is not None:
            out.append(latest)
    return sorted(out, key=lambda v: (v.questionnaire.unit_id is None, v.questionnaire.title))


def _service_rows(request: HttpRequest, unit: ServiceUnit | None, campaign: Campaign | None,
                  institution: Institution) -> list[dict[str, Any]]:
    """The products a campaign may cover (the unit's, or every active unit's of the institution),
    with what was chosen and the volumes given."""
    chosen = {s.product_id: s.volume for s in campaign.services.all()} if campaign else {}
    if unit is not None:
        products = unit.products.filter(is_active=True).order_by("name_key", "pk")
    else:
        products = (ServiceProduct.objects.filter(unit__institution=institution, unit__is_active=True, is_active=True)
                    .select_related("unit").order_by("unit__name_key", "name_key", "pk"))
    rows = []
    for product in products[: services.MAX_SERVICES]:
        if request.method == "POST":
            on = request.POST.get(f"svc_{product.pk}") == "on"
            volume = request.POST.get(f"vol_{product.pk}", "").strip()
        else:
            on = product.pk in chosen or (campaign is None and unit is not None)
            volume = "" if chosen.get(product.pk) is None else str(chosen[product.pk])
        rows.append({"product": product, "on": on, "volume": volume,
                     "unit_name": product.unit.name if unit is None else ""})
    return rows


def _chosen(rows: list[dict[str, Any]]) -> list[tuple[int, int | None]]:
    out = []
    for row in rows:
        if not row["on"]:
            continue
        text = row["volume"]
        if text and not text.isdigit():
            raise ValidationError({"services": [_("Jumlah penerima layanan %(name)s harus bilangan bulat.") % {
                "name": row["product"].name}]})
        out.append((row["product"].pk, int(text) if text else None))
    return out


@access(staff)
def campaign_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.campaigns_for(request.user).select_related("unit", "institution", "version__questionnaire")
    page = keyset_page(request, qs, ("-pk",), PAGE_SIZE)
    can_create = r.can_edit_registry(request.user)
    unit_q = query_text(request, "unit_q")
    units: list[ServiceUnit] = []
    institutions: list[Institution] = []
    if can_create and unit_q:
        key = fold_key(unit_q)
        found = (units_for(request.user).filter(is_active=True, name_key__contains=key)
                 .select_related("institution").order_by("name_key", "pk")[:20])
        units = [u for u in found if can_edit_unit(request.user, u)]
        institutions = [i for i in institutions_for(request.user).filter(name_key__contains=key)
                        .order_by("name_key", "pk")[:10] if can_edit_institution(request.user, i)]
    return render(request, "surveys/manage/list.html", {"page": page, "campaigns": page, "can_create": can_create,
                                                        "unit_q": unit_q, "units": units,
                                                        "institutions": institutions})


@access(r.can_edit_registry)
def campaign_new(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(units_for(request.user).select_related("institution"), pk=unit_pk, is_active=True)
    if not can_edit_unit(request.user, unit):
        return render(request, "core/404.html", status=404)
    return _new(request, unit, unit.institution)


@access(r.can_edit_registry)
def campaign_new_institution(request: HttpRequest, institution_pk: int) -> HttpResponse:
    """A campaign of a whole institution: its users across every unit, on a built-in questionnaire."""
    institution = get_object_or_404(institutions_for(request.user), pk=institution_pk)
    if not can_edit_institution(request.user, institution):
        return render(request, "core/404.html", status=404)
    return _new(request, None, institution)


def _new(request: HttpRequest, unit: ServiceUnit | None, institution: Institution) -> HttpResponse:
    today = dt.date.today()
    initial = {"title": _("Survei Kepuasan Masyarakat %(year)d") % {"year": today.year},
               "period_start": today, "period_end": today + dt.timedelta(days=90)}
    form = CampaignForm(request.POST or None, unit=unit, initial=initial)
    rows = _service_rows(request, unit, None, institution)
    if request.method == "POST" and form.is_valid():
        try:
            version = QuestionnaireVersion.objects.get(pk=form.cleaned_data["version"])
            campaign = services.campaign_create(actor=request.user, unit=unit, institution=institution,
                                                version=version, data=form.cleaned_data, services=_chosen(rows))
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Survei dibuat sebagai draf. Buka survei agar masyarakat dapat mengisinya."))
            return redirect("survey_manage:detail", pk=campaign.pk)
    return render(request, "surveys/manage/edit.html", {"form": form, "unit": unit, "institution": institution,
                                                        "rows": rows, "campaign": None},
                  status=422 if request.method == "POST" else 200)


@access(r.can_edit_registry)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(request.user).select_related("unit__institution",
                                                                                       "institution"), pk=pk)
    unit = campaign.unit
    if not services.can_manage(request.user, campaign) or campaign.state == Campaign.State.PUBLISHED:
        return render(request, "core/404.html", status=404)
    initial = {k: getattr(campaign, k) for k in ("title", "period_start", "period_end", "population",
                                                 "population_source")} | {"version": campaign.version_id}
    form = CampaignForm(request.POST or None, unit=unit, initial=initial, locked_version=True)
    rows = _service_rows(request, unit, campaign, campaign.institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data,
                                     services=_chosen(rows))
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Survei tersimpan."))
            return redirect("survey_manage:detail", pk=campaign.pk)
    return render(request, "surveys/manage/edit.html", {"form": form, "unit": unit, "rows": rows,
                                                        "institution": campaign.institution, "campaign": campaign},
                  status=422 if request.method == "POST" else 200)


@access(staff)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(request.user)
                                 .select_related("unit__institution", "institution", "version__questionnaire"), pk=pk)
    result = results.campaign_result(campaign)
    can_edit = services.can_manage(request.user, campaign)
    link = selectors.public_link(campaign, "qr")
    return render(request, "surveys/manage/detail.html", {
        "campaign": campaign, "result": result, "can_edit": can_edit, "link": selectors.public_link(campaign),
        "qr": qr_svg_data_uri(link), "moves": [(to, label) for (src, to), label in _MOVES.items()
                                                 if src == campaign.state],
        "sample": indices.sample_size(campaign.population) if campaign.population else None,
        "breakdowns": [(results.BREAKDOWN_LABELS[k], cells) for k, cells in result["breakdowns"].items()],
        "follow_ups": selectors.follow_ups_of(campaign),
    })




_MOVES = {
    (Campaign.State.DRAFT, Campaign.State.OPEN): gettext_lazy("Buka survei"),
    (Campaign.State.OPEN, Campaign.State.CLOSED): gettext_lazy("Tutup survei"),
    (Campaign.State.CLOSED, Campaign.State.OPEN): gettext_lazy("Buka kembali"),
    (Campaign.State.CLOSED, Campaign.State.PUBLISHED): gettext_lazy("Terbitkan hasil"),
}


@access(r.can_edit_registry)
@require_POST
def campaign_state(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    try:
        services.campaign_set_state(actor=request.user, campaign=campaign, state=request.POST.get("state", "")[:20])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Status survei diperbarui."))
    return redirect("survey_manage:detail", pk=campaign.pk)


@access(staff)
def campaign_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 poster for the counter: the survey's title, the unit, its QR code and short link."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user).select_related("unit", "institution"), pk=pk)
    product_id = request.GET.get("layanan", "")
    product = None
    if product_id.isdigit():
        product = campaign.services.select_related("product").filter(product_id=int(product_id)).first()
    link = selectors.public_link(campaign, "qr", product.product_id if product else None)
    pdf = render_pdf("surveys/manage/poster.html", {"campaign": campaign, "link": link, "qr": qr_svg_data_uri(link),
                                                    "product": product.product if product else None})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-survei-{campaign.pk}.pdf"'
    return response


@access(staff)
def campaign_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The raw responses as CSV, one row per response, values not labels, streamed."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user).select_related("version__questionnaire"), pk=pk)
    with transaction.atomic():
        audit.record(actor=request.user, event_type="responses.exported", obj=campaign,
                     institution_id=campaign.institution_id)
    response = StreamingHttpResponse(exports.csv_rows(campaign), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jawaban-survei-{campaign.pk}.csv"'
    return response


@access(staff)
def campaign_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The SKM report (PDF) of a campaign: live figures until it is published."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user).select_related(
        "unit", "institution", "version__questionnaire"), pk=pk)
    data, state = report.pdf(campaign)
    response = HttpResponse(data, content_type="application/pdf")
    response[CACHE_HEADER] = state
    response["Content-Disposition"] = f'inline; filename="laporan-skm-{campaign.pk}.pdf"'
    return response


@access(staff)
@require_POST
def campaign_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The raw responses as XLSX with a codebook, written by a background job (its page has the file)."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    with transaction.atomic():
        audit.record(actor=request.user, event_type="responses.exported", obj=campaign,
                     institution_id=campaign.institution_id, after={"format": "xlsx"})
    return redirect("jobs:detail", survey_jobs.start_export(request.user, campaign.pk).pk)
