"""Reads of the audit trail, already scoped to what a user may see (``audit_events_for``)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from pantau.core import hooks
from pantau.core.models import AuditEvent


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The audit events a user may read: what the modules' audit scopes admit (``hooks.audit_scope``;
    the registry's ``audit_scope`` says who sees which events). Nobody else sees anything."""
    allowed = hooks.audit_filter(user)
    qs = AuditEvent.objects.all()
    if allowed is True:
        return qs
    if allowed is False:
        return qs.none()
    return qs.filter(allowed)


def prefix_q(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, written so the field's index serves it: a range on SQLite
    (whose ``LIKE`` ignores a binary index), ``LIKE 'prefix%'`` on PostgreSQL."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})
