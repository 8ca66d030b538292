from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database or the session may be what failed.
    body = loader.get_template("core/500.html").render({"request_id": getattr(request, "request_id", "")})
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a Pantau page that says what happened and how to go on, not Django's
    technical page. The reason stays in the log (``django.security.csrf``), not on the page."""
    referer = request.headers.get("Referer", "")
    back = referer if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()) else ""
    return render(request, "core/csrf_failure.html",
                  {"back": back, "request_id": getattr(request, "request_id", "")}, status=403)
