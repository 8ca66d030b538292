from typing import Any

from django.core.management.base import BaseCommand

from pantau.registry.regions import load_regions


class Command(BaseCommand):
    help = "Load the 38 provinces and 514 regencies/cities (Kemendagri codes, boundaries). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_regions()
        self.stdout.write(
            f"provinces: {result.provinces_created} new, {result.provinces_updated} updated; "
            f"regencies/cities: {result.regencies_created} new, {result.regencies_updated} updated"
        )
