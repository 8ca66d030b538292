"""The registry's one router: public and token operations share paths (GET public, POST token),
and ninja answers a path from one router only, so both modules register here."""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from ninja import Router
from ninja.params.functions import Query

from pantau.core.search.query import LIMIT, find

router = Router()
PUBLIC_TAGS = ["registry: public"]
STAFF_TAGS = ["registry: staff (token)"]

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=Model)

SEARCH: Any = Query("", max_length=100, description="Words to look for in the name")
FOUND: Any = Query("", max_length=100, description=(
    "Everyday words (stemmed; spelling variants, abbreviations and synonyms such as KK, e-KTP, IMB, RSUD "
    "understood; typos corrected when nothing matches). At most the first 1 000 matches are listed."))
MAX_WORDS = 6  # of ``q``; the rest is ignored


def narrowed(qs: QuerySet[M], q: str, fields: tuple[str, ...] = ("name",), **equal: Any) -> QuerySet[M]:
    """``qs`` with each of the first words of ``q`` in one of ``fields`` (ignoring case), and with
    each ``equal`` filter that was given (its value not ``None`` or empty)."""
    for word in q.split()[:MAX_WORDS]:
        qs = qs.filter(reduce(operator.or_, (Q(**{f"{name}__icontains": word}) for name in fields)))
    return qs.filter(**{key: value for key, value in equal.items() if value is not None and value != ""})


def found(qs: QuerySet[M], kind: str, q: str, where: Q | None = None) -> QuerySet[M]:
    """``qs`` narrowed to the objects whose search document (``pantau.core.search``) matches ``q``,
    the first ``LIMIT`` of them by relevance; ``qs`` itself when ``q`` is empty."""
    if not q.strip():
        return qs
    documents = find(kind, q, where=where).documents
    return qs.filter(pk__in=documents.values("object_id")[:LIMIT])


def route(method: str, tags: list[str], **defaults: Any) -> Callable[..., Callable[[F], F]]:
    """A decorator factory for ``router.<method>`` with the module's tags (and auth) filled in."""

    def register(path: str, **kwargs: Any) -> Callable[[F], F]:
        decorate: Callable[[F], F] = getattr(router, method)(path, tags=tags, **defaults, **kwargs)
        return decorate

    return register
