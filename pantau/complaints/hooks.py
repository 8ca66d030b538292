"""What the complaints module registers with core (``pantau.core.hooks``; ADR 0009)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pantau.core import hooks

EVENT_TYPES = (
    "case.opened", "case.transition", "case.classified", "case.assigned", "case.handed_over",
    "case.visibility_changed", "case.reporter_message", "case.identity_viewed", "case.attachment_added",
    "case.attachment_downloaded", "demand.issued", "demand.answered", "demand.assessed", "case.redacted",
    "holidays.loaded",
)


def register() -> None:
    hooks.audited(
        hooks.AuditedType("complaints.case", label=_("Laporan")),
        hooks.AuditedType("complaints.demand", label=_("Tindakan korektif / Rekomendasi")),
    )
    hooks.event_types(*EVENT_TYPES)
    # The case's own history (Event) says what happened step by step; the identity and files are written
    # with their case's event; timers, counters, notices and holidays are kept by the services.
    hooks.not_audited("complaints.reporter", "complaints.event", "complaints.timer", "complaints.attachment",
                      "complaints.counter", "complaints.holiday", "complaints.notice")
