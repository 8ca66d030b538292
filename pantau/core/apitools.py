"""Pieces every module's API router shares: auth, pagination, the error schema, strict bodies.

Kept apart from ``pantau.api`` (the root that mounts the routers) so that routers can import
them without an import cycle.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.security import HttpBearer
from pydantic import ConfigDict, field_validator

from pantau.core import hooks, requestid
from pantau.core.apicursor import CursorPagination

NUL_MESSAGE = "Value must not contain the NUL character (\\x00)"
MAX_ID = 2**63 - 1  # the largest id a 64-bit SQL integer holds


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


# Every API list pages by key (``apicursor``): an opaque ``cursor``, ``offset`` only for the first rows.
Pagination = CursorPagination


def token_user(request: HttpRequest) -> Any:
    """The user the call acts as: the owner of the bearer token (set by ``TokenAuth``)."""
    return getattr(request, "auth", None)
