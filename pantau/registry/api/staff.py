"""The token API of the registry: staff reads (drafts and completeness) and scoped writes.

Every operation needs ``Authorization: Bearer <token>`` and acts as the token's user: reads go
through the scoped selectors (``institutions_for`` …), writes through the registry services,
which check the user's scope, validate, and write the audit event in the same transaction.
An object outside the user's scope answers 404, exactly like one that does not exist. Each
write runs in one transaction with its answer: a failure after the service leaves nothing behind.
"""


from collections.abc import Mapping
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja.pagination import paginate
from ninja.params.functions import Query
from ninja.responses import Status

from pantau.core.apitools import MAX_ID, TOKEN_READ_ERRORS, WRITE_ERRORS, Pagination
from pantau.core.apitools import token_user as _user
from pantau.core.errors import NotInScope
from pantau.registry import completeness, search_docs, services
from pantau.registry.api.base import FOUND, STAFF_TAGS, found, narrowed, route
from pantau.registry.api.bodies import (
    DraftIn,
    InstitutionIn,
    InstitutionPatch,
    ProductIn,
    ProductPatch,
    PublishIn,
    UnitIn,
    UnitPatch,
)
from pantau.registry.api.schemas import (
    InstitutionKind,
    MyInstitutionDetailOut,
    MyInstitutionOut,
    MyProductDetailOut,
    MyProductOut,
    MyUnitOut,
    StandardBody,
)
from pantau.registry.models import (
    Institution,
    Province,
    Regency,
    ServiceProduct,
    ServiceStandard,
    ServiceUnit,
)
from pantau.registry.selectors import can_edit_unit, institutions_for, products_for, units_for

get = route("get", STAFF_TAGS)
post = route("post", STAFF_TAGS)
patch = route("patch", STAFF_TAGS)




# Staff reads -------------------------------------------------------------------------------

def _my_institutions(user: Any) -> QuerySet[Institution]:
    """With the counts of the institution's summary row (ADR 0014)."""
    return (
        institutions_for(user).select_related("province", "regency", "office")
        .annotate(n_units=F("unit_count"), n_products=F("product_count"), score_total=F("score_sum"))
    )


def _my_units(user: Any) -> QuerySet[ServiceUnit]:
    """With the counts of the unit's summary row (none yet: zero)."""
    return (
        units_for(user).select_related("institution", "regency")
        .annotate(n_products=F("summary__product_count"), score_total=F("summary__score_sum"))
    )


def _my_products(user: Any) -> QuerySet[ServiceProduct]:
    drafts = ServiceStandard.objects.filter(product=OuterRef("pk"), status=ServiceStandard.Status.DRAFT).values(
        "version")[:1]
    return (
        products_for(user).select_related("unit__institution", "current_standard")
        .annotate(score=completeness.score_expression(), draft_version=Subquery(drafts))
    )


@get("/my/institutions", response={200: list[MyInstitutionOut], **TOKEN_READ_ERRORS})
@paginate(Pagination)
def my_institutions(request: HttpRequest, q: str = FOUND,
                    province: str | None = Query(None, pattern=r"^\d{2}$", description="Province code"),
                    kind: InstitutionKind | None = None,
                    order: Literal["name", "completeness"] = Query(
                        "name", description="By name, or least complete first (what to fix first)")) -> Any:
    """Institutions in the token user's scope, with unit and product counts and completeness."""
    fields = ("completeness", "name", "pk") if order == "completeness" else ("name", "pk")
    user = _user(request)
    qs = found(_my_institutions(user).order_by(*fields), search_docs.INSTITUTION, q,
               search_docs.staff_scope(user, search_docs.INSTITUTION))
    return narrowed(qs, "", province__code=province, kind=kind)


@get("/my/institutions/{int:pk}", response={200: MyInstitutionDetailOut, **TOKEN_READ_ERRORS})
def my_institution(request: HttpRequest, pk: int) -> Any:
    """One institution in scope, with the completeness of each of the 16 items (fix first on top)."""
    inst = get_object_or_404(_my_institutions(_user(request)), pk=pk)
    counts = completeness.component_counts(products_for(_user(request)).filter(unit__institution=inst, is_active=True))
    inst.components = [  # type: ignore[attr-defined]
        {"code": s.component.code, "label": str(s.component.label), "present": s.present, "missing": s.missing,
         "stale": s.stale}
        for s in counts
    ]
    return inst


@get("/my/units", response={200: list[MyUnitOut], **TOKEN_READ_ERRORS})
@paginate(Pagination)
def my_units(request: HttpRequest, q: str = FOUND,
             institution: int | None = Query(None, ge=1, le=MAX_ID, description="Institution id"),
             active: bool | None = Query(None, description="Only active (true) or inactive (false) units")) -> Any:
    """Units in the token user's scope (inactive ones included unless filtered out)."""
    user = _user(request)
    qs = found(_my_units(user).order_by("institution__name", "name", "pk"), search_docs.UNIT, q,
               search_docs.staff_scope(user, search_docs.UNIT))
    return narrowed(qs, "", institution_id=institution, is_active=active)


@get("/my/units/{int:pk}", response={200: MyUnitOut, **TOKEN_READ_ERRORS})
def my_unit(request: HttpRequest, pk: int) -> Any:
    """One unit in scope, with its maklumat and completeness."""
    return get_object_or_404(_my_units(_user(request)), pk=pk)


@get("/my/products", response={200: list[MyProductOut], **TOKEN_READ_ERRORS})
@paginate(Pagination)
def my_products(request: HttpRequest, q: str = FOUND,
                institution: int | None = Query(None, ge=1, le=MAX_ID, description="Institution id"),
                unit: int | None = Query(None, ge=1, le=MAX_ID, description="Unit id"),
                has_draft: bool | None = Query(None, description="Only products with (true) / without an open draft"),
                ) -> Any:
    """Products in the token user's scope, published or not, with completeness and draft version."""
    user = _user(request)
    qs = found(_my_products(user).order_by("unit__institution__name", "unit__name", "name", "pk"), search_docs.PRODUCT,
               q, search_docs.staff_scope(user, search_docs.PRODUCT))
    return narrowed(qs, "", unit__institution_id=institution, unit_id=unit,
                    draft_version__isnull=None if has_draft is None else not has_draft)


def _product_detail(user: Any, pk: int) -> ServiceProduct:
    product = get_object_or_404(_my_products(user), pk=pk)
    versions = list(product.standards.order_by("-version"))
    extra = {
        "items": [{"code": c.code, "label": str(c.label), "status": status}
                  for c, status in completeness.product_items(product)],
        "draft": next((s for s in versions if s.status == ServiceStandard.Status.DRAFT), None),
        "versions": versions,
    }
    for name, value in extra.items():
        setattr(product, name, value)
    return product


@get("/my/products/{int:pk}", response={200: MyProductDetailOut, **TOKEN_READ_ERRORS})
def my_product(request: HttpRequest, pk: int) -> Any:
    """One product in scope: completeness item by item, the open draft, every version."""
    return _product_detail(_user(request), pk)


# Writes ------------------------------------------------------------------------------------

def _payload(body: Any) -> tuple[dict[str, Any], str]:
    data = body.model_dump(exclude_unset=True)
    reason = data.pop("reason", "") or ""
    return data, reason


def _resolve_regions(data: dict[str, Any]) -> dict[str, Any]:
    """Province and regency arrive as Kemendagri codes; the services want ids."""
    if "province" in data:
        code = data.pop("province")
        data["province_id"] = _id_of(Province, code, "province", _("Kode provinsi %s tidak dikenal.")) if code else None
    if "regency" in data:
        code = data.pop("regency")
        data["regency_id"] = (
            _id_of(Regency, code, "regency", _("Kode kabupaten/kota %s tidak dikenal.")) if code else None
        )
    return data


def _id_of(model: Any, code: str, field: str, message: str) -> int:
    pk = model.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise ValidationError({field: message % code})
    return int(pk)


def _fetch(qs: QuerySet[Any], pk: int) -> Any:
    return get_object_or_404(qs, pk=pk)


@post("/institutions", response={201: MyInstitutionOut, **WRITE_ERRORS})
@transaction.atomic
def institution_create(request: HttpRequest, payload: InstitutionIn) -> Any:
    """Create an institution (national admin, or head of office within the office's provinces)."""
    data, reason = _payload(payload)
    inst = services.institution_save(actor=_user(request), data=_resolve_regions(_defaults(payload, data)),
                                     reason=reason)
    return Status(201, _fetch(_my_institutions(_user(request)), inst.pk))


@patch("/institutions/{int:pk}", response={200: MyInstitutionOut, **WRITE_ERRORS})
@transaction.atomic
def institution_update(request: HttpRequest, pk: int, payload: InstitutionPatch) -> Any:
    """Change an institution's data; only the fields sent change."""
    inst = _fetch(institutions_for(_user(request)), pk)
    data, reason = _payload(payload)
    services.institution_save(actor=_user(request), institution=inst, data=_resolve_regions(data), reason=reason)
    return _fetch(_my_institutions(_user(request)), pk)


@post("/institutions/{int:pk}/units", response={201: MyUnitOut, **WRITE_ERRORS})
@transaction.atomic
def unit_create(request: HttpRequest, pk: int, payload: UnitIn) -> Any:
    """Create a service unit in an institution, with its maklumat if known."""
    inst = _fetch(institutions_for(_user(request)), pk)
    data, reason = _payload(payload)
    unit = services.unit_save(actor=_user(request), institution=inst, data=_resolve_regions(_defaults(payload, data)),
                              reason=reason)
    return Status(201, _fetch(_my_units(_user(request)), unit.pk))


@patch("/units/{int:pk}", response={200: MyUnitOut, **WRITE_ERRORS})
@transaction.atomic
def unit_update(request: HttpRequest, pk: int, payload: UnitPatch) -> Any:
    """Change a unit, including its maklumat pelayanan and facilities for vulnerable groups."""
    unit = _fetch(units_for(_user(request)).select_related("institution"), pk)
    data, reason = _payload(payload)
    services.unit_save(actor=_user(request), unit=unit, data=_resolve_regions(data), reason=reason)
    return _fetch(_my_units(_user(request)), pk)


@post("/units/{int:pk}/products", response={201: MyProductOut, **WRITE_ERRORS})
@transaction.atomic
def product_create(request: HttpRequest, pk: int, payload: ProductIn) -> Any:
    """Create a service product in a unit (it becomes public once a standard is published)."""
    unit = _fetch(units_for(_user(request)).select_related("institution"), pk)
    data, reason = _payload(payload)
    product = services.product_save(actor=_user(request), unit=unit, data=_defaults(payload, data), reason=reason)
    return Status(201, _fetch(_my_products(_user(request)), product.pk))


@patch("/products/{int:pk}", response={200: MyProductOut, **WRITE_ERRORS})
@transaction.atomic
def product_update(request: HttpRequest, pk: int, payload: ProductPatch) -> Any:
    """Change a product; ``is_active: false`` takes it off the public pages."""
    product = _fetch(products_for(_user(request)).select_related("unit__institution"), pk)
    data, reason = _payload(payload)
    services.product_save(actor=_user(request), product=product, data=data, reason=reason)
    return _fetch(_my_products(_user(request)), pk)


@patch("/products/{int:pk}/draft", response={200: StandardBody, **WRITE_ERRORS})
@transaction.atomic
def draft_save(request: HttpRequest, pk: int, payload: DraftIn) -> Any:
    """Write the product's draft standard (a new draft starts from the latest version).

    Only the fields sent change. Published versions never change: this always writes a draft.
    """
    product = _fetch(products_for(_user(request)).select_related("unit__institution"), pk)
    data, reason = _payload(payload)
    return services.standard_save_draft(actor=_user(request), product=product, data=data, reason=reason)


@post("/products/{int:pk}/draft/publish", response={200: StandardBody, **WRITE_ERRORS})
@transaction.atomic
def draft_publish(request: HttpRequest, pk: int, payload: PublishIn | None = None) -> Any:
    """Publish the draft: it becomes immutable and, from its effective date, the standard in force."""
    product = _fetch(products_for(_user(request)).select_related("unit__institution"), pk)
    if not can_edit_unit(_user(request), product.unit):
        raise NotInScope
    draft = product.standards.filter(status=ServiceStandard.Status.DRAFT).first()
    if draft is None:
        raise ValidationError(_("Produk ini tidak punya draf untuk diterbitkan; simpan draf dulu "
                                "(PATCH /api/registry/products/%d/draft).") % product.pk)
    payload = payload or PublishIn()
    return services.standard_publish(actor=_user(request), standard=draft, effective_date=payload.effective_date,
                                     reason=payload.reason)


def _defaults(body: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """For a create: the body's defaults count as sent (``kind: dinas`` …)."""
    full = body.model_dump()
    full.pop("reason", None)
    return {**full, **data}
