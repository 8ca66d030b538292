"""Generated documents of a case (the LAHP, the clarification request: ``letters``) and the queue export
(``exports``). Reads through ``selectors`` (404 outside scope); each download and export is audited.

- ``GET /kelola/laporan/<id>/lahp.pdf`` and ``…/permintaan-klarifikasi.pdf``: the PDF, for who
  ``letters.may_download`` admits; anybody else, or a document the case's stage does not have, gets 404.
- ``GET /kelola/laporan/ekspor.csv?<queue filter>``: the CSV streamed, up to ``exports.CSV_DIRECT_LIMIT``
  cases; beyond that a page offers the background job. ``POST`` starts the job (its page has the file).
- ``GET /kelola/laporan/ekspor.xlsx?<queue filter>``: a page saying how many cases the file will hold,
  with the button that starts the job (``POST``), since an XLSX is always written by a background job.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from pantau.complaints import exports, letters, selectors
from pantau.complaints.views_manage import works_on_complaints
from pantau.core import audit, ratelimit
from pantau.core.access import access

LETTERS_PER_HOUR = 120
EXPORTS_PER_HOUR = 30
MESSAGE_TEMPLATE = "complaints/letters/message.html"
log = logging.getLogger("pantau.complaints.letters")


def _private(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"


def _message(request: HttpRequest, title: str, text: str, *, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, MESSAGE_TEMPLATE, {"title": title, "text": text, **extra}, status=status)


@require_GET
@access(works_on_complaints)
def letter(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if not letters.may_download(request.user, case, kind):
        raise Http404
    if not ratelimit.allow("complaint-letter", str(request.user.pk), limit=LETTERS_PER_HOUR, window=3600):
        return _message(request, _("Terlalu banyak unduhan"), _(
            "Anda sudah mengunduh banyak dokumen dalam satu jam terakhir. Coba lagi beberapa menit lagi."),
            status=429, back=case)
    started = time.monotonic()
    pdf, filename, identity = letters.render(case, kind)
    with transaction.atomic():
        audit.record(actor=request.user, event_type="case.letter_downloaded", obj=case,
                     after={"letter": kind, "identity_printed": identity},
                     institution_id=case.institution_id, province_id=case.province_id)
    log.info("complaint letter %s of case %s rendered in %d ms", kind, case.pk, (time.monotonic() - started) * 1000)
    response = HttpResponse(pdf, content_type="application/pdf")
    _private(response, filename)
    return response


def _query(params: dict[str, str]) -> str:
    return urlencode(params)


def _audit_export(request: HttpRequest, params: dict[str, str], fmt: str, how: str) -> None:
    # The search text is the user's own; only whether one was used is recorded.
    shown = {k: v for k, v in params.items() if k != "q"} | ({"q": True} if "q" in params else {})
    with transaction.atomic():
        audit.record(actor=request.user, event_type="case.exported",
                     after={"format": fmt, "filter": shown, "how": how})


def _start(request: HttpRequest, params: dict[str, str], fmt: str) -> HttpResponse:
    if not ratelimit.allow("complaint-export", str(request.user.pk), limit=EXPORTS_PER_HOUR, window=3600):
        return _message(request, _("Terlalu banyak ekspor"), _(
            "Anda sudah memulai banyak ekspor dalam satu jam terakhir. Berkas yang sudah jadi ada di daftar tugas "
            "Anda; coba lagi nanti."), status=429, jobs_link=True)
    _audit_export(request, params, fmt, "job")
    return redirect("jobs:detail", exports.start_export(request.user, params, fmt).pk)


@never_cache
@require_http_methods(["GET", "POST"])
@access(works_on_complaints)
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    params = exports.filter_params(request.GET)
    if request.method == "POST":
        return _start(request, params, "csv")
    qs, _ordering, _limits = exports.queryset(request.user, params)
    if exports.more_than(qs, exports.CSV_DIRECT_LIMIT):
        return _message(request, _("Ekspor CSV"), _(
            "Saringan ini memuat lebih dari %(n)d laporan: terlalu banyak untuk diunduh langsung. Buat berkasnya "
            "sebagai tugas latar (halamannya menunjukkan kemajuan dan tautan unduhan), atau persempit saringan.")
            % {"n": exports.CSV_DIRECT_LIMIT}, query=_query(params), start_format="csv")
    if not ratelimit.allow("complaint-export", str(request.user.pk), limit=EXPORTS_PER_HOUR, window=3600):
        return _message(request, _("Terlalu banyak ekspor"), _(
            "Anda sudah mengunduh banyak ekspor dalam satu jam terakhir. Coba lagi nanti."), status=429)
    _audit_export(request, params, "csv", "direct")
    response = StreamingHttpResponse(exports.csv_chunks(request.user, params), content_type="text/csv; charset=utf-8")
    _private(response, f"laporan-masyarakat-{timezone.localdate().isoformat()}.csv")
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@access(works_on_complaints)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    params = exports.filter_params(request.GET)
    if request.method == "POST":
        return _start(request, params, "xlsx")
    qs, _ordering, _limits = exports.queryset(request.user, params)
    count = qs.count()
    return _message(request, _("Ekspor XLSX"), _(
        "Berkas akan memuat %(n)d laporan dari saringan antrean Anda. Berkas dibuat sebagai tugas latar; halaman "
        "tugas menunjukkan kemajuan dan tautan unduhan.") % {"n": count},
        query=_query(params), start_format="xlsx" if count else "", filters=params)
