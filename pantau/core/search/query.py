"""Searching the index: ``find`` gives the matching documents of one kind, ranked, with a "did you
mean"; ``capped_page`` pages them with a bounded count (no count of the whole table, no deep OFFSET).

Ranking, best first: every word in the title; every word anywhere (title, description, parent
names, places); then (only when no document has every word) some of the words, most first. Within
a tier by title (``sort_key``), then id: a stable order for paging.

Only the first ``LIMIT + 1`` are ever ranked (pages stop at ``LIMIT``, counts say "more than
1 000"): ``find`` gives them as a list of (document id, object id, tier) — the *hits* — the count
is the list's length and every page a slice of it. A caller that passes ``index.stamp()`` has the
list kept in the cache, keyed by the kind, the query's words, the ``where`` filter and that stamp
(every index write changes the stamp: a kept list is never served after a write, ADR 0017): the
public search's pages 2–5 and its count reuse the ranking of page 1.

Every word (``_every_word``), one statement of at most ``LIMIT + 1`` rows: on SQLite two bounded
branches instead of a tier computed over every match — the title matches by (``sort_key``, id),
then the matches anywhere but not in the title, the same — the engine stopping before the second
when the first fills the limit; on PostgreSQL (GIN knows no weights) one pass over the matches
with the tier, a top-N sort. Some words (the fallback, only when nothing has every word): the
tier as a sum over the words, ``LIMIT + 1`` rows. ADR 0012.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, IntegerField, Model, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import Combinable, RawSQL
from django.db.models.functions import Concat

from pantau.core import hooks
from pantau.core.search import backend
from pantau.core.search import text as t
from pantau.core.search.models import SearchDocument, SearchWord

LIMIT = 1000  # counts above it are shown as "more than 1 000"; pages stop there
CACHE_SECONDS = 300  # a kept list of hits: as long as the pages that show it (``LIST_CACHE_SECONDS``)
CACHE_PREFIX = "search-hits:"

Hit = tuple[int, int, int]  # (document id, object id, tier): tier 0 is the best


@dataclass(frozen=True)
class Found:
    hits: tuple[Hit, ...]  # the first LIMIT + 1 matches, ranked (tier, sort_key, id)
    suggestion: str = ""  # "did you mean": the query with mistyped words corrected
    corrected: bool = False  # the hits are those of the suggestion (the query found nothing)

    @property
    def count(self) -> int:
        """Bounded: at most LIMIT + 1."""
        return len(self.hits)

    @property
    def more(self) -> bool:
        return self.count > LIMIT

    @property
    def object_ids(self) -> list[int]:
        """The matching objects' ids, ranked (at most LIMIT + 1)."""
        return [object_id for _, object_id, _ in self.hits]

    @property
    def documents(self) -> QuerySet[SearchDocument]:
        """The hits' documents, ranked (annotated ``tier``, ordered by ``tier``, ``sort_key``, ``id``):
        one query over at most LIMIT + 1 ids when evaluated."""
        if not self.hits:
            return SearchDocument.objects.none()
        by_tier: dict[int, list[int]] = {}
        for doc, _, tier in self.hits:
            by_tier.setdefault(tier, []).append(doc)
        tiers: Any = (Value(next(iter(by_tier)), output_field=IntegerField()) if len(by_tier) == 1 else
                      Case(*(When(pk__in=ids, then=Value(tier)) for tier, ids in by_tier.items()),
                           default=Value(0), output_field=IntegerField()))
        return (SearchDocument.objects.filter(pk__in=[doc for doc, _, _ in self.hits])
                .annotate(tier=tiers).order_by("tier", "sort_key", "id"))


def bounded_count(qs: QuerySet[Any], limit: int = LIMIT) -> int:
    """The number of rows of ``qs``, counted up to ``limit + 1`` only."""
    return qs.order_by().values("pk")[: limit + 1].count()


def _matching(base: QuerySet[SearchDocument], kind: str | None, terms: tuple[str, ...], *, any_term: bool = False
              ) -> QuerySet[SearchDocument]:
    """``base`` (documents of one kind) matching ``terms``. Every full-text match names ``kind``
    when given (``match_text(kind=…)``, see ``_narrowing``): the engine intersects a common word
    with the kind's documents itself; ``base`` keeps its ``kind = …`` filter all the same."""
    return base.filter(id__search_matches=backend.match_text(terms, any_term=any_term, kind=kind))


def _every_word(base: QuerySet[SearchDocument], kind: str | None, terms: tuple[str, ...]) -> list[Hit]:
    """The first LIMIT + 1 documents with every term: those with every term in the title first
    (tier 0), then the others (tier 1), each by (``sort_key``, id). One statement.

    SQLite: two bounded branches (``UNION ALL``, each ``ORDER BY sort_key, id LIMIT`` LIMIT + 1,
    the whole limited too): FTS5 finds the title matches and the others (``not_title``) from its
    own index, no tier is computed over every match, and the second branch is not run when the
    first fills the limit. The rows are put in tier order here (a stable sort), whatever order
    the engine appends the branches in.

    PostgreSQL: the GIN index knows no weights, so a title match is a recheck of every match
    anyway, and the planner estimates it as any match (for a word common in the bodies and rare in
    the titles, "puskesmas", it walked the whole title-ordered index: 1.6 s national). One pass
    over the matches with the tier (a top-N sort) costs the least there."""
    size = LIMIT + 1
    title = backend.match_text(terms, title=True, kind=kind)
    if backend.vendor() == "postgresql":
        # In the title: each term a word of ``title_terms`` (the tsvector's weight-A lexemes are
        # exactly those words), checked on the column instead of the tsvector (a third less time
        # for 150 000 matches).
        in_title = Q()
        for term in terms:
            in_title &= Q(padded_title__contains=f" {term} ")
        tier = Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField())
        ranked = (_matching(base, kind, terms)
                  .alias(padded_title=Concat(Value(" "), "title_terms", Value(" "), output_field=TextField()))
                  .annotate(tier=tier).order_by("tier", "sort_key", "id"))
        return [(doc, obj, tier) for doc, obj, tier in ranked.values_list("id", "object_id", "tier")[:size]]
    parts: list[str] = []
    params: list[Any] = []
    for number, text in enumerate((title, backend.match_text(terms, not_title=True, kind=kind))):
        branch = base.filter(id__search_matches=text).order_by("sort_key", "id").values_list("id", "object_id")
        try:
            sql, values = branch[:size].query.sql_with_params()
        except EmptyResultSet:  # ``where`` admits nothing (a scope without any unit)
            return []
        parts.append(f"SELECT t{number}.id, t{number}.object_id, {number} FROM ({sql}) t{number}")  # noqa: S608
        params += values
    with connection.cursor() as cursor:
        cursor.execute(f"{' UNION ALL '.join(parts)} LIMIT {size}", params)
        rows = [(int(doc), int(obj), int(tier)) for doc, obj, tier in cursor.fetchall()]
    rows.sort(key=lambda row: row[2])
    return rows


def _some_words(base: QuerySet[SearchDocument], kind: str | None, terms: tuple[str, ...]) -> list[Hit]:
    """The first LIMIT + 1 documents with some of the terms: fewer missing terms first, then every
    found term in the title, each by (``sort_key``, id)."""
    in_title = Case(When(id__search_matches=backend.match_text(terms, any_term=True, title=True, kind=kind),
                         then=Value(0)),
                    default=Value(1), output_field=IntegerField())
    tier: Combinable = in_title
    for term in terms:
        tier = tier + Case(When(id__search_matches=backend.match_text((term,), kind=kind), then=Value(0)),
                           default=Value(2), output_field=IntegerField())
    ranked = _matching(base, kind, terms, any_term=True).annotate(tier=tier).order_by("tier", "sort_key", "id")
    return [(doc, obj, tier) for doc, obj, tier in ranked.values_list("id", "object_id", "tier")[:LIMIT + 1]]


def _narrowing(kind: str) -> str | None:
    """The kind to name in the engine's queries: every kind but a ``bulk`` one (most of the index,
    ``hooks.SearchSource``), whose marker would exclude few documents at the cost of its long
    posting list."""
    source = hooks.search_sources().get(kind)
    return None if source is not None and source.bulk else kind


def ids_q(ids: Sequence[int], field: str = "pk") -> Q:
    """``field`` among ``ids`` (search hits, up to ``LIMIT`` of them), for the caller's queryset. On
    PostgreSQL the ids go as one array parameter (``IN (SELECT unnest(%s))``): Django writes ``__in`` with
    one placeholder per id, and for a thousand hits compiling that cost more than the query (1.9 ms of a
    3.9 ms filter on the complaint queue). SQLite binds the list as Django does."""
    values = [int(pk) for pk in ids]
    if backend.vendor() == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [values])})
    return Q(**{f"{field}__in": values})


def find(kind: str, value: str, *, where: Q | None = None, stamp: Hashable | None = None) -> Found:
    """The documents of ``kind`` matching ``value`` (everyday words; see ``text``) among those
    ``where`` admits (the caller's scope and filters: compose, never filter afterwards).

    Every word first; when nothing has every word, the mistyped words corrected (``suggestion``,
    ``corrected``); then some of the words. An empty query gives every admitted document by title.

    With ``stamp`` (``index.stamp()``, taken by the caller before it read anything): from the
    cache when the same words were searched with the same ``where`` under the same stamp, else
    kept there. Without: computed (a caller that keeps its answers itself, such as the API, or
    one that shows the first page only, pays no stamp query)."""
    query = t.query(value)
    key = None if stamp is None else _cache_key(kind, query, bool(value.strip()), where, stamp)
    if key is not None:
        kept = cache.get(key)
        if isinstance(kept, tuple) and len(kept) == 3:
            return Found(*kept)
    found = _find(kind, value, query, where)
    if key is not None:
        cache.set(key, (found.hits, found.suggestion, found.corrected), CACHE_SECONDS)
    return found


def _find(kind: str, value: str, query: t.Query, where: Q | None) -> Found:
    base = SearchDocument.objects.filter(kind=kind)
    if where is not None:
        base = base.filter(where)
    if not query:
        if value.strip():  # only words that mean nothing ("dan", "di")
            return Found(())
        everything = base.order_by("sort_key", "id").values_list("id", "object_id")[:LIMIT + 1]
        return Found(tuple((doc, obj, 0) for doc, obj in everything))
    narrow = _narrowing(kind)
    hits = _every_word(base, narrow, query.terms)
    if hits:
        return Found(tuple(hits))
    suggestion = correct(query)
    terms = query.terms
    if suggestion:
        terms = t.query(suggestion).terms
        hits = _every_word(base, narrow, terms)
        if hits:
            return Found(tuple(hits), suggestion, corrected=True)
    if len(terms) > 1:
        return Found(tuple(_some_words(base, narrow, terms)), suggestion)
    return Found((), suggestion)


class _Unkeyable(Exception):
    """A ``where`` with a value whose identity this module cannot write down: not cached."""


def _cache_key(kind: str, query: t.Query, blank: bool, where: Q | None, stamp: Hashable) -> str | None:
    try:
        scope = _where_key(where)
    except _Unkeyable:
        return None
    raw = repr((kind, query.words, blank, scope, stamp))
    return CACHE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


_PLAIN = (str, int, float, bool, decimal.Decimal, dt.date, dt.datetime, dt.time, type(None))


def _where_key(value: Any) -> Hashable:
    """What ``where`` (a ``Q``, its children and their values) filters by, written down without
    reading the database: plain values as they are, sets sorted, querysets as their SQL and
    parameters, model instances as their label and key. Anything else raises ``_Unkeyable``."""
    if isinstance(value, Q):
        return ("Q", value.connector, value.negated, tuple(_where_key(child) for child in value.children))
    if isinstance(value, _PLAIN):
        return (type(value).__name__, value)
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(_where_key(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((_where_key(v) for v in value), key=repr)))
    if isinstance(value, QuerySet):
        try:
            sql, params = value.query.sql_with_params()
        except EmptyResultSet:
            return ("qs", value.model._meta.label, "empty")
        return ("qs", value.model._meta.label, sql, _where_key(tuple(params)))
    if isinstance(value, Model):
        return ("obj", value._meta.label, _where_key(value.pk))
    raise _Unkeyable(type(value).__name__)


def correct(query: t.Query) -> str:
    """The query with each unknown word (in no indexed text and in no synonym) replaced by the
    nearest known word within its allowed typos; "" when nothing was corrected."""
    words = t.words()
    checked = [w for w in dict.fromkeys(query.free) if t.allowed_typos(w) and w not in words.known]
    if not checked:
        return ""
    known = set(SearchWord.objects.filter(word__in=checked).values_list("word", flat=True))
    fixes: dict[str, str] = {}
    for word in checked:
        if word in known:
            continue
        best = _nearest(word, backend.word_candidates(word) + [(w, 0) for w in words.known if w.isalpha()])
        if best:
            fixes[word] = best
    if not fixes:
        return ""
    return " ".join(fixes.get(w, w) for w in query.words)


def _nearest(word: str, candidates: list[tuple[str, int]]) -> str:
    allowed = t.allowed_typos(word)
    scored = []
    for candidate, frequency in candidates:
        if candidate == word:
            continue
        d = t.distance(word, candidate, allowed + 1)
        if d <= allowed:
            scored.append((d, -frequency, candidate))
    return min(scored)[2] if scored else ""


@dataclass
class CappedPage:
    """A page of at most ``size`` rows among the first ``LIMIT`` (page numbers past that are the last)."""

    rows: list[Any]
    number: int
    count: int  # bounded
    num_pages: int

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def more(self) -> bool:
        return self.count > LIMIT

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(raw: Any) -> int:
    value = str(raw or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else 1  # not "²"


def capped_page(qs: QuerySet[Any] | Sequence[Any], number: Any, size: int, count: int | None = None) -> CappedPage:
    """Page ``number`` (1-based, clamped) of ``qs`` (a queryset, or a list such as
    ``Found.object_ids``); ``count`` when already known (bounded)."""
    total = count
    if total is None:
        total = bounded_count(qs) if isinstance(qs, QuerySet) else min(len(qs), LIMIT + 1)
    pages = max(1, math.ceil(min(total, LIMIT) / size))
    current = min(max(page_number(number), 1), pages)
    rows = list(qs[(current - 1) * size: current * size]) if total else []
    return CappedPage(rows, current, total, pages)
