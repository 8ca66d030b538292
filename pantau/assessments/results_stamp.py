"""The stamp of the public results pages (``render_cached`` keys, the rapor's too): the published
official periods' newest ``changed_at`` and their number. Publication and each correction save
the period, so the stamp changes with them; nothing else on those pages changes after publication.

Every cache hit needs the stamp, so it is kept in the cache itself for ``SECONDS`` and dropped by
the writers (``forget``: at once and again after their commit). With a shared cache (Redis, ADR
0016) every server sees a publication at once; with per-process caches another worker may serve
the previous pages for at most ``SECONDS`` after it.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

from pantau.assessments.models import Period

KEY = "assessments:results-stamp"
SECONDS = 5
SQL = (f"SELECT MAX(changed_at), COUNT(*) FROM {Period._meta.db_table} "  # noqa: S608  a constant
       "WHERE kind = %s AND status = %s")


def stamp() -> tuple[Any, ...]:
    kept = cache.get(KEY)
    if isinstance(kept, tuple):
        return kept
    with connection.cursor() as cursor:  # plain SQL: compiling the ORM's aggregate cost more than the query
        cursor.execute(SQL, [Period.Kind.OFFICIAL.value, Period.Status.PUBLISHED.value])
        last, n = cursor.fetchone()
    value = ("result-periods", str(last), n)
    cache.set(KEY, value, SECONDS)
    return value


def forget() -> None:
    """After a publication or a correction (inside its transaction)."""
    cache.delete(KEY)
    transaction.on_commit(lambda: cache.delete(KEY))
