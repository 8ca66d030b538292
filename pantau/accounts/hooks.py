"""What accounts registers with core (``pantau.core.hooks``; ADR 0009)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pantau.accounts import rules as r
from pantau.accounts.models import User
from pantau.accounts.scope import scope_of
from pantau.accounts.selectors import users_for
from pantau.accounts.services import user_for_token
from pantau.core import hooks
from pantau.core.selectors import prefix_q


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


def viewer_only(request: HttpRequest) -> tuple[()]:
    """The stamp of a panel that shows nothing besides what the viewer's roles decide (those are
    in every cached page's key already)."""
    return ()


def register() -> None:
    hooks.audited(hooks.AuditedType("accounts.apitoken", label=_("Token API")),
                  hooks.AuditedType("accounts.invitation", label=_("Undangan")))
    hooks.event_types(
        "invitation.created", "invitation.accepted", "invitation.revoked", "invitation.resent",
        "api_token.created", "api_token.revoked", "user.deactivated", "user.reactivated", "user.unlocked",
        "membership.changed", "membership.removed",
    )
    hooks.audit_reader(r.can_read_audit)
    hooks.actor_lookup(hooks.ActorLookup(search=search_actors))
    hooks.nav_item(hooks.NavItem("accounts:users", _("Pengguna"), order=50, rule=r.can_invite))
    hooks.viewer_key(viewer_key)
    hooks.token_authenticator(user_for_token)
    hooks.dashboard_panel(
        hooks.DashboardPanel("no role", order=10, template="accounts/dashboard_no_role.html", context=no_role_panel,
                            stamp=viewer_only),
        hooks.DashboardPanel("api tokens", order=90, template="accounts/dashboard_tokens.html", context=tokens_panel,
                            stamp=viewer_only),
    )


def search_actors(user: Any, text: str, limit: int) -> list[tuple[str, str]]:
    """The people the audit trail suggests to ``user`` as actors: everyone for a reader of the whole
    trail, else the people with a role where the reader manages (``users_for``) and the reader;
    usernames starting with ``text`` first (the username's index), then full names containing it."""
    text = text.strip()
    if not text:
        return []
    scoped = User.objects.all() if hooks.audit_filter(user) is True else users_for(user).prefetch_related(None)
    people = scoped.order_by("username")
    found = list(people.filter(prefix_q("username", text)).values_list("username", "full_name")[:limit])
    if len(found) < limit:
        found += people.filter(Q(username__icontains=text) | Q(full_name__icontains=text)).exclude(
            username__in=[u for u, _ in found]).values_list("username", "full_name")[: limit - len(found)]
    return [(username, f"{name} ({username})" if name else username) for username, name in found]
