"""The public survey: the form a citizen opens from the QR code, its partial saves, the thank-you
page and the published results of a unit. Small pages, no external requests, Indonesian by
default; everything works without JavaScript (``survey.js`` adds the resumable draft, the
partial saves and the one-tap submit)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pantau.core import ratelimit
from pantau.core.access import PUBLIC, access
from pantau.core.http import client_ip
from pantau.core.pagecache import CACHE_HEADER
from pantau.registry.models import Institution, ServiceUnit
from pantau.surveys import expressions, report, selectors, services
from pantau.surveys.models import Campaign, Channel, Kind

SIGNER_SALT = "pantau.surveys.form"
HONEYPOT = "website"


def min_seconds() -> float:
    return float(settings.SURVEY_MIN_SECONDS)


def _limit() -> int:
    return int(settings.SURVEY_SUBMIT_LIMIT)


def _campaign(token: str) -> Campaign:
    campaign = selectors.public_campaign(token)
    if campaign is None:
        raise Http404
    return campaign


def _read(request: HttpRequest, campaign: Campaign) -> tuple[dict[str, Any], dict[str, Any]]:
    parsed = campaign.version.parsed
    answers = {q.code: request.POST.get(f"q_{q.code}", "")[:10] for q in parsed.elements}
    profile: dict[str, Any] = {}
    for f in parsed.fields:
        if f.type == "multiple":
            profile[f.code] = [v[:100] for v in request.POST.getlist(f"p_{f.code}")[:50]]
        elif f.type != "note":
            profile[f.code] = request.POST.get(f"p_{f.code}", "")[:500]
    return answers, profile


def _context(campaign: Campaign, request: HttpRequest, answers: dict[str, Any], profile: dict[str, Any],
             errors: list[str], token: str, started: str) -> dict[str, Any]:
    parsed = campaign.version.parsed
    chosen = request.GET.get("layanan") or profile.get("layanan", "")
    services_list = list(campaign.services.select_related("product").order_by("product__name"))
    if chosen and not profile.get("layanan"):
        profile = {**profile, "layanan": chosen}
    fields = []
    for f in parsed.fields:
        if f.type == "note":
            fields.append({"field": f, "value": "", "options": []})
            continue
        options = ([(str(s.product_id), s.product.name) for s in services_list] if f.type == "service"
                   else f.options())
        if f.type == "service" and not options:
            continue
        value = profile.get(f.code, "")
        chosen_values = value if isinstance(value, list) else [str(value)]
        fields.append({"field": f, "value": str(value), "chosen": chosen_values, "options": options})
    elements = [{"q": q, "value": str(answers.get(q.code, "")),
                 "options": [(str(i), label) for i, label in enumerate(q.choices, start=1)]}
                for q in parsed.elements]
    channel = Channel.QR if request.GET.get("src") == "qr" or request.POST.get("src") == "qr" else Channel.WEB
    return {"campaign": campaign, "parsed": parsed, "fields": fields, "elements": elements, "errors": errors,
            "token": token, "started": started, "channel": channel, "honeypot": HONEYPOT,
            "perception": parsed.kind == Kind.PERCEPTION, "suggestion": request.POST.get("saran", "")[:1000],
            "unit": campaign.unit, "institution": campaign.institution}


def _errors_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def form(request: HttpRequest, token: str) -> HttpResponse:
    campaign = _campaign(token)
    if campaign.state != Campaign.State.OPEN:
        return render(request, "surveys/public/closed.html", {"campaign": campaign}, status=410)
    if request.method == "GET":
        client = uuid.uuid4().hex
        started = _stamp(client)
        return render(request, "surveys/public/form.html", _context(campaign, request, {}, {}, [], client, started))
    answers, profile = _read(request, campaign)
    client = request.POST.get("token", "")[:80]
    started = request.POST.get("started", "")[:300]
    status, errors = 422, []
    if request.POST.get(HONEYPOT):
        errors = [_("Kiriman ditolak karena terdeteksi otomatis. Jika Anda mengisi sendiri, muat ulang halaman "
                    "lalu isi lagi.")]
        status = 400
    elif not ratelimit.allow(f"survey:{campaign.pk}", client_ip(request) or "-", limit=_limit(), window=3600):
        errors = [_("Terlalu banyak kiriman dari jaringan ini dalam satu jam. Coba lagi nanti.")]
        status = 429
    else:
        value, elapsed = _unstamp(started)
        if value != client:
            errors = [_("Formulir ini sudah kedaluwarsa atau rusak. Muat ulang halaman lalu kirim lagi; "
                        "jawaban yang tersimpan di perangkat akan diisikan kembali.")]
            status = 400
        elif elapsed < min_seconds():
            errors = [_("Kiriman terlalu cepat untuk diisi manusia. Periksa jawaban Anda, lalu kirim lagi.")]
    if not errors:
        given = {**{k: (" ".join(v) if isinstance(v, list) else v) for k, v in profile.items()}, **answers}
        missing = [q.code for q in campaign.version.parsed.elements if not answers.get(q.code)
                   and (not q.relevant or expressions.compile_expression(q.relevant).evaluate(given))]
        if missing:
            errors = [_("Mohon jawab semua pertanyaan penilaian (%(n)d belum dijawab).") % {"n": len(missing)}]
    if not errors:
        try:
            services.response_submit(campaign=campaign, client_token=client, answers=answers, profile=profile,
                                     suggestion=request.POST.get("saran", ""), complete=True,
                                     channel=Channel.QR if request.POST.get("src") == "qr" else Channel.WEB)
        except services.Rejected as exc:
            return render(request, "surveys/public/closed.html", {"campaign": campaign, "reason": str(exc)},
                          status=410)
        except ValidationError as exc:
            errors = _errors_of(exc)
        else:
            return redirect(reverse("surveys:thanks", args=[campaign.public_token]))
    return render(request, "surveys/public/form.html",
                  _context(campaign, request, answers, profile, errors, client, started), status=status)


def _stamp(client: str) -> str:
    """The form's signed token and the time it was handed out (for the minimum fill time)."""
    return signing.Signer(salt=SIGNER_SALT).sign_object({"token": client, "at": time.time()})


def _unstamp(started: str) -> tuple[str, float]:
    """(token, seconds since the form was handed out), or ("", 0) when forged or broken."""
    try:
        data = signing.Signer(salt=SIGNER_SALT).unsign_object(started)
        return str(data["token"]), time.time() - float(data["at"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "", 0.0


@access(PUBLIC)
@require_POST
def save_partial(request: HttpRequest, token: str) -> JsonResponse:
    """A draft sent while answering (``survey.js``): stored as a partial response (counted in the
    response rate, never in the index). Answers with what was stored, or why not."""
    campaign = _campaign(token)
    if campaign.state != Campaign.State.OPEN:
        return JsonResponse({"detail": _("Survei ini tidak sedang menerima jawaban.")}, status=410)
    if request.POST.get(HONEYPOT):
        return JsonResponse({"detail": _("Kiriman ditolak.")}, status=400)
    if not ratelimit.allow(f"survey-draft:{campaign.pk}", client_ip(request) or "-", limit=_limit() * 20,
                           window=3600):
        return JsonResponse({"detail": _("Terlalu banyak kiriman; coba lagi nanti.")}, status=429)
    client = request.POST.get("token", "")[:80]
    signed, _elapsed = _unstamp(request.POST.get("started", "")[:300])
    if signed != client:
        return JsonResponse({"detail": _("Formulir kedaluwarsa; muat ulang halaman.")}, status=400)
    answers, profile = _read(request, campaign)
    try:
        response, _created = services.response_submit(
            campaign=campaign, client_token=client, answers=answers, profile=profile,
            suggestion=request.POST.get("saran", ""), complete=False,
            channel=Channel.QR if request.POST.get("src") == "qr" else Channel.WEB)
    except services.Rejected as exc:
        return JsonResponse({"detail": str(exc)}, status=410)
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(_errors_of(exc))}, status=422)
    return JsonResponse({"saved": True, "complete": response.complete})


@access(PUBLIC)
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    campaign = _campaign(token)
    return render(request, "surveys/public/thanks.html", {"campaign": campaign})


def _results_page(request: HttpRequest, name: str, sub: str, published: list[Campaign], open_now: list[Campaign],
                  report_name: str, owner_pk: int) -> HttpResponse:
    latest = published[0] if published else None
    return render(request, "surveys/public/unit_results.html", {
        "name": name, "sub": sub, "published": published, "latest": latest,
        "report_url": reverse(f"surveys:{report_name}", args=[owner_pk, latest.pk]) if latest else "",
        "follow_ups": selectors.follow_ups_of(latest) if latest else [], "open": open_now})


@access(PUBLIC)
def unit_results(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(ServiceUnit.objects.select_related("institution"), pk=pk, is_active=True)
    return _results_page(request, unit.name, unit.institution.name, selectors.published_for_unit(unit.pk),
                         selectors.open_campaigns_for_unit(unit.pk), "unit_report", unit.pk)


@access(PUBLIC)
def institution_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The published surveys of a whole institution (campaigns without a unit)."""
    institution = get_object_or_404(Institution, pk=pk)
    return _results_page(request, institution.name, "", selectors.published_for_institution(institution.pk),
                         selectors.open_campaigns_for_institution(institution.pk), "institution_report",
                         institution.pk)


def _report(campaign: Campaign) -> HttpResponse:
    data, state = report.pdf(campaign)
    response = HttpResponse(data, content_type="application/pdf")
    response[CACHE_HEADER] = state
    response["Content-Disposition"] = f'inline; filename="laporan-skm-{campaign.pk}.pdf"'
    return response


@access(PUBLIC)
def unit_report(request: HttpRequest, pk: int, campaign_pk: int) -> HttpResponse:
    """The SKM report of a published campaign of the unit (made once, then from the cache)."""
    campaign = get_object_or_404(Campaign.objects.select_related("unit", "institution", "version__questionnaire"),
                                 pk=campaign_pk, unit_id=pk, unit__is_active=True, state=Campaign.State.PUBLISHED)
    return _report(campaign)


@access(PUBLIC)
def institution_report(request: HttpRequest, pk: int, campaign_pk: int) -> HttpResponse:
    """The SKM report of a published campaign of a whole institution."""
    campaign = get_object_or_404(Campaign.objects.select_related("institution", "version__questionnaire"),
                                 pk=campaign_pk, unit=None, institution_id=pk, state=Campaign.State.PUBLISHED)
    return _report(campaign)
