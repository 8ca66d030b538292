"""The printable board for the counter: an A3 PDF of a product's standard and the unit's maklumat.

Assessors look for it on the wall when they visit a unit. It carries what the public page shows
(requirements as a checklist, steps, time, cost, output, how to complain), the maklumat, the
facilities for vulnerable groups, the version in force and a QR code to the public page; texts too
long for one A3 page are cut there with "selengkapnya di <address>" (``pantau.registry.board``).

The view never renders: boards are rendered off the request path by the task
``pantau.registry.tasks.render_boards`` (when a standard is published or the product, unit or
institution changes, and on the first request for a board that is not ready) and kept under
their fingerprint. A board that is not ready answers at once with 503, ``Retry-After`` and a
short page that says it is being prepared; the task is enqueued once per board and
``QUEUE_SECONDS``, not once per request. A board whose rendering failed answers 503 with a link to
the public page until ``board.FAILURE_RETRY_SECONDS`` have passed.

The board is Indonesian whatever the visitor's language, unless ``?lang=en`` asks for the English
one: the language is part of the URL, the fingerprint (ETag) and the stored file, so the answer
does not vary on ``Accept-Language`` or cookies.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.text import slugify

from pantau.core.access import PUBLIC, access
from pantau.registry import board as boards
from pantau.registry.models import ServiceProduct, ServiceStandard
from pantau.registry.selectors import current_standard
from pantau.registry.views_public import gone

MAX_AGE = 3600  # browsers and proxies revalidate hourly: a new version may come into force daily
RETRY_AFTER = 10  # seconds: a board renders in well under a second once a worker takes it
QUEUE_SECONDS = 300  # one enqueued render per board and five minutes, whatever the number of requests

public_url = boards.public_url


def _last_modified(product: ServiceProduct, standard: ServiceStandard) -> float:
    unit = product.unit
    stamps = [product.updated_at, unit.updated_at, unit.institution.updated_at, standard.published_at]
    return max(s for s in stamps if s is not None).timestamp()


def enqueue_once(product_id: int, language: str, print_: str) -> bool:
    """Ask for the board's rendering unless it was asked for in the last ``QUEUE_SECONDS``."""
    from pantau.registry.tasks import render_boards

    if not cache.add(f"board-queued:{product_id}:{language}:{print_}", 1, QUEUE_SECONDS):
        return False
    render_boards.enqueue([product_id], language)
    return True


def _not_ready(request: HttpRequest, product: ServiceProduct, language: str, *, failed: bool) -> HttpResponse:
    with translation.override(language):
        html = render_to_string("registry/board_not_ready.html", {
            "product": product, "failed": failed, "retry": RETRY_AFTER,
            "page": reverse("public:product", args=[product.pk]),
        }, request=request)
    response = HttpResponse(html, status=503)
    response["Content-Language"] = language
    if not failed:
        response["Retry-After"] = str(RETRY_AFTER)
    patch_cache_control(response, no_store=True)
    response._has_been_logged = True  # type: ignore[attr-defined]  # expected, not a server error to log
    return response


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
    language = boards.board_language(request.GET.get("lang"))
    print_ = boards.fingerprint(product, standard, language)
    etag = f'"{print_}"'
    last_modified = _last_modified(product, standard)
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if not_modified is not None:
        response: HttpResponse = not_modified
    else:
        pdf = boards.stored(product.pk, language, print_)
        if pdf is None:
            if boards.failed(product.pk, language, print_):
                return _not_ready(request, product, language, failed=True)
            if enqueue_once(product.pk, language, print_):
                pdf = boards.stored(product.pk, language, print_)  # an immediate backend has rendered it
            if pdf is None:
                return _not_ready(request, product, language, failed=boards.failed(product.pk, language, print_))
        response = HttpResponse(pdf, content_type="application/pdf")
        name = slugify(product.name)[:60] or "layanan"
        suffix = "-en" if language != "id" else ""
        response["Content-Disposition"] = f'inline; filename="papan-{name}-{product.pk}{suffix}.pdf"'
        response["Content-Language"] = language
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
