"""The kind marker (ADR 0012): every document's body has its kind's marker ("zkinstitution"), every
full-text match of a search names it, so the engine itself keeps the kind — a word common in the
products' bodies ("kabupaten": their institutions' names) is not matched in every product to keep a
few institutions. The marker is never a word people see, and an index written before it gets it
from migration ``core.0007_search_kind_markers``. Runs on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pantau.core import cachegen, hooks
from pantau.core.search import backend, index
from pantau.core.search import text as t
from pantau.core.search.models import SearchDocument, SearchWord
from pantau.core.search.query import find
from pantau.registry import search_docs
from pantau.registry.tests import search_fixture
from tests.cast import client_for

MIGRATION = "0007_search_kind_markers"
migration = importlib.import_module(f"pantau.core.migrations.{MIGRATION}")
KINDS = (search_docs.PRODUCT, search_docs.UNIT, search_docs.INSTITUTION)


@pytest.fixture
def searchable(cast: Any) -> dict[str, Any]:
    return search_fixture.build(cast)


def engine_kinds(terms: tuple[str, ...], **options: Any) -> list[str]:
    """The kinds of the documents the engine's query alone matches (no ``kind = …`` filter)."""
    docs = SearchDocument.objects.filter(id__search_matches=backend.match_text(terms, **options))
    return sorted(set(docs.values_list("kind", flat=True)))


def test_the_marker_is_letters_and_digits_after_the_prefix() -> None:
    assert [t.kind_marker(kind) for kind in ("product", "unit", "institution", "test.thing", "Unit")] == [
        "zkproduct", "zkunit", "zkinstitution", "zktestthing", "zkunit"]
    for kind in (*KINDS, "test.thing"):  # the migration's frozen copy writes the same marker
        assert migration.marker(kind) == t.kind_marker(kind)


def test_every_document_ends_with_its_kind_marker_and_has_it_once(searchable: Any) -> None:
    rows = list(SearchDocument.objects.values_list("kind", "title_terms", "body_terms"))
    assert {kind for kind, _, _ in rows} == set(KINDS)
    for kind, title_terms, body_terms in rows:
        words = body_terms.split()
        assert words[-1] == t.kind_marker(kind) and words.count(words[-1]) == 1
        assert not [w for w in title_terms.split() + words[:-1] if w.startswith(t.KIND_PREFIX)]  # title: no marker
    bare = index.document("test.thing", hooks.SearchItem(1, "Barang"))  # no body: the marker alone
    assert (bare.title_terms, bare.body_terms) == ("barang", "zktestthing")


@pytest.mark.parametrize("options", [{}, {"any_term": True}, {"title": True}, {"any_term": True, "title": True}])
def test_the_engine_query_names_the_kind(options: dict[str, Any]) -> None:
    terms = ("kabupaten", "tabalong")
    text = backend.match_text(terms, kind="institution", **options)
    plain = backend.match_text(terms, **options)
    if connection.vendor == "postgresql":
        assert text == f"zkinstitution & ({plain})"
    else:
        assert text == f'"zkinstitution" AND ({plain})'
    assert "zk" not in plain and "(" not in backend.match_text(("kabupaten",), any_term=True)


def test_a_search_of_one_kind_never_matches_other_kinds_in_the_engine(searchable: Any) -> None:
    # "kabupaten" is in institution titles and in every unit's and product's body (their institution)
    assert engine_kinds(("kabupaten",)) == ["institution", "product", "unit"]
    for kind in KINDS:
        assert engine_kinds(("kabupaten",), kind=kind) == [kind]
        assert engine_kinds(("kabupaten", "tabalong"), kind=kind) == [kind]
        # OR inside the parentheses: "zkunit AND zzqx OR kabupaten" would be every kind's "kabupaten"
        for terms in (("zzqx", "kabupaten"), ("kabupaten", "zzqx")):
            assert engine_kinds(terms, any_term=True, kind=kind) == [kind]
    # the marker is in the body, outside the title filter: institutions titled "… Kabupaten …" match
    assert engine_kinds(("kabupaten",), title=True, kind="institution") == ["institution"]
    assert engine_kinds(("kabupaten",), title=True, kind="product") == []  # no product is titled so
    for terms in (("zzqx", "kabupaten"), ("kabupaten", "zzqx")):
        assert engine_kinds(terms, any_term=True, title=True, kind="institution") == ["institution"]


def document_matches(kind: str, query: str) -> list[str]:
    """The SQL of the full-text matches of documents (not the vocabulary's) that ``find`` runs;
    asserts that it finds documents of ``kind`` only."""
    with CaptureQueriesContext(connection) as queries:
        found = find(kind, query)
        rows = list(found.documents.values_list("kind", "title", "tier"))
    assert rows and {row[0] for row in rows} == {kind}, (kind, query)
    match = f"{backend.FTS} MATCH" if connection.vendor == "sqlite" else '"search_vector" @@'
    matches = [q["sql"] for q in queries.captured_queries if match in q["sql"]]
    assert matches  # the ranking's queries (each tier its own query, or the filter and the tiers in one)
    return matches


def test_find_returns_its_kind_only_and_every_match_names_it(searchable: Any) -> None:
    for kind, query in (("institution", "kabupaten"), ("unit", "kabupaten tabalong"), ("institution", "kabupaten zzqx"),
                        ("unit", "dinas zzqx")):
        for sql in document_matches(kind, query):  # every match of documents (the filter and each tier) names it
            assert sql.count(t.kind_marker(kind)) == sql.count("MATCH") + sql.count("@@"), sql


def test_the_bulk_kind_is_not_named_to_the_engine(searchable: Any) -> None:
    """Products are most of the index (``SearchSource(bulk=True)``): their marker would exclude few
    documents and cost a walk of the longest posting list; the ``kind`` filter keeps them apart."""
    sources = hooks.search_sources()
    assert [kind for kind in KINDS if sources[kind].bulk] == ["product"]
    for query in ("pemerintah kabupaten", "akta kelahiran", "kabupaten zzqx"):
        assert not [sql for sql in document_matches("product", query) if t.KIND_PREFIX in sql], query
    found = find("institution", "kabupaten")
    assert set(found.documents.values_list("title", flat=True)) == {
        "Pemerintah Kabupaten Tabalong", "Pemerintah Kabupaten Barito Selatan"}
    assert set(found.documents.values_list("tier", flat=True)) == {0}  # in the title: the marker ranks nothing
    some = find("institution", "kabupaten zzqx")  # some words: the tiers count the words, not the marker
    assert dict(some.documents.values_list("title", "tier")) == {
        "Pemerintah Kabupaten Tabalong": 2, "Pemerintah Kabupaten Barito Selatan": 2}


def test_the_staff_institution_list_searches_institutions(searchable: Any, cast: Any) -> None:
    body = client_for(cast.national_admin).get(reverse("manage:institutions"), {"q": "Kabupaten"}).content.decode()
    assert "Pemerintah Kabupaten Tabalong" in body and "Pemerintah Kabupaten Barito Selatan" in body
    assert "Kota Banjarmasin" not in body and "Akta Kelahiran" not in body


def test_the_marker_is_never_a_word_people_see(searchable: Any) -> None:
    index.rebuild()
    assert not SearchWord.objects.filter(word__startswith=t.KIND_PREFIX).exists()
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert "kabupaten" in words and "tabalong" in words  # the vocabulary is the documents' words
    for typo in ("zkproduk", "zkinstitutoin", "zkunti"):  # near a marker, not near any word
        found = find("product", typo)
        assert (found.count, found.suggestion) == (0, ""), typo
    body = Client().get(reverse("public:search"), {"q": "zkprodcut"}).content.decode()
    assert "Apakah maksud" not in body and "zkproduct" not in body
    assert "zkproduct" not in Client().get(reverse("public:search"), {"q": "akta"}).content.decode()


def test_an_index_written_before_the_marker_gets_it_from_the_migration(searchable: Any) -> None:
    assert (MIGRATION, "core") in {(name, app) for app, name in MigrationRecorder(connection).applied_migrations()}
    current = sorted(SearchDocument.objects.values_list("id", "kind", "body_terms"))
    for pk, kind, body_terms in current:  # as the indexer wrote them before the marker
        old = body_terms.split()
        assert old.pop() == t.kind_marker(kind)
        SearchDocument.objects.filter(pk=pk).update(body_terms=" ".join(old))
    backend.rebuild()  # SQLite: the FTS table from the rows (PostgreSQL: the generated column followed)
    assert find("institution", "kabupaten").count == 0  # the marker is required: an old index finds nothing
    changed = migration.mark(apps.get_model("core", "SearchDocument"), connection)
    assert changed == len(current)
    # Raw SQL writes no new document and forgets no generation: the hits ``find`` kept stand until
    # the cache is emptied (a migration runs before the server starts; here, forget the generation).
    cachegen.forget([index.GENERATION])
    assert sorted(SearchDocument.objects.values_list("id", "kind", "body_terms")) == current  # what the indexer writes
    assert find("institution", "kabupaten").count == 2 and find("product", "akta kelahiran").count >= 4
    assert migration.mark(SearchDocument, connection) == 0  # again: nothing to do
    migration.forwards(apps, SimpleNamespace(connection=connection))
    assert sorted(SearchDocument.objects.values_list("id", "kind", "body_terms")) == current
