"""The printable board for the counter: an A3 PDF of a product's standard and the unit's maklumat.

Assessors look for it on the wall when they visit a unit. It carries what the public page shows
(requirements as a checklist, steps, time, cost, output, how to complain), the maklumat, the
facilities for vulnerable groups, the version in force and a QR code to the public page.

Rendering takes a fraction of a second, so the bytes are kept in Django's cache and the response
carries an ETag and Last-Modified: a board changes only when a new version comes into force or
the product, unit or institution is edited, and every one of those changes the fingerprint.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import slugify

from pantau.core.access import PUBLIC, access
from pantau.registry import components as comp
from pantau.registry.models import ServiceProduct, ServiceStandard
from pantau.registry.selectors import current_standard
from pantau.registry.views_public import gone
from pantau.reports.pdf import render_pdf
from pantau.reports.qr import qr_svg_data_uri

LAYOUT_VERSION = "1"  # bump when the template changes, so cached boards are rendered anew
CACHE_SECONDS = 24 * 3600
MAX_AGE = 3600  # browsers and proxies revalidate hourly: a new version may come into force daily


def public_url(product: ServiceProduct) -> str:
    """The short public address of a product, printed on the board and encoded in its QR code."""
    return settings.SITE_URL + reverse("public:product_short", args=[product.pk])


def _fingerprint(product: ServiceProduct, standard: ServiceStandard, language: str) -> str:
    unit = product.unit
    institution = unit.institution
    parts: list[Any] = [
        LAYOUT_VERSION, settings.SITE_URL, language, product.pk, product.name, standard.pk,
        standard.published_at, unit.name, unit.address, unit.phone, unit.maklumat, unit.maklumat_date,
        unit.vulnerable_facilities, institution.name, institution.office.name,
    ]
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def cache_key(product: ServiceProduct, standard: ServiceStandard, language: str) -> str:
    """Where the rendered bytes are kept: per product, standard version, language and content."""
    return f"board:{product.pk}:{standard.pk}:{language}:{_fingerprint(product, standard, language)}"


def _last_modified(product: ServiceProduct, standard: ServiceStandard) -> float:
    unit = product.unit
    stamps = [product.updated_at, unit.updated_at, unit.institution.updated_at, standard.published_at]
    return max(s for s in stamps if s is not None).timestamp()


def board_context(product: ServiceProduct, standard: ServiceStandard) -> dict[str, Any]:
    url = public_url(product)
    return {
        "product": product, "unit": product.unit, "institution": product.unit.institution,
        "standard": standard, "requirements": comp.lines(standard.requirements),
        "steps": comp.lines(standard.procedure), "complaint_lines": comp.lines(standard.complaints),
        "public_url": url, "qr": qr_svg_data_uri(url),
    }


@access(PUBLIC)
def board(request: HttpRequest, pk: int) -> HttpResponse:
    product = ServiceProduct.objects.select_related("unit__institution__office").filter(
        pk=pk, is_active=True, unit__is_active=True,
    ).first()
    if product is None:
        return gone(request, pk, "public:board")
    standard = current_standard(product)
    if standard is None:
        raise Http404("no published standard in force")
    language = translation.get_language() or settings.LANGUAGE_CODE
    fingerprint = _fingerprint(product, standard, language)
    etag = f'"{fingerprint}"'
    last_modified = _last_modified(product, standard)
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if not_modified is not None:
        response: HttpResponse = not_modified
    else:
        key = cache_key(product, standard, language)
        pdf = cache.get(key)
        if pdf is None:
            pdf = render_pdf("registry/board.html", board_context(product, standard), request=request)
            cache.set(key, pdf, CACHE_SECONDS)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = slugify(product.name)[:60] or "layanan"
        response["Content-Disposition"] = f'inline; filename="papan-{name}-{product.pk}.pdf"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
