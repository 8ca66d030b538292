from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

from pantau.core import hooks


def _static_out_of_date() -> bool:
    """collectstatic compresses every file (slow): only rerun it when a source file changed."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > built:
                return True
    return False


class Command(BaseCommand):
    help = ("Prepare the demo: migrate, load regions and demo data, collect static files. Idempotent. "
            "It does not serve anything: `make demo` runs it, then gunicorn.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if _static_out_of_date():
            call_command("collectstatic", interactive=False, verbosity=0)
        for step in hooks.demo_steps():  # what the modules registered: regions, demo data …
            step.run(self.stdout)
        self.stdout.write(
            f"Demo ready. Serve it with `make demo` (HOST=127.0.0.1 PORT=8000 by default), which also sets "
            f"SITE_URL; links and QR codes now point to {settings.SITE_URL}."
        )
