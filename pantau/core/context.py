"""Template context: the navigation of the signed-in user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pantau.accounts import rules as r


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, Any]] = [
        (reverse("public:home"), _("Beranda")),
        (reverse("public:search"), _("Cari layanan")),
    ]
    if user is not None and user.is_authenticated:
        items.append((reverse("manage:dashboard"), _("Kelola")))
        if r.has_any_role(user):
            items.append((reverse("manage:institutions"), _("Instansi")))
        if r.can_invite(user):
            items.append((reverse("accounts:users"), _("Pengguna")))
        if r.can_read_audit(user):
            items.append((reverse("core:audit"), _("Jejak audit")))
    return {"nav_items": items}
