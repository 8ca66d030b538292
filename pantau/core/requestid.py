"""The id of the request being served, for logs and the audit trail (a context variable)."""

from __future__ import annotations

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_user_id: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")


def new_request_id() -> str:
    return uuid.uuid4().hex


def get_request_id() -> str:
    return _request_id.get()


def get_user_id() -> str:
    return _user_id.get()


def bind(request_id: str, user_id: str = "-") -> tuple[contextvars.Token[str], contextvars.Token[str]]:
    return _request_id.set(request_id), _user_id.set(user_id)


def set_user_id(user_id: str) -> None:
    _user_id.set(user_id)


def unbind(tokens: tuple[contextvars.Token[str], contextvars.Token[str]]) -> None:
    _request_id.reset(tokens[0])
    _user_id.reset(tokens[1])
