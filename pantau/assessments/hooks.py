"""What the assessments module registers with core (``pantau.core.hooks``; ADR 0009)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.utils.translation import gettext_lazy as _

from pantau.accounts import rules as r
from pantau.core import hooks


def load_methodologies(stdout: OutputWrapper) -> None:
    """The shipped methodology files (idempotent: unchanged files change nothing)."""
    call_command("load_methodologies", stdout=stdout)


def load_demo(stdout: OutputWrapper) -> None:
    """A published 2022 period and an open one with work in progress (``assessments/demo.py``)."""
    from pantau.assessments import demo

    stdout.write(demo.load())


def register() -> None:
    from pantau.assessments import export_jobs

    export_jobs.register()
    hooks.audited(
        hooks.AuditedType("assessments.methodologyversion", label=_("Versi metodologi")),
    )
    hooks.audited(
        hooks.AuditedType("assessments.period", label=_("Periode penilaian")),
        hooks.AuditedType("assessments.sampledunit", label=_("Unit sampel penilaian")),
        hooks.AuditedType("assessments.assignment", label=_("Penugasan asisten penilai")),
        hooks.AuditedType("assessments.answer", label=_("Jawaban penilaian")),
        hooks.AuditedType("assessments.contest", label=_("Keberatan penyelenggara")),
    )
    hooks.event_types(
        "methodology.loaded", "methodology.copied", "methodology.updated", "methodology.frozen",
        "period.created", "period.collection_opened", "period.review_started", "period.response_opened",
        "period.published", "sample.chosen", "sample.added", "assignment.created", "answer.saved",
        "answer.changed_after_approval", "unit_review.submitted", "unit_review.approved", "unit_review.returned",
        "contest.created", "contest.decided", "result.computed", "result.corrected",
    )
    hooks.not_audited("assessments.methodology")  # its title and era follow its newest version
    # Written with their parent's event: products with "sample.*", returned items with
    # "unit_review.returned", results with "result.*" on the period.
    hooks.not_audited("assessments.sampledproduct", "assessments.returneditem", "assessments.result")
    hooks.audited(hooks.AuditedType("assessments.evidence", label=_("Bukti penilaian")))
    hooks.event_types("evidence.added")
    hooks.nav_item(hooks.NavItem("assessments:methodologies", _("Metodologi"), order=25))
    hooks.nav_item(hooks.NavItem("assessment_periods:list", _("Periode penilaian"), order=26,
                                 rule=r.is_office_staff | r.is_institution_admin))
    hooks.nav_item(hooks.NavItem("results:index", _("Hasil penilaian"), order=24))
    hooks.demo_step(hooks.DemoStep("methodologies", order=15, run=load_methodologies),
                    hooks.DemoStep("assessments", order=30, run=load_demo))
