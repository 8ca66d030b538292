"""The registry's one router: public and token operations share paths (GET public, POST token),
and ninja answers a path from one router only, so both modules register here."""

from __future__ import annotations

from ninja import Router

router = Router()
PUBLIC_TAGS = ["registry: public"]
STAFF_TAGS = ["registry: staff (token)"]
