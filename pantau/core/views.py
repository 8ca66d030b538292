"""Small shared views: health check, language switch and the staff dashboard."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from pantau.core import hooks
from pantau.core.access import PUBLIC, access
from pantau.core.pagecache import render_cached

# A cached dashboard is keyed by its panels' stamps; this bounds what a stamp may miss (a deletion
# seen by another process with its own cache).
DASHBOARD_SECONDS = 300


@access(PUBLIC)
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and probes: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@access(PUBLIC)
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@access(hooks.signed_in)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The page after signing in (``/kelola/``): the panels the modules registered for this user,
    from the page cache when every panel gives a stamp (``hooks.DashboardPanel.stamp``)."""
    keyed = hooks.dashboard_stamp(request)
    if keyed is None:
        return render(request, "core/dashboard.html", {"panels": hooks.dashboard(request)})
    stamps, templates = keyed
    return render_cached(request, "core/dashboard.html", lambda: {"panels": hooks.dashboard(request)},
                         parts=("dashboard", stamps, timezone.localdate()), templates=templates,
                         seconds=DASHBOARD_SECONDS)
