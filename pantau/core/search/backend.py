"""What differs between PostgreSQL and SQLite: the full-text structures, their queries, and the
candidates for a mistyped word.

- PostgreSQL: ``core_searchdocument.search_vector``, a stored generated ``tsvector`` ('simple'
  configuration: the text is already normalised and stemmed by ``text``), title terms weighted A,
  the rest B, with a GIN index; ``pg_trgm`` with a GIN index on ``core_searchword.word`` for the
  words close to a mistyped one.
  (created by migration ``core.0005_search``).
- SQLite: ``core_search_fts``, an FTS5 table over the documents' ``title_terms``/``body_terms``
  (external content: the text is stored once, in the documents), and ``core_search_word_fts``, an
  FTS5 trigram table over the vocabulary. Both are kept in sync by ``index``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from pantau.core.search.text import kind_marker

DOCUMENTS = "core_searchdocument"
FTS = "core_search_fts"
WORD_FTS = "core_search_word_fts"
CANDIDATES = 50  # vocabulary words looked at per mistyped word

def vendor() -> str:
    return str(connection.vendor)


# Queries --------------------------------------------------------------------------------------

def match_text(terms: Sequence[str], *, any_term: bool = False, title: bool = False, kind: str | None = None,
               not_title: bool = False) -> str:
    """The engine's full-text query for ``terms`` (letters and digits only, see ``text``): all of
    them (or any, ``any_term``), anywhere (or in the title only, ``title``); with ``kind``, in the
    documents of that kind only (its marker, ``text.kind_marker``, ANDed with the terms: the engine
    skips through a common word's long posting list with the kind's short one instead of handing
    every kind's matches to the SQL filter on ``kind``).

    The terms are parenthesised so that OR binds inside: ``"zkunit" AND ("a" OR "b")``. The marker
    is in ``body_terms``, so it stays outside the title column filter (SQLite) and unweighted
    (PostgreSQL).

    ``not_title``: the terms anywhere but not in the title (not all of them, or not any of them
    with ``any_term``): the second tier, excluded by the engine itself (``a & !(a:A)``,
    ``("a") NOT (title_terms : ("a"))``)."""
    if vendor() == "postgresql":
        join = " | " if any_term else " & "
        weight = ":A" if title else ""
        inner = join.join(f"{t}{weight}" for t in terms)
        if not_title:
            inner = f"({inner}) & !({join.join(f'{t}:A' for t in terms)})"
        return f"{kind_marker(kind)} & ({inner})" if kind is not None else inner
    inner = (" OR " if any_term else " ").join(f'"{t}"' for t in terms)
    if not_title:
        inner = f"({inner}) NOT (title_terms : ({inner}))"
    elif title:
        inner = f"title_terms : ({inner})"
    return f'"{kind_marker(kind)}" AND ({inner})' if kind is not None else inner


def match_sql(engine: str, lhs: str, rhs: str) -> str:
    """SQL for ``<document id column> matches <rhs>`` (the lookup ``id__search_matches``)."""
    if engine == "postgresql":
        table = lhs.rsplit(".", 1)[0] + "." if "." in lhs else ""
        return f"{table}\"search_vector\" @@ to_tsquery('simple', {rhs})"
    return f"{lhs} IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH {rhs})"  # noqa: S608  constants and placeholders


def word_candidates(word: str) -> list[tuple[str, int]]:
    """Vocabulary words that share trigrams with ``word`` (most first), with their frequency."""
    with connection.cursor() as cursor:
        if vendor() == "postgresql":
            cursor.execute(
                "SELECT word, frequency FROM core_searchword WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, frequency DESC LIMIT %s", [word, word, CANDIDATES])
            return [(w, f) for w, f in cursor.fetchall()]
        grams = {word[i:i + 3] for i in range(len(word) - 2)}
        if not grams:
            return []
        match = " OR ".join(f'"{g}"' for g in sorted(grams))
        cursor.execute(
            f"SELECT w.word, w.frequency FROM {WORD_FTS} JOIN core_searchword w ON w.id = {WORD_FTS}.rowid "  # noqa: S608
            f"WHERE {WORD_FTS} MATCH %s ORDER BY rank LIMIT %s", [match, CANDIDATES])
        return [(w, f) for w, f in cursor.fetchall()]


# Writes (SQLite keeps its FTS tables in step with the rows) -------------------------------------

def forget_documents(rows: Sequence[tuple[int, str, str]]) -> None:
    """Before deleting documents: take (id, title_terms, body_terms) out of the FTS index."""
    if vendor() != "sqlite" or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS}({FTS}, rowid, title_terms, body_terms) VALUES ('delete', %s, %s, %s)",  # noqa: S608
            list(rows))


def add_documents(rows: Sequence[tuple[int, str, str]]) -> None:
    if vendor() != "sqlite" or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {FTS}(rowid, title_terms, body_terms) VALUES (%s, %s, %s)",  # noqa: S608
                           list(rows))


def add_words(rows: Sequence[tuple[int, str]]) -> None:
    if vendor() != "sqlite" or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {WORD_FTS}(rowid, word) VALUES (%s, %s)", list(rows))  # noqa: S608


def _command(command: str) -> None:
    with connection.cursor() as cursor:
        for table in (FTS, WORD_FTS):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES (%s)", [command])  # noqa: S608  constants


def clear(everything: bool) -> bool:
    """Before a rebuild: empty the FTS tables (SQLite; rebuilt at the end), or the documents at once
    (PostgreSQL, ``everything``). True when the documents are gone already."""
    if vendor() == "sqlite":
        _command("delete-all")
        return False
    if everything:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {DOCUMENTS}")
        return True
    return False


DOCUMENT_COLUMNS = ("kind", "object_id", "title", "sort_key", "title_terms", "body_terms", "is_public",
                    "province_id", "regency_id", "institution_id", "unit_id", "office_id")


def insert_documents(docs: Sequence[Any]) -> None:
    """A rebuild's batch of (unsaved) documents, in one ``executemany`` (not the ORM's small batches)."""
    if not docs:
        return
    placeholders = ", ".join(["%s"] * len(DOCUMENT_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {DOCUMENTS} ({', '.join(DOCUMENT_COLUMNS)}) VALUES ({placeholders})",  # noqa: S608  constants
            [tuple(getattr(doc, name) for name in DOCUMENT_COLUMNS) for doc in docs])


def insert_words(rows: Sequence[tuple[str, int]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO core_searchword (word, frequency) VALUES (%s, %s)", list(rows))


def rebuild() -> None:
    """After a rebuild of the rows: the FTS tables from them, in one pass each."""
    if vendor() == "sqlite":
        _command("rebuild")
