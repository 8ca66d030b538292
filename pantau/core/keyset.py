"""Paging by key: each page starts after (or ends before) a row, found by its id.

A page reads ``size + 1`` rows through an index on the ordering columns, whatever the page's
position in the list; no ``OFFSET`` and no count of the whole list. The ordering must end in a
unique column (``pk``). The cursor in the URL is the id of the row the page continues from;
an unknown or malformed cursor starts from the beginning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Expression, F, Q, QuerySet, Value
from django.http import HttpRequest

AFTER, BEFORE = "setelah", "sebelum"  # the query parameters
_MAX_DIGITS = 18  # fits a 64-bit SQL integer


@dataclass
class KeysetPage:
    rows: list[Any]
    next_cursor: int | None  # ?setelah=
    previous_cursor: int | None  # ?sebelum=

    @property
    def has_other_pages(self) -> bool:
        return self.next_cursor is not None or self.previous_cursor is not None

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _cursor(request: HttpRequest, name: str) -> int | None:
    raw = str(request.GET.get(name) or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= _MAX_DIGITS else None


def _beyond(values: tuple[Any, ...], fields: tuple[str, ...], op: str) -> Q:
    """Rows after (``gt``) or before (``lt``) ``values`` in the order of ``fields``."""
    q = Q(pk__in=[])
    for i, name in enumerate(fields):
        q |= Q(**{fields[j]: values[j] for j in range(i)}, **{f"{name}__{op}": values[i]})
    return q


class RowBeyond(Expression):
    """``(a, b, …) > (x, y, …)`` (or ``<``): a row-value comparison, which PostgreSQL and SQLite
    (3.15+) both answer as one range of an index on ``(a, b, …)``. The equivalent
    ``a > x OR (a = x AND b > y)`` is not an index range: the database reads every row with
    ``a = x`` (tens of thousands for a common product name) and filters them one by one."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, names: tuple[str, ...], values: tuple[Any, ...], op: str) -> None:
        super().__init__()
        self.names, self.values, self.op = names, values, op
        self.columns: list[Any] = [F(name) for name in names]
        self.params: list[Any] = []

    def get_source_expressions(self) -> list[Any]:
        return [*self.columns, *self.params]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        n = len(self.names)
        self.columns, self.params = list(exprs[:n]), list(exprs[n:])

    def resolve_expression(self, query: Any = None, allow_joins: bool = True, reuse: Any = None,
                           summarize: bool = False, for_save: bool = False) -> RowBeyond:
        clone = self.copy()
        clone.columns = [c.resolve_expression(query, allow_joins, reuse, summarize, for_save) for c in self.columns]
        clone.params = [Value(v, output_field=c.output_field) for c, v in zip(clone.columns, self.values, strict=True)]
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs: list[str] = []
        rhs: list[str] = []
        params: list[Any] = []
        for column in self.columns:
            sql, p = compiler.compile(column)
            lhs.append(sql)
            params.extend(p)
        for value in self.params:
            sql, p = compiler.compile(value)
            rhs.append(sql)
            params.extend(p)
        return f"({', '.join(lhs)}) {self.op} ({', '.join(rhs)})", params


def following(values: tuple[Any, ...], ordering: tuple[str, ...]) -> Q:
    """Rows that come after ``values`` in ``ordering`` (field names, ``-name`` for descending; the
    last one unique). One direction throughout: a row-value comparison (``RowBeyond``), which
    PostgreSQL reads as one range of the ordering's index, beside a plain range on the first
    column, without which SQLite's planner builds a Bloom filter over every joined table (57 ms a
    page of the national product list instead of 6). Mixed directions: the expanded form, with the
    same leading range so the database starts the scan in the index instead of filtering the whole
    list."""
    names = tuple(name.removeprefix("-") for name in ordering)
    ops = tuple("lt" if name.startswith("-") else "gt" for name in ordering)
    if None not in values and len(set(ops)) == 1:
        return Q(**{f"{names[0]}__{ops[0]}e": values[0]}) & Q(RowBeyond(names, values, "<" if ops[0] == "lt" else ">"))
    q = Q(pk__in=[])
    for i, name in enumerate(names):
        q |= Q(**{names[j]: values[j] for j in range(i)}, **{f"{name}__{ops[i]}": values[i]})
    return Q(**{f"{names[0]}__{ops[0]}e": values[0]}) & q


def keyset_page(request: HttpRequest, qs: QuerySet[Any], fields: tuple[str, ...], size: int) -> KeysetPage:
    """One page of ``qs`` ordered by ``fields`` (``-name`` for descending, the last one unique), from the
    cursor in the request (``?setelah=<id>`` or ``?sebelum=<id>``)."""
    after, before = _cursor(request, AFTER), _cursor(request, BEFORE)
    cursor = after if after is not None else before
    names = tuple(name.removeprefix("-") for name in fields)
    start = qs.filter(pk=cursor).values_list(*names).first() if cursor is not None else None
    if start is None:
        rows = list(qs.order_by(*fields)[: size + 1])
        return KeysetPage(rows[:size], _last_pk(rows, size), None)
    if after is not None:
        rows = list(qs.filter(_after(tuple(start), fields)).order_by(*fields)[: size + 1])
        return KeysetPage(rows[:size], _last_pk(rows, size), rows[0].pk if rows else None)
    backwards = tuple(name[1:] if name.startswith("-") else f"-{name}" for name in fields)
    rows = list(qs.filter(_after(tuple(start), backwards)).order_by(*backwards)[: size + 1])
    more_before = len(rows) > size
    rows = list(reversed(rows[:size]))
    return KeysetPage(rows, rows[-1].pk if rows else None, rows[0].pk if rows and more_before else None)


def _after(values: tuple[Any, ...], ordering: tuple[str, ...]) -> Q:
    """Rows after ``values`` in ``ordering``: all ascending as before (``_beyond``), else ``following``."""
    if not any(name.startswith("-") for name in ordering):
        return _beyond(values, ordering, "gt")
    return following(values, ordering)


def _last_pk(rows: list[Any], size: int) -> int | None:
    return rows[size - 1].pk if len(rows) > size else None
