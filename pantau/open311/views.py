"""Open311 GeoReport v2 under ``/open311/v2/`` (issue 11; ``shared/docs/complaints.md`` §4): plain Django
views, because the spec chooses XML or JSON by the path's extension and wants its own error arrays.

Every answer is the spec's XML or JSON, errors included (400 bad input, 403 missing or wrong API key, 404
unknown resource, 405 another method, 429 too many reports for one key in an hour): never an HTML page. Reads
are public and never show a confidential case or any identity (``selectors``); ``POST requests`` needs an
API key (``keys``) and files through ``complaints.services.case_open`` (``intake``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pantau.complaints import freshness
from pantau.core import cachegen, ratelimit
from pantau.core.access import PUBLIC
from pantau.core.converters import parse_id
from pantau.open311 import catalog, intake, keys, render, selectors
from pantau.open311.render import FORMATS, answer, errors

WINDOW = dt.timedelta(days=90)  # the spec's longest (and default) span of GET requests
MAX_RESULTS = 1000  # the spec's "first 1 000 requests"
MAX_IDS = 100
# Kept ``GET requests`` answers: the complaints' generation, forgotten whenever a case (opened, moved on, made
# more private) or a demand is saved (``complaints.freshness``).
GENERATION = freshness.GENERATION
CACHE_SECONDS = 15
View = Callable[..., HttpResponse]


def page_size() -> int:
    """Requests per page when the client does not say (``OPEN311_PAGE_SIZE``, at most 1 000)."""
    return max(1, min(int(getattr(settings, "OPEN311_PAGE_SIZE", 100)), MAX_RESULTS))


def jurisdiction() -> str:
    return str(getattr(settings, "OPEN311_JURISDICTION", catalog.JURISDICTION))


def endpoint(*methods: str) -> Callable[[View], View]:
    """An Open311 view: public (its own API-key check), no CSRF (no cookies are used), the format from the
    path, the methods allowed, the jurisdiction checked, and every refusal in the spec's error shape."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str = "xml", **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return errors("xml", 404, _("Format '%(fmt)s' tidak tersedia; pakai .xml atau .json.") % {
                    "fmt": fmt[:10]})
            if request.method not in methods:
                response = errors(fmt, 405, _("Metode %(method)s tidak didukung di alamat ini.") % {
                    "method": str(request.method)[:10]})
                response["Allow"] = ", ".join(methods)
                return response
            try:
                data = request.POST if request.method == "POST" else request.GET
                wanted = intake.clean(data.get("jurisdiction_id"), 100)
                if wanted and wanted != jurisdiction():
                    return errors(fmt, 404, _("jurisdiction_id '%(id)s' tidak dikenal; pakai %(ours)s.") % {
                        "id": wanted[:100], "ours": jurisdiction()})
                return view(request, *args, fmt=fmt, **kwargs)
            except Http404:
                return errors(fmt, 404, _("Tidak ditemukan."))
            except SuspiciousOperation:  # too many fields, too large a body, a malformed multipart body
                return errors(fmt, 400, _("Permintaan tidak dapat dibaca (terlalu besar atau rusak)."))

        wrapper.access_rule = PUBLIC  # type: ignore[attr-defined]
        wrapper.csrf_exempt = True  # type: ignore[attr-defined]
        return wrapper

    return decorate


@endpoint("GET", "HEAD")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/discovery", 1)[0]
    contact = str(getattr(settings, "OPEN311_CONTACT", "") or _(
        "Ombudsman Republik Indonesia, pengelola Pantau; lihat halaman kontak situs ini."))
    return answer(fmt, "discovery", {
        "changeset": catalog.CHANGESET, "contact": contact,
        "key_service": _("Kunci API diterbitkan oleh admin nasional Pantau (perintah pantau open311_key); "
                         "ajukan melalui kontak di atas."),
        "endpoints": [{"specification": catalog.SPECIFICATION, "url": base, "changeset": catalog.CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}]})


@endpoint("GET", "HEAD")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return answer(fmt, "services", catalog.services())


@endpoint("GET", "HEAD")
def service(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if code not in catalog.substance_by_code():
        return errors(fmt, 404, _("service_code '%(code)s' tidak dikenal.") % {"code": code[:60]})
    return answer(fmt, "service_definition", catalog.definition(code))


@endpoint("GET", "HEAD", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    client = keys.client_for_key(request.POST.get("api_key", ""))
    if client is None:
        return errors(fmt, 403, _("api_key tidak ada atau tidak sah; laporan tidak dapat dibuat."))
    if not ratelimit.allow("open311-post", str(client.pk), limit=client.hourly_limit, window=3600):
        return errors(fmt, 429, _("Terlalu banyak laporan dengan kunci ini dalam satu jam (batas %(n)d). Coba "
                                  "lagi nanti.") % {"n": client.hourly_limit})
    try:
        submission, tracking = intake.create(client=client, data=request.POST)
    except intake.Refused as refused:
        return errors(fmt, refused.status, refused.rows)
    case = submission.case
    notice = _("Laporan diterima dengan nomor agenda %(number)s dan diteliti kelengkapannya oleh Ombudsman.") % {
        "number": case.number}
    if tracking:
        notice += " " + _("Pelapor dapat mengikuti perkembangannya di %(url)s (tautan rahasia, simpan baik-baik).") % {
            "url": request.build_absolute_uri(reverse("complaints:track", args=[tracking]))}
    return answer(fmt, "service_requests", [{"service_request_id": str(case.pk), "token": submission.token,
                                             "service_notice": notice, "account_id": None}])


def _list(request: HttpRequest, name: str, allowed: set[str] | None, limit: int) -> list[str]:
    raw = intake.clean(request.GET.get(name), limit)
    if len(raw) > limit:
        raise BadQuery(_("%(name)s terlalu panjang.") % {"name": name})
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if allowed is not None and (bad := [v for v in values if v not in allowed]):
        raise BadQuery(_("%(name)s tidak dikenal: %(values)s.") % {"name": name, "values": ", ".join(bad)[:200]})
    return values


def _number(request: HttpRequest, name: str, default: int, largest: int) -> int:
    raw = intake.clean(request.GET.get(name), 20)
    if not raw:
        return default
    number = parse_id(raw)
    if number is None or number > largest:
        raise BadQuery(_("%(name)s harus bilangan bulat 1 sampai %(n)d.") % {"name": name, "n": largest})
    return number


def _window(request: HttpRequest) -> tuple[dt.datetime, dt.datetime]:
    moments: dict[str, dt.datetime | None] = {}
    for name in ("start_date", "end_date"):
        raw = intake.clean(request.GET.get(name), 40)
        moments[name] = selectors.parse_moment(raw) if raw else None
        if raw and moments[name] is None:
            raise BadQuery(_("%(name)s bukan tanggal w3, mis. 2026-10-01T00:00:00+07:00.") % {"name": name})
    given_start, given_end = moments["start_date"], moments["end_date"]
    if given_start is None:
        end = given_end or timezone.now()
        start = end - WINDOW
    else:
        start, end = given_start, given_end or given_start + WINDOW
    if end < start:
        raise BadQuery(_("end_date harus sesudah start_date."))
    if end - start > WINDOW:
        raise BadQuery(_("Rentang start_date sampai end_date paling lama 90 hari."))
    return start, end


class BadQuery(Exception):  # noqa: N818 - a refusal, not a failure
    pass


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        ids = _list(request, "service_request_id", None, 2000)
        if ids:
            numbers = [parse_id(i) for i in ids]
            if None in numbers or len(numbers) > MAX_IDS:
                raise BadQuery(_("service_request_id: paling banyak %(n)d nomor bulat, dipisah koma.") % {
                    "n": MAX_IDS})
            return answer(fmt, "service_requests", selectors.by_ids(n for n in numbers if n is not None))
        codes = _list(request, "service_code", set(catalog.substance_by_code()), 2000)
        statuses = _list(request, "status", {"open", "closed"}, 20)
        start, end = _window(request)
        size = _number(request, "page_size", page_size(), MAX_RESULTS)
        page = _number(request, "page", 1, MAX_RESULTS)
        if (page - 1) * size >= MAX_RESULTS:
            raise BadQuery(_("Hanya 1.000 laporan pertama yang dapat dibaca; persempit start_date dan end_date."))
    except BadQuery as bad:
        return errors(fmt, 400, str(bad))
    offset = (page - 1) * size
    size = min(size, MAX_RESULTS - offset)
    # The answer is kept briefly, until any case is saved (``complaints.freshness``): the same list asked
    # again costs one cache read. A window that ends "now" moves by at most CACHE_SECONDS meanwhile.
    asked = repr((fmt, get_language(), request.GET.get("start_date") and start, request.GET.get("end_date") and end,
                  sorted(codes), sorted(set(statuses)), offset, size))
    key = "open311:requests:" + hashlib.sha256(asked.encode()).hexdigest()[:32]
    _generation, content = cachegen.kept(key, GENERATION, CACHE_SECONDS, lambda: render.body(
        fmt, "service_requests", selectors.search(start=start, end=end, codes=codes, statuses=statuses,
                                                  offset=offset, size=size)))
    return render.respond(fmt, content)


@endpoint("GET", "HEAD")
def request_detail(request: HttpRequest, ident: str, fmt: str) -> HttpResponse:
    pk = parse_id(ident)
    row = selectors.one(pk) if pk is not None else None
    if row is None:
        return errors(fmt, 404, _("service_request_id '%(id)s' tidak ditemukan.") % {"id": ident[:40]})
    return answer(fmt, "service_requests", [row])


@endpoint("GET", "HEAD")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    row = selectors.token(token)
    if row is None:
        return errors(fmt, 404, _("Token tidak ditemukan."))
    return answer(fmt, "service_requests", [row])


@endpoint("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
def unknown(request: HttpRequest, rest: str, fmt: str) -> HttpResponse:
    return errors(fmt, 404, _("Alamat Open311 ini tidak ada; mulai dari discovery.xml atau services.xml."))
