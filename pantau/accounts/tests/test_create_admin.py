from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from pantau.accounts.models import Membership, Role, User
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_creates_a_national_admin_who_can_sign_in(monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("PANTAU_ADMIN_PASSWORD", "kopi-susu-pagi-hari")
    call_command("create_admin", "--username", "admin_nasional", "--email", "Admin@Ombudsman.go.id")
    user = User.objects.get(username="admin_nasional")
    assert user.email == "admin@ombudsman.go.id"
    assert Membership.objects.filter(user=user, role=Role.NATIONAL_ADMIN).count() == 1
    assert AuditEvent.objects.get(event_type="user.national_admin_created").actor == user
    client = Client()
    response = client.post("/akun/masuk/", {"username": "admin_nasional", "password": "kopi-susu-pagi-hari"})
    assert response.status_code == 302
    assert client.get("/kelola/instansi/").status_code == 200
    assert "admin_nasional created" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "password", "message"), [
    (["--username", "x1", "--email", "bukan-email"], "kopi-susu-pagi-hari", "email"),
    (["--username", "x2", "--email", "a@b.go.id"], "12345", "password"),
    (["--username", " ", "--email", "a@b.go.id"], "kopi-susu-pagi-hari", "username"),
])
def test_bad_input_is_explained_and_nothing_is_created(monkeypatch: Any, args: list[str], password: str,
                                                      message: str) -> None:
    monkeypatch.setenv("PANTAU_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError, match=f"Nothing was created. {message}"):
        call_command("create_admin", *args)
    assert User.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_a_taken_username_is_refused(monkeypatch: Any) -> None:
    User.objects.create_user(username="admin_nasional", password="x")
    monkeypatch.setenv("PANTAU_ADMIN_PASSWORD", "kopi-susu-pagi-hari")
    with pytest.raises(CommandError, match="username"):
        call_command("create_admin", "--username", "ADMIN_NASIONAL", "--email", "a@b.go.id")
    assert Membership.objects.count() == 0
