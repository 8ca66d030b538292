"""``{% load keyset_nav %}{% keyset_nav page %}``: the previous/next links of a ``KeysetPage``
(``pantau.core.keyset``), keeping the request's other query parameters (filters, search)."""

from __future__ import annotations

from typing import Any

from django import template

from pantau.core.keyset import AFTER, BEFORE, KeysetPage

register = template.Library()


def _link(request: Any, name: str, cursor: int) -> str:
    query = request.GET.copy()
    for key in (AFTER, BEFORE):
        query.pop(key, None)
    query[name] = str(cursor)
    return "?" + str(query.urlencode())


@register.inclusion_tag("core/keyset_nav.html", takes_context=True)
def keyset_nav(context: dict[str, Any], page: KeysetPage) -> dict[str, Any]:
    request = context["request"]
    return {
        "page": page,
        "previous": _link(request, BEFORE, page.previous_cursor) if page.previous_cursor is not None else "",
        "next": _link(request, AFTER, page.next_cursor) if page.next_cursor is not None else "",
    }
