"""The ``pantau`` command: Django's manage commands plus Pantau's own (``pantau help``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pantau", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
