"""The registry's one router: public and token operations share paths (GET public, POST token),
and ninja answers a path from one router only, so both modules register here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ninja import Router
from ninja.params.functions import Query

router = Router()
PUBLIC_TAGS = ["registry: public"]
STAFF_TAGS = ["registry: staff (token)"]

F = TypeVar("F", bound=Callable[..., Any])

SEARCH: Any = Query("", max_length=100, description="Words to look for in the name")


def route(method: str, tags: list[str], **defaults: Any) -> Callable[..., Callable[[F], F]]:
    """A decorator factory for ``router.<method>`` with the module's tags (and auth) filled in."""

    def register(path: str, **kwargs: Any) -> Callable[[F], F]:
        decorate: Callable[[F], F] = getattr(router, method)(path, tags=tags, **defaults, **kwargs)
        return decorate

    return register
