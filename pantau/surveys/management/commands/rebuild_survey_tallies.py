from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pantau.surveys import tallies
from pantau.surveys.models import Campaign

CHUNK = 500


class Command(BaseCommand):
    help = (
        "Recompute the survey tallies (the sums every survey result reads) from the responses: one grouped "
        "scan per questionnaire version and 500 campaigns (ADR 0022); --check only reports campaigns whose "
        "kept tallies differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, action="append", help="only this campaign id (repeatable)")
        parser.add_argument("--check", action="store_true", help="compare only; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        campaigns = Campaign.objects.select_related("version").order_by("pk")
        if options["campaign"]:
            campaigns = campaigns.filter(pk__in=options["campaign"])
        ids = list(campaigns.values_list("pk", flat=True))
        differ = 0
        for start in range(0, len(ids), CHUNK):
            chunk = list(campaigns.filter(pk__in=ids[start:start + CHUNK]))
            kept = tallies.current_many(c.pk for c in chunk)
            fresh: dict[int, dict[Any, Any]]
            if options["check"]:
                fresh = {pk: {k: v for k, v in cells.items() if v["complete"] or v["partial"]}
                         for pk, cells in tallies.scan_many(chunk).items()}
            else:  # one scan: what the rebuild wrote is what the responses give
                tallies.rebuild_many(chunk)
                fresh = tallies.current_many(c.pk for c in chunk)
            for campaign in chunk:
                slots = len(campaign.version.parsed.elements)
                if ({k: tallies.comparable(t, slots) for k, t in kept[campaign.pk].items()}
                        != {k: tallies.comparable(t, slots) for k, t in fresh[campaign.pk].items()}):
                    differ += 1
                    self.stdout.write(f"campaign {campaign.pk}: tallies differ from the responses")
        verb = "checked" if options["check"] else "rebuilt"
        self.stdout.write(f"{verb} {len(ids)} campaigns; {differ} differed")
