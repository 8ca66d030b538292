"""The citizen's side on the web: the public report form (``/lapor/``), its confirmation with the secret
tracking link, the tracking page behind that link, and the help page for a lost link.

Small pages with no external requests that work without JavaScript (``report.js`` adds search as you type,
the draft kept on the device and the copy button). Nothing the reporter typed is lost on an error: the form
comes back with it. The reporter's identity is never shown on these pages, not even to the reporter
(a tracking link may be opened on a shared phone). Pages behind the link answer ``no-store``, are not
indexed and send the origin only as referrer; the request log names the view, never the path (``core.logging``)."""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from pantau.complaints import clock, deadlines, files, filings, selectors, services
from pantau.complaints.forms_public import MessageForm, Place, ReportForm, TrackLinkForm, resolve_choice
from pantau.complaints.models import Case, Reporter
from pantau.complaints.redact import redact
from pantau.complaints.selectors import case_by_token, token_hash
from pantau.complaints.vocab import CLOSURE_REASONS, RecordKind, State, state_label
from pantau.core import ratelimit
from pantau.core.access import PUBLIC, access
from pantau.core.http import client_ip, query_id, query_text
from pantau.core.search.query import find
from pantau.registry import search_docs
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit

HONEYPOT = "website"
REFERRER_POLICY = "strict-origin"
FILED = "pantau_filed"  # cookie: the report just filed, its secret link shown on the confirmation page
FILED_SALT = "pantau.complaints.filed"
FILED_SECONDS = 30 * 60
RETRY_SECONDS = 2 * 3600  # a resent form (same client token) finds its link again this long
MATCHES = 6
UNITS_SHOWN = 300
EVENTS_SHOWN = 100


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _limits() -> dict[str, int]:
    from pantau.complaints.attachments import LIMITS, MB

    return {"files": LIMITS.max_files, "one": LIMITS.max_bytes // MB, "total": LIMITS.max_total // MB}


R = TypeVar("R", bound=HttpResponseBase)


def private(response: R) -> R:
    """Headers of a page that holds or shows a secret link: not kept, not indexed, and a referrer of the
    origin only (never the path with the token). Not ``no-referrer``: with it browsers send ``Origin: null``
    on the page's own POST forms, which the CSRF check refuses."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- the report form --------------------------------------------------------------------------------------------


def _matches(q: str) -> list[dict[str, str]]:
    """Registry objects matching ``q`` (products, units, institutions), a few of each, as choices."""
    if not q.strip():
        return []
    found: list[dict[str, str]] = []
    product_ids = find(search_docs.PRODUCT, q, where=Q(is_public=True)).object_ids[:MATCHES]
    products = ServiceProduct.objects.select_related("unit__institution").in_bulk(product_ids)
    for pk in product_ids:
        if (p := products.get(pk)) is not None and p.is_active:
            found.append({"value": f"p{pk}", "label": p.name, "sub": f"{p.unit.name} — {p.unit.institution.name}"})
    unit_ids = find(search_docs.UNIT, q, where=Q(is_public=True)).object_ids[:MATCHES]
    units = ServiceUnit.objects.select_related("institution").in_bulk(unit_ids)
    for pk in unit_ids:
        if (u := units.get(pk)) is not None and u.is_active:
            found.append({"value": f"u{pk}", "label": u.name, "sub": u.institution.name})
    institution_ids = find(search_docs.INSTITUTION, q).object_ids[:MATCHES]
    institutions = Institution.objects.in_bulk(institution_ids)
    found += [{"value": f"i{pk}", "label": institutions[pk].name, "sub": _("Instansi")}
              for pk in institution_ids if pk in institutions]
    return found


def _summary(form: forms.Form, file_error: str) -> list[dict[str, str]]:
    """The error summary: each problem with the field it links to."""
    out: list[dict[str, str]] = [{"anchor": "", "text": str(e)} for e in form.non_field_errors()]
    radios = {"tujuan", "sudah_mengadu", "kerahasiaan"}
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        field = form[name]
        anchor = f"id_{name}_0" if name in radios else ("id_cari" if name == "pilih" else field.id_for_label)
        out += [{"anchor": anchor, "text": f"{field.label}: {e}" if field.label else str(e)} for e in errors]
    if file_error:
        out.append({"anchor": "id_lampiran", "text": _("Lampiran: %(e)s") % {"e": file_error}})
    return out


def _report_page(request: HttpRequest, form: ReportForm, *, status: int = 200, matches: list[dict[str, str]] | None
                 = None, errors: list[dict[str, str]] | None = None, file_error: str = "", notice: str = "",
                 place: Place | None = None) -> HttpResponse:
    chosen = str(form["pilih"].value() or "")
    if place is None:
        place = resolve_choice(chosen) or Place()
    options: list[dict[str, str]] = []
    if place.institution is not None:
        options.append({"value": chosen, "label": place.label(), "sub": _("Pilihan Anda")})
    options += [m for m in matches or [] if m["value"] != chosen]
    units: list[tuple[int, str]] = []
    if place.institution is not None and place.unit is None:
        units = list(ServiceUnit.objects.filter(institution=place.institution, is_active=True)
                     .order_by("name", "pk").values_list("pk", "name")[:UNITS_SHOWN + 1])
    dropped = request.method == "POST" and bool(request.FILES.getlist("lampiran"))
    return private(render(request, "complaints/public/report.html", {
        "form": form, "options": options, "chosen": chosen, "place": place, "searched": matches is not None,
        "units": units[:UNITS_SHOWN], "more_units": len(units) > UNITS_SHOWN, "errors": errors or [],
        "file_error": file_error, "files_dropped": dropped and (bool(errors) or matches is not None),
        "notice": notice, "honeypot": HONEYPOT, "unit_value": str(form["unit"].value() or ""), "limits": _limits(),
    }, status=status))


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The public report form. ``?layanan=<product id>`` opens it with that service chosen; ``?cari=``
    lists registry matches to choose from (the search without JavaScript)."""
    if request.method == "GET":
        initial: dict[str, Any] = {"token": uuid.uuid4().hex, "cari": query_text(request, "cari")}
        notice = ""
        for param, prefix in (("layanan", "p"), ("unit", "u"), ("instansi", "i")):
            pk = query_id(request, param)
            if pk is not None and not initial.get("pilih"):
                if resolve_choice(f"{prefix}{pk}") is None:
                    notice = _("Layanan atau instansi pada tautan itu tidak ditemukan. Cari dengan namanya di bawah.")
                else:
                    initial["pilih"] = f"{prefix}{pk}"
        form = ReportForm(initial=initial)
        return _report_page(request, form, matches=_matches(initial["cari"]) if initial["cari"] else None,
                            notice=notice)
    if request.POST.get("aksi") == "cari":  # the search button: show matches, keep everything typed
        kept: dict[str, Any] = {name: request.POST.get(name, "") for name in ReportForm.base_fields}
        kept["di_pengadilan"] = bool(request.POST.get("di_pengadilan"))
        kept["bukan_pelayanan_publik"] = bool(request.POST.get("bukan_pelayanan_publik"))
        return _report_page(request, ReportForm(initial=kept), matches=_matches(str(kept["cari"])[:100]))
    form = ReportForm(request.POST)
    if request.POST.get(HONEYPOT):
        form.is_valid()
        return _report_page(request, form, status=400, errors=[{"anchor": "", "text": _(
            "Kiriman ditolak karena terdeteksi otomatis. Jika Anda mengisi sendiri, muat ulang halaman lalu kirim "
            "lagi.")}])
    if not form.is_valid():
        return _report_page(request, form, status=422, errors=_summary(form, ""))
    if not ratelimit.allow("complaint-report", client_ip(request) or "-",
                           limit=_limit("COMPLAINT_SUBMIT_LIMIT", 10), window=3600):
        return _report_page(request, form, status=429, place=form.place, errors=[{"anchor": "", "text": _(
            "Terlalu banyak laporan dari jaringan ini dalam satu jam. Isian Anda masih di halaman ini; kirim lagi "
            "nanti, atau hubungi kantor Ombudsman terdekat.")}])
    return _file(request, form)


def _retry_key(client_token: str) -> str:
    return "complaints:filed:" + hashlib.sha256(client_token.encode()).hexdigest()


def _file(request: HttpRequest, form: ReportForm) -> HttpResponse:
    """Without attachments the report is queued (``filings.queue``: one short write; the case is opened by the
    worker seconds later); with attachments the case is opened here, its files with it."""
    data, place = form.cleaned_data, form.place
    title = data["judul"].strip() or redact(" ".join(data["kronologi"].split())[:80]) or _("Laporan masyarakat")
    answers = filings.answers_of(form, title)
    uploads = request.FILES.getlist("lampiran")
    if not uploads:
        queued = filings.queue(answers, data["token"])
        raw, created, number = queued.token, queued.created, queued.number
    else:
        try:
            with transaction.atomic():
                opened = filings.open_case(answers, client_token=data["token"],
                                           place=(place.institution, place.unit, place.product))
                if opened.created:  # the opening event is read only when there are files to hang on it
                    event = opened.case.events.filter(action="open").first()
                    files.attach(case=opened.case, uploads=uploads, source="reporter", actor=None, event=event)
        except ValidationError as exc:
            file_error = ""
            if hasattr(exc, "error_dict"):
                file_error = " ".join(m for e in exc.error_dict.pop("lampiran", []) for m in e.messages)
            if file_error:
                file_error += " " + _("Isian lain tetap ada; pilih lagi berkasnya lalu kirim.")
            if not hasattr(exc, "error_dict") or exc.error_dict:
                from pantau.core.forms import add_validation_error

                add_validation_error(form, exc)
            return _report_page(request, form, status=422, place=place, errors=_summary(form, file_error),
                                file_error=file_error)
        raw, created, number = opened.token, opened.created, opened.case.number
    if created:
        cache.set(_retry_key(data["token"]), raw, RETRY_SECONDS)
    else:
        raw = cache.get(_retry_key(data["token"])) or ""
    missing, notes = filings.confirmation(answers, form.kind)
    shown = {"number": number, "token": raw, "kind": str(form.kind), "missing": missing if created else [],
             "notes": notes, "again": not created}
    response = redirect(reverse("complaints:filed"), permanent=False)
    response.set_cookie(FILED, signing.dumps(shown, salt=FILED_SALT, compress=True), max_age=FILED_SECONDS,
                        path=reverse("complaints:filed"), secure=settings.SESSION_COOKIE_SECURE, httponly=True,
                        samesite="Lax")
    return response


def track_url(request: HttpRequest, token: str) -> str:
    path = reverse("complaints:track", args=[token])
    return settings.SITE_URL + path if getattr(settings, "SITE_URL_SET", False) else request.build_absolute_uri(path)


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def filed(request: HttpRequest) -> HttpResponse:
    """The confirmation: the number and the secret link, shown from a signed cookie of this page alone for
    half an hour (or until "Sudah saya simpan"), never again afterwards and never sent by e-mail. The number
    appears once the worker has registered the report (until then the page says so, with a reload link)."""
    data: dict[str, Any] | None = None
    with contextlib.suppress(signing.BadSignature):
        data = signing.loads(request.COOKIES.get(FILED, ""), salt=FILED_SALT, max_age=FILED_SECONDS)
    if request.method == "POST" or data is None:
        response: HttpResponse = (redirect(reverse("complaints:track_help")) if request.method == "POST" else
                                  private(render(request, "complaints/public/filed.html", {"filed": None})))
        if FILED in request.COOKIES:
            response.delete_cookie(FILED, path=reverse("complaints:filed"), samesite="Lax")
        return response
    if not data.get("number") and data.get("token"):
        data["number"] = Case.objects.filter(tracking_hash=token_hash(data["token"])).values_list(
            "number", flat=True).first() or ""
    with contextlib.suppress(ValueError):
        data["kind"] = RecordKind(str(data.get("kind"))).label
    link = track_url(request, data["token"]) if data.get("token") else ""
    return private(render(request, "complaints/public/filed.html", {"filed": data, "link": link}))


# --- the tracking link --------------------------------------------------------------------------------------------


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def track_help(request: HttpRequest) -> HttpResponse:
    """Where the tracking link is, and that a number alone opens nothing; a pasted link opens the page."""
    form = TrackLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect(reverse("complaints:track", args=[form.cleaned_data["tautan"]]))
    errors = _summary(form, "") if form.is_bound else []
    return private(render(request, "complaints/public/track_help.html", {"form": form, "errors": errors},
                          status=422 if form.is_bound else 200))


EVENT_LABELS = {
    "open": gettext_noop("Laporan diterima"),
    "reporter_message": gettext_noop("Informasi tambahan dari Anda"),
    "hand_over": gettext_noop("Laporan dilimpahkan ke kantor lain"),
}


def _event_label(row: Any, kind: RecordKind) -> str:
    if row["action"] in EVENT_LABELS:
        return _(EVENT_LABELS[row["action"]])
    if row["target_state"]:
        try:
            return state_label(State(row["target_state"]), kind)
        except ValueError:
            pass
    return _("Perkembangan laporan")


def _deadlines(case: Case) -> list[dict[str, Any]]:
    rows = list(case.timers.filter(stopped_at__isnull=True).order_by("due_on").values_list("step", "due_on"))
    if not rows:
        return []
    today = clock.today()
    calendar = clock.calendar()
    rules = clock.rule_set(case.rule_set)
    out = []
    for step, due in rows:
        try:
            title = rules.step(step).title
        except deadlines.DeadlineError:
            title = step
        status: str = ""
        with contextlib.suppress(deadlines.DeadlineError):
            status = deadlines.status(due, today, calendar, due_soon_within=rules.due_soon_within,
                                      very_overdue_after=rules.very_overdue_after)
        out.append({"step": step, "title": title, "due": due, "status": status})
    return out


def _asked(case: Case, timers: list[dict[str, Any]]) -> dict[str, Any] | None:
    """What the case waits for from the reporter, if anything."""
    due = {t["step"]: t["due"] for t in timers}
    if case.state == State.AWAITING_COMPLETENESS:
        present = Reporter.objects.filter(case=case).values("full_name", "address", "email", "phone").first()
        missing = services.formal_missing(case, {k: bool(v) for k, v in (present or {}).items()})
        return {"what": "complete", "done": case.documents_supplied, "missing": missing, "due": due.get("completeness")}
    if case.state == State.AWAITING_REPORTER_RESPONSE:
        return {"what": "respond", "done": case.reporter_answered, "missing": [], "due": due.get("lahp_response")}
    return None


def _track_page(request: HttpRequest, case: Case, token: str, form: MessageForm, *, status: int = 200,
                file_error: str = "") -> HttpResponse:
    kind = RecordKind(case.kind)
    rows = list(selectors.events_for_reporter(case).order_by("-at", "-id")
                .values("at", "action", "target_state", "note", "actor_label")[:EVENTS_SHOWN])
    events = [{"at": r["at"], "label": _event_label(r, kind), "mine": r["action"] == "reporter_message",
               "note": redact(r["note"]) if r["action"] == "reporter_message" else r["note"]} for r in rows]
    attachments = list(case.attachments.filter(source="reporter").order_by("id")
                       .values("pk", "name", "size", "created_at")[:100])
    timers = _deadlines(case)
    errors = _summary(form, file_error) if form.is_bound else []
    return private(render(request, "complaints/public/track.html", {
        "case": case, "kind_label": kind.label, "state_label": state_label(State(case.state), kind),
        "events": events, "attachments": attachments, "timers": timers, "asked": _asked(case, timers),
        "form": form, "token": token, "errors": errors, "file_error": file_error, "limits": _limits(),
        "closure": CLOSURE_REASONS[case.closure_reason].label if case.closure_reason in CLOSURE_REASONS else "",
        "place": " — ".join(n for n in (case.unit.name if case.unit else "",
                                          case.institution.name if case.institution else "",
                                          case.reported_other) if n),
    }, status=status))


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, token: str) -> HttpResponse:
    """The reporter's page behind the secret link (404 for any other token): stage, the history meant for
    the reporter, deadlines, what is asked of them, and a form to add information and files."""
    try:
        case = case_by_token(token)
    except Http404:
        filing = filings.pending(token)
        if filing is None:
            raise
        return private(render(request, "complaints/public/track_pending.html", {
            "filing": filing, "posted": request.method == "POST"}, status=409 if request.method == "POST" else 200))
    if request.method == "GET":
        return _track_page(request, case, token, MessageForm())
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _track_page(request, case, token, form, status=422)
    if not ratelimit.allow("complaint-message", client_ip(request) or "-",
                           limit=_limit("COMPLAINT_MESSAGE_LIMIT", 30), window=3600):
        form.add_error(None, _("Terlalu banyak kiriman dari jaringan ini dalam satu jam. Tulisan Anda masih di "
                               "sini; kirim lagi nanti."))
        return _track_page(request, case, token, form, status=429)
    try:
        with transaction.atomic():
            event = services.reporter_message(case=case, note=form.cleaned_data["catatan"])
            files.attach(case=case, uploads=request.FILES.getlist("lampiran"), source="reporter", actor=None,
                         event=event)
    except ValidationError as exc:
        file_error = ""
        if hasattr(exc, "error_dict"):
            file_error = " ".join(m for e in exc.error_dict.pop("lampiran", []) for m in e.messages)
            for name, errors in exc.error_dict.items():
                for error in errors:
                    form.add_error("catatan" if name == "note" else None, error)
        else:
            for message in exc.messages:
                form.add_error(None, message)
        if file_error:
            file_error += " " + _("Tulisan Anda tetap ada; pilih lagi berkasnya lalu kirim.")
        return _track_page(request, case, token, form, status=422, file_error=file_error)
    messages.success(request, _("Terkirim. Petugas akan membacanya; perkembangan berikutnya tampil di halaman ini."))
    return redirect(reverse("complaints:track", args=[token]))
