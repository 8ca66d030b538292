"""Searching the index: ``find`` gives the matching documents of one kind, ranked, with a "did you
mean"; ``capped_page`` pages them with a bounded count (no count of the whole table, no deep OFFSET).

Ranking, best first: every word in the title; every word anywhere (title, description, parent
names, places); then (only when no document has every word) some of the words, most first. Within
a tier by title (``sort_key``), then id: a stable order for paging.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable

from pantau.core import hooks
from pantau.core.search import backend
from pantau.core.search import text as t
from pantau.core.search.models import SearchDocument, SearchWord

LIMIT = 1000  # counts above it are shown as "more than 1 000"; pages stop there


@dataclass(frozen=True)
class Found:
    documents: QuerySet[SearchDocument]  # ranked (``tier``, ``sort_key``, ``id``)
    count: int  # bounded: at most LIMIT + 1
    suggestion: str = ""  # "did you mean": the query with mistyped words corrected
    corrected: bool = False  # the documents are those of the suggestion (the query found nothing)

    @property
    def more(self) -> bool:
        return self.count > LIMIT


def bounded_count(qs: QuerySet[Any], limit: int = LIMIT) -> int:
    """The number of rows of ``qs``, counted up to ``limit + 1`` only."""
    return qs.order_by().values("pk")[: limit + 1].count()


def _matching(base: QuerySet[SearchDocument], kind: str | None, terms: tuple[str, ...], *, any_term: bool = False
              ) -> QuerySet[SearchDocument]:
    """``base`` (documents of one kind) matching ``terms``, ranked. Every full-text match names
    ``kind`` when given (``match_text(kind=…)``, see ``_narrowing``): the engine intersects a common
    word with the kind's documents itself; ``base`` keeps its ``kind = …`` filter all the same."""
    docs = base.filter(id__search_matches=backend.match_text(terms, any_term=any_term, kind=kind))
    in_title = Case(When(id__search_matches=backend.match_text(terms, any_term=any_term, title=True, kind=kind),
                         then=Value(0)),
                    default=Value(1), output_field=IntegerField())
    tier: Combinable = in_title
    if any_term:  # some words: fewer missing words first
        for term in terms:
            tier = tier + Case(When(id__search_matches=backend.match_text((term,), kind=kind), then=Value(0)),
                               default=Value(2), output_field=IntegerField())
    return docs.annotate(tier=tier).order_by("tier", "sort_key", "id")


def _narrowing(kind: str) -> str | None:
    """The kind to name in the engine's queries: every kind but a ``bulk`` one (most of the index,
    ``hooks.SearchSource``), whose marker would exclude few documents at the cost of its long
    posting list."""
    source = hooks.search_sources().get(kind)
    return None if source is not None and source.bulk else kind


def find(kind: str, value: str, *, where: Q | None = None) -> Found:
    """The documents of ``kind`` matching ``value`` (everyday words; see ``text``) among those
    ``where`` admits (the caller's scope and filters: compose, never filter afterwards).

    Every word first; when nothing has every word, the mistyped words corrected (``suggestion``,
    ``corrected``); then some of the words. An empty query gives every admitted document by title."""
    base = SearchDocument.objects.filter(kind=kind)
    if where is not None:
        base = base.filter(where)
    query = t.query(value)
    if not query:
        if value.strip():  # only words that mean nothing ("dan", "di")
            return Found(base.none(), 0)
        everything = base.annotate(tier=Value(0, output_field=IntegerField())).order_by("sort_key", "id")
        return Found(everything, bounded_count(everything))
    narrow = _narrowing(kind)
    docs = _matching(base, narrow, query.terms)
    count = bounded_count(docs)
    if count:
        return Found(docs, count)
    suggestion = correct(query)
    terms = query.terms
    if suggestion:
        terms = t.query(suggestion).terms
        docs = _matching(base, narrow, terms)
        count = bounded_count(docs)
        if count:
            return Found(docs, count, suggestion, corrected=True)
    if len(terms) > 1:
        docs = _matching(base, narrow, terms, any_term=True)
        return Found(docs, bounded_count(docs), suggestion)
    return Found(base.none(), 0, suggestion)


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


def capped_page(qs: QuerySet[Any], number: Any, size: int, count: int | None = None) -> CappedPage:
    """Page ``number`` (1-based, clamped) of ``qs``; ``count`` when already known (bounded)."""
    total = bounded_count(qs) if count is None else count
    pages = max(1, math.ceil(min(total, LIMIT) / size))
    current = min(max(page_number(number), 1), pages)
    rows = list(qs[(current - 1) * size: current * size]) if total else []
    return CappedPage(rows, current, total, pages)
