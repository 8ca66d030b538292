"""Reads of the audit trail, already scoped to what a user may see (``audit_events_for``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from pantau.accounts.models import Membership, Role
from pantau.accounts.scope import scope_of
from pantau.core.models import AuditEvent


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The audit events a user may read.

    - national admin (and the head of the national office): everything;
    - head of a provincial office: events in the provinces of the offices they head, and events of
      the institutions those offices supervise (wherever the institution sits);
    - institution admin: events of their institution(s);
    - everyone with one of these roles also sees the events they caused themselves.

    Only the memberships that carry the head-of-office or institution-admin role count: being an
    assessor somewhere does not open that office's trail. Nobody else sees anything.
    """
    from pantau.registry.models import Institution, Office

    scope = scope_of(user)
    qs = AuditEvent.objects.all()
    if scope.has(Role.NATIONAL_ADMIN):
        return qs
    if not scope.has(Role.HEAD_OF_OFFICE, Role.INSTITUTION_ADMIN):
        return qs.none()
    mine = Membership.objects.filter(user=user.pk)
    headed = mine.filter(role=Role.HEAD_OF_OFFICE).values("office")
    if scope.has(Role.HEAD_OF_OFFICE) and Office.objects.filter(pk__in=headed, is_national=True).exists():
        return qs
    q = Q(actor=user.pk)
    if scope.has(Role.HEAD_OF_OFFICE):
        provinces = Office.provinces.through.objects.filter(office__in=headed).values("province")
        supervised = Institution.objects.filter(office__in=headed).values("pk")
        q |= Q(province_id__in=provinces) | Q(institution_id__in=supervised)
    if scope.has(Role.INSTITUTION_ADMIN):
        q |= Q(institution_id__in=mine.filter(role=Role.INSTITUTION_ADMIN).values("institution"))
    return qs.filter(q)
