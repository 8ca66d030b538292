import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from pantau.registry import completeness
from pantau.registry.models import ServiceProduct, ServiceStandard
from pantau.registry.services import refresh_current_standard
from pantau.registry.unit_changes import unit_events_apply_due

CHUNK = 1000  # products per transaction


class Command(BaseCommand):
    help = (
        "Run daily from cron: apply the unit changes (merge, split, dissolution, rename) whose date has "
        "come, then point each product at its standard in force today (a version published with a "
        "future effective date takes over on that date)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit-changes-until", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", default=None,
            help="Apply the unit changes dated up to this day instead of today (to catch up or rehearse).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        applied = unit_events_apply_due(today=options["unit_changes_until"] or today)
        self.stdout.write(f"{len(applied)} unit change(s) took effect")
        newer = ServiceStandard.objects.filter(
            product=OuterRef("pk"), status=ServiceStandard.Status.PUBLISHED, effective_date__lte=today
        ).filter(
            Q(effective_date__gt=OuterRef("current_standard__effective_date"))
            | Q(version__gt=OuterRef("current_standard__version"), effective_date=OuterRef(
                "current_standard__effective_date"))
        )
        any_in_force = ServiceStandard.objects.filter(
            product=OuterRef("pk"), status=ServiceStandard.Status.PUBLISHED, effective_date__lte=today
        )
        candidates = ServiceProduct.objects.filter(
            Q(Exists(newer)) | (Q(current_standard__isnull=True) & Q(Exists(any_in_force)))
        )
        ids = list(candidates.order_by("pk").values_list("pk", flat=True))
        changed = 0
        for start in range(0, len(ids), CHUNK):
            # One transaction per chunk; the summary rows of the units touched are recomputed once
            # per chunk, set-based (``completeness.deferred``), not once per product.
            with transaction.atomic(), completeness.deferred():
                products = ServiceProduct.objects.select_related("unit").filter(pk__in=ids[start:start + CHUNK])
                changed += sum(1 for product in products if refresh_current_standard(product))
        self.stdout.write(f"{changed} product(s) now point at a newer standard")
