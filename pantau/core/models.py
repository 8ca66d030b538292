"""The append-only audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    """Who did what, when, in which request, with the state before and after and why.

    Written by service functions inside the same transaction as the change they record
    (``pantau.core.audit.record``). Holds ids and field values, never a reporter's identity.
    Indexed once per filter (``Meta.indexes``, each ending in the list's order); a column that
    begins one of those has no index of its own (migration ``0008``).
    """

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    event_type = models.CharField(max_length=64, db_index=True)  # and its LIKE index on PostgreSQL (prefixes)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    institution_id = models.BigIntegerField(null=True, blank=True)
    province_id = models.BigIntegerField(null=True, blank=True)
    # The province the object was in before this event moved it (an institution relocated to
    # another province): the office that lost it still sees the move in its trail.
    prior_province_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        # One index per filter of the audit trail, each ending in the list's order (newest first),
        # so a filtered page is a range scan of one index whatever the size of the trail (ADR 0015).
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at"),
            models.Index(fields=["institution_id", "-at", "-id"], name="audit_institution_at"),
            models.Index(fields=["actor_name", "-at", "-id"], name="audit_actor_at"),
            models.Index(fields=["event_type", "-at", "-id"], name="audit_event_type_at"),
            models.Index(fields=["object_type", "-at", "-id"], name="audit_object_type_at"),
            models.Index(fields=["object_id", "object_type", "-at", "-id"], name="audit_object_at"),
            models.Index(fields=["province_id", "-at", "-id"], name="audit_province_at"),
            models.Index(fields=["prior_province_id", "-at", "-id"], name="audit_prior_province_at"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")


class SubmittedForm(models.Model):
    """A create form's one-time token, claimed in the transaction that creates the object: a
    replayed POST (double tap, resent after a timeout) finds it and goes to what the first made
    (``pantau.core.forms.save_form``). Rows older than a day are removed as new ones come."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.token


class Job(models.Model):
    """A background job (an import, an export…) of one user, run by the db_worker (``pantau.core.jobs``).

    Its row is what the job page shows: the state, the progress counters, a short message, the
    first problems found (``problems``, at most ``jobs.KEPT_PROBLEMS``; ``problem_count`` counts
    them all), the kind's result summary, and the names of its files in the private ``jobs``
    storage (the uploaded input, deleted when the job ends; the result, e.g. an export)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")
        INTERRUPTED = "interrupted", _("Terhenti")

    kind = models.CharField(max_length=64)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict, blank=True)  # what the kind needs (e.g. a dry run)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # when known
    rows_checked = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    problems = models.JSONField(default=list, blank=True)  # the first problems: {sheet, row, column, message}
    summary = models.JSONField(default=dict, blank=True)  # the kind's result (e.g. counts per sheet)
    input_name = models.CharField(max_length=255, blank=True)
    input_filename = models.CharField(max_length=255, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    result_filename = models.CharField(max_length=255, blank=True)
    worker = models.CharField(max_length=100, blank=True)  # host:pid of the process running it
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["state", "heartbeat"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


from pantau.core.search.models import SearchDocument, SearchWord  # noqa: E402  the search index (core app)

__all__ = ["AppendOnlyError", "AuditEvent", "AuditQuerySet", "Job", "SearchDocument", "SearchWord", "SubmittedForm"]
