"""Keyset (cursor) pages for the API lists (django-ninja), next to ``keyset`` for the HTML lists.

A list answers ``{"items": [...], "next": <cursor or null>, "next_url": ..., "count": ...}``.
``next`` is opaque: the ordering values of the page's last row, signed (``django.core.signing``)
together with the list it belongs to, so a cursor cannot be forged, edited or used on another
list. The next page is read through the index of the list's ordering with ``WHERE (order) >
(last row)`` and ``LIMIT``: it costs the same on page 1 and on page 20 000, and rows written
between two fetches are never skipped nor repeated (a row inserted before the cursor simply
belongs to pages already read).

``offset`` still works for the first pages (at most ``MAX_OFFSET``: past it the database would
read and discard every row before the page) and ``count`` is given on those pages only, counted
up to ``COUNT_CAP`` (``count_capped`` says there are more): never a count of the whole table.

Each list must be ordered (``order_by``) by non-null columns; ``pk`` is appended when the
ordering does not already end in it, so the order is total.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase

from pantau.core.keyset import following

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_OFFSET = 10_000  # offset pages beyond this answer 422: follow ``next`` instead
COUNT_CAP = 1000
MAX_CURSOR = 1000  # characters
_SALT = "pantau.api.cursor"


class CursorQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=10_000_000, description=(
        f"How many items to skip (at most {MAX_OFFSET}; further on, follow `next`). Not with `cursor`."))
    cursor: str = Field("", max_length=MAX_CURSOR, description=(
        "Where the page starts: the `next` of the previous page (opaque; leave empty for the first page)."))


class CursorPage(Schema):
    items: list[Any]
    next: str | None = Field(description="The cursor of the next page (send it as `cursor`); null on the last page.")
    next_url: str | None = Field(description="The address of the next page (this one's filters with `cursor`).")
    count: int | None = Field(description=(
        f"Items matching the filters, counted up to {COUNT_CAP} (see `count_capped`); null on pages read by cursor."))
    count_capped: bool = Field(description=f"True when more than `count` ({COUNT_CAP}) items match.")
    limit: int
    offset: int


def ordering_of(queryset: QuerySet[Any]) -> tuple[str, ...]:
    names = tuple(str(name) for name in queryset.query.order_by)
    if any(not isinstance(name, str) or "(" in name or name.startswith("?") for name in queryset.query.order_by):
        raise TypeError("cursor pages need an ordering by column names")
    if not names or names[-1].removeprefix("-") not in ("pk", "id"):
        names = (*names, "pk")
    return names


def _list_key(request: HttpRequest, ordering: tuple[str, ...]) -> str:
    return hashlib.sha256(f"{request.path}|{','.join(ordering)}".encode()).hexdigest()[:12]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def _value(item: Any, path: str) -> Any:
    """The ordering value ``path`` of a model object, or of a row read with ``values()`` (a dict)."""
    if isinstance(item, dict):
        value = item[path.removeprefix("-")]
    else:
        value = item
        for part in path.removeprefix("-").split("__"):
            value = getattr(value, part)
    if value is None:
        raise TypeError(f"cursor pages need non-null ordering values ({path})")
    return _plain(value)


def encode(request: HttpRequest, ordering: tuple[str, ...], item: Any) -> str:
    values = [_value(item, name) for name in ordering]
    return signing.dumps([_list_key(request, ordering), values], salt=_SALT, compress=True)


def decode(request: HttpRequest, ordering: tuple[str, ...], cursor: str) -> tuple[Any, ...]:
    """The ordering values in ``cursor``; 422 when it is not one this list gave out."""
    try:
        key, values = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        key, values = None, None
    if (key != _list_key(request, ordering) or not isinstance(values, list) or len(values) != len(ordering)
            or not all(isinstance(v, str | int | float | bool) for v in values)):
        raise HttpError(422, _("cursor: kursor tidak dikenal. Pakai nilai 'next' dari halaman sebelumnya "
                               "pada daftar yang sama, atau mulai lagi tanpa cursor."))
    return tuple(values)


def _next_url(request: HttpRequest, cursor: str) -> str:
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"


class CursorPagination(PaginationBase):
    """``?limit=&cursor=`` (or ``&offset=`` for the first ``MAX_OFFSET`` rows): see the module."""

    Input = CursorQuery  # type: ignore[assignment]
    Output = CursorPage  # type: ignore[assignment]

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest,
                          **params: Any) -> Any:
        return page(queryset, pagination, request)


def checked(pagination: Any) -> tuple[int, int, str]:
    """``limit``, ``offset`` and ``cursor`` of the query, refused (422) when they cannot go together."""
    limit, offset, cursor = pagination.limit, pagination.offset, pagination.cursor.strip()
    if offset > MAX_OFFSET:
        raise HttpError(422, _("offset: paling banyak %(max)d. Untuk halaman sesudahnya ikuti 'next' "
                               "(parameter cursor) dari halaman sebelumnya.") % {"max": MAX_OFFSET})
    if cursor and offset:
        raise HttpError(422, _("offset: tidak dapat dipakai bersama cursor; cursor sudah menunjuk awal halaman."))
    return limit, offset, cursor


def page(queryset: QuerySet[Any], pagination: Any, request: HttpRequest,
         fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One page of ``queryset`` as the list's answer (see the module); its items are model objects,
    or with ``fields`` the rows of ``values(*fields)`` (each ordering name is read too)."""
    ordering = ordering_of(queryset)
    limit, offset, cursor = checked(pagination)
    ordered = ordered_rows(queryset, ordering, fields)
    count: int | None = None
    if cursor:
        rows = list(ordered.filter(following(decode(request, ordering, cursor), ordering))[: limit + 1])
    else:
        rows = list(ordered[offset: offset + limit + 1])
        count = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    return answer(request, ordering, rows, limit, offset, count)


def ordered_rows(queryset: QuerySet[Any], ordering: tuple[str, ...], fields: tuple[str, ...] | None
                 ) -> QuerySet[Any]:
    ordered: QuerySet[Any] = queryset.order_by(*ordering)
    if fields is not None:
        keys = tuple(name.removeprefix("-") for name in ordering)
        ordered = ordered.values(*fields, *(name for name in keys if name not in fields))
    return ordered


def answer(request: HttpRequest, ordering: tuple[str, ...], rows: list[Any], limit: int, offset: int,
           count: int | None) -> dict[str, Any]:
    """The list's answer from the page's rows (``limit + 1`` of them when there is a next page)."""
    following_cursor = encode(request, ordering, rows[limit - 1]) if len(rows) > limit else None
    return {
        "items": rows[:limit],
        "next": following_cursor,
        "next_url": _next_url(request, following_cursor) if following_cursor else None,
        "count": None if count is None else min(count, COUNT_CAP),
        "count_capped": count is not None and count > COUNT_CAP,
        "limit": limit,
        "offset": offset,
    }
