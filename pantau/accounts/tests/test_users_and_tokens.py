"""The list of users in scope, and personal API tokens (shown once, stored hashed, revocable)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from pantau.accounts import services
from pantau.accounts.models import ApiToken, Membership, Role, hash_token
from pantau.accounts.selectors import users_for
from tests.cast import client_for, make_user

pytestmark = pytest.mark.django_db


def names(user: Any) -> set[str]:
    return set(users_for(user).values_list("username", flat=True))


def test_a_national_admin_sees_every_user_including_deactivated_ones(cast: Any) -> None:
    cast.outsider.is_active = False
    cast.outsider.save()
    assert names(cast.national_admin) == set(cast.users)


def test_a_head_of_office_sees_their_office_and_the_providers_of_their_provinces(cast: Any) -> None:
    assert names(cast.head_kalsel) == {"head_kalsel", "assessor_kalsel", "intake_kalsel", "examiner_kalsel",
                                       "admin_tabalong", "operator_dukcapil"}


def test_an_institution_admin_sees_their_institution_only(cast: Any) -> None:
    assert names(cast.admin_tabalong) == {"admin_tabalong", "operator_dukcapil"}
    assert names(cast.admin_barsel) == {"admin_barsel"}


def test_roles_a_person_holds_elsewhere_stay_hidden(cast: Any) -> None:
    both = make_user("admin_dua_instansi", Role.INSTITUTION_ADMIN, institution=cast.tabalong)
    Membership.objects.create(user=both, role=Role.INSTITUTION_ADMIN, institution=cast.barsel)
    html = client_for(cast.admin_tabalong).get(reverse("accounts:users")).content.decode()
    assert "admin_dua_instansi" in html
    assert "Barito Selatan" not in html
    html = client_for(cast.national_admin).get(reverse("accounts:users")).content.decode()
    assert "Admin instansi — Pemerintah Kabupaten Barito Selatan" in html


def test_the_user_list_is_paged_by_key(cast: Any) -> None:
    import re

    for i in range(60):
        make_user(f"operator_{i:02d}", Role.UNIT_OPERATOR, unit=cast.dpmptsp)
    client = client_for(cast.admin_tabalong)
    first = client.get(reverse("accounts:users"))
    assert len(first.context["people"]) == 50
    after = re.search(r'href="\?setelah=(\d+)"', first.content.decode())
    assert after is not None
    second = client.get(reverse("accounts:users"), {"setelah": after.group(1)})
    assert len(second.context["people"]) == 12  # 60 + admin_tabalong + operator_dukcapil
    assert not {p.pk for p in first.context["people"]} & {p.pk for p in second.context["people"]}
    assert client.get(reverse("accounts:users"), {"setelah": "abc"}).status_code == 200


def test_expired_invitations_are_not_listed_as_open(cast: Any, time_machine: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    services.invitation_create(actor=cast.admin_tabalong, email="lama@uji.local", full_name="",
                               role=Role.UNIT_OPERATOR, unit=cast.dukcapil)
    client = client_for(cast.admin_tabalong)
    assert "lama@uji.local" in client.get(reverse("accounts:users")).content.decode()
    time_machine.move_to(timezone.now() + dt.timedelta(days=8))
    response = client_for(cast.admin_tabalong).get(reverse("accounts:users"))  # the old session has expired
    assert response.status_code == 200 and "lama@uji.local" not in response.content.decode()


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(cast: Any) -> None:
    client = client_for(cast.admin_tabalong)
    response = client.post(reverse("accounts:tokens"), {"name": "impor SIMPEL"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw.startswith("pnt_") and len(raw) > 40 and raw in response.content.decode()
    token = ApiToken.objects.get(user=cast.admin_tabalong)
    assert token.token_hash == hash_token(raw) and token.prefix == raw[:8]
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert raw not in stored
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert raw not in again and "impor SIMPEL" in again and token.prefix in again
    assert services.user_for_token(raw) == cast.admin_tabalong


def test_a_token_needs_a_name(cast: Any) -> None:
    for name in ("", "   "):
        response = client_for(cast.admin_tabalong).post(reverse("accounts:tokens"), {"name": name})
        assert response.status_code == 422 and 'id="id_name_error"' in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_a_token_is_revoked_by_its_owner_and_stops_working(cast: Any) -> None:
    token, raw = services.api_token_create(actor=cast.admin_tabalong, name="token-lama-7f3")
    client = client_for(cast.admin_tabalong)
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None  # a GET changes nothing
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.user_for_token(raw) is None
    assert "token-lama-7f3" not in client.get(reverse("accounts:tokens")).content.decode()
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404


def test_a_revoked_token_cannot_be_revoked_again(cast: Any) -> None:
    from django.core.exceptions import ValidationError

    from pantau.core.models import AuditEvent

    token, _raw = services.api_token_create(actor=cast.admin_tabalong, name="token-lama-7f3")
    services.api_token_revoke(actor=cast.admin_tabalong, token=token)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="sudah dicabut"):
        services.api_token_revoke(actor=cast.admin_tabalong, token=token)
    assert AuditEvent.objects.count() == before


def test_nobody_revokes_someone_elses_token(cast: Any) -> None:
    token, raw = services.api_token_create(actor=cast.admin_tabalong, name="milik tabalong")
    for role in ("admin_barsel", "head_kalsel", "national_admin"):
        assert client_for(cast.users[role]).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    with pytest.raises(Http404):
        services.api_token_revoke(actor=cast.head_kalsel, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None and services.user_for_token(raw) == cast.admin_tabalong


def test_a_token_stops_working_when_its_user_is_deactivated(cast: Any) -> None:
    _token, raw = services.api_token_create(actor=cast.admin_tabalong, name="impor")
    cast.admin_tabalong.is_active = False
    cast.admin_tabalong.save()
    assert services.user_for_token(raw) is None
    assert services.user_for_token("pnt_bukan-token") is None


def test_a_heads_other_roles_do_not_widen_whom_they_see(cast: Any) -> None:
    Membership.objects.create(user=cast.head_kalsel, role=Role.ASSESSOR, office=cast.kalteng)
    seen = names(cast.head_kalsel)
    assert "assessor_kalteng" not in seen and "admin_barsel" not in seen
    assert {"assessor_kalsel", "admin_tabalong"} <= seen
