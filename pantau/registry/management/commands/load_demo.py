from typing import Any

from django.core.management.base import BaseCommand

from pantau.registry.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo offices, governments, units, products, standards and users (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<28} {login.role} — {login.where}")
