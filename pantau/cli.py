"""The ``pantau`` command: Django's manage commands plus Pantau's own (``pantau help``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # ``pantau sample-size`` is the ``sample_size`` command
    try:
        execute_from_command_line(["pantau", *args])
    except ImproperlyConfigured as exc:
        if "--traceback" in args:
            raise
        # A setting from the environment is wrong: say which, without a traceback.
        sys.stderr.write(f"pantau: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
