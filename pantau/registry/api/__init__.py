"""Registry API (mounted at /api/registry/): public reads and the token API for staff.

- ``public``: regions, Ombudsman offices, providers, units, products with a published standard
  in force and their standards (no token; see that module for what is never exposed).
- ``staff``: reads of what the token user's scope holds (drafts and completeness included) and
  scoped writes through the registry services.
"""

from __future__ import annotations

from pantau.registry.api import public, staff  # noqa: F401  (they register their operations)
from pantau.registry.api.base import router

__all__ = ["router"]
