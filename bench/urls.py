"""Pantau's URLs plus one trivial view, the baseline that the pages are compared with.

The trivial view goes through the whole middleware stack (sessions, CSRF, CSP, access rule …)
but does no query and renders no template. It lives here, never in ``pantau.urls``.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from pantau.core.access import PUBLIC, access
from pantau.urls import handler404, handler500
from pantau.urls import urlpatterns as pantau_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


@access(PUBLIC)
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *pantau_urlpatterns]
