"""The JSON API root (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Every operation declares its auth: ``auth=PUBLIC_READ`` for public reads, the default
(``TokenAuth`` bearer token, acting as the token's user with that user's scope) for the rest.
Errors always answer ``{"detail": "<message>"}``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from pantau.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


class PublicRead:
    """Anyone may call the operation (declared explicitly, so no operation is public by accident)."""

    openapi_type = None

    def __call__(self, request: HttpRequest) -> bool:
        return True


PUBLIC_READ = [PublicRead()]

api = NinjaAPI(
    title="Pantau API",
    version="1",
    description="Registri penyelenggara dan standar pelayanan publik.",
    urls_namespace="api",
    auth=TokenAuth(),
)


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(m for e in errs for m in e.messages)}"
                         for field, errs in exc.error_dict.items())
    return " ".join(exc.messages)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _messages(exc)}, status=422)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    parts = []
    for err in exc.errors:
        where = ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "payload"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return api.create_response(request, {"detail": "; ".join(parts), "errors": exc.errors}, status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required: send 'Authorization: Bearer <token>'."}, status=401
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


from pantau.registry.api import router as registry_router  # noqa: E402

api.add_router("/registry/", registry_router)  # type: ignore[has-type]
