"""What accounts registers with core (``pantau.core.hooks``; ADR 0009)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pantau.accounts import rules as r
from pantau.accounts.scope import scope_of
from pantau.accounts.services import user_for_token
from pantau.core import hooks


def viewer_key(user: Any) -> tuple[Any, ...]:
    """The navigation and the account menu of a cached page depend on the viewer's roles and scope."""
    scope = scope_of(user)
    return (sorted(scope.roles), scope.national,
            *(sorted(ids) for ids in (scope.province_ids, scope.office_ids, scope.institution_ids,
                                      scope.unit_ids, scope.unit_institution_ids)))


def no_role_panel(request: HttpRequest) -> dict[str, Any] | None:
    """On the dashboard, for an account without a role: whom to ask for one."""
    return None if r.has_any_role(request.user) else {}


def tokens_panel(request: HttpRequest) -> dict[str, Any] | None:
    return {}


def register() -> None:
    hooks.audited(hooks.AuditedType("accounts.apitoken", label=_("Token API")),
                  hooks.AuditedType("accounts.invitation", label=_("Undangan")))
    hooks.event_types(
        "invitation.created", "invitation.accepted", "invitation.revoked", "invitation.resent",
        "api_token.created", "api_token.revoked", "user.deactivated", "user.reactivated", "user.unlocked",
        "membership.changed", "membership.removed",
    )
    hooks.audit_reader(r.can_read_audit)
    hooks.nav_item(hooks.NavItem("accounts:users", _("Pengguna"), order=50, rule=r.can_invite))
    hooks.viewer_key(viewer_key)
    hooks.token_authenticator(user_for_token)
    hooks.dashboard_panel(
        hooks.DashboardPanel("no role", order=10, template="accounts/dashboard_no_role.html", context=no_role_panel),
        hooks.DashboardPanel("api tokens", order=90, template="accounts/dashboard_tokens.html", context=tokens_panel),
    )
