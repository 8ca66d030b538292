"""Cursor pages of plain rows: an API list read with ``values()`` and shaped straight into JSON.

An ordinary list (``@paginate(Pagination)``) builds a model object for every row and every
related row, then ninja validates each of them through the response schema: for the public
product list that was most of a page's cost (5–9 ms of CPU for 50 products), and a list walked by
cursor is mostly pages no cache has seen. A list that is read that way declares
``@shaped_pages(fields, item)`` instead: the page is the same (``apicursor``: same ordering,
cursor, count and limits), its rows are ``values(*fields)`` dicts and ``item(row, request)``
turns each into the item's JSON object, which is answered without a second validation.

**Compiled once.** With ``pure`` (a test of the operation's arguments, e.g. "no search words"),
the operation declares that for such arguments its queryset depends on the arguments alone —
not on the user, the clock or the data. Its cursor pages then reuse the SQL compiled for the
first one (per process and thread, per arguments and ``limit``): the cursor's values are put in the slots of
the parameters and the rows go through the same converters as Django's own ``values()``. Building
and compiling the ORM query cost more than running it. Ordering columns must be text or integers
(others fall back to the ORM every time).

The declared schema still documents the answer (the OpenAPI spec is ninja's own, from
``paginate``); a list that uses this must have a test that its answer validates against that
schema and equals what the schema makes of the model objects
(``pantau/registry/tests/test_api_rows.py``).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from pantau.core.apicursor import (
    CursorPagination,
    CursorQuery,
    answer,
    checked,
    decode,
    ordered_rows,
    ordering_of,
    page,
)
from pantau.core.keyset import following

F = TypeVar("F", bound=Callable[..., Any])
Item = Callable[[dict[str, Any], HttpRequest], dict[str, Any]]
Pure = Callable[[dict[str, Any]], bool]

CONTENT_TYPE = "application/json; charset=utf-8"  # as ninja's JSON renderer answers
MAX_STATEMENTS = 256  # compiled statements kept per thread (forgotten all at once beyond)
_TEXT_SLOT = "\x1fpantau-cursor-slot-%d\x1f"  # values no cursor carries, found again in the parameters
_INT_SLOT = -7_340_000_000_000_000_000
_local = threading.local()  # a statement holds its thread's connection (through its compiler)


def statements() -> dict[Hashable, Statement | None]:
    """This thread's compiled statements."""
    kept: dict[Hashable, Statement | None] | None = getattr(_local, "statements", None)
    if kept is None:
        kept = _local.statements = {}
    return kept


@dataclass(frozen=True)
class Statement:
    """A cursor page's SQL with the slots of the cursor values among its parameters."""

    ordering: tuple[str, ...]
    names: tuple[str, ...]  # of the row's columns
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int | None, ...]  # per parameter: the ordering value it carries, or None
    compiler: Any  # the SQLCompiler whose converters read the rows
    converters: Any  # ``compiler.get_converters`` of the columns, found once
    alias: str

    def rows(self, values: tuple[Any, ...]) -> list[dict[str, Any]]:
        params = [param if slot is None else values[slot] for param, slot in zip(self.params, self.slots, strict=True)]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        rows = self.compiler.apply_converters(fetched, self.converters) if self.converters else fetched
        return [dict(zip(self.names, row, strict=True)) for row in rows]


def _slot_value(field: Any, i: int) -> Any:
    if isinstance(field, models.CharField | models.TextField):
        return _TEXT_SLOT % i
    if isinstance(field, models.IntegerField | models.AutoField):
        return _INT_SLOT + i
    return None


def compile_statement(queryset: QuerySet[Any], fields: tuple[str, ...], limit: int) -> Statement | None:
    """The statement of ``queryset``'s cursor pages of ``limit`` rows; ``None`` when an ordering
    column is neither text nor integer, or a slot cannot be found again in the parameters."""
    ordering = ordering_of(queryset)
    slots_values = []
    for i, name in enumerate(ordering):
        path = name.removeprefix("-")
        field = queryset.model._meta.pk if path == "pk" else _field(queryset.model, path)
        value = _slot_value(field, i) if field is not None else None
        if value is None:
            return None
        slots_values.append(value)
    rows = ordered_rows(queryset, ordering, fields).filter(following(tuple(slots_values), ordering))[: limit + 1]
    query = rows.query
    if query.extra_select or query.annotation_select:
        return None
    compiler = query.get_compiler(using=rows.db)
    sql, params = compiler.as_sql()
    slots = tuple(slots_values.index(p) if isinstance(p, str | int) and p in slots_values else None for p in params)
    if set(range(len(ordering))) - {s for s in slots if s is not None}:
        return None
    converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
    return Statement(ordering, tuple(query.values_select), sql, tuple(params), slots, compiler, converters, rows.db)


def _field(model: Any, path: str) -> Any:
    try:
        for part in path.split("__")[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(path.split("__")[-1])
    except (FieldDoesNotExist, AttributeError):  # not a column path: no statement, the ORM answers
        return None


def _statement(key: Hashable, build: Callable[[], Statement | None]) -> Statement | None:
    kept = statements()
    if key not in kept:
        if len(kept) >= MAX_STATEMENTS:
            kept.clear()
        kept[key] = build()
    return kept[key]


def shaped_pages(fields: tuple[str, ...], item: Item, pure: Pure | None = None) -> Callable[[F], F]:
    """Page the queryset the operation returns like ``@paginate(Pagination)``, reading ``fields``
    of each row and answering ``item(row, request)`` for each (see the module)."""

    def decorate(func: F) -> F:
        documented = paginate(CursorPagination)(func)  # ninja's parameters and response schema

        @functools.wraps(documented)
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            pagination = kwargs.pop("ninja_pagination", None) or CursorQuery.model_validate({})
            limit, offset, cursor = checked(pagination)
            statement = None
            if cursor and pure is not None and pure(kwargs):
                key = (func.__module__, func.__qualname__, tuple(sorted(kwargs.items())), limit)
                statement = _statement(key, lambda: compile_statement(func(request, **kwargs), fields, limit))
            if statement is not None:
                values = decode(request, statement.ordering, cursor)
                result = answer(request, statement.ordering, statement.rows(values), limit, offset, None)
            else:
                result = page(func(request, **kwargs), pagination, request, fields)
            result["items"] = [item(row, request) for row in result["items"]]
            return HttpResponse(json.dumps(result, cls=NinjaJSONEncoder), content_type=CONTENT_TYPE)

        return view  # type: ignore[return-value]

    return decorate
