"""Role predicates for ``@access(...)`` (``rules`` predicates: callables of the user)."""

from __future__ import annotations

from typing import Any

import rules

from pantau.accounts.models import Role
from pantau.accounts.scope import scope_of


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_national_admin(user: Any) -> bool:
    return scope_of(user).has(Role.NATIONAL_ADMIN)


@rules.predicate
def is_office_staff(user: Any) -> bool:
    return scope_of(user).is_office_staff


@rules.predicate
def is_head_of_office(user: Any) -> bool:
    return scope_of(user).has(Role.HEAD_OF_OFFICE)


@rules.predicate
def is_institution_admin(user: Any) -> bool:
    return scope_of(user).has(Role.INSTITUTION_ADMIN)


@rules.predicate
def is_provider_staff(user: Any) -> bool:
    return scope_of(user).is_provider


@rules.predicate
def has_any_role(user: Any) -> bool:
    return bool(scope_of(user).roles)


# Who may edit the registry (institutions, units, products, standards), within their scope.
can_edit_registry = is_national_admin | is_head_of_office | is_provider_staff
# Who may invite users (each within their own scope only).
can_invite = is_national_admin | is_head_of_office | is_institution_admin
# Who may read the audit trail (scoped: see registry.hooks.audit_scope).
can_read_audit = is_national_admin | is_head_of_office | is_institution_admin
# Who may manage people (deactivate, change or remove roles, unlock, revoke/resend invitations):
# the inviters, each within their own scope (accounts.selectors.users_for, services.may_grant).
can_manage_users = can_invite
