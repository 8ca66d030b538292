"""Pages for Ombudsman staff and providers: institutions, units, products and their standards."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pantau.accounts import rules as r
from pantau.core.access import access
from pantau.core.forms import edit_base, posted, save_form, submit_once, track_edits
from pantau.core.http import is_htmx, query_text
from pantau.core.pagecache import render_cached
from pantau.registry import completeness, services
from pantau.registry import components as comp
from pantau.registry.forms import InstitutionForm, ProductForm, StandardForm, UnitEventForm, UnitForm
from pantau.registry.models import Institution, Province, ServiceProduct
from pantau.registry.selectors import (
    can_create_institution,
    can_edit_institution,
    can_edit_unit,
    institutions_for,
    products_for,
    registry_stamp,
    unit_history,
    units_for,
)

PAGE_SIZE = 25
INSTITUTION_ROWS = "registry/manage/institution_rows.html"
# registry_stamp keys the cached list; this bounds how long a deletion (admin only) may show.
LIST_CACHE_SECONDS = 300


def _status(request: HttpRequest) -> int:
    return 422 if request.method == "POST" else 200


@access(r.is_signed_in)
def dashboard(request: HttpRequest) -> HttpResponse:
    products = products_for(request.user)
    stats = products.aggregate(n=Count("pk"), score=Avg(completeness.score_expression()))
    context = {
        "institution_count": institutions_for(request.user).count(),
        "unit_count": units_for(request.user).filter(is_active=True).count(),
        "product_count": stats["n"],
        "score": round(100 * (stats["score"] or 0) / 16) if stats["n"] else None,
        "has_role": r.has_any_role(request.user),
        "can_import": r.can_edit_registry(request.user),
    }
    return render(request, "registry/manage/dashboard.html", context)


@access(r.has_any_role)
def institutions(request: HttpRequest) -> HttpResponse:
    """The institutions in the user's scope, filtered and paginated; from the page cache (keyed by
    the viewer, the full path and ``registry_stamp``) when it is there."""
    htmx = is_htmx(request)
    template = INSTITUTION_ROWS if htmx else "registry/manage/institutions.html"
    return render_cached(request, template, lambda: _institutions_context(request),
                         parts=("manage-institutions", htmx, registry_stamp()), templates=[INSTITUTION_ROWS],
                         seconds=LIST_CACHE_SECONDS)


def _institutions_context(request: HttpRequest) -> dict[str, Any]:
    qs = institutions_for(request.user).select_related("province", "regency")
    q = query_text(request, "q")
    province = query_text(request, "provinsi", 2)
    kind = query_text(request, "jenis", 20)
    if q:
        qs = qs.filter(name__icontains=q)
    if province:
        qs = qs.filter(province__code=province)
    if kind in Institution.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("hal"))
    ids = [i.pk for i in page]
    # Counts and completeness for this page only: two grouped queries, whatever the list length.
    unit_counts = dict(
        units_for(request.user).filter(institution__in=ids, is_active=True).values_list("institution")
        .annotate(n=Count("pk")).values_list("institution", "n")
    )
    product_stats = {
        row["unit__institution"]: row
        for row in ServiceProduct.objects.filter(unit__institution__in=ids, is_active=True)
        .values("unit__institution")
        .annotate(n=Count("pk"), score=Avg(completeness.score_expression()))
    }
    rows = []
    for inst in page:
        stats: dict[str, Any] = dict(product_stats.get(inst.pk, {}))
        rows.append({
            "institution": inst, "units": unit_counts.get(inst.pk, 0), "products": stats.get("n", 0),
            "percent": completeness.percent(stats.get("score"), comp.TOTAL) if stats else None,
        })
    context: dict[str, Any] = {
        "page": page, "rows": rows, "q": q, "province": province, "kind": kind,
        "provinces": Province.objects.only("code", "name"), "kinds": Institution.Kind.choices,
        "can_create": can_create_institution(request.user),
    }
    return context


@access(r.has_any_role)
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inst = get_object_or_404(institutions_for(request.user).select_related("province", "regency", "office"), pk=pk)
    units = (
        units_for(request.user).filter(institution=inst)
        .annotate(n_products=Count("products", filter=Q(products__is_active=True)))
        .order_by("-is_active", "name")
    )
    products = products_for(request.user).filter(unit__institution=inst, is_active=True)
    context = {
        "institution": inst, "units": units,
        "component_counts": completeness.component_counts(products),
        "product_count": products.count(),
        "can_edit": can_edit_institution(request.user, inst),
        "events": inst.unit_events.prefetch_related("links__unit")[:20],
    }
    return render(request, "registry/manage/institution_detail.html", context)


@access(r.can_edit_registry)
def institution_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    inst = None
    if pk is not None:
        inst = get_object_or_404(institutions_for(request.user), pk=pk)
        if not can_edit_institution(request.user, inst):
            return render(request, "core/404.html", status=404)
    elif not can_create_institution(request.user):
        return render(request, "core/404.html", status=404)
    form = InstitutionForm(posted(request), instance=inst)
    if inst is not None:
        track_edits(form, inst, services.INSTITUTION_FIELDS)
    else:
        submit_once(form)

    def save(data: dict[str, Any]) -> str:
        payload = {f"{k}_id" if k in ("province", "regency", "office") else k: (v.pk if hasattr(v, "pk") else v)
                   for k, v in data.items()}
        saved = services.institution_save(actor=request.user, data=payload, institution=inst, base=edit_base(form))
        return reverse("manage:institution", kwargs={"pk": saved.pk})

    if url := save_form(request, form, save, _("Instansi tersimpan.")):
        return redirect(url)
    return render(request, "registry/manage/form.html",
                  {"form": form, "title": _("Ubah instansi") if inst else _("Instansi baru")}, status=_status(request))


@access(r.can_edit_registry)
def unit_new(request: HttpRequest, institution_pk: int) -> HttpResponse:
    inst = get_object_or_404(institutions_for(request.user), pk=institution_pk)
    if not can_edit_institution(request.user, inst):
        return render(request, "core/404.html", status=404)
    form = UnitForm(posted(request))
    submit_once(form)

    def save(data: dict[str, Any]) -> str:
        unit = services.unit_save(actor=request.user, data=data, institution=inst)
        return reverse("manage:unit", kwargs={"pk": unit.pk})

    if url := save_form(request, form, save, _("Unit tersimpan.")):
        return redirect(url)
    return render(request, "registry/manage/form.html", {"form": form, "title": _("Unit layanan baru")},
                  status=_status(request))


@access(r.has_any_role)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(units_for(request.user).select_related("institution"), pk=pk)
    can_edit = can_edit_unit(request.user, unit)
    form = UnitForm(posted(request), instance=unit) if can_edit else None
    if form is not None:
        track_edits(form, unit, services.UNIT_FIELDS)

        def save(data: dict[str, Any]) -> str:
            services.unit_save(actor=request.user, data=data, unit=unit, base=edit_base(form))
            return reverse("manage:unit", kwargs={"pk": unit.pk})

        if url := save_form(request, form, save, _("Unit tersimpan.")):
            return redirect(url)
    products = (
        unit.products.select_related("current_standard").annotate(score=completeness.score_expression())
        .order_by("-is_active", "name")
    )
    context = {
        "unit": unit, "form": form, "can_edit": can_edit, "products": products,
        "history": unit_history(unit), "total": comp.TOTAL,
    }
    return render(request, "registry/manage/unit_detail.html", context, status=_status(request))


@access(r.can_edit_registry)
def unit_event(request: HttpRequest, institution_pk: int) -> HttpResponse:
    inst = get_object_or_404(institutions_for(request.user), pk=institution_pk)
    if not can_edit_institution(request.user, inst):
        return render(request, "core/404.html", status=404)
    form = UnitEventForm(posted(request), units=inst.units.filter(is_active=True))
    submit_once(form)

    def save(d: dict[str, Any]) -> str:
        services.unit_event_record(
            actor=request.user, kind=d["kind"], date=d["date"], institution=inst,
            from_units=list(d["units"]), new_names=(d["new_names"] or "").splitlines(),
            legal_basis=d["legal_basis"],
        )
        return reverse("manage:institution", kwargs={"pk": inst.pk})

    if url := save_form(request, form, save, _("Perubahan unit tercatat.")):
        return redirect(url)
    return render(request, "registry/manage/form.html",
                  {"form": form, "title": _("Catat perubahan unit: %s") % inst.name}, status=_status(request))


@access(r.can_edit_registry)
def product_new(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(units_for(request.user), pk=unit_pk)
    if not can_edit_unit(request.user, unit):
        return render(request, "core/404.html", status=404)
    form = ProductForm(posted(request))
    submit_once(form)

    def save(data: dict[str, Any]) -> str:
        product = services.product_save(actor=request.user, data=data, unit=unit)
        return reverse("manage:product", kwargs={"pk": product.pk})

    if url := save_form(request, form, save, _("Produk layanan tersimpan.")):
        return redirect(url)
    return render(request, "registry/manage/form.html", {"form": form, "title": _("Produk layanan baru")},
                  status=_status(request))


@access(r.has_any_role)
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(
        products_for(request.user).select_related("unit__institution", "current_standard"), pk=pk
    )
    context = {
        "product": product, "unit": product.unit,
        "versions": product.standards.select_related("published_by").order_by("-version"),
        "items": completeness.product_items(product),
        "can_edit": can_edit_unit(request.user, product.unit),
    }
    return render(request, "registry/manage/product_detail.html", context)


@access(r.can_edit_registry)
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(products_for(request.user).select_related("unit__institution"), pk=pk)
    if not can_edit_unit(request.user, product.unit):
        return render(request, "core/404.html", status=404)
    shown = services.draft_for_edit(product)  # the open draft, or the one a first save starts
    draft = shown if shown.pk is not None else None
    form = StandardForm(posted(request), instance=shown)
    track_edits(form, shown, services.STANDARD_FIELDS)
    publish = request.POST.get("action") == "publish"

    def save(data: dict[str, Any]) -> str:
        # One transaction: a refused publication leaves no new draft behind; the form keeps the input.
        with transaction.atomic():
            saved = services.standard_save_draft(actor=request.user, product=product, data=data,
                                                 base=edit_base(form))
            if publish:
                services.standard_publish(actor=request.user, standard=saved)
        return reverse("manage:product", kwargs={"pk": product.pk})

    if url := save_form(request, form, save, _("Standar diterbitkan.") if publish else _("Draf tersimpan.")):
        return redirect(url)
    return render(request, "registry/manage/standard_edit.html",
                  {"form": form, "product": product, "draft": draft}, status=_status(request))
