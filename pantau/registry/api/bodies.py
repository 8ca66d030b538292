"""Request bodies of the registry's write API: strict (unknown fields and wrong types → 422).

``…In`` bodies create; ``…Patch`` bodies change only the fields they carry. A field that may
be left out of a patch is still typed: sending ``null`` for a text field is refused, since
"no text" is written as ``""``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field
from pydantic import StrictBool, StrictInt

from pantau.core.apitools import StrictIn
from pantau.registry.api.schemas import InstitutionKind, ProductCategory, UnitKind
from pantau.registry.models import ServiceProduct, ServiceStandard, ServiceUnit

PROVINCE_CODE = r"^\d{2}$"
REGENCY_CODE = r"^\d{2}\.\d{2}$"


def _max(model: Any, name: str) -> int:
    """A text field's length limit, read from the model (its one source of truth)."""
    limit: int = model._meta.get_field(name).max_length
    return limit


UNIT_TEXT = {f: _max(ServiceUnit, f) for f in ("maklumat", "vulnerable_facilities")}
DESCRIPTION = _max(ServiceProduct, "description")
STANDARD_TEXT = {f: _max(ServiceStandard, f) for f in (
    "requirements", "procedure", "cost", "output", "complaints", "legal_basis", "facilities", "competence",
    "supervision", "staff_count", "guarantee", "safety", "evaluation")}


def _reason() -> Any:
    return Field("", max_length=500, description="Why (kept in the audit trail)")


def omit(**kwargs: Any) -> Any:
    """A field a body may leave out (``exclude_unset`` then drops it); ``null`` is still refused
    unless the type allows it."""
    return Field(None, **kwargs)


class InstitutionIn(StrictIn):
    name: str = Field(min_length=1, max_length=200)
    kind: InstitutionKind
    province: str | None = omit(pattern=PROVINCE_CODE, description="Province code, e.g. 63")
    regency: str | None = omit(pattern=REGENCY_CODE, description="Regency/city code, e.g. 63.09")
    office_id: StrictInt = Field(description="The supervising Ombudsman office (see GET /registry/offices)")
    website: str = Field("", max_length=200)
    reason: str = _reason()


class InstitutionPatch(StrictIn):
    name: str = omit(min_length=1, max_length=200)
    kind: InstitutionKind = omit()
    province: str | None = omit(pattern=PROVINCE_CODE)
    regency: str | None = omit(pattern=REGENCY_CODE)
    office_id: StrictInt = omit()
    website: str = omit(max_length=200)
    reason: str = _reason()


class UnitIn(StrictIn):
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind = "dinas"
    address: str = Field("", max_length=255)
    regency: str | None = omit(pattern=REGENCY_CODE)
    lat: float | None = omit(ge=-90, le=90)
    lng: float | None = omit(ge=-180, le=180)
    phone: str = Field("", max_length=40, description="The unit's service phone (not a person's)")
    maklumat: str = Field("", max_length=UNIT_TEXT["maklumat"], description="Maklumat pelayanan")
    maklumat_date: dt.date | None = None
    vulnerable_facilities: str = Field("", max_length=UNIT_TEXT["vulnerable_facilities"])
    reason: str = _reason()


class UnitPatch(StrictIn):
    name: str = omit(min_length=1, max_length=200)
    kind: UnitKind = omit()
    address: str = omit(max_length=255)
    regency: str | None = omit(pattern=REGENCY_CODE)
    lat: float | None = omit(ge=-90, le=90)
    lng: float | None = omit(ge=-180, le=180)
    phone: str = omit(max_length=40)
    maklumat: str = omit(max_length=UNIT_TEXT["maklumat"])
    maklumat_date: dt.date | None = None
    vulnerable_facilities: str = omit(max_length=UNIT_TEXT["vulnerable_facilities"])
    reason: str = _reason()


class ProductIn(StrictIn):
    name: str = Field(min_length=1, max_length=200)
    category: ProductCategory = "lainnya"
    description: str = Field("", max_length=DESCRIPTION)
    is_active: StrictBool = True
    reason: str = _reason()


class ProductPatch(StrictIn):
    name: str = omit(min_length=1, max_length=200)
    category: ProductCategory = omit()
    description: str = omit(max_length=DESCRIPTION)
    is_active: StrictBool = omit()
    reason: str = _reason()


class DraftIn(StrictIn):
    """The fields to write into the draft; the others keep their value (from the open draft, or
    from the latest version when a new draft starts)."""

    requirements: str = omit(max_length=STANDARD_TEXT["requirements"], description="Persyaratan, one per line")
    procedure: str = omit(max_length=STANDARD_TEXT["procedure"], description="Prosedur, one step per line")
    completion_time: str = omit(max_length=200, description="e.g. '3 hari kerja'")
    completion_days: StrictInt | None = omit(ge=0, le=3650)
    is_free: StrictBool = omit(description="Gratis: no cost at all")
    cost: str = omit(max_length=STANDARD_TEXT["cost"])
    output: str = omit(max_length=STANDARD_TEXT["output"])
    complaints: str = omit(max_length=STANDARD_TEXT["complaints"])
    legal_basis: str = omit(max_length=STANDARD_TEXT["legal_basis"])
    facilities: str = omit(max_length=STANDARD_TEXT["facilities"])
    competence: str = omit(max_length=STANDARD_TEXT["competence"])
    supervision: str = omit(max_length=STANDARD_TEXT["supervision"])
    staff_count: str = omit(max_length=STANDARD_TEXT["staff_count"])
    guarantee: str = omit(max_length=STANDARD_TEXT["guarantee"])
    safety: str = omit(max_length=STANDARD_TEXT["safety"])
    evaluation: str = omit(max_length=STANDARD_TEXT["evaluation"])
    effective_date: dt.date | None = omit(description="When the version takes effect once published")
    reason: str = _reason()


class PublishIn(StrictIn):
    effective_date: dt.date | None = omit(description="Defaults to the draft's date, else today")
    reason: str = _reason()
