"""Writing the search index: the documents of some objects (on every write, in the writer's
transaction) or of everything (``pantau search_reindex``).

A module registers each kind of document with ``hooks.search_source`` and calls ``refresh(kind,
ids)`` when objects of that kind change (the registry does it from ``post_save``). Inside
``deferred()`` (a bulk import) the ids are collected and written once when the block ends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from pantau.core import cachegen, hooks
from pantau.core.search import backend
from pantau.core.search.models import SearchDocument, SearchWord
from pantau.core.search.text import document_terms, kind_marker, surface_words
from pantau.core.text import fold_key

BATCH = 2000  # documents per statement in a rebuild, objects per read on a write
_IN = 900  # values in one SQL ``IN (…)``
_FIELDS = ("title", "sort_key", "title_terms", "body_terms", "is_public", "province_id", "regency_id",
           "institution_id", "unit_id", "office_id")

_deferred: ContextVar[dict[str, set[int]] | None] = ContextVar("pantau_search_deferred", default=None)

# The generation of pages cached from search results (``stamp``): forgotten by every index write.
GENERATION = "search-index"


def stamp() -> tuple[str, int]:
    """A key for pages showing search results: the index's generation (taken first,
    ``pantau.core.cachegen``) and its newest document id. A changed document is written as a new
    row (``_write``), so another process with its own cache sees the change through the id; a
    deletion alone is seen through the generation (shared cache) or the page's expiry."""
    generation = cachegen.token(GENERATION)
    return generation, _newest_id()


def _newest_id() -> int:
    return SearchDocument.objects.aggregate(m=Max("pk"))["m"] or 0


PUBLIC_STAMP_KEY = "stamp:search-index"


def public_stamp() -> tuple[str, int]:
    """``stamp`` for public pages, itself kept in the cache for ``settings.PUBLIC_STAMP_SECONDS``
    under the index's generation (as the home page's and the product page's stamps are): a visit
    served from the page cache then touches no database. Every index write forgets the generation:
    the writing process — every process with a shared cache — sees the change at once; another
    process with its own cache at most ``PUBLIC_STAMP_SECONDS`` later (0: read every time)."""
    seconds = settings.PUBLIC_STAMP_SECONDS
    if seconds <= 0:
        return stamp()
    generation, newest = cachegen.kept(PUBLIC_STAMP_KEY, GENERATION, seconds, _newest_id)
    return generation, int(newest)


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _source(kind: str) -> hooks.SearchSource:
    source = hooks.search_sources().get(kind)
    if source is None:
        raise LookupError(f"No module registered search documents of kind {kind!r} (pantau.core.hooks).")
    return source


def document(kind: str, item: hooks.SearchItem) -> SearchDocument:
    """The row of ``item`` (not saved). The body ends with the kind's marker (``kind_marker``): the
    engine finds "this kind and these words" without visiting every other kind's match."""
    body = " ".join(document_terms(part) for part in item.body if part)
    return SearchDocument(
        kind=kind, object_id=item.object_id, title=item.title[:300], sort_key=fold_key(item.title)[:300],
        title_terms=document_terms(item.title), body_terms=" ".join(dict.fromkeys([*body.split(), kind_marker(kind)])),
        is_public=item.is_public, province_id=item.province_id, regency_id=item.regency_id,
        institution_id=item.institution_id, unit_id=item.unit_id, office_id=item.office_id,
    )


def _item_words(item: hooks.SearchItem) -> set[str]:
    found = set(surface_words(item.title))
    for part in item.body:
        if part:
            found |= surface_words(part)
    return found


def _vocabulary_words(source: hooks.SearchSource, item: hooks.SearchItem) -> set[str]:
    """The words of ``item`` that join the "did you mean" vocabulary (``SearchSource.vocabulary``)."""
    if source.vocabulary:
        return _item_words(item)
    if source.public_words is None:
        return set()
    return _item_words(item) & source.public_words()


# On write --------------------------------------------------------------------------------------

def refresh(kind: str, ids: Iterable[int]) -> None:
    """Bring the documents of these objects up to date (written now, or at the end of ``deferred()``):
    an object that no longer exists loses its document."""
    wanted = {int(i) for i in ids}
    if not wanted:
        return
    pending = _deferred.get()
    if pending is not None:
        pending.setdefault(kind, set()).update(wanted)
        return
    _write(kind, sorted(wanted))


@contextmanager
def deferred() -> Iterator[None]:
    """Collect what ``refresh`` is asked inside the block and write it once when the block ends
    (inside the caller's transaction)."""
    if _deferred.get() is not None:
        yield
        return
    pending: dict[str, set[int]] = {}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for kind, ids in pending.items():
        _write(kind, sorted(ids))


def _row(doc: SearchDocument) -> tuple[Any, ...]:
    return tuple(getattr(doc, name) for name in _FIELDS)


@transaction.atomic
def _write(kind: str, ids: list[int]) -> None:
    source = _source(kind)
    for chunk in _chunks(ids, BATCH):
        items = list(source.items(chunk))
        fresh = {item.object_id: document(kind, item) for item in items}
        stored: dict[int, tuple[int, tuple[Any, ...]]] = {}
        for part in _chunks(chunk, _IN):
            for pk, object_id, *values in SearchDocument.objects.filter(kind=kind, object_id__in=part).values_list(
                    "id", "object_id", *_FIELDS):
                stored[object_id] = (pk, tuple(values))
        stale = [pk for object_id, (pk, values) in stored.items()
                 if object_id not in fresh or _row(fresh[object_id]) != values]
        new = [doc for object_id, doc in fresh.items()
               if object_id not in stored or _row(doc) != stored[object_id][1]]
        if stale or new:
            cachegen.forget_after_commit([GENERATION])
        _delete(stale)
        created = SearchDocument.objects.bulk_create(new)
        backend.add_documents([(doc.pk, doc.title_terms, doc.body_terms) for doc in created])
        learn(set().union(*(_vocabulary_words(source, item) for item in items)) if items else set())


def _delete(ids: list[int]) -> None:
    for part in _chunks(ids, _IN):
        docs = SearchDocument.objects.filter(pk__in=part)
        backend.forget_documents(list(docs.values_list("id", "title_terms", "body_terms")))
        docs.delete()


def learn(words: set[str]) -> None:
    """Add the words not yet in the vocabulary (the "did you mean" candidates)."""
    for part in _chunks(sorted(words), _IN):
        known = set(SearchWord.objects.filter(word__in=part).values_list("word", flat=True))
        new = [w for w in part if w not in known]
        if not new:
            continue
        SearchWord.objects.bulk_create([SearchWord(word=w) for w in new], ignore_conflicts=True)
        backend.add_words(list(SearchWord.objects.filter(word__in=new).values_list("id", "word")))


# Rebuild ----------------------------------------------------------------------------------------

@transaction.atomic
def rebuild(kinds: Iterable[str] | None = None, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Rebuild the documents of ``kinds`` (every registered kind when None) and the vocabulary from
    scratch: streamed from each source, written in batches. Returns the documents per kind."""
    sources = hooks.search_sources()
    chosen = list(sources) if kinds is None else list(kinds)
    for kind in chosen:
        _source(kind)
    _clear(chosen, everything=set(chosen) >= set(sources))
    frequency: Counter[str] = Counter()
    written: dict[str, int] = {}
    for kind in chosen:
        batch: list[SearchDocument] = []
        count = 0
        for item in sources[kind].items(None):
            batch.append(document(kind, item))
            frequency.update(_vocabulary_words(sources[kind], item))
            if len(batch) >= BATCH:
                backend.insert_documents(batch)
                count += len(batch)
                batch = []
                if progress is not None and count % (BATCH * 25) == 0:
                    progress(kind, count)
        backend.insert_documents(batch)
        written[kind] = count + len(batch)
    if set(chosen) < set(sources):  # the other kinds' words stay in the vocabulary
        frequency.update(dict.fromkeys(SearchWord.objects.values_list("word", flat=True), 0))
    SearchWord.objects.all().delete()
    backend.insert_words(sorted(frequency.items()))
    backend.rebuild()
    cachegen.forget_after_commit([GENERATION])
    return written


def _clear(kinds: list[str], *, everything: bool) -> None:
    if not backend.clear(everything):
        SearchDocument.objects.filter(kind__in=kinds).delete()
