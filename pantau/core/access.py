"""Deny by default: every view declares who may open it.

Decorate a view with ``@access(rule)``. ``AccessRuleMiddleware`` refuses any view that has no
declared rule (a programming error shows up as a 404 to the user and an error in the log), sends
anonymous visitors of a protected page to the login page, and answers 404, never 403, to a
signed-in user the rule does not admit, so nobody learns what exists outside their scope.

A rule is a callable ``rule(user) -> bool``; the ``rules`` predicates in ``pantau.core.rules``
are such callables. Object-level checks happen in selectors (scoped querysets → 404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

Rule = Callable[[Any], bool]
F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"


def access(rule: Rule | str) -> Callable[[F], F]:
    """Declare the access rule of a view function (or ``PUBLIC`` for everyone)."""

    def decorate(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorate


def rule_of(view: Any) -> Rule | str | None:
    rule = getattr(view, "access_rule", None)
    if rule is None:
        # Class-based views: the rule sits on the class; ninja: on the API object.
        view_class = getattr(view, "view_class", None)
        rule = getattr(view_class, "access_rule", None)
    if rule is None:
        owner = getattr(view, "__self__", None)
        rule = getattr(owner, "access_rule", None)
    return rule


def admits(rule: Rule | str, request: HttpRequest) -> bool:
    if rule == PUBLIC:
        return True
    if isinstance(rule, str):
        return False
    return bool(request.user.is_authenticated and rule(request.user))
