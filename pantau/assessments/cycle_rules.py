"""Who may do what in the assessment cycle (ADR 0019). Services refuse an actor these deny
(``NotInScope``: answered as 404, never 403); selectors use the same predicates.

- *Manage a period* (create it, choose its sample, assign assessors, move it through the
  transition table, publish): an official period — the national admin, or the head of the office
  that runs it (the head of the national office: every official period); a self-assessment — the
  admin of the institution it belongs to, or the national admin.
- *Review a unit* (approve, return items, decide contests, change answers after approval): who
  manages the period, and the head of an office whose provinces cover the unit's institution or
  which supervises it. A self-assessment: who manages it.
- *Answer a unit*: the assessors assigned to it. A self-assessment: its institution's admin and the
  operators of that unit.
- *Be assigned*: a user with the assessor role in the national office, or in an office whose
  provinces cover the unit's institution (or which supervises it).
- *Contest*: the admin of the unit's institution.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from pantau.accounts.models import Membership, Role
from pantau.accounts.scope import headed_by, scope_of
from pantau.assessments.models_cycle import Assignment, Period, SampledUnit


def _user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


def manages_period(actor: Any, period: Period) -> bool:
    if not _user(actor):
        return False
    scope = scope_of(actor)
    if scope.has(Role.NATIONAL_ADMIN):
        return True
    if period.kind == Period.Kind.SELF:
        return scope.has(Role.INSTITUTION_ADMIN) and period.owner_id in scope.institution_ids
    head = headed_by(actor)
    return head.national or (period.office_id is not None and period.office_id in head.office_ids)


def may_create_period(actor: Any, *, kind: str, office_id: int | None, owner_id: int | None) -> bool:
    """``manages_period`` of the period as it would be created."""
    return manages_period(actor, Period(kind=kind, office_id=office_id, owner_id=owner_id))


def heads_institution(actor: Any, institution: dict[str, Any]) -> bool:
    """Whether the actor heads an office covering the institution (a row of
    ``registry.selectors.institution_rows``)."""
    head = headed_by(actor)
    return (head.national or institution["province_id"] in head.province_ids
            or institution["office_id"] in head.office_ids)


def reviews_institution(actor: Any, period: Period, institution: dict[str, Any]) -> bool:
    if manages_period(actor, period):
        return True
    if period.kind == Period.Kind.SELF or not _user(actor):
        return False
    return scope_of(actor).has(Role.HEAD_OF_OFFICE) and heads_institution(actor, institution)


def reviews_unit(actor: Any, sampled: SampledUnit, institution: dict[str, Any]) -> bool:
    return reviews_institution(actor, sampled.period, institution)


def answers_unit(actor: Any, sampled: SampledUnit) -> bool:
    if not _user(actor):
        return False
    if sampled.period.kind == Period.Kind.SELF:
        scope = scope_of(actor)
        return ((scope.has(Role.INSTITUTION_ADMIN) and sampled.institution_id in scope.institution_ids)
                or sampled.unit_id in scope.unit_ids)
    return Assignment.objects.filter(sampled_unit=sampled, assessor=actor).exists()


def may_be_assigned(user: Any, institution: dict[str, Any]) -> bool:
    if not _user(user):
        return False
    covering = (Q(office__is_national=True) | Q(office__provinces=institution["province_id"])
                | Q(office=institution["office_id"]))
    return Membership.objects.filter(covering, user=user, role=Role.ASSESSOR).exists()


def contests_for(actor: Any, institution_id: int) -> bool:
    if not _user(actor):
        return False
    scope = scope_of(actor)
    return scope.has(Role.INSTITUTION_ADMIN) and institution_id in scope.institution_ids
