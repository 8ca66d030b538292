"""Answers of the registry API: what each operation returns, and nothing more.

Public answers never carry users (``published_by``), audit data, drafts or anyone's personal
data: only what the public pages of the registry already show.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from pantau.registry import completeness
from pantau.registry import components as comp
from pantau.registry.models import ServiceStandard

# The choices of the models, spelled out for the OpenAPI spec (a test keeps them equal).
InstitutionKind = Literal["kementerian", "lembaga", "pemprov", "pemkab", "pemkot", "bumn", "bumd"]
UnitKind = Literal["dinas", "badan", "kecamatan", "kelurahan", "rsud", "puskesmas", "mpp", "sekolah", "kantor",
                   "lainnya"]
ProductCategory = Literal["adminduk", "perizinan", "nonperizinan", "kesehatan", "pendidikan", "sosial", "lainnya"]
RegencyKind = Literal["kabupaten", "kota"]


_PLACEHOLDER = 2147483646  # an id no object has: the URL pattern is reversed once per name


@functools.lru_cache(maxsize=64)
def _around_id(name: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return head, tail


def absolute(context: Any, name: str, pk: int) -> str:
    """The object's absolute URL: the pattern reversed once per process and the origin once per
    request (a page of the API lists up to 100 objects with a URL each)."""
    head, tail = _around_id(name)
    path = f"{head}{pk}{tail}"
    request = (context or {}).get("request")
    if request is None:
        return path
    origin = getattr(request, "_pantau_origin", None)
    if origin is None:
        origin = request.build_absolute_uri("/")[:-1]
        request._pantau_origin = origin
    return f"{origin}{path}"


class ProvinceOut(Schema):
    code: str = Field(description="Kemendagri code, e.g. 63")
    name: str
    lat: float | None
    lng: float | None


class RegencyOut(Schema):
    code: str = Field(description="Kemendagri code, e.g. 63.09")
    name: str
    kind: RegencyKind
    province: str = Field(description="Province code")

    @staticmethod
    def resolve_province(obj: Any) -> str:
        return str(obj.province.code)


class OfficeOut(Schema):
    id: int
    name: str
    is_national: bool
    provinces: list[str] = Field(description="Codes of the provinces the office supervises")

    @staticmethod
    def resolve_provinces(obj: Any) -> list[str]:
        return [p.code for p in obj.provinces.all()]


class Ref(Schema):
    id: int
    name: str


class InstitutionOut(Schema):
    id: int
    name: str
    kind: InstitutionKind
    province: str | None = Field(description="Province code")
    regency: str | None = Field(description="Regency/city code")
    office: Ref = Field(description="The Ombudsman office that supervises the institution")
    website: str
    url: str = Field(description="The public page")

    @staticmethod
    def resolve_province(obj: Any) -> str | None:
        return obj.province.code if obj.province_id else None

    @staticmethod
    def resolve_regency(obj: Any) -> str | None:
        return obj.regency.code if obj.regency_id else None

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute(context, "public:institution", obj.pk)


class UnitOut(Schema):
    id: int
    institution_id: int
    name: str
    kind: UnitKind
    address: str
    regency: str | None = Field(description="Regency/city code")
    lat: float | None
    lng: float | None
    phone: str = Field(description="The unit's service phone")
    maklumat: str = Field(description="Maklumat pelayanan (the unit's service pledge)")
    maklumat_date: dt.date | None
    vulnerable_facilities: str = Field(description="Services and facilities for vulnerable groups")

    @staticmethod
    def resolve_regency(obj: Any) -> str | None:
        return obj.regency.code if obj.regency_id else None


class StandardRef(Schema):
    version: int
    effective_date: dt.date | None


class ProductOut(Schema):
    id: int
    name: str
    category: ProductCategory
    description: str
    unit: Ref
    institution: Ref
    province: str | None = Field(description="Province code of the institution")
    standard: StandardRef = Field(description="The published standard in force")
    url: str = Field(description="The public page with the standard")

    @staticmethod
    def resolve_institution(obj: Any) -> Any:
        return obj.unit.institution

    @staticmethod
    def resolve_province(obj: Any) -> str | None:
        inst = obj.unit.institution
        return inst.province.code if inst.province_id else None

    @staticmethod
    def resolve_standard(obj: Any) -> Any:
        return obj.current_standard

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute(context, "public:product", obj.pk)


PRODUCT_ROW = ("id", "name", "category", "description", "unit_id", "unit__name", "unit__institution_id",
               "unit__institution__name", "unit__institution__province__code", "current_standard__version",
               "current_standard__effective_date")


def product_item(row: dict[str, Any], request: Any) -> dict[str, Any]:
    """A ``ProductOut`` from a ``values(*PRODUCT_ROW)`` row (``apirows.shaped_pages``; a test keeps it
    equal to the schema's own answer)."""
    effective = row["current_standard__effective_date"]
    return {
        "id": row["id"],
        "name": row["name"],
        "category": row["category"],
        "description": row["description"],
        "unit": {"id": row["unit_id"], "name": row["unit__name"]},
        "institution": {"id": row["unit__institution_id"], "name": row["unit__institution__name"]},
        "province": row["unit__institution__province__code"],
        "standard": {"version": row["current_standard__version"],
                     "effective_date": effective.isoformat() if effective is not None else None},
        "url": absolute({"request": request}, "public:product", row["id"]),
    }


class ComponentOut(Schema):
    code: str
    pasal_21: int | None = Field(description="Number of the component in UU 25/2009 Pasal 21")
    label: str
    text: str
    items: list[str] = Field(description="The text split into its items (one per line)")


def component_list(standard: ServiceStandard, group: str) -> list[dict[str, Any]]:
    out = []
    for c in comp.COMPONENTS:
        if c.group != group:
            continue
        text = getattr(standard, c.field) or ""
        if c.field == "cost" and standard.is_free and not text.strip():
            text = "Gratis"
        out.append({"code": c.code, "pasal_21": c.pasal21, "label": str(c.label), "text": text,
                    "items": comp.lines(text)})
    return out


class StandardBody(Schema):
    """The 14 components of a standard (UU 25/2009 Pasal 21) and its version data."""

    version: int
    status: Literal["draft", "published"]
    effective_date: dt.date | None
    published_at: dt.datetime | None
    is_free: bool
    completion_days: int | None
    present_count: int = Field(description="How many of the 14 components are filled in")
    delivery: list[ComponentOut] = Field(description="The 6 service-delivery components (published to users)")
    management: list[ComponentOut] = Field(description="The 8 service-management components")

    @staticmethod
    def resolve_delivery(obj: Any) -> list[dict[str, Any]]:
        return component_list(obj, comp.DELIVERY)

    @staticmethod
    def resolve_management(obj: Any) -> list[dict[str, Any]]:
        return component_list(obj, comp.MANAGEMENT)


class PublicUnitOut(Schema):
    id: int
    name: str
    address: str
    phone: str
    maklumat: str
    maklumat_date: dt.date | None
    vulnerable_facilities: str


class PublicStandardOut(StandardBody):
    """A product's published standard in force, with what a citizen needs around it."""

    product: Ref
    unit: PublicUnitOut
    institution: Ref
    office: Ref = Field(description="The Ombudsman office to complain to")
    url: str = Field(description="The public page of the product")

    @staticmethod
    def resolve_unit(obj: Any) -> Any:
        return obj.product.unit

    @staticmethod
    def resolve_institution(obj: Any) -> Any:
        return obj.product.unit.institution

    @staticmethod
    def resolve_office(obj: Any) -> Any:
        return obj.product.unit.institution.office

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute(context, "public:product", obj.product_id)


class StandardVersionOut(Schema):
    version: int
    effective_date: dt.date | None
    published_at: dt.datetime | None
    is_free: bool
    completion_days: int | None
    present_count: int
    in_force: bool = Field(description="True for the version in force today")

    @staticmethod
    def resolve_in_force(obj: Any) -> bool:
        return bool(obj.pk == obj.product.current_standard_id)


# Staff answers (token): what the caller's scope holds, drafts and completeness included.

class ProductCounts(Schema):
    """Counts over an institution's or a unit's active products (annotated ``n_products`` and
    ``score_total``, the items present among them, from the summary rows)."""

    product_count: int = Field(description="Active products")
    completeness: int | None = Field(description="Percent of the 16 items present, over the active products")

    @staticmethod
    def resolve_product_count(obj: Any) -> int:
        return obj.n_products or 0

    @staticmethod
    def resolve_completeness(obj: Any) -> int | None:
        return completeness.percent_of(obj.score_total or 0, obj.n_products) if obj.n_products else None


class MyInstitutionOut(InstitutionOut, ProductCounts):
    unit_count: int = Field(description="Active units")
    can_edit: bool

    @staticmethod
    def resolve_unit_count(obj: Any) -> int:
        return obj.n_units or 0

    @staticmethod
    def resolve_can_edit(obj: Any, context: Any) -> bool:
        from pantau.registry.selectors import can_edit_institution

        return can_edit_institution(context["request"].auth, obj)


class ComponentCountOut(Schema):
    code: str
    label: str
    present: int
    missing: int
    stale: int


class MyInstitutionDetailOut(MyInstitutionOut):
    components: list[ComponentCountOut] = Field(description="Per item, over the active products; fix first")


class MyUnitOut(UnitOut, ProductCounts):
    institution: Ref
    is_active: bool
    active_until: dt.date | None
    can_edit: bool

    @staticmethod
    def resolve_can_edit(obj: Any, context: Any) -> bool:
        from pantau.registry.selectors import can_edit_unit

        return can_edit_unit(context["request"].auth, obj)


class MyProductOut(Schema):
    id: int
    name: str
    category: ProductCategory
    description: str
    is_active: bool
    unit: Ref
    institution: Ref
    current_version: int | None = Field(description="Version of the published standard in force")
    draft_version: int | None = Field(description="Version of the open draft, if any")
    completeness: int = Field(description="Percent of the 16 items present")
    is_public: bool = Field(description="Shown on the public pages (active, with a standard in force)")
    url: str

    @staticmethod
    def resolve_institution(obj: Any) -> Any:
        return obj.unit.institution

    @staticmethod
    def resolve_current_version(obj: Any) -> int | None:
        return obj.current_standard.version if obj.current_standard_id else None

    @staticmethod
    def resolve_completeness(obj: Any) -> int:
        return completeness.percent(obj.score, comp.TOTAL)

    @staticmethod
    def resolve_is_public(obj: Any) -> bool:
        return bool(obj.is_active and obj.unit.is_active and obj.current_standard_id)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute(context, "public:product", obj.pk)


class ItemStatusOut(Schema):
    code: str
    label: str
    status: Literal["present", "missing", "stale"]


class VersionOut(Schema):
    version: int
    status: Literal["draft", "published"]
    effective_date: dt.date | None
    published_at: dt.datetime | None
    present_count: int


class MyProductDetailOut(MyProductOut):
    items: list[ItemStatusOut] = Field(description="The 16 items of completeness, what to fix first on top")
    draft: StandardBody | None
    versions: list[VersionOut]
