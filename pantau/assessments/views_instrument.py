"""The instrument page of a sampled unit, answered in the field (issue 8, "Field work").

- ``unit``: GET shows every item beside what the provider published; POST (a plain HTML form that
  needs no JavaScript) saves the items the user changed, the evidence they attached, and shows
  errors next to their item and conflicts side by side for the user to choose.
- ``sync``: the JSON endpoint the offline page (``instrument.js``) sends its waiting answers to;
  per answer: saved, conflict (with the stored value) or refused (with the message).
- ``evidence_upload``: one piece of evidence from the offline page, idempotent by client token.
- ``evidence_file``: a stored photo or document, to whoever sees the unit.
- ``submit``: the unit handed in for review.
- ``service_worker``: ``sw.js``, served from ``/kelola/penilaian/`` so that its scope covers the
  instrument pages (no ``Service-Worker-Allowed`` header needed).

Out of the user's scope: 404 (``selectors_cycle.sampled_units_for`` and the services' own checks).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pantau.accounts.rules import has_any_role
from pantau.assessments import instrument, services_answers, services_evidence
from pantau.assessments.models import Evidence, SampledUnit
from pantau.assessments.models_cycle import REASON_CHARS
from pantau.assessments.models_evidence import TOKEN_CHARS
from pantau.assessments.selectors_cycle import sampled_units_for
from pantau.core.access import PUBLIC, access
from pantau.registry import selectors as registry

SYNC_MAX_ANSWERS = 500
EVIDENCE_FIELDS = (("photo", Evidence.Kind.PHOTO), ("doc", Evidence.Kind.DOCUMENT))


def _sampled(request: HttpRequest, pk: int) -> SampledUnit:
    return get_object_or_404(sampled_units_for(request.user).select_related("period__methodology_version"), pk=pk)


def _page(request: HttpRequest, sampled: SampledUnit, sections: list[instrument.Section],
          problems: int = 0, change_reason: str = "") -> HttpResponse:
    names = registry.unit_rows([sampled.unit_id])
    locked, may_change = services_answers.lock_of(request.user, sampled)
    return render(request, "assessments/work/unit.html", {
        "locked": locked, "may_change": may_change, "change_reason": change_reason,
        "sampled": sampled, "period": sampled.period, "unit": names.get(sampled.unit_id, {}).get("name", ""),
        "sections": sections, "form_token": uuid.uuid4().hex, "problems": problems,
        "sync_url": reverse("assessment_work:sync", args=[sampled.pk]),
        "evidence_url": reverse("assessment_work:evidence_upload", args=[sampled.pk]),
        "sw_url": reverse("assessment_work:service_worker"),
    }, status=422 if problems else 200)


@never_cache
@access(has_any_role)
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    """The instrument: GET shows it, POST saves what changed (see the module docstring)."""
    sampled = _sampled(request, pk)
    sections, rows = instrument.build(request.user, sampled)
    if request.method != "POST":
        return _page(request, sampled, sections)
    post, files = request.POST, request.FILES
    token = (post.get("form_token") or uuid.uuid4().hex)[:32]
    change_reason = (post.get("change_reason") or "").strip()[:REASON_CHARS]
    problems = saved = 0
    for key, row in rows.items():
        raw = (post.get(f"{key}__value") or "").strip()
        if post.get(f"{key}__na") == "1":
            raw = "na"
        reason = post.get(f"{key}__reason") or ""
        try:
            revision = int(post.get(f"{key}__rev") or 0)
        except ValueError:
            revision = 0
        conflicted = post.get(f"{key}__conflict") == "1"
        resolve = post.get(f"{key}__resolve")
        mine = raw != post.get(f"{key}__seen", "") or (raw == "na" and reason.strip() != row.reason)
        if conflicted and resolve == "theirs":
            mine = False
        if raw and (mine or (conflicted and resolve == "mine")):
            if conflicted and resolve not in ("mine", "theirs"):
                outcome = instrument.save_one(request.user, sampled, row, raw, reason, -1)  # shows the conflict
            else:
                outcome = instrument.save_one(request.user, sampled, row, raw, reason, revision, change_reason)
            if outcome.status == "saved":
                row.value, row.reason, row.revision, row.seen, row.saved = (outcome.value, outcome.reason,
                                                                            outcome.revision, outcome.value, True)
                saved += 1
            else:
                problems += 1
                row.value, row.reason = raw, reason.strip()
                if outcome.status == "conflict":
                    assert outcome.stored is not None
                    row.conflict = outcome.stored
                    row.revision, row.seen = outcome.stored["revision"], outcome.stored["value"]
                    if conflicted:
                        row.errors.append(_("Pilih jawaban yang dipakai: jawaban Anda atau yang tersimpan."))
                else:
                    row.errors.append(outcome.message)
        for name, kind in EVIDENCE_FIELDS:
            for i, upload in enumerate(files.getlist(f"{key}__{name}")[:5]):
                problems += _attach(request, sampled, row, kind, f"{token}-{key}-{name}-{i}", upload=upload)
        url = (post.get(f"{key}__url") or "").strip()
        if url:
            problems += _attach(request, sampled, row, Evidence.Kind.URL, f"{token}-{key}-url", url=url)
        note = (post.get(f"{key}__note") or "").strip()
        if note:
            problems += _attach(request, sampled, row, Evidence.Kind.NOTE, f"{token}-{key}-note", note=note)
    if problems:
        return _page(request, sampled, sections, problems, change_reason)
    if saved:
        messages.success(request, _("%(n)d jawaban tersimpan.") % {"n": saved})
    else:
        messages.info(request, _("Tidak ada jawaban yang berubah."))
    return redirect("assessment_work:unit", pk=sampled.pk)


def _attach(request: HttpRequest, sampled: SampledUnit, row: instrument.Row, kind: str, token: str,
            **what: Any) -> int:
    try:
        row.evidence.append(instrument.add_evidence(request.user, sampled, row, kind, token=token, **what))
    except ValidationError as error:
        row.errors.append(" ".join(error.messages))
        return 1
    return 0


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"status": "refused", "message": message}, status=status)


@require_POST
@access(has_any_role)
def sync(request: HttpRequest, pk: int) -> JsonResponse:
    """``{"answers": [{"key", "value", "reason", "revision"}]}`` → ``{"answers": [{"key", "status",
    "revision", "value", "reason", "message"?, "stored"?}]}`` (status: saved, conflict, refused)."""
    sampled = _sampled(request, pk)
    try:
        body = json.loads(request.body or b"{}")
        answers = body["answers"]
        if not isinstance(answers, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _json_error(_("Isi permintaan bukan JSON yang dikenal."))
    if len(answers) > SYNC_MAX_ANSWERS:
        return _json_error(_("Terlalu banyak jawaban sekaligus (paling banyak %(n)d).") % {"n": SYNC_MAX_ANSWERS})
    _sections, rows = instrument.build(request.user, sampled)
    results = []
    for entry in answers:
        if not isinstance(entry, dict):
            return _json_error(_("Isi permintaan bukan JSON yang dikenal."))
        key = str(entry.get("key") or "")[:80]
        row = rows.get(key)
        if row is None:
            results.append({"key": key, "status": "refused", "message": _("Item tidak ada pada unit ini.")})
            continue
        try:
            revision = int(entry.get("revision") or 0)
        except (TypeError, ValueError):
            revision = 0
        outcome = instrument.save_one(request.user, sampled, row, str(entry.get("value") or "")[:40],
                                      str(entry.get("reason") or ""), revision)
        results.append(outcome.as_json(key))
    return JsonResponse({"answers": results})


@require_POST
@access(has_any_role)
def evidence_upload(request: HttpRequest, pk: int) -> JsonResponse:
    """One piece of evidence (multipart: ``key``, ``kind``, ``client_token``, ``file`` or ``url`` or
    ``note``); the same token again returns the stored row."""
    sampled = _sampled(request, pk)
    _sections, rows = instrument.build(request.user, sampled)
    row = rows.get(request.POST.get("key") or "")
    kind = request.POST.get("kind") or ""
    token = (request.POST.get("client_token") or "").strip()
    if row is None or kind not in Evidence.Kind.values or not token or len(token) > TOKEN_CHARS:
        return _json_error(_("Bukti tidak dikenal: item, jenis atau token tidak sah."))
    try:
        ev = instrument.add_evidence(request.user, sampled, row, kind, upload=request.FILES.get("file"),
                                     url=request.POST.get("url") or "", note=request.POST.get("note") or "",
                                     token=token)
    except ValidationError as error:
        return _json_error(" ".join(error.messages), status=422)
    return JsonResponse({"status": "saved", "evidence": {
        **ev.as_json(), "href": reverse("assessment_work:evidence_file", args=[ev.pk]) if ev.file else ""}})


@require_GET
@access(has_any_role)
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    ev = get_object_or_404(Evidence.objects.filter(sampled_unit__in=sampled_units_for(request.user).values("pk")),
                           pk=pk)
    if not ev.file:
        raise Http404
    response = FileResponse(ev.file.open("rb"), content_type=ev.content_type,
                            as_attachment=ev.kind == Evidence.Kind.DOCUMENT,
                            filename=ev.original_name or str(ev.file.name or "").rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@access(has_any_role)
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one piece of evidence (its uploader or a reviewer, while the unit is open)."""
    ev = get_object_or_404(Evidence.objects.filter(sampled_unit__in=sampled_units_for(request.user).values("pk")),
                           pk=pk)
    try:
        services_evidence.evidence_remove(actor=request.user, evidence=ev)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Bukti dihapus."))
    return redirect("assessment_work:unit", pk=ev.sampled_unit_id)


@require_POST
@access(has_any_role)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    sampled = _sampled(request, pk)
    try:
        services_answers.unit_submit(actor=request.user, sampled_unit=sampled)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Unit diajukan untuk reviu."))
    return redirect("assessment_work:unit", pk=sampled.pk)


@require_GET
@access(PUBLIC)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of the instrument pages: it holds no data, only which static files to
    keep (their current, hashed URLs) and the cache's name."""
    assets = [static(p) for p in ("pantau/app.css", "pantau/app.js", "vendor/htmx-2.0.11.min.js",
                                  "assessments/instrument.js", "assessments/instrument.css")]
    body = render_to_string("assessments/work/sw.js", {"assets": json.dumps(assets),
                                                       "version": json.dumps("|".join(assets))})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
