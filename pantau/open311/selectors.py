"""The reads behind ``GET requests``, ``GET requests/{id}`` and ``GET tokens/{token}``.

Only cases whose reporter chose *public* or *anonymous* are ever read here; a confidential case is not
listed and answers 404 like one that does not exist. No identity is read (no join to the reporter): the
description is the title and the redacted public summary; the location a client gave is shown only for a
public case. A list is one query: the cases, their institution and office names and their Open311
submission in one join, newest first by primary key, at most ``page_size`` rows after an offset bounded by
the spec's "first 1 000 requests".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from pantau.complaints.models import Case, Visibility
from pantau.complaints.redact import redact
from pantau.complaints.vocab import State
from pantau.open311 import catalog
from pantau.open311.models import Submission

LISTED = (Visibility.PUBLIC, Visibility.ANONYMOUS)
DESCRIPTION_LIMIT = 4000
FIELDS = ("pk", "state", "kind", "closure_reason", "title", "public_summary", "visibility", "created_at",
          "updated_at", "closed_at", "next_due_on", "substance", "reported_other", "institution__name",
          "office__name", "open311__service_code", "open311__lat", "open311__long", "open311__address",
          "open311__address_id", "open311__zipcode")


def parse_moment(raw: str) -> dt.datetime | None:
    """A w3 datetime (``2010-01-01T00:00:00Z``, ``…+07:00``; a date alone is its midnight); one without a
    zone is read in the site's zone. ``None`` when it is not one (or out of range)."""
    raw = raw.strip()
    if not raw or len(raw) > 40 or not raw.isascii():
        return None
    try:
        moment = parse_datetime(raw) if len(raw) > 10 else dt.datetime.combine(dt.date.fromisoformat(raw), dt.time())
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(dt.UTC)  # out of range near year 1 or 9999
    except (ValueError, OverflowError):
        return None
    return moment


class Writer:
    """Turns rows into the spec's requests; what many rows share (the zone, the labels of a state, a service's
    name) is worked out once per answer."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.notes: dict[tuple[str, str, str], str | None] = {}
        self.names: dict[str, str | None] = {}

    def w3(self, moment: dt.datetime | None) -> str | None:
        return moment.astimezone(self.zone).isoformat(timespec="seconds") if moment is not None else None

    def expected(self, day: dt.date | None) -> str | None:
        """The end of the due day of the earliest running deadline (the deadline engine's ``next_due_on``)."""
        if day is None:
            return None
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=self.zone).isoformat(timespec="seconds")

    def status_notes(self, state: str, kind: str, reason: str) -> str | None:
        key = (state, kind, reason)
        if key not in self.notes:
            self.notes[key] = catalog.status_notes(state, kind, reason) or None
        return self.notes[key]

    def service_name(self, code: str | None) -> str | None:
        if not code:
            return None
        if code not in self.names:
            self.names[code] = catalog.service_name(code)
        return self.names[code]

    def request(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row of :data:`FIELDS` in the spec's order and shape."""
        code = service_code_of(row)
        closed = row["state"] == State.CLOSED
        public = row["visibility"] == Visibility.PUBLIC
        description = "\n\n".join(p for p in (row["title"], row["public_summary"]) if p)[:DESCRIPTION_LIMIT]
        agency = row["institution__name"] or redact(row["reported_other"]) or row["office__name"] or None
        lat, long = (row["open311__lat"], row["open311__long"]) if public else (None, None)
        return {
            "service_request_id": str(row["pk"]), "status": catalog.status_of(row["state"]),
            "status_notes": self.status_notes(row["state"], row["kind"], row["closure_reason"]),
            "service_name": self.service_name(code), "service_code": code,
            "description": description or None, "agency_responsible": agency, "service_notice": None,
            "requested_datetime": self.w3(row["created_at"]),
            "updated_datetime": self.w3(row["closed_at"] if closed and row["closed_at"] else row["updated_at"]),
            "expected_datetime": None if closed else self.expected(row["next_due_on"]),
            "address": (redact(row["open311__address"] or "") or None) if public else None,
            "address_id": (row["open311__address_id"] or None) if public else None,
            "zipcode": (row["open311__zipcode"] or None) if public else None,
            "lat": lat, "long": long, "media_url": None,
        }


def listed() -> Any:
    return Case.objects.filter(visibility__in=LISTED)


def service_code_of(row: dict[str, Any]) -> str | None:
    """The staff's classification when there is one, else the service the reporter chose."""
    return catalog.code_by_substance().get(row["substance"]) or row["open311__service_code"] or None


def by_ids(ids: Iterable[int]) -> list[dict[str, Any]]:
    writer = Writer()
    return [writer.request(r) for r in listed().filter(pk__in=list(ids)).order_by("-pk").values(*FIELDS)]


def one(pk: int) -> dict[str, Any] | None:
    rows = by_ids([pk])
    return rows[0] if rows else None


def search(*, start: dt.datetime, end: dt.datetime, codes: list[str], statuses: list[str], offset: int,
           size: int) -> list[dict[str, Any]]:
    """The listed cases requested in ``[start, end]``, newest first, of ``codes`` and ``statuses`` (empty: all)."""
    qs = listed().filter(created_at__gte=start, created_at__lte=end)
    if codes:
        labels = [catalog.substance_by_code()[c] for c in codes]
        qs = qs.filter(Q(substance__in=labels) | Q(substance="", open311__service_code__in=codes))
    if len(set(statuses)) == 1:
        qs = qs.filter(state=State.CLOSED) if statuses[0] == "closed" else qs.exclude(state=State.CLOSED)
    writer = Writer()
    return [writer.request(r) for r in qs.order_by("-pk").values(*FIELDS)[offset:offset + size]]


def token(raw: str) -> dict[str, Any] | None:
    if not raw or len(raw) > 40:
        return None
    row = Submission.objects.filter(token=raw).values("case_id", "token").first()
    return None if row is None else {"service_request_id": str(row["case_id"]), "token": row["token"]}
