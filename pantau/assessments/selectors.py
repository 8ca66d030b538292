"""Reads of stored methodology versions. They are public (who answers what, how it is scored):
everyone, signed in or not, reads every version; who loaded it is never part of a public read."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, QuerySet

from pantau.assessments.models import MethodologyVersion

# What a list shows of a version (never the document, never who loaded it).
LIST_FIELDS = ("id", "methodology_id", "methodology__slug", "methodology__era", "version", "title", "official",
               "is_custom", "content_hash", "loaded_at", "frozen_at", "copied_from_id", "copied_from__version",
               "copied_from__methodology__slug")


def public_versions() -> QuerySet[MethodologyVersion]:
    """Every stored version, by methodology id and then in the order they were stored."""
    return (MethodologyVersion.objects.select_related("methodology", "copied_from__methodology").only(*LIST_FIELDS)
            .order_by("methodology__slug", "pk"))


def list_stamp() -> tuple[Any, ...]:
    """A cheap key of everything the list shows (one query): a load, a copy, an edit or a freeze
    changes ``changed_at``; a deletion (there is none) would change the count."""
    row = MethodologyVersion.objects.aggregate(n=Count("pk"), last=Max("changed_at"))
    return (row["n"], row["last"])


def version_stamp(slug: str, version: str) -> tuple[int, str, Any] | None:
    """(id, content hash, frozen_at) of a stored version, or None (one small query)."""
    row = (MethodologyVersion.objects.filter(methodology__slug=slug, version=version)
           .values_list("pk", "content_hash", "frozen_at").first())
    return None if row is None else (row[0], row[1], row[2])


def public_version(slug: str, version: str) -> MethodologyVersion | None:
    """A stored version with its document (and the id and version it was copied from)."""
    return (MethodologyVersion.objects.select_related("methodology", "copied_from__methodology")
            .defer("loaded_by", "loaded_by_name").filter(methodology__slug=slug, version=version).first())
