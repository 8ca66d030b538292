"""The search index kept current on every write and equal to a rebuild; scope; bounded counts;
the search page's queries."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from pantau.core import hooks
from pantau.core.search import index
from pantau.core.search.models import SearchDocument
from pantau.core.search.query import LIMIT, capped_page, find
from pantau.registry import search_docs, services, unit_changes
from pantau.registry.tests import search_fixture
from tests.cast import client_for, publish

FIELDS = ("kind", "object_id", "title", "sort_key", "title_terms", "body_terms", "is_public", "province_id",
          "regency_id", "institution_id", "unit_id", "office_id")


def snapshot() -> list[tuple[Any, ...]]:
    return sorted(SearchDocument.objects.values_list(*FIELDS))


def titles(kind: str, query: str, where: Q | None = None) -> list[str]:
    return list(find(kind, query, where=where).documents.values_list("title", flat=True))


def public(query: str) -> list[str]:
    return titles("product", query, Q(is_public=True))


def test_writes_keep_the_index_current_and_equal_to_a_rebuild(cast: Any) -> None:
    admin = cast.national_admin
    product = services.product_save(actor=admin, unit=cast.dukcapil, data={"name": "Akta Kematian",
                                                                           "category": "adminduk"})
    assert titles("product", "akte kematian") == ["Akta Kematian"] and public("akte kematian") == []  # created
    publish(admin, product)
    assert public("akte kematian") == ["Akta Kematian"]  # published: public
    services.product_save(actor=admin, product=product, data={"name": "Pencatatan Kematian", "category": "adminduk"})
    assert public("pencatatan kematian") == ["Pencatatan Kematian"]  # renamed
    assert titles("product", "akta") == []
    services.product_set_active(actor=admin, product=product, active=False, reason="Pindah ke MPP")
    assert "Pencatatan Kematian" not in public("pencatatan kematian")  # deactivated: staff only
    assert titles("product", "pencatatan kematian") == ["Pencatatan Kematian"]
    services.unit_save(actor=admin, unit=cast.dpmptsp, data={"name": "Mal Pelayanan Publik Tabalong", "kind": "mpp"})
    assert "Persetujuan Bangunan Gedung" in public("mpp tabalong")  # the unit's new name is in its products
    services.institution_save(actor=admin, institution=cast.barsel, data={
        "name": "Pemkab Barito Selatan", "kind": "pemkab", "province_id": cast.kalteng_province.pk,
        "regency_id": cast.barsel.regency_id, "office_id": cast.kalteng.pk})
    assert titles("institution", "pemerintah kabupaten barito") == ["Pemkab Barito Selatan"]
    before = snapshot()
    assert len(before) == 3 + 3 + 4  # institutions, units, products
    index.rebuild()
    assert snapshot() == before


def test_a_unit_change_moves_the_documents(cast: Any) -> None:
    unit_changes.unit_event_record(actor=cast.national_admin, kind="rename", date=dt.date(2025, 3, 1),
                                   institution=cast.tabalong, from_units=[cast.dpmptsp],
                                   new_names=["Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"])
    assert "Persetujuan Bangunan Gedung" in public("penanaman modal")
    before = snapshot()
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert "product: 3 document(s)" in out.getvalue()
    assert snapshot() == before


def test_an_import_writes_the_documents_once_at_the_end(cast: Any, django_assert_max_num_queries: Any) -> None:
    with index.deferred():
        for name in ("Legalisir Akta", "Salinan Akta", "Perubahan Akta"):
            services.product_save(actor=cast.national_admin, unit=cast.dukcapil, data={"name": name,
                                                                                      "category": "adminduk"})
        assert titles("product", "akta") == []  # not yet: written when the block ends
    assert sorted(titles("product", "akta")) == ["Legalisir Akta", "Perubahan Akta", "Salinan Akta"]


@pytest.mark.parametrize(("user", "expected"), [
    ("national_admin", {"Pemerintah Kabupaten Tabalong", "Pemerintah Kota Banjarmasin",
                        "Pemerintah Kabupaten Barito Selatan"}),
    ("assessor_kalsel", {"Pemerintah Kabupaten Tabalong", "Pemerintah Kota Banjarmasin"}),
    ("assessor_kalteng", {"Pemerintah Kabupaten Barito Selatan"}),
    ("admin_barsel", {"Pemerintah Kabupaten Barito Selatan"}),
    ("operator_dukcapil", {"Pemerintah Kabupaten Tabalong"}),
    ("outsider", set()),
])
def test_staff_searches_see_their_scope_only(cast: Any, user: str, expected: set[str]) -> None:
    who = getattr(cast, user)
    assert set(titles("institution", "pemerintah", search_docs.staff_scope(who, "institution"))) == expected
    products = titles("product", "ktp", search_docs.staff_scope(who, "product"))
    assert set(products) <= {"Penerbitan KTP-el"}
    in_scope = {"national_admin": 2, "assessor_kalsel": 1, "assessor_kalteng": 1, "admin_barsel": 1,
                "operator_dukcapil": 1, "outsider": 0}[user]
    assert len(products) == in_scope
    if user == "operator_dukcapil":  # a unit operator: the unit's products, never the institution's others
        assert titles("product", "bangunan", search_docs.staff_scope(who, "product")) == []


def test_the_staff_list_and_the_api_search_within_scope(cast: Any) -> None:
    body = client_for(cast.assessor_kalteng).get(reverse("manage:institutions"), {"q": "pemerintah"}).content.decode()
    assert "Barito Selatan" in body and "Tabalong" not in body and "Banjarmasin" not in body
    kalsel = client_for(cast.assessor_kalsel)
    body = kalsel.get(reverse("manage:institutions"), {"q": "pemkab tabalong"}).content.decode()
    assert "Pemerintah Kabupaten Tabalong" in body and "Banjarmasin" not in body


class Things:
    """A test source: ``n`` documents of kind ``test.thing`` that all contain the word "barang"."""

    def __init__(self, n: int) -> None:
        self.n = n

    def items(self, ids: Iterable[int] | None) -> Iterator[hooks.SearchItem]:
        wanted = range(1, self.n + 1) if ids is None else [i for i in ids if 1 <= i <= self.n]
        for i in wanted:
            yield hooks.SearchItem(i, f"Barang nomor {i:05d}", is_public=i % 2 == 0)


@pytest.fixture
def things(db: Any) -> Iterator[Things]:
    source = Things(LIMIT + 5)
    hooks.search_source(hooks.SearchSource("test.thing", source.items))
    try:
        yield source
    finally:
        hooks.registered.search_sources.pop("test.thing", None)


def test_counts_stop_above_the_limit_and_pages_are_capped(things: Things) -> None:
    index.refresh("test.thing", range(1, things.n + 1))
    found = find("test.thing", "barang")
    assert (found.count, found.more) == (LIMIT + 1, True)
    page = capped_page(found.documents, "9999", 20, count=found.count)
    assert (page.number, page.num_pages, page.has_next, len(page)) == (LIMIT // 20, LIMIT // 20, False, 20)
    assert page.rows[-1].title == f"Barang nomor {LIMIT:05d}"  # stable order: by title, then id
    half = find("test.thing", "barang", where=Q(is_public=True))
    assert (half.count, half.more) == ((LIMIT + 5) // 2, False)


def test_an_object_that_is_gone_loses_its_document(things: Things) -> None:
    index.refresh("test.thing", [1, 2, 3])
    things.n = 2
    index.refresh("test.thing", [3])
    assert sorted(SearchDocument.objects.filter(kind="test.thing").values_list("object_id", flat=True)) == [1, 2]


def test_the_search_page_costs_a_few_queries(cast: Any, django_assert_max_num_queries: Any) -> None:
    search_fixture.build(cast)
    client = Client()
    client.get(reverse("public:search"), {"q": "ktp"})  # sessions, caches warm
    with django_assert_max_num_queries(6):
        response = client.get(reverse("public:search"), {"q": "akta kelahiran", "hal": "1"})
    assert response.status_code == 200 and "Akta Kelahiran" in response.content.decode()
    with django_assert_max_num_queries(10):  # a typo: the first try, the vocabulary, then the correction
        response = client.get(reverse("public:search"), {"q": "akta klahiran"})
    assert "Akta Kelahiran" in response.content.decode()
