"""Pages for Ombudsman staff and providers: institutions, units, products and their standards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts import rules as r
from pantau.core.access import access
from pantau.core.forms import edit_base, posted, save_form, submit_once, track_edits
from pantau.core.http import is_htmx, query_text
from pantau.core.keyset import keyset_page
from pantau.core.pagecache import render_cached
from pantau.core.search import query as search_query
from pantau.registry import completeness, search_docs, services, unit_changes
from pantau.registry import components as comp
from pantau.registry.forms import InstitutionForm, ProductEditForm, ProductForm, ReasonForm, StandardForm, UnitForm
from pantau.registry.models import Institution, Province, ServiceProduct
from pantau.registry.selectors import (
    LIST_CACHE_SECONDS,
    can_create_institution,
    can_edit_institution,
    can_edit_unit,
    institutions_for,
    list_stamp,
    product_history,
    products_for,
    unit_history,
    units_for,
)

PAGE_SIZE = 25
UNIT_PRODUCTS_PAGE_SIZE = 100
INSTITUTION_UNITS_PAGE_SIZE = 50
INSTITUTION_ROWS = "registry/manage/institution_rows.html"


def _status(request: HttpRequest) -> int:
    return 422 if request.method == "POST" else 200


def _create(request: HttpRequest, form: BaseForm, save: Callable[[dict[str, Any]], Any], success: str,
            url_name: str, title: str) -> HttpResponse:
    """A create form, saved once (``submit_once``: a double tap or a resend lands on what the first
    made) with ``save`` (the service, returning the object), then the object's page."""
    submit_once(form)
    if url := save_form(request, form, lambda d: reverse(url_name, kwargs={"pk": save(d).pk}), success):
        return redirect(url)
    return form_page(request, form, title)


def form_page(request: HttpRequest, form: BaseForm, title: str, **extra: Any) -> HttpResponse:
    """The form again (422 after a POST that was not saved)."""
    return render(request, "registry/manage/form.html", {"form": form, "title": title, **extra},
                  status=_status(request))



def dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The registry's part of the dashboard (``core.views.dashboard``): counts in the user's scope
    and the XLSX import and export; for users with a role. Counts: active units and active products."""
    if not r.has_any_role(request.user):
        return None
    totals = completeness.scope_totals(request.user)  # summary rows only (ADR 0014)
    return {
        "institution_count": totals.institutions, "unit_count": totals.units, "product_count": totals.products,
        "score": totals.percent, "can_import": r.can_edit_registry(request.user),
    }


def dashboard_stamp(request: HttpRequest) -> tuple[Any, ...]:
    """What the registry's panel reads besides the viewer (roles and scope are in the page key):
    the summary rows, which change with the rows ``list_stamp`` reads."""
    return list_stamp()


@access(r.has_any_role)
def institutions(request: HttpRequest) -> HttpResponse:
    """The institutions in the user's scope, filtered and paginated; from the page cache (keyed by
    the viewer, the full path, the lists' generation and ``registry_stamp``) when it is there."""
    htmx = is_htmx(request)
    template = INSTITUTION_ROWS if htmx else "registry/manage/institutions.html"
    return render_cached(request, template, lambda: _institutions_context(request),
                         parts=("manage-institutions", htmx, list_stamp()),
                         templates=[INSTITUTION_ROWS],
                         seconds=LIST_CACHE_SECONDS)


def _institutions_context(request: HttpRequest) -> dict[str, Any]:
    """What to fix first: the institutions in scope, least complete first (the summary kept on
    write, ``Institution.completeness``), paged by key."""
    qs = institutions_for(request.user).select_related("province", "regency")
    q = query_text(request, "q")
    province = query_text(request, "provinsi", 2)
    kind = query_text(request, "jenis", 20)
    if q:  # the search index, in the user's scope (the list stays scoped by ``institutions_for`` too)
        documents = search_query.find(search_docs.INSTITUTION, q,
                                      where=search_docs.staff_scope(request.user, search_docs.INSTITUTION)).documents
        qs = qs.filter(pk__in=documents.values("object_id")[:search_query.LIMIT])
    if province:
        qs = qs.filter(province__code=province)
    if kind in Institution.Kind.values:
        qs = qs.filter(kind=kind)
    page = keyset_page(request, qs, ("completeness", "name", "pk"), PAGE_SIZE)
    rows = [{"institution": inst, "units": inst.unit_count, "products": inst.product_count,
             "percent": inst.completeness if inst.product_count else None} for inst in page]
    count = search_query.bounded_count(qs)  # "more than 1 000", not a count of the whole table
    context: dict[str, Any] = {
        "page": page, "rows": rows, "q": q, "province": province, "kind": kind, "count": count,
        "more": count > search_query.LIMIT,
        "provinces": Province.objects.only("code", "name"), "kinds": Institution.Kind.choices,
        "can_create": can_create_institution(request.user),
    }
    return context


@access(r.has_any_role)
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inst = get_object_or_404(institutions_for(request.user).select_related("province", "regency", "office"), pk=pk)
    unit_changes.unit_events_apply_due(institution=inst)  # a change due today, before the nightly run
    products = products_for(request.user).filter(unit__institution=inst, is_active=True)
    page = keyset_page(request, _units_least_complete_first(units_for(request.user).filter(institution=inst)),
                       ("inactive", "rank", "name", "pk"), INSTITUTION_UNITS_PAGE_SIZE)
    units = [completeness.UnitRow(u, u.n or 0, completeness.percent_of(u.s or 0, u.n) if u.n else None)
             for u in page.rows]
    counts = completeness.component_counts(products)
    context = {
        "institution": inst, "units": units, "page": page,
        "component_counts": counts,
        # every product the table counts (the viewer's scope), not only the units of this page
        "product_count": counts[0].present + counts[0].missing if counts else 0,
        "can_edit": can_edit_institution(request.user, inst),
        "events": inst.unit_events.prefetch_related("links__unit")[:20],
        "today": timezone.localdate(),
    }
    return render(request, "registry/manage/institution_detail.html", context)


def _units_least_complete_first(units: QuerySet[Any]) -> QuerySet[Any]:
    """The units annotated with the keys of ``completeness.unit_rows``'s order, read from their
    summary rows (``UnitSummary``), so they can be paged by key in SQL: active first, then units
    without products, then by completeness (items present per product), then name."""
    n, s = F("summary__product_count"), F("summary__score_sum")
    rank = Case(When(Q(summary__product_count__isnull=True) | Q(summary__product_count=0), then=Value(-1.0)),
                default=ExpressionWrapper(Cast(s, FloatField()) / n, output_field=FloatField()),
                output_field=FloatField())
    annotated: QuerySet[Any] = units.annotate(
        n=n, s=s, inactive=ExpressionWrapper(Q(is_active=False), BooleanField()), rank=rank)
    return annotated


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
        if not (r.is_national_admin(request.user) or r.is_head_of_office(request.user)):
            for name in ("province", "regency", "office"):  # see selectors.can_relocate_institution
                form.fields[name].help_text = _("Hanya kantor Ombudsman yang dapat memindahkan instansi.")
    else:
        submit_once(form)

    def save(data: dict[str, Any]) -> str:
        payload = {f"{k}_id" if k in ("province", "regency", "office") else k: (v.pk if hasattr(v, "pk") else v)
                   for k, v in data.items()}
        saved = services.institution_save(actor=request.user, data=payload, institution=inst, base=edit_base(form))
        return reverse("manage:institution", kwargs={"pk": saved.pk})

    if url := save_form(request, form, save, _("Instansi tersimpan.")):
        return redirect(url)
    return form_page(request, form, _("Ubah instansi") if inst else _("Instansi baru"))


@access(r.can_edit_registry)
def unit_new(request: HttpRequest, institution_pk: int) -> HttpResponse:
    inst = get_object_or_404(institutions_for(request.user), pk=institution_pk)
    if not can_edit_institution(request.user, inst):
        return render(request, "core/404.html", status=404)
    return _create(request, UnitForm(posted(request)),
                   lambda d: services.unit_save(actor=request.user, data=d, institution=inst),
                   _("Unit tersimpan."), "manage:unit", _("Unit layanan baru"))


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
    products = (  # active first, paged by key (a service mall's unit has hundreds)
        unit.products.select_related("current_standard").annotate(
            score=completeness.score_expression(), inactive=ExpressionWrapper(Q(is_active=False), BooleanField()))
    )
    page = keyset_page(request, products, ("inactive", "name", "pk"), UNIT_PRODUCTS_PAGE_SIZE)
    context = {
        "unit": unit, "form": form, "can_edit": can_edit, "products": page, "page": page,
        "history": unit_history(unit), "total": comp.TOTAL,
    }
    return render(request, "registry/manage/unit_detail.html", context, status=_status(request))


@access(r.can_edit_registry)
def product_new(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(units_for(request.user), pk=unit_pk)
    if not can_edit_unit(request.user, unit):
        return render(request, "core/404.html", status=404)
    return _create(request, ProductForm(posted(request)),
                   lambda d: services.product_save(actor=request.user, data=d, unit=unit),
                   _("Produk layanan tersimpan."), "manage:product", _("Produk layanan baru"))


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
        "history": product_history(product),
        "moves": product.moves.select_related("event", "from_unit", "to_unit", "into_product")
        .order_by("-event__date", "-pk"),
    }
    return render(request, "registry/manage/product_detail.html", context)


def _editable_product(request: HttpRequest, pk: int) -> ServiceProduct | None:
    product = get_object_or_404(products_for(request.user).select_related("unit__institution"), pk=pk)
    return product if can_edit_unit(request.user, product.unit) else None


@access(r.can_edit_registry)
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a product or change its category and description (the id, and so its QR code, stay)."""
    product = _editable_product(request, pk)
    if product is None:
        return render(request, "core/404.html", status=404)
    form = ProductEditForm(posted(request), instance=ServiceProduct.objects.get(pk=product.pk))
    track_edits(form, product, services.PRODUCT_FIELDS)

    def save(d: dict[str, Any]) -> str:
        data = {k: d[k] for k in ProductEditForm.Meta.fields}
        services.product_save(actor=request.user, product=product, data=data, reason=d["reason"],
                              base=edit_base(form))
        return reverse("manage:product", kwargs={"pk": product.pk})

    if url := save_form(request, form, save, _("Produk layanan tersimpan.")):
        return redirect(url)
    return form_page(request, form, _("Ubah produk layanan"))


@access(r.can_edit_registry)
def product_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (off the public site, history kept) or reactivate a product, with a reason."""
    product = _editable_product(request, pk)
    if product is None:
        return render(request, "core/404.html", status=404)
    activate = not product.is_active
    form = ReasonForm(posted(request))

    def save(d: dict[str, Any]) -> str:
        services.product_set_active(actor=request.user, product=product, active=activate, reason=d["reason"])
        return reverse("manage:product", kwargs={"pk": product.pk})

    done = _("Produk layanan diaktifkan lagi.") if activate else _("Produk layanan dinonaktifkan.")
    if url := save_form(request, form, save, done):
        return redirect(url)
    title = _("Aktifkan lagi: %s") if activate else _("Nonaktifkan: %s")
    intro = "" if activate else _("Produk yang nonaktif tidak tampil lagi di situs publik; riwayatnya tetap tersimpan.")
    return form_page(request, form, title % product.name, intro=intro)


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


@access(r.has_any_role)
def institution_component(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """What to fix first, one step down: the products of an institution that lack one of the 16
    items (or, ``?status=tinjau``, have it but are due for review), with links to each, paged by key."""
    inst = get_object_or_404(institutions_for(request.user), pk=pk)
    component = comp.BY_CODE.get(code)
    if component is None:
        return render(request, "core/404.html", status=404)
    stale = request.GET.get("status") == "tinjau"
    products = (
        products_for(request.user).filter(unit__institution=inst, is_active=True)
        .filter(completeness.stale_q(component) if stale else completeness.missing_q(component))
        .select_related("unit", "current_standard")
    )
    page = keyset_page(request, products, ("unit__name", "name", "pk"), PAGE_SIZE)
    context = {"institution": inst, "component": component, "stale": stale, "page": page,
               "total": comp.TOTAL}
    return render(request, "registry/manage/institution_component.html", context)
