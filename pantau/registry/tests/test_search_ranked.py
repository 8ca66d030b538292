"""The ranked hits of a search (``pantau.core.search.query``): computed in two bounded queries, kept
in the cache under the index's stamp, shared by every page of the same words and the count.

The order must be the one of a tier computed over every match (every word in the title first, then
every word anywhere, each by title then id) on every page, across the tier boundary and the limit;
a kept list must never be served after an index write. Runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pantau.core import hooks
from pantau.core.search import backend, index, query
from pantau.core.search.models import SearchDocument
from pantau.core.search.query import capped_page, find
from pantau.registry import services
from pantau.registry.models import ServiceProduct
from pantau.registry.tests import search_fixture
from tests.cast import publish

KIND = "test.ranked"


def reference(terms: tuple[str, ...], where: Q | None = None) -> list[int]:
    """The object ids in the order of the former single query: a tier over every match
    (0 when every term is in the title, else 1), then sort_key, then id."""
    docs = SearchDocument.objects.filter(kind=KIND, id__search_matches=backend.match_text(terms, kind=KIND))
    if where is not None:
        docs = docs.filter(where)
    tier = Case(When(id__search_matches=backend.match_text(terms, title=True, kind=KIND), then=Value(0)),
                default=Value(1), output_field=IntegerField())
    return list(docs.annotate(tier=tier).order_by("tier", "sort_key", "id").values_list("object_id", flat=True))


class Mixed:
    """``n`` documents with "barang": every third in its title only by its body ("Kotak … | barang"),
    the titles interleaved alphabetically so that both tiers span the whole alphabet; some titles
    repeat (the id breaks the tie)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def items(self, ids: Iterable[int] | None) -> Iterator[hooks.SearchItem]:
        wanted = range(1, self.n + 1) if ids is None else [i for i in ids if 1 <= i <= self.n]
        for i in wanted:
            letter = "abcdefghij"[i % 10]
            if i % 3 == 0:
                yield hooks.SearchItem(i, f"{letter} kotak {i % 7}", body=("barang bekas",), is_public=i % 2 == 0)
            else:
                yield hooks.SearchItem(i, f"{letter} barang {i % 7}", is_public=i % 2 == 0)


@pytest.fixture
def mixed(db: Any) -> Iterator[Mixed]:
    source = Mixed(60)
    hooks.search_source(hooks.SearchSource(KIND, source.items))
    index.refresh(KIND, range(1, source.n + 1))
    try:
        yield source
    finally:
        hooks.registered.search_sources.pop(KIND, None)


def test_the_order_is_the_single_querys_on_every_page_across_the_tier_boundary(mixed: Mixed) -> None:
    expected = reference(("barang",))
    assert len(expected) == 60
    found = find(KIND, "barang")
    assert found.object_ids == expected and found.count == 60
    assert list(found.documents.values_list("object_id", flat=True)) == expected
    tiers = list(found.documents.values_list("tier", flat=True))
    assert tiers == sorted(tiers) and set(tiers) == {0, 1}  # both tiers, the title's first
    boundary = tiers.index(1)
    paged = []
    for number in range(1, 10):  # pages of 7: the boundary falls inside a page
        page = capped_page(found.object_ids, number, 7, count=found.count)
        assert page.number == number or number > page.num_pages
        if page.number == number:
            paged += page.rows
    assert paged == expected and 0 < boundary < 60 and boundary % 7
    public = find(KIND, "barang", where=Q(is_public=True))
    assert public.object_ids == reference(("barang",), Q(is_public=True))
    pages = [capped_page(public.documents, n, 4, count=public.count).rows for n in (1, 2, 3, 4, 5)]
    assert [doc.object_id for page in pages for doc in page] == public.object_ids[:20]  # the queryset: the same


def test_a_term_inside_a_longer_title_word_is_not_in_the_title(db: Any) -> None:
    """PostgreSQL checks the title tier on ``title_terms`` words: "1" is not a word of "Barang 13"."""
    items = {1: ("Barang 13", ("nomor 1",)), 2: ("Barang 1", ()), 3: ("Kotak 1", ("barang",)), 4: ("Barang 1 13", ()),
             5: ("Barang 113", ("1",))}

    def source(ids: Iterable[int] | None) -> Iterator[hooks.SearchItem]:
        for i in (items if ids is None else [i for i in ids if i in items]):
            yield hooks.SearchItem(i, items[i][0], body=items[i][1])

    hooks.search_source(hooks.SearchSource(KIND, source))
    try:
        index.refresh(KIND, items)
        found = find(KIND, "barang 1")
        assert {obj: tier for _, obj, tier in found.hits} == {2: 0, 4: 0, 1: 1, 3: 1, 5: 1}
        assert found.object_ids == reference(("barang", "1")) == [2, 4, 5, 1, 3]
    finally:
        hooks.registered.search_sources.pop(KIND, None)


@pytest.mark.parametrize("limit", [5, 25, 39, 40, 41, 59])
def test_the_limit_keeps_the_first_of_the_same_order(mixed: Mixed, monkeypatch: Any, limit: int) -> None:
    """Fewer title matches than the limit, as many, more: the first ``limit + 1`` of the same order."""
    monkeypatch.setattr(query, "LIMIT", limit)
    found = find(KIND, "barang")
    assert found.object_ids == reference(("barang",))[:limit + 1]
    assert (found.count, found.more) == (limit + 1, True)


def test_a_kept_list_serves_every_page_and_the_count_without_the_engine(mixed: Mixed) -> None:
    match = f"{backend.FTS} MATCH" if connection.vendor == "sqlite" else "@@"
    with CaptureQueriesContext(connection) as first:
        found = find(KIND, "barang", stamp=index.stamp())
    assert len([q for q in first.captured_queries if match in q["sql"]]) == 1  # one statement ranks
    with CaptureQueriesContext(connection) as again:
        same = find(KIND, "BARANG ", stamp=index.stamp())  # the same words
        page = capped_page(same.object_ids, 3, 7, count=same.count)
    assert same == found and page.rows == found.object_ids[14:21]
    assert len(again.captured_queries) == 1 and match not in again.captured_queries[0]["sql"]  # the stamp only
    other = find(KIND, "barang", where=Q(is_public=True), stamp=index.stamp())  # another filter: its own list
    assert other.count == 30
    with CaptureQueriesContext(connection) as unkept:  # no stamp: computed, one statement
        assert find(KIND, "barang") == found
    assert len(unkept.captured_queries) == 1


def test_where_keys_are_what_they_filter_by(db: Any) -> None:
    key = query._where_key
    assert key(Q(province_id__in={3, 1, 2})) == key(Q(province_id__in={2, 3, 1}))
    assert key(Q(province_id__in=[1, 2])) != key(Q(province_id__in=[1, 3]))
    assert key(Q(is_public=True)) != key(Q(is_public=1)) != key(Q(is_public="True"))
    assert key(Q(a=1) | Q(b=2)) != key(Q(a=1) & Q(b=2)) != key(~(Q(a=1) & Q(b=2)))
    sub = ServiceProduct.objects.filter(name="a b").values("pk")
    assert key(Q(pk__in=sub)) != key(Q(pk__in=ServiceProduct.objects.filter(name="a").values("pk")))
    assert key(Q(pk__in=sub)) == key(Q(pk__in=ServiceProduct.objects.filter(name="a b").values("pk")))
    with pytest.raises(query._Unkeyable):
        key(Q(pk__in=object()))  # unknown: the search is not cached (still correct)
    assert query._cache_key(KIND, query.t.query("x"), True, Q(pk=object()), ("g", 1)) is None


def public_titles(q: str) -> list[str]:
    body = Client().get(reverse("public:search"), {"q": q}).content.decode()
    return [name for name in ("Akta Kelahiran", "Akta Kematian", "Pencatatan Kematian", "Akta Pengakuan Anak")
            if name in body]


def test_an_index_write_is_never_answered_from_a_kept_list(cast: Any) -> None:
    search_fixture.build(cast)
    admin = cast.national_admin
    public = Q(is_public=True)

    def kept(q: str, where: Q | None = public) -> query.Found:
        return find("product", q, where=where, stamp=index.stamp())

    before = kept("kematian")
    assert before.count == 1 and kept("kematian") == before  # kept
    product = ServiceProduct.objects.get(name="Akta Kematian")
    services.product_save(actor=admin, product=product, data={"name": "Pencatatan Kematian",
                                                               "category": product.category})
    after = kept("kematian")
    assert after != before  # renamed: a new document, a new stamp
    assert SearchDocument.objects.get(pk=after.hits[0][0]).title == "Pencatatan Kematian"
    assert kept("pencatatan kematian").count == 1
    services.product_set_active(actor=admin, product=product, active=False, reason="Ditarik")
    assert kept("kematian").count == 0  # withdrawn
    assert kept("kematian", None).count == 1  # staff still see it
    draft = ServiceProduct.objects.get(name="Akta Pengakuan Anak")
    assert "Akta Pengakuan Anak" not in public_titles("akta pengakuan")
    publish(admin, draft)
    assert "Akta Pengakuan Anak" in public_titles("akta pengakuan")  # published: the next search shows it


def test_page_three_of_a_common_word_costs_a_few_queries(cast: Any, django_assert_max_num_queries: Any) -> None:
    search_fixture.build(cast)
    client = Client()
    client.get(reverse("public:search"), {"q": "ktp"})  # sessions, caches warm
    with django_assert_max_num_queries(6):  # stamp, title tier, anywhere, products, provinces (cold)
        first = client.get(reverse("public:search"), {"q": "pelayanan", "hal": "3"})
    with CaptureQueriesContext(connection) as queries:  # another page of the same words: the kept hits
        second = client.get(reverse("public:search"), {"q": "pelayanan", "hal": "2"})
    assert first.status_code == second.status_code == 200
    assert len(queries.captured_queries) <= 3  # stamp, products, provinces
    assert not [q for q in queries.captured_queries if "core_searchdocument" in q["sql"] and "MAX" not in q["sql"]]


def test_a_search_served_from_the_page_cache_touches_no_database(cast: Any, settings: Any,
                                                                 django_assert_num_queries: Any) -> None:
    from pantau.core.pagecache import CACHE_HEADER

    url = reverse("public:search")
    assert Client().get(url, {"q": "ktp", "hal": "2"})[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):  # the index stamp is kept in the cache too (index.public_stamp)
        assert Client().get(url, {"q": "ktp", "hal": "2"})[CACHE_HEADER] == "hit"
    settings.PUBLIC_STAMP_SECONDS = 0
    with django_assert_num_queries(1):  # read every visit
        assert Client().get(url, {"q": "ktp", "hal": "2"})[CACHE_HEADER] == "hit"
