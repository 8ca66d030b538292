"""Where a user's roles apply: computed once per request from their memberships."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pantau.accounts.models import OFFICE_ROLES, Membership, Role


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = frozenset()
    national: bool = False
    province_ids: frozenset[int] = frozenset()
    office_ids: frozenset[int] = frozenset()
    institution_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    # Institutions of the units a unit operator works in (read access to the parent).
    unit_institution_ids: frozenset[int] = field(default=frozenset())
    # The membership rows themselves (role, office, institution, unit, the unit's institution), for the
    # modules that look at roles seat by seat (complaints) without reading the memberships again.
    seats: tuple[tuple[str, int | None, int | None, int | None, int | None], ...] = ()

    @property
    def is_office_staff(self) -> bool:
        return bool(self.roles & OFFICE_ROLES) or self.national

    @property
    def is_provider(self) -> bool:
        return bool(self.institution_ids or self.unit_ids)

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


EMPTY = Scope()


def scope_of(user: Any) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY
    cached: Scope | None = getattr(user, "_pantau_scope", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    national = False
    provinces: set[int] = set()
    offices: set[int] = set()
    institutions: set[int] = set()
    units: set[int] = set()
    unit_institutions: set[int] = set()
    memberships = list(Membership.objects.filter(user=user).values_list(
        "role", "office_id", "office__is_national", "institution_id", "unit_id", "unit__institution_id"))
    for role, office_id, office_national, institution_id, unit_id, unit_institution_id in memberships:
        roles.add(role)
        if role == Role.NATIONAL_ADMIN:
            national = True
        elif office_id is not None:
            offices.add(office_id)
            if office_national:
                national = True
        elif institution_id is not None:
            institutions.add(institution_id)
        elif unit_id is not None and unit_institution_id is not None:
            units.add(unit_id)
            unit_institutions.add(unit_institution_id)
    if offices and not national:
        from pantau.registry.models import Office

        provinces = set(
            Office.provinces.through.objects.filter(office_id__in=offices).values_list(
                "province_id", flat=True
            )
        )
    scope = Scope(
        roles=frozenset(roles),
        national=national,
        province_ids=frozenset(provinces),
        office_ids=frozenset(offices),
        institution_ids=frozenset(institutions),
        unit_ids=frozenset(units),
        unit_institution_ids=frozenset(unit_institutions),
        seats=tuple((role, office_id, institution_id, unit_id, unit_institution_id)
                    for role, office_id, _national, institution_id, unit_id, unit_institution_id in memberships),
    )
    user._pantau_scope = scope
    return scope


@dataclass(frozen=True)
class Headed:
    """The offices a user heads (role ``head_of_office``), their provinces, and whether one is national."""

    office_ids: frozenset[int] = frozenset()
    province_ids: frozenset[int] = frozenset()
    national: bool = False


def headed_by(user: Any) -> Headed:
    """What a user heads. A head's own powers (inviting, seeing the office's people, reading the
    audit trail) come from these memberships only, never from another role the person also holds
    (an assessor elsewhere). Cached on the user object like ``scope_of``."""
    if not scope_of(user).has(Role.HEAD_OF_OFFICE):
        return Headed()
    cached: Headed | None = getattr(user, "_pantau_headed", None)
    if cached is not None:
        return cached
    from pantau.registry.models import Office

    offices = list(Office.objects.filter(memberships__user=user, memberships__role=Role.HEAD_OF_OFFICE)
                   .values_list("pk", "is_national"))
    office_ids = frozenset(pk for pk, _national in offices)
    provinces = Office.provinces.through.objects.filter(office_id__in=office_ids).values_list("province_id", flat=True)
    headed = Headed(office_ids=office_ids, province_ids=frozenset(provinces),
                    national=any(national for _pk, national in offices))
    user._pantau_headed = headed
    return headed
