"""User management (item 11): the national admin, heads of office and institution admins deactivate
and reactivate people, change or remove one role, unlock a locked account, revoke and resend
invitations — each strictly within their own scope (others: 404, nothing changed), always audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from pantau.accounts import services
from pantau.accounts.models import ApiToken, Invitation, Membership, Role, User
from pantau.core.models import AuditEvent
from pantau.core.selectors import audit_events_for
from tests.cast import PASSWORD, in_english, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def signed_in(user: Any) -> Client:
    """A real sign-in with the password, as a browser does it."""
    client = Client()
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def post(actor: Any, name: str, pk: int, data: dict[str, Any] | None = None) -> Any:
    return client_for(actor).post(reverse(name, args=[pk]), data or {})


def state() -> tuple[Any, ...]:
    """Everything user management may change."""
    return (sorted(User.objects.values_list("pk", "is_active")),
            sorted(Membership.objects.values_list("pk", "user", "role", "office", "institution", "unit")),
            sorted(Invitation.objects.values_list("pk", "token_hash", "expires_at", "revoked_at")),
            sorted(ApiToken.objects.values_list("pk", "revoked_at")), AuditEvent.objects.count())


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


# Deactivation


def test_a_deactivated_operator_is_signed_out_at_once_and_their_tokens_stop_working(cast: Any) -> None:
    operator = signed_in(cast.operator_dukcapil)
    assert operator.get(reverse("manage:unit", args=[cast.dukcapil.pk])).status_code == 200
    _token, raw = services.api_token_create(actor=cast.operator_dukcapil, name="impor")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/registry/my/products", **auth).status_code == 200

    response = post(cast.admin_tabalong, "accounts:user_deactivate", cast.operator_dukcapil.pk,
                    {"reason": "mutasi ke Dinas Sosial"})
    assert response.status_code == 302
    cast.operator_dukcapil.refresh_from_db()
    assert not cast.operator_dukcapil.is_active
    after = operator.get(reverse("manage:unit", args=[cast.dukcapil.pk]))
    assert after.status_code == 302 and after["Location"].startswith(reverse("accounts:login"))
    assert Client().get("/api/registry/my/products", **auth).status_code == 401
    assert services.user_for_token(raw) is None
    assert ApiToken.objects.get().revoked_at is not None  # stays revoked if the account comes back
    assert Client().post(LOGIN, {"username": "operator_dukcapil", "password": PASSWORD}).status_code == 200
    event = AuditEvent.objects.get(event_type="user.deactivated")
    assert (event.actor, event.object_id, event.reason) == (cast.admin_tabalong, str(cast.operator_dukcapil.pk),
                                                            "mutasi ke Dinas Sosial")
    assert event.institution_id == cast.tabalong.pk
    assert audit_events_for(cast.head_kalsel).filter(pk=event.pk).exists()


def test_a_deactivated_person_is_listed_as_such_and_can_be_reactivated(cast: Any) -> None:
    services.user_deactivate(actor=cast.head_kalsel, user=cast.assessor_kalsel)
    page = client_for(cast.head_kalsel).get(reverse("accounts:users")).content.decode()
    assert "assessor_kalsel" in page and "Nonaktif" in page
    response = post(cast.head_kalsel, "accounts:user_reactivate", cast.assessor_kalsel.pk)
    assert response.status_code == 302
    cast.assessor_kalsel.refresh_from_db()
    assert cast.assessor_kalsel.is_active
    assert AuditEvent.objects.filter(event_type="user.reactivated").count() == 1
    signed_in(cast.assessor_kalsel)


def test_the_users_page_shows_status_and_last_sign_in(cast: Any) -> None:
    make_user("operator_baru", Role.UNIT_OPERATOR, unit=cast.dpmptsp)
    signed_in(cast.operator_dukcapil)
    cast.operator_dukcapil.refresh_from_db()
    response = client_for(cast.admin_tabalong).get(reverse("accounts:users"))
    html = response.content.decode()
    assert "Terakhir masuk" in html and "belum pernah" in html  # operator_baru never signed in
    assert cast.operator_dukcapil.last_login is not None
    assert cast.operator_dukcapil.last_login.strftime("%Y") in html
    person = client_for(cast.admin_tabalong).get(reverse("accounts:user", args=[cast.operator_dukcapil.pk]))
    assert person.status_code == 200 and "Nonaktifkan akun" in person.content.decode()


@pytest.mark.parametrize(("actor", "target"), [
    ("admin_barsel", "operator_dukcapil"),      # another institution
    ("admin_tabalong", "assessor_kalsel"),      # an office role
    ("admin_tabalong", "admin_barsel"),
    ("head_kalsel", "admin_barsel"),            # another province
    ("head_kalsel", "assessor_kalteng"),
    ("head_kalsel", "national_admin"),
    ("assessor_kalsel", "operator_dukcapil"),   # no right to manage anyone
    ("operator_dukcapil", "admin_tabalong"),
    ("outsider", "operator_dukcapil"),
])
@pytest.mark.parametrize("action", ["accounts:user_deactivate", "accounts:user_unlock", "accounts:user"])
def test_people_outside_the_actors_scope_answer_404_and_nothing_changes(
    cast: Any, actor: str, target: str, action: str
) -> None:
    before = state()
    client = client_for(cast.users[actor])
    url = reverse(action, args=[cast.users[target].pk])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)  # a GET on an action: 405 whoever the person is
    assert state() == before


@pytest.mark.parametrize(("actor", "target"), [
    ("admin_barsel", "operator_dukcapil"), ("head_kalsel", "admin_barsel"), ("admin_tabalong", "assessor_kalsel"),
    ("assessor_kalsel", "operator_dukcapil"),
])
def test_the_services_refuse_people_outside_the_actors_scope(cast: Any, actor: str, target: str) -> None:
    before = state()
    cast.users[target].is_active = False  # so reactivation would have something to do
    for service in (services.user_deactivate, services.user_reactivate, services.user_unlock):
        with pytest.raises(Http404):
            service(actor=cast.users[actor], user=cast.users[target])
    assert state() == before


def test_nobody_deactivates_themselves(cast: Any) -> None:
    response = post(cast.admin_tabalong, "accounts:user_deactivate", cast.admin_tabalong.pk)
    assert response.status_code == 302
    assert "tidak dapat menonaktifkan akun Anda sendiri" in messages_of(response)
    cast.admin_tabalong.refresh_from_db()
    assert cast.admin_tabalong.is_active


def test_an_account_with_roles_elsewhere_is_deactivated_only_by_someone_who_manages_them_all(cast: Any) -> None:
    Membership.objects.create(user=cast.operator_dukcapil, role=Role.UNIT_OPERATOR, unit=cast.barsel_dukcapil)
    before = state()
    response = post(cast.admin_tabalong, "accounts:user_deactivate", cast.operator_dukcapil.pk)
    assert "di luar wilayah kerja Anda" in messages_of(response)
    assert state() == before
    page = client_for(cast.admin_tabalong).get(reverse("accounts:user", args=[cast.operator_dukcapil.pk]))
    assert "1 peran di luar wilayah kerja Anda" in page.content.decode()
    assert "Barito Selatan" not in page.content.decode()
    services.user_deactivate(actor=cast.national_admin, user=cast.operator_dukcapil)
    cast.operator_dukcapil.refresh_from_db()
    assert not cast.operator_dukcapil.is_active
    # One event where each of the person's roles is, so both institutions see it.
    events = AuditEvent.objects.filter(event_type="user.deactivated")
    assert {e.institution_id for e in events} == {cast.tabalong.pk, cast.barsel.pk}


def test_actions_are_post_only_and_need_the_csrf_token(cast: Any) -> None:
    before = state()
    url = reverse("accounts:user_deactivate", args=[cast.operator_dukcapil.pk])
    assert client_for(cast.admin_tabalong).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.admin_tabalong)
    assert strict.post(url).status_code == 403
    assert state() == before


# One role: remove (mutasi) or change


def test_a_transferred_operator_loses_the_role_at_once_and_keeps_the_new_one(cast: Any) -> None:
    operator = signed_in(cast.operator_dukcapil)
    Membership.objects.create(user=cast.operator_dukcapil, role=Role.UNIT_OPERATOR, unit=cast.barsel_dukcapil)
    old = Membership.objects.get(user=cast.operator_dukcapil, unit=cast.dukcapil)
    response = post(cast.admin_tabalong, "accounts:membership_remove", old.pk, {"reason": "mutasi"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:users")
    assert not Membership.objects.filter(pk=old.pk).exists()
    assert operator.get(reverse("manage:unit", args=[cast.dukcapil.pk])).status_code == 404
    assert operator.get(reverse("manage:unit", args=[cast.barsel_dukcapil.pk])).status_code == 200
    cast.operator_dukcapil.refresh_from_db()
    assert cast.operator_dukcapil.is_active
    event = AuditEvent.objects.get(event_type="membership.removed")
    assert event.institution_id == cast.tabalong.pk and event.before["unit"] == cast.dukcapil.pk
    assert event.reason == "mutasi"
    assert audit_events_for(cast.admin_tabalong).filter(pk=event.pk).exists()


@pytest.mark.parametrize(("actor", "target"), [
    ("admin_barsel", "operator_dukcapil"), ("admin_tabalong", "assessor_kalsel"), ("head_kalsel", "admin_barsel"),
    ("admin_tabalong", "admin_barsel"), ("head_kalsel", "national_admin"), ("examiner_kalsel", "assessor_kalsel"),
])
def test_a_role_outside_the_actors_scope_is_neither_changed_nor_removed(cast: Any, actor: str, target: str) -> None:
    membership = cast.users[target].memberships.get()
    before = state()
    client = client_for(cast.users[actor])
    assert client.post(reverse("accounts:membership_remove", args=[membership.pk])).status_code == 404
    assert client.get(reverse("accounts:membership_edit", args=[membership.pk])).status_code == 404
    assert client.post(reverse("accounts:membership_edit", args=[membership.pk]),
                       {"role": Role.UNIT_OPERATOR, "unit": cast.dukcapil.pk}).status_code == 404
    with pytest.raises(Http404):
        services.membership_remove(actor=cast.users[actor], membership=membership)
    with pytest.raises(Http404):
        services.membership_change(actor=cast.users[actor], membership=membership, role=Role.UNIT_OPERATOR,
                                   unit=cast.dukcapil)
    assert state() == before


def test_nobody_removes_or_changes_their_own_role(cast: Any) -> None:
    mine = cast.admin_tabalong.memberships.get()
    before = state()
    for call in (lambda: services.membership_remove(actor=cast.admin_tabalong, membership=mine),
                 lambda: services.membership_change(actor=cast.admin_tabalong, membership=mine,
                                                    role=Role.UNIT_OPERATOR, unit=cast.dukcapil)):
        with pytest.raises(ValidationError, match="Peran Anda sendiri|peran Anda sendiri"):
            call()
    assert state() == before


def test_an_institution_admin_moves_an_operator_to_another_unit_of_their_institution(cast: Any) -> None:
    membership = cast.operator_dukcapil.memberships.get()
    response = post(cast.admin_tabalong, "accounts:membership_edit", membership.pk,
                    {"role": Role.UNIT_OPERATOR, "unit": cast.dpmptsp.pk})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.unit == cast.dpmptsp
    event = AuditEvent.objects.get(event_type="membership.changed")
    assert (event.before, event.after) == ({"unit": cast.dukcapil.pk}, {"unit": cast.dpmptsp.pk})
    operator = client_for(cast.operator_dukcapil)
    assert operator.get(reverse("manage:product_new", args=[cast.dpmptsp.pk])).status_code == 200
    assert operator.get(reverse("manage:product_new", args=[cast.dukcapil.pk])).status_code == 404


def test_a_head_of_office_makes_an_operator_the_admin_of_another_institution_and_both_see_the_event(
    cast: Any
) -> None:
    membership = cast.operator_dukcapil.memberships.get()
    assert services.membership_change(actor=cast.head_kalsel, membership=membership, role=Role.INSTITUTION_ADMIN,
                                      institution=cast.banjarmasin)
    membership.refresh_from_db()
    assert (membership.role, membership.institution, membership.unit) == (Role.INSTITUTION_ADMIN,
                                                                         cast.banjarmasin, None)
    places = set(AuditEvent.objects.filter(event_type="membership.changed").values_list("institution_id", flat=True))
    assert places == {cast.tabalong.pk, cast.banjarmasin.pk}
    assert audit_events_for(cast.admin_tabalong).filter(event_type="membership.changed").exists()


@pytest.mark.parametrize(("actor", "target", "data", "field"), [
    # Never beyond what the actor holds: the form offers only what they may grant …
    ("admin_tabalong", "operator_dukcapil", {"role": Role.UNIT_OPERATOR, "unit": "barsel_dukcapil"}, "unit"),
    ("admin_tabalong", "operator_dukcapil", {"role": Role.INSTITUTION_ADMIN, "institution": "banjarmasin"},
     "institution"),
    ("admin_tabalong", "operator_dukcapil", {"role": Role.HEAD_OF_OFFICE, "office": "kalsel"}, "role"),
    ("head_kalsel", "assessor_kalsel", {"role": Role.NATIONAL_ADMIN}, "role"),
    ("head_kalsel", "assessor_kalsel", {"role": Role.ASSESSOR, "office": "kalteng"}, "office"),
    ("head_kalsel", "admin_tabalong", {"role": Role.INSTITUTION_ADMIN, "institution": "barsel"}, "institution"),
])
def test_a_role_is_never_changed_beyond_what_the_actor_holds(
    cast: Any, actor: str, target: str, data: dict[str, Any], field: str
) -> None:
    membership = cast.users[target].memberships.get()
    objects = {k: (getattr(cast, v) if k != "role" else v) for k, v in data.items()}
    before = state()
    response = in_english(client_for(cast.users[actor])).post(
        reverse("accounts:membership_edit", args=[membership.pk]),
        {k: getattr(v, "pk", v) for k, v in objects.items()})
    assert response.status_code == 422 and f'id="id_{field}_error"' in response.content.decode()
    # … and the service checks the role as it would become, whatever a client sends.
    with pytest.raises(Http404):
        services.membership_change(actor=cast.users[actor], membership=membership, **objects)
    assert state() == before


def test_a_contradictory_change_is_explained_on_the_field(cast: Any) -> None:
    membership = cast.operator_dukcapil.memberships.get()
    before = state()
    response = post(cast.head_kalsel, "accounts:membership_edit", membership.pk,
                    {"role": Role.UNIT_OPERATOR, "institution": cast.banjarmasin.pk, "unit": cast.dukcapil.pk})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_unit_error"' in html and "bukan bagian dari instansi yang dipilih" in html
    assert state() == before


def test_a_role_the_person_already_holds_is_not_given_twice(cast: Any) -> None:
    Membership.objects.create(user=cast.operator_dukcapil, role=Role.UNIT_OPERATOR, unit=cast.dpmptsp)
    membership = cast.operator_dukcapil.memberships.get(unit=cast.dukcapil)
    before = state()
    with pytest.raises(ValidationError, match="sudah memegang peran itu"):
        services.membership_change(actor=cast.admin_tabalong, membership=membership, role=Role.UNIT_OPERATOR,
                                   unit=cast.dpmptsp)
    assert state() == before
    assert services.membership_change(actor=cast.admin_tabalong, membership=membership, role=Role.UNIT_OPERATOR,
                                      unit=cast.dukcapil) is None
    assert state() == before


# Unlocking a locked account


def lock(username: str) -> Client:
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": username, "password": "salah"})
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 429
    return client


def test_an_admin_unlocks_a_locked_account_and_the_person_signs_in_at_once(cast: Any) -> None:
    locked_out = lock("operator_dukcapil")
    page = client_for(cast.admin_tabalong).get(reverse("accounts:user", args=[cast.operator_dukcapil.pk]))
    assert "Dikunci" in page.content.decode() and "Buka kunci akun" in page.content.decode()
    assert "Dikunci" in client_for(cast.admin_tabalong).get(reverse("accounts:users")).content.decode()
    response = post(cast.admin_tabalong, "accounts:user_unlock", cast.operator_dukcapil.pk)
    assert response.status_code == 302 and "Kunci akun" in messages_of(response)
    assert locked_out.post(LOGIN, {"username": "operator_dukcapil", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.get(event_type="user.unlocked").institution_id == cast.tabalong.pk


def test_unlocking_an_account_that_is_not_locked_says_so(cast: Any) -> None:
    before = state()
    response = post(cast.admin_tabalong, "accounts:user_unlock", cast.operator_dukcapil.pk)
    assert "tidak sedang dikunci" in messages_of(response)
    assert state() == before


def test_an_unlock_outside_scope_answers_404_and_the_lock_holds(cast: Any) -> None:
    lock("operator_dukcapil")
    assert post(cast.admin_barsel, "accounts:user_unlock", cast.operator_dukcapil.pk).status_code == 404
    assert Client().post(LOGIN, {"username": "operator_dukcapil", "password": PASSWORD}).status_code == 429


def test_the_head_of_the_national_office_manages_provider_staff_everywhere(cast: Any) -> None:
    from pantau.registry.models import Office

    head = make_user("head_pusat", Role.HEAD_OF_OFFICE, office=Office.objects.get(is_national=True))
    assert "admin_barsel" in client_for(head).get(reverse("accounts:users")).content.decode()
    services.user_deactivate(actor=head, user=cast.admin_barsel)
    membership = cast.operator_dukcapil.memberships.get()
    assert services.membership_change(actor=head, membership=membership, role=Role.UNIT_OPERATOR,
                                      unit=cast.barsel_dukcapil)
    with pytest.raises(Http404):  # but office roles only in the office they head
        services.user_deactivate(actor=head, user=cast.assessor_kalsel)
