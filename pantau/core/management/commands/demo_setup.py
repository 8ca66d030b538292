from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the demo: migrate, load regions and demo data, collect static files. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_regions", verbosity=0, stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_demo", stdout=self.stdout)
        self.stdout.write("Serving Pantau on http://127.0.0.1:8000 (Ctrl-C to stop)")
