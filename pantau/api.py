"""The JSON API root (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Every operation declares its auth: ``auth=PUBLIC_READ`` for public reads, the default
(``TokenAuth`` bearer token, acting as the token's user with that user's scope) for the rest.
Every error answers ``{"detail": "<message>"}``: bad input (422), unknown token (401), an
object that does not exist or lies outside the caller's scope (404, the same answer for both),
a wrong method (405), a path that does not exist under /api/ (404) and even an unexpected
failure (500, with the request id to quote; logged with the id, never the body).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.operation import Operation, PathView

from pantau.core import apicache, requestid
from pantau.core.apitools import NUL_MESSAGE, PUBLIC_READ, TokenAuth

__all__ = ["PUBLIC_READ", "TokenAuth", "api"]

log = logging.getLogger("pantau.api")


class LocalSwagger(Swagger):
    """Swagger UI from our own static files (ninja ships them); no CDN, no inline script.

    The page's JavaScript lives in ``pantau/core/static/pantau/api-docs.js`` and reads its
    settings from a JSON data block, so it runs under the strict CSP (``script-src 'self'``).
    ``validatorUrl: null`` stops Swagger UI from loading a badge from an outside server.
    """

    template = "api/docs.html"
    default_settings = {"layout": "BaseLayout", "deepLinking": True, "validatorUrl": None,
                        "persistAuthorization": False, "tryItOutEnabled": False}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings_data": settings})


class PantauAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = []
        for entry in super()._get_urls():
            if isinstance(entry, URLPattern) and entry.name == "api-root":
                entry = path("", api_root, name="api-root")
            elif isinstance(entry, URLPattern):
                entry.callback = _strict(entry.callback)
            urls.append(entry)
        urls.append(path("<path:rest>", api_not_found, name="not-found"))
        return urls


def _path_view(view: Callable[..., Any]) -> PathView | None:
    return next((cell.cell_contents for cell in getattr(view, "__closure__", None) or ()
                 if isinstance(cell.cell_contents, PathView)), None)


def _stamps(view: Callable[..., Any]) -> dict[str, Callable[[], Any]]:
    """The cache stamps of the methods whose operation is marked ``apicache.cached_answer``."""
    path_view = _path_view(view)
    found: dict[str, Callable[[], Any]] = {}
    for operation in path_view.operations if path_view is not None else ():
        stamp = apicache.stamp_of(operation.view_func)
        if stamp is not None:
            found.update(dict.fromkeys(operation.methods, stamp))
    return found


def _query_names(view: Callable[..., Any]) -> dict[str, frozenset[str]]:
    """The query parameters each method of a ninja path view accepts (from its parameter models)."""
    path_view = _path_view(view)
    if path_view is None:
        return {}
    names: dict[str, frozenset[str]] = {}
    for operation in path_view.operations:
        accepted: set[str] = set()
        for model in operation.models:
            if model.__ninja_param_source__ == "query":
                accepted |= set(getattr(model, "__ninja_flatten_map__", None) or model.model_fields)
        for method in operation.methods:
            names[method] = frozenset(accepted)
    return names


def _strict(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse unknown query parameters (a typo in a filter must not silently list everything) and
    answer a wrong method with JSON like every other error (ninja's 405 is plain text)."""
    accepted = _query_names(view)
    stamps = _stamps(view)

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        names = accepted.get(request.method or "")
        unknown = sorted(set(request.GET) - names) if names is not None else []
        nul = sorted(key for key, values in request.GET.lists() if any("\x00" in v for v in values))
        if nul:
            return JsonResponse({"detail": f"{nul[0]}: {NUL_MESSAGE}"}, status=422)
        if unknown:
            return JsonResponse({"detail": _("Parameter tidak dikenal: %(unknown)s. Yang dapat dipakai: %(known)s.")
                                 % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(names or ())) or "-"}},
                                status=422)
        stamp = stamps.get(request.method or "")
        if stamp is not None:
            response = apicache.serve(request, stamp, lambda: view(request, *args, **kwargs))
        else:
            response = view(request, *args, **kwargs)
        if getattr(response, "status_code", None) == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            answer = JsonResponse(
                {"detail": _("Metode %(method)s tidak dapat dipakai di alamat ini; gunakan %(allowed)s.")
                 % {"method": request.method, "allowed": allowed}},
                status=405,
            )
            answer["Allow"] = allowed
            return answer
        return response

    return wrapped


def api_root(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return JsonResponse({"name": api.title, "version": api.version, "openapi": request.path + "openapi.json",
                         "docs": request.path + "docs"})


@csrf_exempt
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return JsonResponse({"detail": _("Alamat API ini tidak ada. Daftar alamat yang tersedia ada di /api/docs.")},
                        status=404)


api = PantauAPI(
    title="Pantau API",
    version="1",
    description=(
        "Registri penyelenggara dan standar pelayanan publik. Bacaan publik tanpa token; "
        "penulisan dan bacaan staf dengan `Authorization: Bearer <token>` (buat token di halaman "
        "Token API), dalam wilayah kerja pemilik token. Setiap galat menjawab `{\"detail\": \"…\"}`."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=LocalSwagger(),
)

NOT_FOUND = gettext_lazy(
    "Tidak ditemukan. Periksa id atau kodenya; objek di luar wilayah kerja Anda juga tidak terlihat."
)


def _messages(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for field, errs in exc.error_dict.items():
        for err in errs:
            if err.code == "unique_together" and err.params:
                # "A unit with this institution and name exists": name the field the caller can change.
                check = err.params.get("unique_check") or ()
                where = check[-1] if check else field
                parts.append(f"{where}: " + _("%(model)s dengan %(field)s ini sudah ada; pakai nilai lain.")
                             % {"model": err.params.get("model_name", ""), "field": where})
            else:
                parts.append(f"{field}: {' '.join(err.messages)}")
    return "; ".join(parts)


def _where(loc: Any) -> str:
    parts = [str(p) for p in loc or ()]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    if parts and parts[0] in ("payload", "filters", "pagination", "body"):
        parts = parts[1:]
    return ".".join(parts) or _("isi permintaan")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _messages(exc)}, status=422)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    parts = [f"{_where(err.get('loc'))}: {err.get('msg', 'invalid')}" for err in exc.errors]
    return api.create_response(request, {"detail": "; ".join(parts), "errors": exc.errors}, status=422)


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A write that lost a race with another (two first drafts at once …): the state changed under it.
    return api.create_response(
        request, {"detail": _("Data ini baru saja diubah oleh permintaan lain. Baca ulang, lalu coba lagi.")},
        status=409,
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    return on_not_found(request, Http404())  # an id beyond what the database holds does not exist


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return on_not_found(request, Http404())  # outside scope: the same answer as "does not exist"


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("Perlu token API: kirim header 'Authorization: Bearer <token>' dengan token yang "
                     "masih berlaku (buat atau cabut token di halaman Token API).")},
        status=401,
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = _("Isi permintaan bukan JSON yang sah. Kirim objek JSON dengan header "
                   "'Content-Type: application/json'.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": _("Isi permintaan terlalu besar.")}, status=413)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    rid = requestid.get_request_id()
    # The id, the route and the exception type; never the request body (it may hold personal data).
    log.error("API error rid=%s %s %s: %s", rid, request.method, request.path, type(exc).__name__,
              exc_info=exc)
    return api.create_response(
        request,
        {"detail": _("Terjadi kesalahan di server. Coba lagi nanti; bila berulang, laporkan kode "
                     "permintaan %(rid)s.") % {"rid": rid}},
        status=500,
    )


from pantau.assessments.api import router as assessments_router  # noqa: E402
from pantau.complaints.api import router as complaints_router  # noqa: E402
from pantau.registry.api import router as registry_router  # noqa: E402
from pantau.surveys.api import router as surveys_router  # noqa: E402

api.add_router("/registry/", registry_router)
api.add_router("/assessments/", assessments_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/complaints/", complaints_router)
