"""Time the first page of each audit-trail filter on ~2 000 000 events, before and after the
indexes and keyset pages of ADR 0015 (issue 7), in a throwaway database.

    DEBUG=true DATABASE_URL=sqlite:////tmp/audit2m.sqlite3 .venv/bin/python -m bench.audit_scale
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/<throwaway> .venv/bin/python -m bench.audit_scale

"before" runs the old queries (``actor_name`` ignoring case, order by ``-id``) with the old
indexes (core 0003); "after" runs ``filter_events`` and ``_page`` of ``pantau.core.audit_views``
with core 0004. Each cell is the best of 3 runs of the page query plus its bounded count (ms).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q, QuerySet  # noqa: E402

from pantau.core.audit_views import COUNT_CAP, PAGE_SIZE, _page, event_types_of, filter_events  # noqa: E402
from pantau.core.models import AuditEvent  # noqa: E402

EVENTS = int(os.environ.get("AUDIT_EVENTS", "2000000"))
TYPES = ["institution.created", "institution.updated", "unit.created", "unit.updated", "unit.dissolve",
         "product.created", "product.updated", "standard.draft_saved", "standard.published", "membership.changed",
         "invitation.created", "api_token.created", "user.deactivated", "unit.merge", "unit.rename"]
OBJECTS = ["registry.institution", "registry.serviceunit", "registry.serviceproduct", "registry.servicestandard",
           "accounts.invitation"]
COLUMNS = ("at", "actor_name", "request_id", "event_type", "object_type", "object_id", "object_repr",
           "institution_id", "province_id", "prior_province_id", "before", "after", "reason")


def _rows(n: int) -> Any:
    rng = random.Random(7)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=730) / n
    for i in range(n):
        inst = int(rng.paretovariate(1.2)) % 5000 + 1
        yield (start + step * i, f"user{rng.randrange(20000):05d}", f"{rng.getrandbits(64):016x}",
               rng.choice(TYPES), rng.choice(OBJECTS), str(rng.randrange(1, 1_000_000)), "Objek",
               inst, inst % 38 + 1, (inst % 38 + 2) if rng.random() < 0.001 else None,
               '{"name": "a"}', '{"name": "b"}', "")


def generate() -> None:
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.copy(  # type: ignore[attr-defined]
                f"COPY core_auditevent ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in _rows(EVENTS):
                copy.write_row(row)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_auditevent")
    else:
        marks = ", ".join(["%s"] * len(COLUMNS))
        sql = f"INSERT INTO core_auditevent ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608 - constants
        with transaction.atomic(), connection.cursor() as cursor:
            batch = []
            for row in _rows(EVENTS):
                batch.append((row[0].isoformat(), *row[1:]))
                if len(batch) == 10_000:
                    cursor.executemany(sql, batch)
                    batch = []
            cursor.executemany(sql, batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"generated {EVENTS} events in {time.perf_counter() - started:.0f} s", flush=True)


FILTERS: list[tuple[str, dict[str, Any]]] = [
    ("none (newest)", {}),
    ("institution", {"instansi": (4321, "x")}),
    ("actor", {"pelaku": "user12345"}),
    ("event type (exact)", {"jenis": "unit.merge"}),
    ("event type (prefix)", {"jenis": "unit"}),
    ("object type", {"objek": "accounts.invitation"}),
    ("object type + id", {"objek": "registry.serviceunit", "id_objek": 123456}),
    ("request id", {"permintaan": "00000000000000ff"}),
    ("date range (a day, a year ago)", {"dari": dt.date(2025, 1, 1), "sampai": dt.date(2025, 1, 1)}),
    ("institution + date range", {"instansi": (4321, "x"), "dari": dt.date(2024, 3, 1),
                                  "sampai": dt.date(2024, 3, 31)}),
]
SCOPE = Q(province_id__in=[5]) | Q(prior_province_id__in=[5]) | Q(institution_id__in=[5, 43, 81])


def old_filter(qs: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The filters as they were before issue 7 (``pelaku`` ignoring case)."""
    data = dict(data)
    actor = data.pop("pelaku", None)
    qs = filter_events(qs, data)
    return qs.filter(actor_name__iexact=actor) if actor else qs


def old_page(qs: QuerySet[AuditEvent], data: dict[str, Any]) -> list[AuditEvent]:
    return list(qs.order_by("-pk")[: PAGE_SIZE + 1])


def new_page(qs: QuerySet[AuditEvent], data: dict[str, Any]) -> list[AuditEvent]:
    return _page(qs, "", "", event_types_of(data["jenis"]) if data.get("jenis") else None)[0]


def _best(run: Callable[[], Any]) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def measure(label: str, filt: Callable[..., QuerySet[AuditEvent]], page: Callable[..., Any]) -> dict[str, float]:
    result = {}
    for name, data in [*FILTERS, ("scope of a province office", {"scope": True})]:
        def run(data: dict[str, Any] = data) -> None:
            qs = AuditEvent.objects.all()
            qs = qs.filter(SCOPE) if data.get("scope") else filt(qs, data)
            page(qs, data)
            qs.order_by().values("pk")[: COUNT_CAP + 1].count()
        result[name] = _best(run)
        print(f"{label:6} {name:34} {result[name]:9.1f} ms", flush=True)
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("migrate", "core", "0003", verbosity=0)
    if AuditEvent.objects.order_by().count() < EVENTS:
        generate()
    before = measure("before", old_filter, old_page)
    started = time.perf_counter()
    call_command("migrate", "core", verbosity=0)
    print(f"core 0004 (indexes) on {EVENTS} events: {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_auditevent")
    after = measure("after", filter_events, new_page)
    out = io.StringIO()
    out.write(f"\n{connection.vendor}, {EVENTS} events: first page + bounded count, best of 3 (ms)\n")
    out.write("| filter | before | after |\n|---|---|---|\n")
    for name in before:
        out.write(f"| {name} | {before[name]:.1f} | {after[name]:.1f} |\n")
    sys.stdout.write(out.getvalue())
    json.dump({"before": before, "after": after}, sys.stderr)


if __name__ == "__main__":
    main()
