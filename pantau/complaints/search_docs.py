"""Complaint cases in the search index (``pantau.core.search``, kind ``complaint``): the queue's text search
(``/kelola/laporan/?q=…``) with Indonesian stemming, the synonym list of the registry search and "did you
mean", ranked, at most ``LIMIT + 1`` hits.

**What is indexed.** The number, the title (``pokok laporan``), the *redacted* chronology
(``public_summary``: e-mail, phone and NIK removed), the substance, and the reported institution, unit and
service (or the name typed when it is not in the registry). Not the chronology as given: a staff member who
may not see the identity (a head of office on a confidential case, national oversight) reads the redacted
summary on the case page, and must not be able to find a case by the reporter's e-mail or NIK either. The
documents are staff-only (``is_public`` False) and carry the case's office, institution and unit.

**Scope.** Ombudsman staff search the documents of their offices (national staff and the national admin:
every office); the result is intersected with ``selectors.cases_for`` all the same. Provider staff (who see
only the redacted summary of the cases addressed to them once notified) keep the plain search by number or
title, through the scoped queryset: the index's columns cannot tell a notified case from one not yet.

**Kept current** in the writer's transaction by ``case_classify`` and ``case_hand_over`` (and retention); a
newly filed report (``services.case_open``) queues ``tasks.index_cases`` in its transaction instead, so the
citizen does not wait for the full-text index; ``pantau search_reindex`` rebuilds the kind with the others.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q

from pantau.complaints import selectors
from pantau.complaints.models import Case
from pantau.core import hooks
from pantau.core.search import text as search_text
from pantau.core.search.index import refresh, stamp
from pantau.core.search.query import LIMIT, find, ids_q

KIND = "complaint"
WORDS = Path(__file__).with_name("data") / "search_words.toml"
CHUNK = 2000
_FIELDS = ("pk", "number", "title", "public_summary", "substance", "reported_other", "office_id",
           "institution_id", "unit_id", "institution__name", "unit__name", "product__name")


def _rows(ids: Iterable[int] | None) -> Iterator[tuple[Any, ...]]:
    """The indexed fields of the cases of ``ids`` (all when None), in id order, a chunk at a time."""
    if ids is not None:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), CHUNK):
            yield from Case.objects.filter(pk__in=wanted[start:start + CHUNK]).order_by("pk").values_list(*_FIELDS)
        return
    last = 0
    while True:  # by key: 100 000 cases never sit in memory at once
        rows = list(Case.objects.filter(pk__gt=last).order_by("pk").values_list(*_FIELDS)[:CHUNK])
        yield from rows
        if len(rows) < CHUNK:
            return
        last = rows[-1][0]


@functools.cache
def word_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The groups of ``data/search_words.toml``, each phrase as the search's folded, respelled words."""
    data = tomllib.loads(WORDS.read_text(encoding="utf-8"))
    return tuple(tuple(search_text.tokens(phrase) for phrase in phrases) for phrases in data["groups"].values())


@functools.cache
def listed_words() -> frozenset[str]:
    """The words of ``data/search_words.toml``: public, so "did you mean" may suggest them (a misspelt
    "hemodialisa" finds "hemodialisis"), unlike any other word of a report."""
    return frozenset(word for group in word_groups() for phrase in group for word in phrase)


def expansions(*texts: str) -> str:
    """Every phrase of each group (``word_groups``) one of whose phrases occurs in ``texts``: indexed with
    the case, so a search with any phrase of the group finds it."""
    padded = " " + " ".join(" ".join(search_text.tokens(part)) for part in texts if part) + " "
    found: list[str] = []
    for group in word_groups():
        if any(f" {' '.join(phrase)} " in padded for phrase in group):
            found.extend(" ".join(phrase) for phrase in group)
    return " ".join(found)


def case_items(ids: Iterable[int] | None) -> Iterator[hooks.SearchItem]:
    for (pk, number, title, summary, substance, other, office, institution, unit, institution_name, unit_name,
         product_name) in _rows(ids):
        body = (number, summary, substance, institution_name or other, unit_name or "", product_name or "",
                expansions(summary))
        # The title's own expansions join the title: "pungli" then ranks "Pungutan liar …" as a title match.
        # (The document's title is never shown: the queue shows the case's.)
        title_words = f"{title} {expansions(title)}".strip()
        yield hooks.SearchItem(pk, title_words, tuple(part for part in body if part), is_public=False,
                               institution_id=institution, unit_id=unit, office_id=office)


def refresh_cases(ids: Iterable[int]) -> None:
    """Bring the documents of these cases up to date (in the caller's transaction, or at the end of
    ``pantau.core.search.index.deferred()``)."""
    refresh(KIND, ids)


def register() -> None:
    """From ``complaints.hooks.register``."""
    # Staff-only text: its words never join the "did you mean" vocabulary shared with the public search.
    hooks.search_source(hooks.SearchSource(KIND, case_items, vocabulary=False, public_words=listed_words))


# --- the queue's search ---------------------------------------------------------------------------------------


def document_scope(user: Any) -> Q | None:
    """The documents ``user`` searches by text (``None``: full text is not for this user): the cases of the
    offices where they hold an Ombudsman role; every case for national staff and the national admin."""
    if selectors.cases_q(user) is None:
        return Q()
    offices = selectors.ombudsman_offices(user)
    if offices:
        return Q(office_id__in=sorted(offices))
    return None


@dataclass(frozen=True)
class Hits:
    """What a text search of the queue gives: a filter for the case queryset and, when the search index
    answered, the matching case ids best first (``ranked``), their bounded count and a "did you mean"."""

    q: Q
    ranked: tuple[int, ...] | None = None
    suggestion: str = ""
    corrected: bool = False

    @property
    def count(self) -> int:
        return len(self.ranked or ())

    @property
    def more(self) -> bool:
        return self.count > LIMIT


def looks_like_number(text: str) -> bool:
    """``0179/LM/VI/2022/BJM`` or a part of it with a slash: searched as a number, not as words."""
    return "/" in text and len(text) <= 40 and " " not in text.strip()


def queue_hits(user: Any, text: str) -> Hits:
    """The queue's text search for ``user`` (see the module docstring for the scope)."""
    text = text.strip()[:100]
    if looks_like_number(text):
        return Hits(Q(number__startswith=text.upper()))  # numbers are upper case
    where = document_scope(user)
    if where is None:  # provider staff: the number or the title, within the scoped queryset
        return Hits(Q(number__icontains=text) | Q(title__icontains=text))
    found = find(KIND, text, where=where, stamp=stamp())  # kept until the index changes, like the public search
    ranked = tuple(found.object_ids)
    return Hits(ids_q(ranked[:LIMIT]), ranked[:LIMIT + 1], found.suggestion, found.corrected)

