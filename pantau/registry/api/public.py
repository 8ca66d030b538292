"""Public reads of the registry (no token): regions, offices, providers, published standards.

Only what the public pages show: products with a published standard in force
(``selectors.public_products()``), never drafts, users, audit data or personal data. Every list
is paginated (``limit``/``offset``) and costs the same few queries whatever its length.
"""


from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja.pagination import paginate
from ninja.params.functions import Query

from pantau.core.apicache import cached_answer
from pantau.core.apirows import shaped_pages
from pantau.core.apitools import MAX_ID, PUBLIC_READ, READ_ERRORS, Pagination
from pantau.registry import search_docs
from pantau.registry.api.base import FOUND, PUBLIC_TAGS, SEARCH, found, narrowed, route
from pantau.registry.api.schemas import (
    PRODUCT_ROW,
    InstitutionKind,
    InstitutionOut,
    OfficeOut,
    ProductOut,
    ProvinceOut,
    PublicStandardOut,
    RegencyOut,
    StandardVersionOut,
    UnitOut,
    product_item,
)
from pantau.registry.models import Institution, Office, Province, Regency, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.selectors import public_list_stamp, public_products

get = route("get", PUBLIC_TAGS, auth=PUBLIC_READ)


PROVINCE: Any = Query(None, pattern=r"^\d{2}$", description="Province code, e.g. 63")

INSTITUTION_FIELDS = ("id", "name", "kind", "website", "province_id", "regency_id", "office_id",
                      "province__code", "regency__code", "office__name")


def _institutions() -> QuerySet[Institution]:
    return Institution.objects.select_related("province", "regency", "office").only(*INSTITUTION_FIELDS)


def _public_standards(product_pk: int) -> QuerySet[ServiceStandard]:
    product = get_object_or_404(public_products().only("pk"), pk=product_pk)
    return ServiceStandard.objects.filter(product=product, status=ServiceStandard.Status.PUBLISHED)


@get("/provinces", response={200: list[ProvinceOut], **READ_ERRORS})
@paginate(Pagination)
def provinces(request: HttpRequest, q: str = SEARCH) -> Any:
    """The 38 provinces with their Kemendagri codes."""
    return narrowed(Province.objects.only("code", "name", "lat", "lng").order_by("code"), q)


@get("/regencies", response={200: list[RegencyOut], **READ_ERRORS})
@paginate(Pagination)
def regencies(request: HttpRequest, province: str | None = PROVINCE, q: str = SEARCH) -> Any:
    """Regencies (kabupaten) and cities (kota), optionally of one province."""
    qs = Regency.objects.select_related("province").only("code", "name", "kind", "province__code").order_by("code")
    return narrowed(qs, q, province__code=province)


@get("/offices", response={200: list[OfficeOut], **READ_ERRORS})
@paginate(Pagination)
def offices(request: HttpRequest) -> Any:
    """The Ombudsman RI offices and the provinces each supervises (``office_id`` of institutions)."""
    provinces = Prefetch("provinces", queryset=Province.objects.only("id", "code"))
    return Office.objects.prefetch_related(provinces).only("id", "name", "is_national").order_by(
        "-is_national", "name", "pk")


@get("/institutions", response={200: list[InstitutionOut], **READ_ERRORS})
@paginate(Pagination)
def institutions(request: HttpRequest, q: str = FOUND, province: str | None = PROVINCE,
                 kind: InstitutionKind | None = None) -> Any:
    """Public-service providers (instansi), by words, province and kind."""
    qs = found(_institutions().order_by("name", "pk"), search_docs.INSTITUTION, q)
    return narrowed(qs, "", province__code=province, kind=kind)


@get("/institutions/{int:pk}", response={200: InstitutionOut, **READ_ERRORS})
def institution(request: HttpRequest, pk: int) -> Any:
    """One provider."""
    return get_object_or_404(_institutions(), pk=pk)


@get("/institutions/{int:pk}/units", response={200: list[UnitOut], **READ_ERRORS})
@paginate(Pagination)
def institution_units(request: HttpRequest, pk: int, q: str = FOUND) -> Any:
    """The active service units of a provider, with their maklumat pelayanan."""
    inst = get_object_or_404(Institution.objects.only("pk"), pk=pk)
    qs = (ServiceUnit.objects.filter(institution=inst, is_active=True).select_related("regency")
          .order_by("name", "pk"))
    return found(qs, search_docs.UNIT, q, Q(institution_id=inst.pk, is_public=True))


def _products() -> QuerySet[ServiceProduct]:
    return public_products().select_related("unit__institution__province", "current_standard").only(
        "id", "name", "category", "description", "unit_id", "current_standard_id",
        "unit__id", "unit__name", "unit__institution_id", "unit__institution__id", "unit__institution__name",
        "unit__institution__province_id", "unit__institution__province__code",
        "current_standard__version", "current_standard__effective_date",
    )


@get("/products", response={200: list[ProductOut], **READ_ERRORS})
@shaped_pages(PRODUCT_ROW, product_item, pure=lambda arguments: not arguments.get("q"))
@cached_answer(public_list_stamp)
def products(request: HttpRequest, q: str = FOUND, province: str | None = PROVINCE,
             institution: int | None = Query(None, ge=1, le=MAX_ID, description="Institution id")) -> Any:
    """Service products with a published standard in force, by words (in the name, description, unit,
    institution and place), province and institution."""
    qs = found(_products().order_by("name", "pk"), search_docs.PRODUCT, q, Q(is_public=True))
    return narrowed(qs, "", unit__institution__province__code=province, unit__institution_id=institution)


@get("/products/{int:pk}", response={200: ProductOut, **READ_ERRORS})
def product(request: HttpRequest, pk: int) -> Any:
    """One public product (404 when it has no published standard in force)."""
    return get_object_or_404(_products(), pk=pk)


def _standard_query() -> QuerySet[ServiceStandard]:
    return ServiceStandard.objects.select_related("product__unit__institution__office")


@get("/products/{int:pk}/standard", response={200: PublicStandardOut, **READ_ERRORS})
def product_standard(request: HttpRequest, pk: int) -> Any:
    """The product's published standard in force: the 14 components, cost, time, maklumat."""
    item = get_object_or_404(public_products().only("pk", "current_standard_id"), pk=pk)
    return get_object_or_404(_standard_query(), pk=item.current_standard_id, status=ServiceStandard.Status.PUBLISHED)


@get("/products/{int:pk}/standards", response={200: list[StandardVersionOut], **READ_ERRORS})
@paginate(Pagination)
def product_standards(request: HttpRequest, pk: int) -> Any:
    """The published versions of the product's standard, newest first (never drafts)."""
    return _public_standards(pk).select_related("product").only(
        "id", "version", "effective_date", "published_at", "is_free", "completion_days", "present_count",
        "product_id", "product__current_standard_id",
    ).order_by("-version")


@get("/products/{int:pk}/standards/{int:version}", response={200: PublicStandardOut, **READ_ERRORS})
def product_standard_version(request: HttpRequest, pk: int, version: int) -> Any:
    """One published version of the product's standard (in force or not)."""
    product = get_object_or_404(public_products().only("pk"), pk=pk)
    return get_object_or_404(_standard_query(), product=product, version=version,
                             status=ServiceStandard.Status.PUBLISHED)
