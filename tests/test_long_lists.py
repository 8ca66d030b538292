"""Long HTML lists page by key: each page holds at most a page of rows and costs the same queries
wherever it is in the list, and following "Berikutnya" then "Sebelumnya" visits every row once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pantau.accounts import views_users
from pantau.registry import views_manage, views_public
from tests.test_query_counts import Grower

pytestmark = pytest.mark.django_db

SIZE = 7
NEXT = re.compile(r'<a href="(\?[^"]*setelah=\d+)">')
PREVIOUS = re.compile(r'<a href="(\?[^"]*sebelum=\d+)">')

# name: (user or None, url, row pattern, size attribute)
LISTS: dict[str, tuple[str | None, Callable[[Any], str], str, tuple[Any, str]]] = {
    "public:institution": (None, lambda c: reverse("public:institution", args=[c.tabalong.pk]),
                           r'<li><a href="/layanan/\d+/">([^<]+)</a></li>', (views_public, "INSTITUTION_PAGE_SIZE")),
    "manage:unit": ("operator_dukcapil", lambda c: reverse("manage:unit", args=[c.dukcapil.pk]),
                    r'<tr><td><a href="/kelola/produk/\d+/">([^<]+)</a>', (views_manage, "UNIT_PRODUCTS_PAGE_SIZE")),
    "manage:institution": ("admin_tabalong", lambda c: reverse("manage:institution", args=[c.tabalong.pk]),
                           r'<tr><td><a href="/kelola/unit/\d+/">([^<]+)</a>',
                           (views_manage, "INSTITUTION_UNITS_PAGE_SIZE")),
    "accounts:users": ("national_admin", lambda c: reverse("accounts:users"),
                       r'</a></td><td>([^<]+)</td>', (views_users, "PAGE_SIZE")),
}


def walk(client: Client, url: str, pattern: str) -> tuple[list[list[str]], list[int], list[str]]:
    """Every page from the first by "Berikutnya": the rows of each, the queries of each, and the
    links back ("Sebelumnya") from the last page."""
    pages, queries = [], []
    link: str | None = ""
    while link is not None:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url + link).content.decode()
        queries.append(len(ctx.captured_queries))
        pages.append(re.findall(pattern, html))
        found = NEXT.search(html)
        link = found.group(1).replace("&amp;", "&") if found else None
    back = []
    while found := PREVIOUS.search(html):
        html = client.get(url + found.group(1).replace("&amp;", "&")).content.decode()
        back.append(" ".join(re.findall(pattern, html)))
    return pages, queries, back


@pytest.mark.parametrize("name", LISTS)
def test_a_long_list_is_paged_by_key_with_flat_cost(cast: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    user, url, pattern, (module, attribute) = LISTS[name]
    monkeypatch.setattr(module, attribute, SIZE)
    Grower(cast).to(30)
    client = Client()
    if user is not None:
        client.force_login(cast.users[user])
    client.get(url(cast))  # warm up (session, content types)
    pages, queries, back = walk(client, url(cast), pattern)
    rows = [row for page in pages for row in page]
    assert len(pages) > 3 and all(0 < len(page) <= SIZE for page in pages)
    assert len(rows) == len(set(rows)) >= 30  # every row once
    assert max(queries[1:]) - min(queries[1:]) <= 1, queries  # the same cost deep in the list
    assert back == [" ".join(page) for page in reversed(pages[:-1])]
