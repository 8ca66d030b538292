"""Reads of the audit trail, already scoped to what a user may see (``audit_events_for``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from pantau.accounts.models import Role
from pantau.accounts.scope import headed_by, scope_of
from pantau.core.models import AuditEvent


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The audit events a user may read.

    - national admin (and the head of the national office): everything;
    - head of a provincial office: events in the provinces of the offices they head (including the
      move of an institution out of one of them, ``prior_province_id``), and events of the
      institutions those offices supervise (wherever the institution sits);
    - institution admin: events of their institution(s);
    - everyone with one of these roles also sees the events they caused themselves.

    Only the memberships that carry the head-of-office or institution-admin role count: being an
    assessor somewhere does not open that office's trail. Nobody else sees anything.
    """
    from pantau.registry.models import Institution

    scope = scope_of(user)
    qs = AuditEvent.objects.all()
    if scope.has(Role.NATIONAL_ADMIN):
        return qs
    if not scope.has(Role.HEAD_OF_OFFICE, Role.INSTITUTION_ADMIN):
        return qs.none()
    head = headed_by(user)
    if head.national:
        return qs
    q = Q(actor=user.pk)
    if head.office_ids:
        supervised = Institution.objects.filter(office__in=head.office_ids).values("pk")
        q |= (Q(province_id__in=head.province_ids) | Q(prior_province_id__in=head.province_ids)
              | Q(institution_id__in=supervised))
    if scope.has(Role.INSTITUTION_ADMIN):
        q |= Q(institution_id__in=scope.institution_ids)
    return qs.filter(q)
