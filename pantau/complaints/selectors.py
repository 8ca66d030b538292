"""Complaint reads, already scoped: who sees which case, in which roles, and the reporter's identity (every
disclosure audited). Outside a user's scope a case does not exist for them (404).

- **Ombudsman staff** see the cases their office holds; staff of the national office (and the national
  admin) see every office's cases. They act on a case only in the roles they hold *in the case's office*.
- **Provider staff** (institution admin, unit operator) see the complaints made to their institution or
  unit (the provider-side path), and the Ombudsman's cases about them once the reported party has been
  notified (``provider_notified``), never before; they act only through the provider roles of the table.
- **The reporter** sees their case through the secret tracking link (its hash is stored), nothing else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from pantau.accounts.models import Role
from pantau.accounts.scope import scope_of
from pantau.complaints import workflow
from pantau.complaints.models import Case, Event, Reporter
from pantau.complaints.vocab import RecordKind
from pantau.core import audit

OMBUDSMAN_ROLES = frozenset({Role.INTAKE_OFFICER, Role.EXAMINER, Role.HEAD_OF_OFFICE})
PROVIDER_ROLES = frozenset({Role.INSTITUTION_ADMIN, Role.UNIT_OPERATOR})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Seat:
    """One membership of a user, as the complaint rules read it."""

    role: str
    office_id: int | None
    institution_id: int | None
    unit_id: int | None
    unit_institution_id: int | None


def seats_of(user: Any) -> tuple[Seat, ...]:
    """The user's memberships (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached: tuple[Seat, ...] | None = getattr(user, "_pantau_complaint_seats", None)
    if cached is None:
        cached = tuple(Seat(*row) for row in scope_of(user).seats)
        user._pantau_complaint_seats = cached
    return cached


def ombudsman_offices(user: Any) -> set[int]:
    """The offices where ``user`` holds an Ombudsman role."""
    return {s.office_id for s in seats_of(user) if s.role in OMBUDSMAN_ROLES and s.office_id}


def cases_q(user: Any) -> Q | None:
    """The filter of the cases ``user`` may see (``None``: all of them; an empty filter: none)."""
    scope = scope_of(user)
    if scope.has(Role.NATIONAL_ADMIN) or (scope.national and scope.roles & OMBUDSMAN_ROLES):
        return None
    q = Q(pk__in=[])
    offices = ombudsman_offices(user)
    if offices:
        q |= Q(office_id__in=offices)
    institutions = {s.institution_id for s in seats_of(user) if s.role == Role.INSTITUTION_ADMIN and s.institution_id}
    units = {s.unit_id for s in seats_of(user) if s.role == Role.UNIT_OPERATOR and s.unit_id}
    provider = Q(institution_id__in=institutions) | Q(unit_id__in=units)
    if institutions or units:
        q |= provider & (Q(kind=RecordKind.PROVIDER_COMPLAINT) | Q(provider_notified=True))
    return q


def cases_for(user: Any) -> QuerySet[Case]:
    q = cases_q(user)
    if not scope_of(user).roles:
        return Case.objects.none()
    return Case.objects.all() if q is None else Case.objects.filter(q)


def case_for(user: Any, pk: int) -> Case:
    """The case ``pk`` if ``user`` may see it, else 404."""
    case = (cases_for(user).select_related("office", "institution", "unit", "product", "examiner")
            .filter(pk=pk).first())
    if case is None:
        raise Http404
    return case


def case_by_token(token: str) -> Case:
    """The case of a secret tracking link, else 404 (a tracking number alone opens nothing)."""
    if not token or len(token) > 100:
        raise Http404
    case = Case.objects.select_related("office", "institution", "unit").filter(tracking_hash=token_hash(token)).first()
    if case is None:
        raise Http404
    return case


def roles_on(user: Any, case: Case) -> list[str]:
    """The workflow roles ``user`` holds on ``case``: Ombudsman roles in the case's office, provider roles in
    the reported institution or unit (a provider's own complaint, or a notified case)."""
    roles: list[str] = []
    provider_sees = case.kind == RecordKind.PROVIDER_COMPLAINT or case.provider_notified
    for seat in seats_of(user):
        in_office = seat.role in OMBUDSMAN_ROLES and case.office_id is not None and seat.office_id == case.office_id
        in_institution = (seat.role == Role.INSTITUTION_ADMIN and case.institution_id is not None
                          and seat.institution_id == case.institution_id)
        in_unit = seat.role == Role.UNIT_OPERATOR and case.unit_id is not None and seat.unit_id == case.unit_id
        if in_office or (provider_sees and (in_institution or in_unit)):
            roles.append(seat.role)
    return sorted(set(roles))


def is_assigned(user: Any, case: Case) -> bool:
    return case.examiner_id is not None and case.examiner_id == getattr(user, "pk", None)


def may_see_identity(user: Any, case: Case) -> bool:
    """Whether ``user`` may see the reporter's identity on ``case`` (``workflow.may_see_identity``)."""
    confidential = case.visibility != "public"
    return any(workflow.may_see_identity(role, assigned=is_assigned(user, case), confidential=confidential)
               for role in roles_on(user, case))


def reporter_for(user: Any, case: Case, *, purpose: str = "") -> Reporter | None:
    """The reporter's identity for ``user``, or ``None`` when they may not see it. Every disclosure is an
    audit event (``case.identity_viewed``) written in its own transaction."""
    if not may_see_identity(user, case):
        return None
    reporter = Reporter.objects.filter(case=case).first()
    if reporter is None:
        return None
    from django.db import transaction

    with transaction.atomic():
        audit.record(actor=user, event_type="case.identity_viewed", obj=case, reason=purpose[:200],
                     institution_id=case.institution_id, province_id=case.province_id)
    return reporter


def events_for_reporter(case: Case) -> QuerySet[Event]:
    """The history the reporter sees through the tracking link: the steps they were told about."""
    return case.events.filter(audience__in=[Event.Audience.REPORTER, Event.Audience.BOTH])


def events_for_provider(case: Case) -> QuerySet[Event]:
    """The history the reported provider sees: the steps it was told about, never the reporter's messages."""
    return case.events.filter(audience__in=[Event.Audience.PROVIDER, Event.Audience.BOTH])
