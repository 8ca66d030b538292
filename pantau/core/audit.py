"""Write audit events from services, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import connection, models

from pantau.core import requestid
from pantau.core.models import AuditEvent


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of an object's concrete fields (foreign keys as ids)."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = str(value)
        data[name] = value
    return data


def changed(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """Only the keys whose value differs (for compact before/after records)."""
    if not before:
        return after
    return {k: v for k, v in after.items() if before.get(k) != v}


def record(
    *,
    actor: Any,
    event_type: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    institution_id: int | None = None,
    province_id: int | None = None,
    prior_province_id: int | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the service's ``transaction.atomic`` block.

    ``prior_province_id``: the province the object left, when this event moved it to another one."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    event = build(actor=actor, event_type=event_type, obj=obj, before=before, after=after, reason=reason,
                  institution_id=institution_id, province_id=province_id, prior_province_id=prior_province_id)
    event.save()
    return event


def build(
    *,
    actor: Any,
    event_type: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    institution_id: int | None = None,
    province_id: int | None = None,
    prior_province_id: int | None = None,
) -> AuditEvent:
    """The event ``record`` writes, unsaved (a bulk write saves many with ``record_many``)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    name = ""
    if user is not None:
        name = getattr(user, "username", "")[:150]
    elif isinstance(actor, str):
        name = actor[:150]  # a system actor such as "system:import"
    if before is not None and after is not None:
        keys = set(before) | set(after)
        before = {k: before.get(k) for k in sorted(keys) if before.get(k) != after.get(k)}
        after = {k: after.get(k) for k in sorted(keys) if k in before}
    return AuditEvent(
        actor=user,
        actor_name=name,
        request_id=requestid.get_request_id() if requestid.get_request_id() != "-" else "",
        event_type=event_type,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        institution_id=institution_id,
        province_id=province_id,
        prior_province_id=prior_province_id,
        before=before,
        after=after,
        reason=reason,
    )


def record_many(events: list[AuditEvent], batch_size: int = 500) -> None:
    """Append events ``build`` made, in their order, a batch per query (inside the writer's transaction)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the writer's transaction")
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)


def newest_id() -> int:
    """The id of the newest event (0 when there is none): the audit trail's page-cache stamp, read
    on every visit, so plain SQL (compiling the ORM aggregate cost more than running it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {AuditEvent._meta.db_table}")  # noqa: S608 - a table name
        row = cursor.fetchone()
    return int(row[0] or 0)
