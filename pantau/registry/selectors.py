"""Reads of the registry. ``*_for(user)`` return querysets already scoped to what a user may see.

Everything outside a user's scope is simply absent from these querysets, so views that look an
object up through them answer 404 for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from pantau.accounts.models import Role
from pantau.accounts.scope import Scope, headed_by, scope_of
from pantau.core import cachegen
from pantau.core.models import AuditEvent
from pantau.registry.models import (
    Institution,
    Office,
    ProductMove,
    Province,
    Regency,
    ServiceProduct,
    ServiceStandard,
    ServiceUnit,
    UnitEvent,
    UnitEventLink,
)


def _institution_q(scope: Scope, prefix: str = "") -> Q | None:
    """The filter for institutions in scope; None means everything."""
    return institution_scope_q(scope, prefix=prefix)


def institution_scope_q(scope: Scope, *, prefix: str = "", unit_parents: bool = True) -> Q | None:
    """The filter for institutions in scope (None: everything). ``unit_parents=False`` leaves out
    the institutions a unit operator only reads because one of its units is theirs (the
    dashboard counts those units, not the whole institution)."""
    if scope.national:
        return None
    q = Q(pk__in=[])
    if scope.province_ids:
        q |= Q(**{f"{prefix}province__in": scope.province_ids})
    if scope.office_ids:
        q |= Q(**{f"{prefix}office__in": scope.office_ids})
    if scope.institution_ids:
        q |= Q(**{f"{prefix}pk__in": scope.institution_ids})
    if scope.unit_institution_ids and unit_parents:
        q |= Q(**{f"{prefix}pk__in": scope.unit_institution_ids})
    return q


def institutions_for(user: Any) -> QuerySet[Institution]:
    scope = scope_of(user)
    qs = Institution.objects.all()
    if not scope.roles:
        return qs.none()
    q = _institution_q(scope)
    return qs if q is None else qs.filter(q)


def _unit_q(scope: Scope) -> Q | None:
    if scope.national:
        return None
    q = Q(pk__in=[])
    if scope.province_ids:
        q |= Q(institution__province__in=scope.province_ids)
    if scope.office_ids:
        q |= Q(institution__office__in=scope.office_ids)
    if scope.institution_ids:
        q |= Q(institution__in=scope.institution_ids)
    if scope.unit_ids:
        q |= Q(pk__in=scope.unit_ids)
    return q


def units_for(user: Any) -> QuerySet[ServiceUnit]:
    scope = scope_of(user)
    qs = ServiceUnit.objects.all()
    if not scope.roles:
        return qs.none()
    q = _unit_q(scope)
    return qs if q is None else qs.filter(q)


def products_for(user: Any) -> QuerySet[ServiceProduct]:
    return ServiceProduct.objects.filter(unit__in=units_for(user).values("pk"))


def standards_for(user: Any) -> QuerySet[ServiceStandard]:
    return ServiceStandard.objects.filter(product__in=products_for(user).values("pk"))


def offices_for(user: Any) -> QuerySet[Office]:
    scope = scope_of(user)
    if scope.national:
        return Office.objects.all()
    return Office.objects.filter(pk__in=scope.office_ids)


# Object-level write checks (the "rules" of the registry).

def can_edit_institution(user: Any, institution: Institution) -> bool:
    scope = scope_of(user)
    if scope.has(Role.NATIONAL_ADMIN):
        return True
    if scope.has(Role.HEAD_OF_OFFICE):
        # Only the offices the person heads count, never an office where they are (say) an assessor.
        head = headed_by(user)
        if head.national or institution.province_id in head.province_ids or institution.office_id in head.office_ids:
            return True
    return institution.pk in scope.institution_ids and scope.has(Role.INSTITUTION_ADMIN)


def can_edit_unit(user: Any, unit: ServiceUnit) -> bool:
    scope = scope_of(user)
    if unit.pk in scope.unit_ids:
        return True
    return can_edit_institution(user, unit.institution)


# The fields that say where an institution sits and who supervises it: they decide its scope.
LOCATION_FIELDS = ("province_id", "regency_id", "office_id")


def can_relocate_institution(user: Any, before: Institution, after: Institution) -> bool:
    """Whether ``user`` may change an institution's province, regency or supervising office.

    Anyone who may edit the institution may save it unchanged in these three fields. Changing them
    moves the institution between scopes, so only the national admin (and the head of the national
    office) may move it anywhere; the head of a provincial office only within what they head — the
    old and the new province both among their offices' provinces, the old and the new office both
    offices they head; providers (institution admins, unit operators) and other staff never.
    """
    if all(getattr(before, f) == getattr(after, f) for f in LOCATION_FIELDS):
        return True
    scope = scope_of(user)
    if scope.has(Role.NATIONAL_ADMIN):
        return True
    if not scope.has(Role.HEAD_OF_OFFICE):
        return False
    head = headed_by(user)
    if head.national:
        return True
    moves_place = before.province_id != after.province_id or before.regency_id != after.regency_id
    if moves_place and not {before.province_id, after.province_id} <= head.province_ids:
        return False
    return before.office_id == after.office_id or {before.office_id, after.office_id} <= head.office_ids


def can_create_institution(user: Any) -> bool:
    scope = scope_of(user)
    return scope.has(Role.NATIONAL_ADMIN, Role.HEAD_OF_OFFICE)


# Public reads.

def current_standard_subquery(today: dt.date | None = None) -> Subquery:
    """The id of the standard in force for the outer product (latest effective, published)."""
    today = today or timezone.localdate()
    return Subquery(
        ServiceStandard.objects.filter(
            product=OuterRef("pk"), status=ServiceStandard.Status.PUBLISHED, effective_date__lte=today
        )
        .order_by("-effective_date", "-version")
        .values("pk")[:1]
    )


def current_standard(product: ServiceProduct, today: dt.date | None = None) -> ServiceStandard | None:
    today = today or timezone.localdate()
    return (
        product.standards.filter(status=ServiceStandard.Status.PUBLISHED, effective_date__lte=today)
        .order_by("-effective_date", "-version")
        .first()
    )


class ProductStamp(NamedTuple):
    current_standard_id: int | None  # ServiceProduct.current_standard, as services keep it
    version: str  # changes whenever anything else the public page shows changes


STAMP_KEY = "stamp:product:{}"
_MISSING = "missing"
LISTS = "registry-lists"  # the generation of the cached lists (staff institutions, home, dashboard)
# A cached list is keyed by the lists' generation (forgotten by every registry write after it
# commits, ``selectors.forget_product_stamps``) and ``registry_stamp``: with a shared cache a
# change shows at once everywhere; with a per-process cache another process sees a change through
# ``registry_stamp`` and, for what it misses (a deletion, a late commit), after this many seconds.
LIST_CACHE_SECONDS = 300


def product_generation(pk: int) -> str:
    return f"product:{pk}"


def public_product_stamp(pk: int) -> ProductStamp | None:
    """The product's stamp (``read_product_stamp``), kept in the cache for
    ``settings.PUBLIC_STAMP_SECONDS``: a visit served from the page cache then touches no database.

    The stamp is tagged with the product's generation (``pantau.core.cachegen``), which every write
    that changes the page forgets after it commits (``pantau.registry.signals``): with a shared
    cache every process shows the change at once, also when a visit read the old stamp just before
    the commit and stores it just after. With a per-process cache another process shows it at most
    ``PUBLIC_STAMP_SECONDS`` later (docs/decisions/0016-shared-cache.md).
    """
    seconds = settings.PUBLIC_STAMP_SECONDS
    if seconds <= 0:
        return read_product_stamp(pk)
    def read() -> Any:
        stamp = read_product_stamp(pk)
        return _MISSING if stamp is None else tuple(stamp)

    _generation, kept = cachegen.kept(STAMP_KEY.format(pk), product_generation(pk), seconds, read)
    return None if kept == _MISSING else ProductStamp(*kept)


def forget_product_stamps(pks: Iterable[int]) -> None:
    """Make the products' cached stamps (and the registry's cached lists) stale now and once the
    transaction commits. Every write that changes what a public product page or a staff list shows
    calls it: ``save()``/``delete()`` through ``pantau.registry.signals``, bulk writes (``update``,
    ``bulk_create``) by hand."""
    cachegen.forget_after_commit([LISTS, *(product_generation(pk) for pk in pks)])


def read_product_stamp(pk: int) -> ProductStamp | None:
    """What a product's public page depends on, read in one cheap query: the page's cache key
    (with the date: a version published for a future date takes effect on a new day).

    None when there is no such active product of an active unit. ``version`` joins the product's,
    unit's and institution's ``updated_at`` and the supervising office's name: published
    standards never change and every service write touches ``updated_at``.

    Raw SQL on purpose: it runs on every visit of the most visited page, where compiling the
    equivalent ORM query costs ten times more than running it (see bench/README.md).
    """
    product, unit = ServiceProduct._meta.db_table, ServiceUnit._meta.db_table
    institution, office = Institution._meta.db_table, Office._meta.db_table
    sql = (
        f"SELECT p.current_standard_id, p.updated_at, u.updated_at, i.updated_at, o.name"  # noqa: S608
        f" FROM {product} p JOIN {unit} u ON u.id = p.unit_id JOIN {institution} i ON i.id = u.institution_id"
        f" JOIN {office} o ON o.id = i.office_id WHERE p.id = %s AND p.is_active = %s AND u.is_active = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, True, True])
        row = cursor.fetchone()
    if row is None:
        return None
    return ProductStamp(row[0], "|".join(str(x) for x in row[1:]))


def registry_stamp() -> tuple[Any, ...]:
    """The last change of any institution, unit or product (indexed ``updated_at``): a key for
    cached lists of them. Publishing a standard updates its product (``current_standard``)."""
    tables = (Institution._meta.db_table, ServiceUnit._meta.db_table, ServiceProduct._meta.db_table)
    sql = "SELECT " + ", ".join(f"(SELECT MAX(updated_at) FROM {t})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(str(x) for x in row)


STAFF_LIST_STAMP_KEY = "stamp:registry-lists:staff"


def list_stamp() -> tuple[Any, ...]:
    """A key for cached lists of the registry (pages, dashboard panel, API answers): the lists'
    generation, taken before anything is read, and ``registry_stamp``.

    With a shared cache (``settings.CACHE_SHARED``) ``registry_stamp`` is kept under the lists'
    generation for ``LIST_CACHE_SECONDS``: every registry write forgets the generation after it
    commits, in every process at once, so reading the newest change on every staff request only
    cost time — on PostgreSQL during a long import, ``MAX(updated_at)`` walks the index entries of
    the import's uncommitted rows (issue 7: the staff list fell to 10 % of the trivial view). With
    a per-process cache another process hears of a write only through ``registry_stamp``, so it is
    read every time."""
    if settings.CACHE_SHARED:
        generation, stamp = cachegen.kept(STAFF_LIST_STAMP_KEY, LISTS, LIST_CACHE_SECONDS, registry_stamp)
        return generation, stamp
    generation = cachegen.token(LISTS)
    return generation, registry_stamp()


PUBLIC_LIST_STAMP_KEY = "stamp:registry-lists"


def public_list_stamp() -> tuple[Any, ...]:
    """``list_stamp`` for public pages (home, the API's product list), itself kept in the cache
    for ``settings.PUBLIC_STAMP_SECONDS`` under the lists' generation, as the product page's stamp
    is: a visit served from the cache then touches no database. Every registry write forgets the
    generation (``forget_product_stamps``): the writing process — every process with a shared
    cache — shows the change at once; another process with its own cache at most
    ``PUBLIC_STAMP_SECONDS`` later. Staff pages read ``list_stamp`` every time."""
    seconds = settings.PUBLIC_STAMP_SECONDS
    if seconds <= 0:
        return cachegen.token(LISTS), registry_stamp()
    return cachegen.kept(PUBLIC_LIST_STAMP_KEY, LISTS, seconds, registry_stamp)


def public_products() -> QuerySet[ServiceProduct]:
    """Active products of active units whose standard has been published and is in force."""
    return ServiceProduct.objects.filter(is_active=True, unit__is_active=True, current_standard__isnull=False)


def unit_lineage(unit: ServiceUnit) -> list[int]:
    """Ids of the unit and every unit it came from through renames, merges and splits."""
    seen = {unit.pk}
    frontier = {unit.pk}
    while frontier:
        events = UnitEventLink.objects.filter(unit__in=frontier, role=UnitEventLink.Role.TO).values(
            "event"
        )
        parents = set(
            UnitEventLink.objects.filter(event__in=events, role=UnitEventLink.Role.FROM).values_list(
                "unit", flat=True
            )
        )
        frontier = parents - seen
        seen |= parents
    return sorted(seen)


def unit_history(unit: ServiceUnit) -> QuerySet[UnitEvent]:
    return UnitEvent.objects.filter(links__unit__in=unit_lineage(unit)).distinct().prefetch_related(
        "links__unit"
    )


def last_move(product_id: int) -> ProductMove | None:
    """The last applied unit change that moved, retired or discontinued the product (for its old
    addresses: ``views_public``)."""
    return (
        ProductMove.objects.filter(product=product_id, event__state=UnitEvent.State.APPLIED)
        .select_related("event", "from_unit__institution")
        .order_by("-event__date", "-event__pk").first()
    )


def product_history(product: ServiceProduct, limit: int = 50) -> QuerySet[Any]:
    """The audit events of a product (created, renamed, edited, (de)activated), newest first."""
    return AuditEvent.objects.filter(object_type="registry.serviceproduct", object_id=str(product.pk)).order_by(
        "-at", "-pk")[:limit]


def last_unit_change(unit: ServiceUnit) -> UnitEvent | None:
    """The applied merge, split or dissolution that retired the unit, with its links."""
    return (
        UnitEvent.objects.filter(state=UnitEvent.State.APPLIED, links__unit=unit, links__role=UnitEventLink.Role.FROM)
        .exclude(kind=UnitEvent.Kind.RENAME).prefetch_related("links__unit").order_by("-date", "-pk").first()
    )


# Reads for the assessment cycle (``pantau.assessments``: sampling and the instrument's prefill).
# Plain rows, so the assessments module never touches the registry's models.

def active_units_of(institution_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Active units of the institutions: id, institution_id, name, kind; by institution, then name."""
    return [dict(r) for r in ServiceUnit.objects.filter(institution__in=list(institution_ids), is_active=True)
            .order_by("institution_id", "name_key", "pk").values("id", "institution_id", "name", "kind")]


def active_products_of(unit_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Active products of the units: id, unit_id, name; by unit, then name."""
    return [dict(r) for r in ServiceProduct.objects.filter(unit__in=list(unit_ids), is_active=True)
            .order_by("unit_id", "name_key", "pk").values("id", "unit_id", "name")]


def unit_rows(unit_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """id → {id, institution_id, name, kind, is_active, province_id, office_id} of the units."""
    rows = ServiceUnit.objects.filter(pk__in=list(unit_ids)).values(
        "id", "institution_id", "name", "kind", "is_active", "institution__province_id", "institution__office_id")
    return {r["id"]: {**r, "province_id": r["institution__province_id"], "office_id": r["institution__office_id"]}
            for r in rows}


def product_rows(product_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """id → {id, unit_id, name, is_active} of the products."""
    return {r["id"]: dict(r) for r in ServiceProduct.objects.filter(pk__in=list(product_ids))
            .values("id", "unit_id", "name", "is_active")}


def institution_rows(institution_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """id → {id, name, kind, province_id, regency_id, office_id} of the institutions."""
    return {r["id"]: dict(r) for r in Institution.objects.filter(pk__in=list(institution_ids))
            .values("id", "name", "kind", "province_id", "regency_id", "office_id")}


def offices_covering(office_id: int) -> tuple[bool, frozenset[int]]:
    """(is national, its province ids) of an office."""
    office = Office.objects.filter(pk=office_id).values_list("is_national", flat=True).first()
    provinces = Office.provinces.through.objects.filter(office_id=office_id).values_list("province_id", flat=True)
    return bool(office), frozenset(provinces)


def published_view(product_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """What the provider published for a product: the standard in force (its components by code,
    empty strings where nothing is written; ``None`` without a published standard) and its unit's
    maklumat and vulnerable-group services."""
    from pantau.registry import components

    product = ServiceProduct.objects.select_related("unit").get(pk=product_id)
    standard = current_standard(product, today)
    published: dict[str, str] | None = None
    if standard is not None:
        published = {}
        for comp in components.COMPONENTS:
            value = str(getattr(standard, comp.field) or "").strip()
            if comp.field == "cost" and standard.is_free and not value:
                value = "Gratis"
            published[comp.code] = value
    unit = product.unit
    return {
        "product": product.name, "unit": unit.name,
        "standard_version": standard.version if standard is not None else None,
        "components": published,
        "maklumat": (unit.maklumat or "").strip(),
        "kelompok_rentan": (unit.vulnerable_facilities or "").strip(),
        "labels": {c.code: str(c.label) for c in components.ALL_COMPONENTS},
        "pasal21": {c.pasal21: c.code for c in components.COMPONENTS if c.pasal21 is not None},
    }


def regency_rows(regency_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """id → {id, code, name} of the regencies and cities (no boundary)."""
    return {r["id"]: dict(r) for r in Regency.objects.filter(pk__in=list(regency_ids)).values("id", "code", "name")}


def province_rows() -> dict[int, dict[str, Any]]:
    """id → {id, code, name} of every province (the assessment results pages name and filter by them)."""
    return {r["id"]: dict(r) for r in Province.objects.order_by("code").values("id", "code", "name")}


def institutions_named(names: Iterable[str]) -> list[dict[str, Any]]:
    """[{id, name, kind, province_id, office_id}] of the institutions with these exact names (demo data)."""
    return [dict(r) for r in Institution.objects.filter(name__in=list(names)).order_by("pk")
            .values("id", "name", "kind", "province_id", "office_id")]
