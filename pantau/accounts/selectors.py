"""Reads for user management, already scoped to what the actor may see (``*_for(actor)``).

Whom staff see and manage follows the same line as whom they may invite
(``services.may_grant``): the national admin everyone; a head of office the people of the offices
they head and of the institutions in those offices' provinces or supervised by them; an
institution admin the people of their institution(s) and its units. Roles a person holds
elsewhere stay hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pantau.accounts.models import OFFICE_ROLES, Invitation, Membership, Role, User
from pantau.accounts.scope import headed_by, scope_of


def institutions_managed_by(actor: Any) -> QuerySet[Any]:
    """The institutions whose people an actor manages (see ``services.may_grant``)."""
    from pantau.registry.models import Institution

    scope = scope_of(actor)
    head = headed_by(actor)
    if scope.has(Role.NATIONAL_ADMIN) or head.national:
        return Institution.objects.all()
    q = Q(pk__in=[])
    if scope.has(Role.HEAD_OF_OFFICE):
        q |= Q(province__in=head.province_ids) | Q(office__in=head.office_ids)
    if scope.has(Role.INSTITUTION_ADMIN):
        q |= Q(pk__in=scope.institution_ids)
    return Institution.objects.filter(q)


def _where_managed(actor: Any) -> Q | None:
    """The roles (memberships or invitations) an actor manages, as a filter; None means all."""
    if scope_of(actor).has(Role.NATIONAL_ADMIN):
        return None
    ids = institutions_managed_by(actor).values("pk")
    return Q(office__in=headed_by(actor).office_ids) | Q(institution__in=ids) | Q(unit__institution__in=ids)


def memberships_for(actor: Any) -> QuerySet[Membership]:
    """The memberships (roles) an actor may see and manage."""
    q = _where_managed(actor)
    qs = Membership.objects.select_related("user", "office", "institution", "unit__institution")
    return qs if q is None else qs.filter(q)


def users_for(actor: Any) -> QuerySet[User]:
    """Users with a role in the actor's scope (and the actor), active or not, each with only the
    roles the actor may see."""
    q = _where_managed(actor)
    qs = User.objects.all()
    memberships = Membership.objects.select_related("office", "institution", "unit__institution")
    if q is not None:
        qs = qs.filter(Q(pk=actor.pk) | Q(pk__in=Membership.objects.filter(q).values("user")))
        # A person may also hold roles elsewhere: those are not the actor's business.
        memberships = memberships.filter(q | Q(user=actor.pk))
    return qs.prefetch_related(Prefetch("memberships", queryset=memberships)).order_by("username", "pk")


def user_for(actor: Any, pk: int) -> User:
    """One user the actor may see, or 404."""
    return get_object_or_404(users_for(actor), pk=pk)


def invitations_for(actor: Any) -> QuerySet[Invitation]:
    """Invitations into the actor's scope (and those the actor sent)."""
    q = _where_managed(actor)
    qs = Invitation.objects.select_related("office", "institution", "unit__institution", "invited_by")
    return qs if q is None else qs.filter(q | Q(invited_by=actor.pk))


def open_invitations_for(actor: Any) -> QuerySet[Invitation]:
    return invitations_for(actor).filter(accepted_at__isnull=True, revoked_at__isnull=True,
                                         expires_at__gt=timezone.now())


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of these usernames django-axes locks out now (from some address)."""
    from axes.models import AccessAttempt

    names = list(usernames)
    if not names:
        return set()
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return set(AccessAttempt.objects.filter(
        username__in=names, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since,
    ).values_list("username", flat=True))


def grantable_roles(actor: Any) -> list[tuple[str, str]]:
    """The roles an actor may give: never above their own."""
    scope = scope_of(actor)
    if scope.has(Role.NATIONAL_ADMIN):
        allowed = set(Role.values)
    elif scope.has(Role.HEAD_OF_OFFICE):
        allowed = set(OFFICE_ROLES) | {Role.INSTITUTION_ADMIN, Role.UNIT_OPERATOR}
    else:
        allowed = {Role.INSTITUTION_ADMIN, Role.UNIT_OPERATOR}
    return [(value, str(label)) for value, label in Role.choices if value in allowed]


def grantable_offices(actor: Any) -> QuerySet[Any]:
    from pantau.registry.models import Office
    from pantau.registry.selectors import offices_for

    if scope_of(actor).has(Role.NATIONAL_ADMIN):
        return offices_for(actor)
    return Office.objects.filter(pk__in=headed_by(actor).office_ids)


def grantable_units(actor: Any) -> QuerySet[Any]:
    from pantau.registry.models import ServiceUnit

    return ServiceUnit.objects.filter(is_active=True, institution__in=institutions_managed_by(actor))


def role_choices(actor: Any) -> dict[str, Any]:
    """The choices of a role form (``forms.RoleForm``) for this actor."""
    return {"offices": grantable_offices(actor), "institutions": institutions_managed_by(actor),
            "units": grantable_units(actor), "roles": grantable_roles(actor)}
