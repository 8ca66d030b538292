"""What the surveys module registers with core (``pantau.core.hooks``; ADR 0009)."""

from __future__ import annotations

from django.core.management.base import OutputWrapper
from django.utils.translation import gettext_lazy as _

from pantau.accounts import rules as r
from pantau.core import hooks


def load_demo(stdout: OutputWrapper) -> None:
    """A published survey with responses for the demo units and an open one (``surveys/demo.py``)."""
    from pantau.surveys import demo

    stdout.write(demo.load())


def register() -> None:
    from pantau.surveys import jobs

    jobs.register()
    hooks.audited(
        hooks.AuditedType("surveys.questionnaireversion", label=_("Versi kuesioner survei")),
        hooks.AuditedType("surveys.campaign", label=_("Survei")),
        hooks.AuditedType("surveys.followup", label=_("Rencana tindak lanjut survei")),
    )
    hooks.event_types("questionnaire.loaded", "questionnaire.saved", "campaign.created", "campaign.updated",
                      "campaign.opened", "campaign.closed", "campaign.reopened", "campaign.published",
                      "responses.exported", "follow_up.created", "follow_up.saved", "responses.keyed",
                      "responses.imported")
    # Written with their parent's event (questionnaires with their versions, services with the
    # campaign); responses are anonymous and many (the campaign's events and their own rows say
    # what happened); tallies are sums kept on write.
    hooks.not_audited("surveys.questionnaire", "surveys.campaignservice", "surveys.response", "surveys.tally")
    hooks.nav_item(hooks.NavItem("survey_manage:list", _("Survei"), order=27,
                                 rule=r.is_office_staff | r.is_provider_staff))
    hooks.demo_step(hooks.DemoStep("surveys", order=40, run=load_demo))
    from pantau.surveys import panels

    hooks.page_panel(hooks.PagePanel("public_product", "surveys", order=10,
                                     template="surveys/public/product_panel.html",
                                     stamp=panels.product_stamp, context=panels.product_context),
                     hooks.PagePanel("public_board", "surveys", order=10,
                                     template="surveys/public/board_panel.html",
                                     stamp=panels.product_stamp, context=panels.product_context))
