"""Pieces every module's API router shares: auth, pagination, the error schema, strict bodies.

Kept apart from ``pantau.api`` (the root that mounts the routers) so that routers can import
them without an import cycle.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer
from pydantic import ConfigDict, field_validator

from pantau.core import hooks, requestid

NUL_MESSAGE = "Value must not contain the NUL character (\\x00)"
MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_ID = 2**63 - 1  # the largest id a 64-bit SQL integer holds
MAX_OFFSET = 10_000_000  # beyond any registry; keeps the number inside a 64-bit SQL integer


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pnt_…``: the call acts as the token's user, with that user's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = hooks.user_for_token(token.strip())
        if user is None:
            return None
        request.user = user
        requestid.set_user_id(str(user.pk))
        return user


class PublicRead:
    """Anyone may call the operation (declared explicitly, so no operation is public by accident)."""

    openapi_type = None

    def __call__(self, request: HttpRequest) -> bool:
        return True


PUBLIC_READ = [PublicRead()]


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong and what to do about it.")


def errors(*codes: int) -> dict[int, type[Schema]]:
    """Response declarations for the error answers an operation may give (all ``ErrorOut``)."""
    return {code: ErrorOut for code in codes}


READ_ERRORS = errors(404, 422)
TOKEN_READ_ERRORS = errors(401, 404, 422)
WRITE_ERRORS = errors(400, 401, 404, 409, 422)  # 400: a body that is not JSON; 409: lost a race


class StrictIn(Schema):
    """A request body: unknown fields are refused (a typo must not be silently ignored), and so is
    text with a NUL character (PostgreSQL cannot store it; Django's forms refuse it too)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(NUL_MESSAGE)
        return value


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=``; ``limit`` is at most ``MAX_LIMIT`` (a larger one answers 422)."""

    Input = PageQuery  # type: ignore[assignment]

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Items matching the filters, on all pages.")
        limit: int
        offset: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["limit"] = pagination.limit
        page["offset"] = pagination.offset
        return page


def token_user(request: HttpRequest) -> Any:
    """The user the call acts as: the owner of the bearer token (set by ``TokenAuth``)."""
    return getattr(request, "auth", None)
