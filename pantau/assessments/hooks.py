"""What the assessments module registers with core (``pantau.core.hooks``; ADR 0009)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.utils.translation import gettext_lazy as _

from pantau.core import hooks


def load_methodologies(stdout: OutputWrapper) -> None:
    """The shipped methodology files (idempotent: unchanged files change nothing)."""
    call_command("load_methodologies", stdout=stdout)


def register() -> None:
    hooks.audited(
        hooks.AuditedType("assessments.methodologyversion", label=_("Versi metodologi")),
    )
    hooks.event_types("methodology.loaded", "methodology.copied", "methodology.updated", "methodology.frozen")
    hooks.not_audited("assessments.methodology")  # its title and era follow its newest version
    hooks.nav_item(hooks.NavItem("assessments:methodologies", _("Metodologi"), order=25))
    hooks.demo_step(hooks.DemoStep("methodologies", order=15, run=load_methodologies))
