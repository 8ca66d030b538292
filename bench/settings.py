"""Settings for the benchmark: Pantau's own settings plus a bench-only URLconf.

Everything else (middleware, templates, database, cache, security) comes unchanged from
``pantau.settings`` and therefore from the environment that ``bench/run.py`` sets.
"""

from pantau.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
