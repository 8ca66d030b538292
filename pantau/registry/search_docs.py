"""The registry's documents in the search index (``pantau.core.search``): products, units and
institutions, kept current from ``post_save`` (inside the writer's transaction), and the scope of a
staff user as a filter on the documents' columns.

A product's document: its name (title); its description, category, unit (name and kind),
institution, regency and province (body). It is public when the product and its unit are active
and a standard is in force. A unit's and an institution's change rewrites the documents of what
they contain (their names are in those documents).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import translation

from pantau.accounts.scope import scope_of
from pantau.core import hooks
from pantau.core.search.index import refresh
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit

PRODUCT, UNIT, INSTITUTION = "product", "unit", "institution"
CHUNK = 2000

# The fields a document is made of: a save that names none of them (``update_fields``) changes nothing.
PRODUCT_FIELDS = {"name", "description", "category", "is_active", "current_standard", "unit"}
UNIT_FIELDS = {"name", "kind", "is_active", "institution", "regency"}
INSTITUTION_FIELDS = {"name", "kind", "province", "regency", "office"}


def _labels(choices: Any) -> dict[str, str]:
    with translation.override("id"):
        return {value: str(label) for value, label in choices}


def _rows(qs: Any, ids: Iterable[int] | None, fields: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """``fields`` of the objects of ``ids`` (all when None), in id order, a chunk at a time."""
    if ids is not None:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), CHUNK):
            yield from qs.filter(pk__in=wanted[start:start + CHUNK]).order_by("pk").values_list(*fields)
        return
    last = 0
    while True:  # by key, so a million rows never sit in memory (nor in one server-side cursor)
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list(*fields)[:CHUNK])
        yield from rows
        if len(rows) < CHUNK:
            return
        last = rows[-1][0]


def product_items(ids: Iterable[int] | None) -> Iterator[hooks.SearchItem]:
    categories = _labels(ServiceProduct.Category.choices)
    kinds = _labels(ServiceUnit.Kind.choices)
    fields = ("pk", "name", "description", "category", "is_active", "current_standard_id", "unit_id",
              "unit__name", "unit__kind", "unit__is_active", "unit__institution_id", "unit__institution__name",
              "unit__institution__province_id", "unit__institution__regency_id", "unit__institution__office_id",
              "unit__institution__province__name", "unit__institution__regency__name")
    for (pk, name, description, category, active, standard, unit, unit_name, unit_kind, unit_active, inst,
         inst_name, province, regency, office, province_name, regency_name) in _rows(ServiceProduct.objects, ids,
                                                                                     fields):
        yield hooks.SearchItem(
            pk, name, (description, categories.get(category, ""), unit_name, kinds.get(unit_kind, ""), inst_name,
                       regency_name or "", province_name or ""),
            is_public=bool(active and unit_active and standard is not None), province_id=province,
            regency_id=regency, institution_id=inst, unit_id=unit, office_id=office)


def unit_items(ids: Iterable[int] | None) -> Iterator[hooks.SearchItem]:
    kinds = _labels(ServiceUnit.Kind.choices)
    fields = ("pk", "name", "kind", "is_active", "institution_id", "institution__name", "institution__province_id",
              "institution__regency_id", "institution__office_id", "regency__name")
    for pk, name, kind, active, inst, inst_name, province, regency, office, regency_name in _rows(
            ServiceUnit.objects, ids, fields):
        yield hooks.SearchItem(pk, name, (kinds.get(kind, ""), inst_name, regency_name or ""), is_public=active,
                               province_id=province, regency_id=regency, institution_id=inst, unit_id=pk,
                               office_id=office)


def institution_items(ids: Iterable[int] | None) -> Iterator[hooks.SearchItem]:
    kinds = _labels(Institution.Kind.choices)
    fields = ("pk", "name", "kind", "province_id", "regency_id", "office_id", "regency__name")
    for pk, name, kind, province, regency, office, regency_name in _rows(Institution.objects, ids, fields):
        # Not the province's name: "kabupaten selatan" is not every regency of Kalimantan Selatan.
        yield hooks.SearchItem(pk, name, (kinds.get(kind, ""), regency_name or ""),
                               is_public=True, province_id=province, regency_id=regency, institution_id=pk,
                               office_id=office)


def staff_scope(user: Any, kind: str) -> Q:
    """The documents of ``kind`` in ``user``'s scope, as a filter on the documents' columns: the same
    rule as ``selectors.institutions_for`` (institutions) and ``units_for`` (units, products)."""
    scope = scope_of(user)
    if not scope.roles:
        return Q(pk__in=[])
    if scope.national:
        return Q()
    q = Q(pk__in=[])
    if scope.province_ids:
        q |= Q(province_id__in=scope.province_ids)
    if scope.office_ids:
        q |= Q(office_id__in=scope.office_ids)
    institutions = set(scope.institution_ids)
    if kind == INSTITUTION:
        institutions |= set(scope.unit_institution_ids)
    elif scope.unit_ids:
        q |= Q(unit_id__in=scope.unit_ids)
    if institutions:
        q |= Q(institution_id__in=institutions)
    return q


# Kept current on write ---------------------------------------------------------------------------

def _relevant(kwargs: dict[str, Any], fields: set[str]) -> bool:
    update_fields = kwargs.get("update_fields")
    return update_fields is None or bool(set(update_fields) & fields)


def _product_saved(sender: Any, instance: ServiceProduct, **kwargs: Any) -> None:
    if _relevant(kwargs, PRODUCT_FIELDS):
        refresh(PRODUCT, [instance.pk])


def _unit_saved(sender: Any, instance: ServiceUnit, **kwargs: Any) -> None:
    if _relevant(kwargs, UNIT_FIELDS):
        refresh(UNIT, [instance.pk])
        refresh(PRODUCT, ServiceProduct.objects.filter(unit=instance.pk).values_list("pk", flat=True))


def _institution_saved(sender: Any, instance: Institution, **kwargs: Any) -> None:
    if _relevant(kwargs, INSTITUTION_FIELDS):
        refresh(INSTITUTION, [instance.pk])
        refresh(UNIT, ServiceUnit.objects.filter(institution=instance.pk).values_list("pk", flat=True))
        refresh(PRODUCT, ServiceProduct.objects.filter(unit__institution=instance.pk).values_list("pk", flat=True))


def register() -> None:
    """From ``RegistryConfig.ready``: the sources and the signals."""
    hooks.search_source(hooks.SearchSource(PRODUCT, product_items, bulk=True),  # national: 1 000 000 of 1 201 500
                        hooks.SearchSource(UNIT, unit_items), hooks.SearchSource(INSTITUTION, institution_items))
    post_save.connect(_product_saved, sender=ServiceProduct, dispatch_uid="pantau-search-product")
    post_save.connect(_unit_saved, sender=ServiceUnit, dispatch_uid="pantau-search-unit")
    post_save.connect(_institution_saved, sender=Institution, dispatch_uid="pantau-search-institution")
