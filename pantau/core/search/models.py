"""The search index: one row per searchable object of any module (``SearchDocument``) and the
vocabulary of the indexed words (``SearchWord``, for "did you mean").

The columns a module scopes by (province, regency, institution, unit, office, public) are plain
integers, not foreign keys: core knows no domain model. The full-text part lives beside the
table and is created by the migration for each engine (``backend``): on PostgreSQL a stored
generated ``tsvector`` column with a GIN index; on SQLite an FTS5 table over ``title_terms`` and
``body_terms`` (external content, kept in sync by ``pantau.core.search.index``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


class DocumentKey(models.BigAutoField):  # type: ignore[type-arg]
    """The document's id, which the full-text lookup ``id__search_matches`` hangs on."""


@DocumentKey.register_lookup
class SearchMatches(Lookup):
    """``id__search_matches=<engine query>``: the document matches the full-text query (the text
    built by ``backend.match_text`` for the engine in use)."""

    lookup_name = "search_matches"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        from pantau.core.search import backend

        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return backend.match_sql(connection.vendor, lhs, rhs), [*lhs_params, *rhs_params]


class SearchDocument(models.Model):
    id = DocumentKey(primary_key=True)
    kind = models.CharField(max_length=30)  # "product", "unit", "institution", …
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300)
    sort_key = models.CharField(max_length=300)  # the folded title: results in a tier by name
    title_terms = models.TextField()  # stems and synonym keys of the title
    body_terms = models.TextField()  # … of the rest (description, parent names, places)
    is_public = models.BooleanField(default=False)
    province_id = models.BigIntegerField(null=True)
    regency_id = models.BigIntegerField(null=True)
    institution_id = models.BigIntegerField(null=True)
    unit_id = models.BigIntegerField(null=True)
    office_id = models.BigIntegerField(null=True)

    class Meta:
        # No index starts with ``kind`` alone: every document of a kind matches ``kind = …``, and SQLite's
        # planner would scan that index instead of looking up the few ids the FTS table matched. The one
        # that starts with it holds the office too (below), for searches within offices; the complaint
        # search bench (bench/complaint_search.py) measures both engines with it.
        constraints = [models.UniqueConstraint(fields=["object_id", "kind"], name="search_document_unique")]
        indexes = [
            models.Index(fields=["sort_key", "id"], name="search_document_sorted"),  # no words: by title
            # A search within some offices (complaints): PostgreSQL ANDs this with the full-text index's
            # matches before reading any row (a bitmap AND), instead of reading every office's matches.
            models.Index(fields=["kind", "office_id"], name="search_document_office"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchWord(models.Model):
    """A folded word of the indexed texts, with how many documents had it at the last rebuild."""

    word = models.CharField(max_length=40, unique=True)
    frequency = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.word
