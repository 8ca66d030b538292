"""Public pages: home with search and map, search, a product's published standard, help."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from pantau.core import hooks
from pantau.core.access import PUBLIC, access
from pantau.core.http import is_htmx, query_id, query_text
from pantau.core.keyset import keyset_page
from pantau.core.pagecache import render_cached
from pantau.core.search import index as search_index
from pantau.core.search import query as search_query
from pantau.registry import components as comp
from pantau.registry import search_docs, unit_changes
from pantau.registry.models import Institution, Province, Regency, ServiceProduct
from pantau.registry.regionmap import province_stats
from pantau.registry.selectors import (
    LIST_CACHE_SECONDS,
    current_standard,
    last_move,
    last_unit_change,
    public_list_stamp,
    public_product_stamp,
    public_products,
)

PAGE_SIZE = 20
SEARCH_FORM = "registry/public/search_form.html"
INSTITUTION_PAGE_SIZE = 100


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """The home page with the province table, from the page cache when it is there: keyed by
    ``public_list_stamp`` (the summary rows change in the same transaction as the product, unit or
    institution they count)."""
    return render_cached(request, "registry/public/home.html", _home_context,
                         parts=("home", public_list_stamp(), timezone.localdate()),
                         templates=[SEARCH_FORM], seconds=LIST_CACHE_SECONDS)


def _home_context() -> dict[str, Any]:
    provinces = list(Province.objects.only("code", "name"))
    stats = province_stats()
    rows = [(p, stats.get(p.code)) for p in provinces]  # the map's data as a table, for everyone
    return {"provinces": provinces, "map_rows": rows}


@access(PUBLIC)
def search(request: HttpRequest) -> HttpResponse:
    """Public products by everyday words (``pantau.core.search``), ranked, with "did you mean"; a
    bounded count and capped pages. The ranked hits come from ``find`` (kept in the cache under
    the same stamp: pages 2–5 and the count reuse them), a page is a slice of them, then one query
    for its products. From the page cache when it is there, keyed by the search index's stamp
    (every index write changes it; kept in the cache for ``PUBLIC_STAMP_SECONDS``, so a hit
    touches no database) and the full path."""
    htmx = is_htmx(request)
    template = "registry/public/search_results.html" if htmx else "registry/public/search.html"
    stamp = search_index.public_stamp()
    return render_cached(request, template, lambda: _search_context(request, stamp),
                         parts=("public-search", htmx, stamp),
                         templates=[SEARCH_FORM, "registry/public/search_results.html"],
                         seconds=LIST_CACHE_SECONDS)


def _search_context(request: HttpRequest, stamp: tuple[str, int]) -> dict[str, Any]:
    q = query_text(request, "q")
    province = query_text(request, "provinsi", 2)
    institution = query_text(request, "instansi", 20)
    regency = query_text(request, "kabupaten", 5)
    where = Q(is_public=True)
    if province:
        where &= Q(province_id__in=Province.objects.filter(code=province).values("pk"))
    if regency:
        where &= Q(regency_id__in=Regency.objects.filter(code=regency).values("pk"))
    institution_id = query_id(request, "instansi")
    if institution_id is not None:
        where &= Q(institution_id=institution_id)
    found = search_query.find(search_docs.PRODUCT, q, where=where, stamp=stamp)
    page = search_query.capped_page(found.object_ids, request.GET.get("hal"), PAGE_SIZE, count=found.count)
    products = ServiceProduct.objects.select_related("unit__institution__province").only(
        "name", "unit__name", "unit__institution__name", "unit__institution__province__name").in_bulk(page.rows)
    page.rows = [products[pk] for pk in page.rows if pk in products]
    institutions = Institution.objects.none()
    regencies = Regency.objects.none()
    if province:
        institutions = Institution.objects.filter(province__code=province).only("pk", "name")
        regencies = Regency.objects.filter(province__code=province).only("code", "name")
    return {
        "q": q, "province": province, "institution": institution, "regency": regency, "page": page,
        "found": found, "provinces": Province.objects.only("code", "name"), "institutions": institutions,
        "regencies": regencies,
    }


@access(PUBLIC)
def product(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    """A product's published standard, from the page cache when it is there: keyed by
    ``public_product_stamp`` and the date, a visit then costs one small query."""
    today = timezone.localdate()
    stamp = public_product_stamp(pk)
    if stamp is None:
        return gone(request, pk, "public:product")
    if stamp.current_standard_id is None:  # none in force, or one took effect before the daily refresh
        item = get_object_or_404(ServiceProduct, pk=pk)
        if current_standard(item, today) is None:
            return render(request, "registry/public/no_standard.html", {"product": item}, status=404)
        return render(request, "registry/public/product.html", _product_context(pk, today))
    return render_cached(request, "registry/public/product.html", lambda: _product_context(pk, today),
                         parts=("public-product", pk, stamp, today, hooks.page_stamps(PRODUCT_PAGE, pk)))


PRODUCT_PAGE = "public_product"  # the other modules' panels on it (core.hooks.page_panel)


def _product_context(pk: int, today: dt.date) -> dict[str, Any]:
    item = get_object_or_404(
        ServiceProduct.objects.select_related("unit__institution__office"), pk=pk, is_active=True,
        unit__is_active=True,
    )
    standard = current_standard(item, today)
    if standard is None:
        raise Http404
    delivery = [(c, getattr(standard, c.field)) for c in comp.COMPONENTS if c.group == comp.DELIVERY]
    management = [(c, getattr(standard, c.field)) for c in comp.COMPONENTS if c.group == comp.MANAGEMENT]
    return {
        "product": item, "unit": item.unit, "institution": item.unit.institution, "standard": standard,
        "requirements": comp.lines(standard.requirements), "steps": comp.lines(standard.procedure),
        "delivery": delivery, "management": management, "panels": hooks.page_contexts(PRODUCT_PAGE, pk),
    }


@access(PUBLIC)
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    """An institution and its published services by unit, paged by key (a ministry has thousands)."""
    inst = get_object_or_404(Institution.objects.select_related("province", "regency", "office"), pk=pk)
    products = public_products().filter(unit__institution=inst).select_related("unit")
    page = keyset_page(request, products, ("unit__name", "name", "pk"), INSTITUTION_PAGE_SIZE)
    return render(request, "registry/public/institution.html", {"institution": inst, "page": page})


@access(PUBLIC)
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/public/help.html")


def gone(request: HttpRequest, pk: int, url_name: str) -> HttpResponse:
    """The old address of a product a unit change took off the site (a QR code still hanging at
    the counter): to the product it was merged into, or a page saying it was discontinued and when."""
    move = last_move(pk)
    if move is None:
        return _unit_changed(request, pk)
    if move.into_product_id is not None:
        return redirect(url_name, pk=move.into_product_id)
    product = get_object_or_404(ServiceProduct, pk=pk)
    if move.to_unit_id is not None or product.is_active:
        raise Http404  # moved to a unit, then taken off the site by hand: no forwarding
    context = {"product": product, "event": move.event, "unit": move.from_unit,
               "institution": move.from_unit.institution}
    return render(request, "registry/public/discontinued.html", context, status=410)


def _unit_changed(request: HttpRequest, pk: int) -> HttpResponse:
    """A product left in a unit retired before products moved with their unit (changes recorded
    before issue 6): say what happened to the unit and which units took over."""
    product = ServiceProduct.objects.select_related("unit__institution").filter(pk=pk, is_active=True,
                                                                                unit__is_active=False).first()
    event = None if product is None else last_unit_change(product.unit)
    if product is None or event is None:
        raise Http404
    successors = [link.unit for link in event.links.all() if link.role == "to" and link.unit.is_active]
    context = {"product": product, "event": event, "unit": product.unit, "successors": successors,
               "institution": product.unit.institution}
    return render(request, "registry/public/discontinued.html", context, status=410)


@access(PUBLIC)
def product_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """The short address on the board's QR code. A unit change due today that the daily command has
    not applied yet is applied first (one indexed query when there is none)."""
    unit_changes.apply_due_for_product(pk)
    return redirect("public:product", pk=pk)
