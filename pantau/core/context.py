"""Template context: the navigation of the signed-in user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from pantau.core import hooks


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries the modules registered (``hooks.nav_item``) that admit this visitor."""
    user = getattr(request, "user", None)
    return {"nav_items": [(reverse(item.url_name), item.label) for item in hooks.menu(user)]}
