"""What the complaints module registers with core (``pantau.core.hooks``; ADR 0009)."""

from __future__ import annotations

from django.core.management.base import OutputWrapper
from django.utils.translation import gettext_lazy as _

from pantau.core import hooks

EVENT_TYPES = (
    "case.opened", "case.transition", "case.classified", "case.assigned", "case.handed_over",
    "case.visibility_changed", "case.reporter_message", "case.identity_viewed", "case.attachment_added",
    "case.attachment_downloaded", "demand.issued", "demand.answered", "demand.assessed", "case.redacted",
    "holidays.loaded", "case.letter_downloaded", "case.exported", "case.duplicate_linked", "case.duplicate_unlinked",
    "triage.trained",
)


def load_demo(stdout: OutputWrapper) -> None:
    """Demo cases in every stage for the demo offices, and the complaint staff's logins (``complaints/demo.py``)."""
    from pantau.complaints import demo

    stdout.write(demo.load())


def register() -> None:
    hooks.demo_step(hooks.DemoStep("complaints", order=50, run=load_demo))
    from pantau.complaints import search_docs

    search_docs.register()  # cases in the search index (the queue's text search)
    hooks.audited(
        hooks.AuditedType("complaints.case", label=_("Laporan")),
        hooks.AuditedType("complaints.demand", label=_("Tindakan korektif / Rekomendasi")),
    )
    hooks.event_types(*EVENT_TYPES)
    from pantau.complaints import freshness

    freshness.connect()  # the SLA dashboard and the statistics are kept under its generation
    from pantau.complaints import exports

    exports.register()  # the queue export job (XLSX / large CSV)
    # The case's own history (Event) says what happened step by step; the identity and files are written
    # with their case's event; timers, counters, notices and holidays are kept by the services.
    hooks.not_audited("complaints.reporter", "complaints.event", "complaints.timer", "complaints.attachment",
                      "complaints.counter", "complaints.holiday", "complaints.notice",
                      "complaints.savedqueue", "complaints.duplicategroup")  # a person's filters; links: on the cases
    from pantau.complaints import panels

    hooks.page_panel(hooks.PagePanel("public_product", "complaints", order=20,
                                     template="complaints/public/product_panel.html",
                                     stamp=panels.product_stamp, context=panels.product_context))
    from pantau.complaints.views_manage import works_on_complaints

    hooks.nav_item(hooks.NavItem("complaint_manage:list", _("Laporan masyarakat"), order=28, rule=works_on_complaints))
