"""Request id, deny-by-default access and private-response middleware."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from pantau.core import requestid
from pantau.core.access import PUBLIC, admits, rule_of

log = logging.getLogger("pantau.access")
request_log = logging.getLogger("pantau.request")
_SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Gives each request an id (or keeps a well-formed ``X-Request-ID`` from the proxy) and logs it.

    The log line names the view (``accounts:login``), never the path or the query string: those
    can hold tokens, emails or phone numbers. The formatter adds ``rid=`` and ``uid=``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else requestid.new_request_id()
        request.request_id = rid  # type: ignore[attr-defined]
        tokens = requestid.bind(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:  # e.g. the user who just signed in
                requestid.set_user_id(str(user.pk))
            match = request.resolver_match
            view = match.view_name if match else "-"
            request_log.log(
                logging.DEBUG if view == "healthz" else logging.INFO, "%s %s %s %dms",
                request.method, view, response.status_code, (time.perf_counter() - started) * 1000,
            )
        finally:
            requestid.unbind(tokens)
        response["X-Request-ID"] = rid
        return response


PRIVATE = "private, no-store"


def is_private(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a response may hold what only this visitor may see.

    Yes for every view whose access rule is not ``PUBLIC`` (staff pages, exports, the audit
    trail), every API call that carries credentials (``/api/registry/my/*`` and the writes), and
    every response to a signed-in user (a public page then shows the user's name and menu) unless
    the view declared it ``public`` itself (a product's PDF board, the map data: the same for
    everyone).
    """
    rule = getattr(request, "access_rule", None)
    if rule is not None and rule != PUBLIC:
        return True
    if request.headers.get("Authorization"):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "public" not in str(response.get("Cache-Control", "")).lower()
    return False


class AccessRuleMiddleware:
    """Refuses every view that does not declare an access rule (see ``pantau.core.access``), and
    marks every private response ``Cache-Control: private, no-store`` (see ``is_private``), so that
    neither a shared proxy nor the browser's cache on a shared office PC keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request, response):
            response["Cache-Control"] = PRIVATE
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if user.is_authenticated:
            requestid.set_user_id(str(user.pk))
        match = request.resolver_match
        namespace = match.namespace if match else ""
        if namespace == "api" or namespace.startswith("api:"):
            return None  # the API checks its own auth on every operation (see pantau/api.py)
        if namespace == "admin":
            if user.is_authenticated and user.is_superuser:
                return None
            if not user.is_authenticated and match and match.url_name in ("login", "index"):
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            raise Http404
        rule = rule_of(view)
        request.access_rule = rule  # type: ignore[attr-defined]
        if rule is None:
            log.error("view without an access rule refused: %s", getattr(view, "__qualname__", view))
            raise Http404
        if admits(rule, request):
            return None
        if not user.is_authenticated:
            return redirect_to_login(_after_login(request), settings.LOGIN_URL)
        raise Http404


def _after_login(request: HttpRequest) -> str:
    """Where to go after signing in: the page asked for; for a form posted after the session
    expired, that page with a token that restores what was typed (``core.forms.keep_post``)."""
    path = request.get_full_path()
    if request.method != "POST":
        return path
    from pantau.core.forms import RESTORE_PARAM, keep_post

    token = keep_post(request)
    if token is None:
        return path
    return f"{request.path}?{urlencode({RESTORE_PARAM: token})}"
