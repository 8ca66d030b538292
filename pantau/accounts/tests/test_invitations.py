"""Invitations: staff invite only within their own scope and never to a higher role; bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pantau.accounts import services
from pantau.accounts.models import Invitation, Membership, Role, User
from pantau.core.models import AuditEvent
from tests.cast import client_for, in_english

pytestmark = pytest.mark.django_db
INVITE = "/akun/pengguna/undang/"


def counts() -> tuple[int, int, int, int]:
    return (Invitation.objects.count(), User.objects.count(), Membership.objects.count(),
            AuditEvent.objects.count())


def invite(user: Any, **data: Any) -> Any:
    payload = {"email": "baru@uji.local", "full_name": "Pegawai Baru", **data}
    payload = {k: (v.pk if hasattr(v, "pk") else v) for k, v in payload.items()}
    return in_english(client_for(user)).post(INVITE, payload)


def test_a_head_of_office_invites_an_assessor_into_their_office_and_the_link_is_mailed(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(cast.head_kalsel, email="Asisten.Baru@Ombudsman.go.id", role=Role.ASSESSOR,
                          office=cast.kalsel)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:users")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.office) == (
        "asisten.baru@ombudsman.go.id", Role.ASSESSOR, cast.kalsel)
    assert invitation.invited_by == cast.head_kalsel and invitation.is_open
    assert mail.outbox[0].to == ["asisten.baru@ombudsman.go.id"]
    link = re.search(r"http://127\.0\.0\.1:8000(/akun/undangan/[^/\s]+/)", mail.outbox[0].body)
    assert link is not None
    assert Client().get(link.group(1)).status_code == 200
    assert "asisten.baru" not in invitation.token_hash and len(invitation.token_hash) == 64
    page = client_for(cast.head_kalsel).get(reverse("accounts:users")).content.decode()
    assert "asisten.baru@ombudsman.go.id" in page  # listed as an open invitation


@pytest.mark.parametrize(("inviter", "data"), [
    ("head_kalsel", {"role": Role.ASSESSOR, "office": "kalsel"}),
    ("head_kalsel", {"role": Role.HEAD_OF_OFFICE, "office": "kalsel"}),
    ("head_kalsel", {"role": Role.INSTITUTION_ADMIN, "institution": "banjarmasin"}),
    ("head_kalsel", {"role": Role.UNIT_OPERATOR, "unit": "dpmptsp"}),
    ("admin_tabalong", {"role": Role.INSTITUTION_ADMIN, "institution": "tabalong"}),
    ("admin_tabalong", {"role": Role.UNIT_OPERATOR, "unit": "dpmptsp"}),
    ("national_admin", {"role": Role.NATIONAL_ADMIN}),
    ("national_admin", {"role": Role.HEAD_OF_OFFICE, "office": "kalteng"}),
])
def test_each_inviter_may_invite_within_their_scope(cast: Any, inviter: str, data: dict[str, Any]) -> None:
    data = {k: (getattr(cast, v) if k != "role" else v) for k, v in data.items()}
    response = invite(cast.users[inviter], **data)
    assert response.status_code == 302, response.content.decode()
    assert Invitation.objects.get().role == data["role"]


@pytest.mark.parametrize(("inviter", "data", "field"), [
    # A head of office of Kalsel cannot invite into Kalteng …
    ("head_kalsel", {"role": Role.ASSESSOR, "office": "kalteng"}, "office"),
    ("head_kalsel", {"role": Role.INSTITUTION_ADMIN, "institution": "barsel"}, "institution"),
    ("head_kalsel", {"role": Role.UNIT_OPERATOR, "unit": "barsel_dukcapil"}, "unit"),
    # … nor make a national admin.
    ("head_kalsel", {"role": Role.NATIONAL_ADMIN}, "role"),
    # An institution admin cannot invite an office role, or into another institution.
    ("admin_tabalong", {"role": Role.HEAD_OF_OFFICE, "office": "kalsel"}, "role"),
    ("admin_tabalong", {"role": Role.ASSESSOR, "office": "kalsel"}, "role"),
    ("admin_tabalong", {"role": Role.NATIONAL_ADMIN}, "role"),
    ("admin_tabalong", {"role": Role.INSTITUTION_ADMIN, "institution": "banjarmasin"}, "institution"),
    ("admin_tabalong", {"role": Role.UNIT_OPERATOR, "unit": "barsel_dukcapil"}, "unit"),
    ("admin_barsel", {"role": Role.UNIT_OPERATOR, "unit": "dukcapil"}, "unit"),
])
def test_an_invitation_outside_the_inviters_scope_is_refused(
    cast: Any, inviter: str, data: dict[str, Any], field: str
) -> None:
    data = {k: (getattr(cast, v) if k != "role" else v) for k, v in data.items()}
    before = counts()
    response = invite(cast.users[inviter], **data)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert counts() == before and mail.outbox == []


@pytest.mark.parametrize(("inviter", "data"), [
    ("head_kalsel", {"role": Role.ASSESSOR, "office": "kalteng"}),
    ("head_kalsel", {"role": Role.INSTITUTION_ADMIN, "institution": "barsel"}),
    ("head_kalsel", {"role": Role.NATIONAL_ADMIN}),
    ("admin_tabalong", {"role": Role.HEAD_OF_OFFICE, "office": "kalsel"}),
    ("admin_tabalong", {"role": Role.INSTITUTION_ADMIN, "institution": "banjarmasin"}),
    ("admin_tabalong", {"role": Role.UNIT_OPERATOR, "unit": "barsel_dukcapil"}),
    ("operator_dukcapil", {"role": Role.UNIT_OPERATOR, "unit": "dukcapil"}),
    ("assessor_kalsel", {"role": Role.ASSESSOR, "office": "kalsel"}),
])
def test_the_service_itself_refuses_an_invitation_outside_scope(cast: Any, inviter: str, data: dict[str, Any]) -> None:
    data = {k: (getattr(cast, v) if k != "role" else v) for k, v in data.items()}
    before = counts()
    with pytest.raises(Http404):
        services.invitation_create(actor=cast.users[inviter], email="x@uji.local", full_name="", **data)
    assert counts() == before


def test_people_without_the_right_to_invite_get_404(cast: Any) -> None:
    for role in ("operator_dukcapil", "assessor_kalsel", "outsider"):
        assert invite(cast.users[role], role=Role.UNIT_OPERATOR, unit=cast.dukcapil).status_code == 404
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"email": "bukan-email", "role": Role.UNIT_OPERATOR, "unit": "dukcapil"}, "email", "valid email"),
    ({"email": "", "role": Role.UNIT_OPERATOR, "unit": "dukcapil"}, "email", "required"),
    ({"role": Role.UNIT_OPERATOR}, "unit", "Choose a service unit for this role"),
    ({"role": Role.INSTITUTION_ADMIN}, "institution", "Choose an institution for this role"),
    ({"role": Role.ASSESSOR}, "office", "Choose an Ombudsman office for this role"),
    ({"role": "raja"}, "role", "Select a valid choice"),
    ({"role": Role.UNIT_OPERATOR, "unit": "abc"}, "unit", "Select a valid choice"),
])
def test_bad_invitation_input_is_explained_and_nothing_is_written(
    cast: Any, data: dict[str, Any], field: str, message: str
) -> None:
    data = {k: (getattr(cast, v) if k in ("unit", "office", "institution") and hasattr(cast, v) else v)
            for k, v in data.items()}
    before = counts()
    response = invite(cast.head_kalsel, **data)
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html and f'id="id_{field}_error"' in html
    assert counts() == before and mail.outbox == []


def test_the_unit_choice_names_the_institution(cast: Any) -> None:
    html = client_for(cast.national_admin).get(INVITE).content.decode()
    assert "Dinas Kependudukan dan Pencatatan Sipil — Pemerintah Kabupaten Barito Selatan" in html
    assert "Dinas Kependudukan dan Pencatatan Sipil — Pemerintah Kabupaten Tabalong" in html


def _invitation(cast: Any, **kwargs: Any) -> str:
    _inv, raw = services.invitation_create(actor=cast.admin_tabalong, email="baru@uji.local",
                                           full_name="Operator Baru", role=Role.UNIT_OPERATOR,
                                           unit=cast.dpmptsp, **kwargs)
    return raw


ACCEPT_OK = {"full_name": "Operator Baru", "username": "operator_baru", "password": "kopi-susu-pagi-hari",
             "password2": "kopi-susu-pagi-hari"}


def test_accepting_an_invitation_creates_the_user_and_their_role_and_signs_them_in(cast: Any) -> None:
    raw = _invitation(cast)
    client = Client()
    page = client.get(reverse("accounts:accept", args=[raw]))
    assert page.status_code == 200 and "Operator unit layanan" in page.content.decode()
    response = client.post(reverse("accounts:accept", args=[raw]), ACCEPT_OK)
    assert response.status_code == 302 and response["Location"] == reverse("manage:dashboard")
    user = User.objects.get(username="operator_baru")
    assert user.email == "baru@uji.local" and user.check_password("kopi-susu-pagi-hari")
    assert list(user.memberships.values_list("role", "unit")) == [(Role.UNIT_OPERATOR, cast.dpmptsp.pk)]
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("manage:unit", args=[cast.dpmptsp.pk])).status_code == 200
    assert client.get(reverse("manage:unit", args=[cast.dukcapil.pk])).status_code == 404
    event = AuditEvent.objects.get(event_type="invitation.accepted")
    assert event.actor == user and event.institution_id == cast.tabalong.pk


def test_a_used_invitation_cannot_be_used_again(cast: Any) -> None:
    raw = _invitation(cast)
    Client().post(reverse("accounts:accept", args=[raw]), ACCEPT_OK)
    before = counts()
    again = Client().post(reverse("accounts:accept", args=[raw]), {**ACCEPT_OK, "username": "orang_lain"})
    assert again.status_code == 404 and "Undangan tidak berlaku" in again.content.decode()
    assert counts() == before


def test_an_expired_invitation_is_refused(cast: Any, time_machine: Any) -> None:
    raw = _invitation(cast)
    time_machine.move_to(timezone.now() + dt.timedelta(days=services.INVITE_DAYS, minutes=1))
    before = counts()
    response = Client().post(reverse("accounts:accept", args=[raw]), ACCEPT_OK)
    assert response.status_code == 404 and "kedaluwarsa" in response.content.decode()
    assert counts() == before
    with pytest.raises(ValidationError):
        services.invitation_accept(raw_token=raw, username="x_y", password="kopi-susu-pagi-hari")


def test_a_made_up_token_is_refused() -> None:
    assert Client().get(reverse("accounts:accept", args=["bukan-token"])).status_code == 404


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"username": "head_kalsel"}, "username", "This username is already taken"),
    ({"username": "HEAD_KALSEL"}, "username", "This username is already taken"),
    ({"username": "nama dengan spasi"}, "username", "Use only letters, digits"),
    ({"username": ""}, "username", "required"),
    ({"password2": "kopi-susu-sore-hari"}, "password2", "The two passwords do not match"),
    ({"password": "pendek", "password2": "pendek"}, "password", "at least 10 characters"),
    ({"password": "password123", "password2": "password123"}, "password", "too common"),
    ({"password": "12345678901", "password2": "12345678901"}, "password", "entirely numeric"),
    ({"password": "operator_baru1", "password2": "operator_baru1"}, "password", "too similar"),
    ({"full_name": ""}, "full_name", "required"),
])
def test_bad_acceptance_input_is_explained_and_nothing_is_written(
    cast: Any, data: dict[str, Any], field: str, message: str
) -> None:
    raw = _invitation(cast)
    before = counts()
    response = in_english(Client()).post(reverse("accounts:accept", args=[raw]), {**ACCEPT_OK, **data})
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html and f'id="id_{field}_error"' in html
    assert counts() == before
    assert Invitation.objects.get().is_open


def test_a_heads_other_roles_do_not_widen_what_they_may_grant(cast: Any) -> None:
    # The head of Kalsel also works as an assessor for Kalteng: that gives no right to invite there.
    Membership.objects.create(user=cast.head_kalsel, role=Role.ASSESSOR, office=cast.kalteng)
    before = counts()
    for data in ({"role": Role.ASSESSOR, "office": cast.kalteng},
                 {"role": Role.INSTITUTION_ADMIN, "institution": cast.barsel},
                 {"role": Role.UNIT_OPERATOR, "unit": cast.barsel_dukcapil}):
        assert invite(cast.head_kalsel, **data).status_code == 422
        with pytest.raises(Http404):
            services.invitation_create(actor=User.objects.get(pk=cast.head_kalsel.pk), email="x@uji.local",
                                       full_name="", **data)
    assert counts() == before
    assert invite(cast.head_kalsel, role=Role.ASSESSOR, office=cast.kalsel).status_code == 302


def test_a_head_who_is_also_an_institution_admin_elsewhere_invites_there(cast: Any) -> None:
    Membership.objects.create(user=cast.head_kalsel, role=Role.INSTITUTION_ADMIN, institution=cast.barsel)
    assert invite(cast.head_kalsel, role=Role.UNIT_OPERATOR, unit=cast.barsel_dukcapil).status_code == 302
    assert invite(cast.head_kalsel, email="b@uji.local", role=Role.ASSESSOR, office=cast.kalteng).status_code == 422


# Contradictory scopes: every field a role does not use must be empty; a unit must be in the institution.

@pytest.mark.parametrize(("data", "field", "message"), [
    ({"role": Role.ASSESSOR, "office": "kalsel", "institution": "tabalong"}, "institution",
     "Peran kantor Ombudsman tidak terikat pada instansi"),
    ({"role": Role.HEAD_OF_OFFICE, "office": "kalsel", "unit": "dukcapil"}, "unit",
     "Peran kantor Ombudsman tidak terikat pada unit layanan"),
    ({"role": Role.INSTITUTION_ADMIN, "institution": "tabalong", "office": "kalsel"}, "office",
     "Admin instansi tidak terikat pada kantor Ombudsman"),
    ({"role": Role.INSTITUTION_ADMIN, "institution": "tabalong", "unit": "dukcapil"}, "unit",
     "kosongkan unit layanan"),
    ({"role": Role.UNIT_OPERATOR, "unit": "dukcapil", "office": "kalsel"}, "office",
     "Operator unit layanan tidak terikat pada kantor Ombudsman"),
    ({"role": Role.UNIT_OPERATOR, "unit": "dukcapil", "institution": "banjarmasin"}, "unit",
     "bukan bagian dari instansi yang dipilih"),
    ({"role": Role.UNIT_OPERATOR, "institution": "tabalong"}, "unit", "Pilih unit layanan untuk peran ini"),
    ({"role": Role.NATIONAL_ADMIN, "office": "kalsel"}, "office", "Admin nasional berlaku untuk seluruh Indonesia"),
])
def test_an_invitation_with_contradictory_scopes_is_refused_with_a_message_on_the_field(
    cast: Any, data: dict[str, Any], field: str, message: str
) -> None:
    objects = {k: (getattr(cast, v) if k != "role" else v) for k, v in data.items()}
    before = counts()
    payload = {"email": "baru@uji.local", **{k: getattr(v, "pk", v) for k, v in objects.items()}}
    response = client_for(cast.national_admin).post(INVITE, payload)
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html and message in html
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(actor=cast.national_admin, email="x@uji.local", full_name="", **objects)
    assert field in refused.value.message_dict
    assert counts() == before and mail.outbox == []


def test_a_unit_operator_may_be_invited_with_the_units_own_institution_chosen(cast: Any) -> None:
    invitation, _raw = services.invitation_create(actor=cast.admin_tabalong, email="x@uji.local", full_name="",
                                                  role=Role.UNIT_OPERATOR, unit=cast.dukcapil,
                                                  institution=cast.tabalong)
    assert (invitation.unit, invitation.institution) == (cast.dukcapil, None)


def test_an_invitation_to_an_inactive_unit_is_refused(cast: Any) -> None:
    cast.dpmptsp.is_active = False
    cast.dpmptsp.save()
    with pytest.raises(ValidationError, match="sudah tidak aktif"):
        services.invitation_create(actor=cast.national_admin, email="x@uji.local", full_name="",
                                   role=Role.UNIT_OPERATOR, unit=cast.dpmptsp)


# Revoking and resending


def _link(message: Any) -> str:
    match = re.search(r"(/akun/undangan/[^/\s]+/)", message.body)
    assert match is not None
    return match.group(1)


def test_a_revoked_invitation_link_stops_working_at_once(cast: Any) -> None:
    raw = _invitation(cast)
    invitation = Invitation.objects.get()
    response = client_for(cast.admin_tabalong).post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:users")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and not invitation.is_open
    assert Client().get(reverse("accounts:accept", args=[raw])).status_code == 404
    before = counts()
    assert Client().post(reverse("accounts:accept", args=[raw]), ACCEPT_OK).status_code == 404
    assert counts() == before
    assert "baru@uji.local" not in client_for(cast.admin_tabalong).get(reverse("accounts:users")).content.decode()
    event = AuditEvent.objects.get(event_type="invitation.revoked")
    assert event.actor == cast.admin_tabalong and event.institution_id == cast.tabalong.pk


def test_a_resent_invitation_has_a_new_link_and_the_old_one_is_dead(
    cast: Any, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _invitation(cast)
    old = _link(mail.outbox[0])
    invitation = Invitation.objects.get()
    time_machine.move_to(timezone.now() + dt.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.head_kalsel).post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["baru@uji.local"]
    new = _link(mail.outbox[1])
    assert new != old
    assert Client().get(old).status_code == 404
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=services.INVITE_DAYS - 1)
    assert Client().post(new, ACCEPT_OK).status_code == 302
    assert AuditEvent.objects.filter(event_type="invitation.resent", actor=cast.head_kalsel).count() == 1


@pytest.mark.parametrize("actor", ["admin_barsel", "assessor_kalsel", "operator_dukcapil", "outsider"])
@pytest.mark.parametrize("action", ["accounts:invitation_revoke", "accounts:invitation_resend"])
def test_an_invitation_outside_the_actors_scope_is_neither_revoked_nor_resent(
    cast: Any, actor: str, action: str
) -> None:
    _invitation(cast)
    invitation = Invitation.objects.get()
    before = (counts(), invitation.token_hash, invitation.expires_at)
    assert client_for(cast.users[actor]).post(reverse(action, args=[invitation.pk])).status_code == 404
    with pytest.raises(Http404):
        getattr(services, action.split(":")[1])(actor=cast.users[actor], invitation=invitation)
    invitation.refresh_from_db()
    assert (counts(), invitation.token_hash, invitation.expires_at) == before and invitation.revoked_at is None


def test_an_accepted_or_revoked_invitation_is_not_revoked_or_resent(cast: Any) -> None:
    raw = _invitation(cast)
    Client().post(reverse("accounts:accept", args=[raw]), ACCEPT_OK)
    accepted = Invitation.objects.get()
    before = counts()
    for service in (services.invitation_revoke, services.invitation_resend):
        with pytest.raises(ValidationError, match="sudah diterima"):
            service(actor=cast.admin_tabalong, invitation=accepted)
    _inv, _raw = services.invitation_create(actor=cast.admin_tabalong, email="b@uji.local", full_name="",
                                            role=Role.UNIT_OPERATOR, unit=cast.dukcapil)
    services.invitation_revoke(actor=cast.admin_tabalong, invitation=_inv)
    for service in (services.invitation_revoke, services.invitation_resend):
        with pytest.raises(ValidationError, match="sudah dicabut"):
            service(actor=cast.admin_tabalong, invitation=_inv)
    assert counts()[3] == before[3] + 2  # created and revoked, nothing more
