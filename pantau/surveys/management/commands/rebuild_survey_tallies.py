from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pantau.surveys import tallies
from pantau.surveys.models import Campaign


class Command(BaseCommand):
    help = (
        "Recompute the survey tallies (the sums every survey result reads) from the responses, one grouped "
        "scan per campaign (ADR 0022); --check only reports campaigns whose kept tallies differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, action="append", help="only this campaign id (repeatable)")
        parser.add_argument("--check", action="store_true", help="compare only; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        campaigns = Campaign.objects.select_related("version").order_by("pk")
        if options["campaign"]:
            campaigns = campaigns.filter(pk__in=options["campaign"])
        differ = 0
        for campaign in campaigns.iterator(chunk_size=200):
            slots = len(campaign.version.parsed.elements)
            kept = {k: tallies.comparable(t, slots) for k, t in tallies.current(campaign).items()}
            fresh = {k: tallies.comparable(v, slots) for k, v in tallies.scan(campaign).items()
                     if v["complete"] or v["partial"]}
            if kept != fresh:
                differ += 1
                self.stdout.write(f"campaign {campaign.pk}: tallies differ from the responses")
            if not options["check"]:
                tallies.rebuild(campaign)
        verb = "checked" if options["check"] else "rebuilt"
        self.stdout.write(f"{verb} {campaigns.count()} campaigns; {differ} differed")
