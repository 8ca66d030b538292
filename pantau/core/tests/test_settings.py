"""Production settings from the environment, security headers, logs without personal data, /healthz."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.cast import PASSWORD

PROJECT_DIR = Path(__file__).resolve().parents[3]
_CLEAN_ENV = ("DATABASE_URL", "SQLITE_PATH", "MEDIA_ROOT", "STATIC_ROOT", "PANTAU_VAR_DIR", "SECRET_KEY",
              "SECRET_KEY_FILE", "DEBUG", "EMAIL_URL", "CACHE_URL", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
              "SECURE_HSTS_SECONDS", "SECURE_COOKIES", "BEHIND_TLS_PROXY", "DJANGO_ALLOW_ASYNC_UNSAFE",
              "SECURE_HSTS_PRELOAD", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "CSRF_TRUSTED_ORIGINS", "SITE_URL")


def production_env(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEAN_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE="pantau.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="pantau.ombudsman.go.id",
        CSRF_TRUSTED_ORIGINS="https://pantau.ombudsman.go.id",
        SITE_URL="https://pantau.ombudsman.go.id",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_COOKIES="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'pantau.sqlite3'}",
        PANTAU_VAR_DIR=str(tmp_path / "var"),
        EMAIL_URL="smtp+tls://pantau:sandi-surel@mail.ombudsman.go.id:587",
    )
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def pantau(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pantau.cli", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_is_clean_with_a_production_environment(tmp_path: Path) -> None:
    done = pantau(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize(("changes", "warning"), [
    pytest.param({"SECURE_HSTS_SECONDS": None}, "security.W004", id="without-hsts"),
    pytest.param({"SECURE_SSL_REDIRECT": "false"}, "security.W008", id="without-https-redirect"),
    pytest.param({"SECURE_COOKIES": "false", "SECURE_SSL_REDIRECT": "false"}, "security.W012", id="insecure-cookies"),
    pytest.param({"SECRET_KEY": "short"}, "security.W009", id="weak-secret-key"),
    pytest.param({"EMAIL_URL": None}, "pantau.W001", id="emails-printed-to-the-log"),
    pytest.param({"SITE_URL": None}, "pantau.W002", id="links-and-qr-codes-to-the-default-address"),
])
def test_check_deploy_fails_when_a_production_setting_is_weakened(
    tmp_path: Path, changes: dict[str, str | None], warning: str
) -> None:
    done = pantau(production_env(tmp_path, **changes), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    assert warning in done.stderr


def test_a_debug_value_that_is_not_a_boolean_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    done = pantau(production_env(tmp_path, DEBUG="maybe"), "check")
    assert done.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in done.stderr
    assert "Traceback" not in done.stderr


def test_debug_false_without_a_secret_key_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    done = pantau(production_env(tmp_path, SECRET_KEY=None), "check")
    assert done.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is false" in done.stderr


def _secret_key_digest(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = ("import django, hashlib; django.setup(); from django.conf import settings; "
            "print(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())")
    return subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key = secrets.token_urlsafe(50)
    key_file = tmp_path / "secret_key"
    key_file.write_text(key + "\n")
    env = production_env(tmp_path, SECRET_KEY=None, SECRET_KEY_FILE=str(key_file))
    done = _secret_key_digest(env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == hashlib.sha256(key.encode()).hexdigest()
    assert pantau(env, "check", "--deploy", "--fail-level", "WARNING").returncode == 0


def test_an_unreadable_secret_key_file_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-secret"
    done = pantau(production_env(tmp_path, SECRET_KEY=None, SECRET_KEY_FILE=str(missing)), "check")
    assert done.returncode != 0
    assert f"SECRET_KEY_FILE='{missing}' cannot be read" in done.stderr


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client: Client) -> None:
    for url in ("/", "/healthz", "/akun/masuk/"):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                          "frame-ancestors 'none'", "form-action 'self'"):
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_https_responses_carry_hsts_when_it_is_configured(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_for_the_health_check(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    redirected = client.get("/layanan/")
    assert redirected.status_code == 301 and redirected["Location"] == "https://testserver/layanan/"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_answers_200_json_and_is_never_cached(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    code = ("import django; django.setup(); from django.test import Client; "
            "r = Client(HTTP_HOST='pantau.ombudsman.go.id').get('/healthz', secure=True); "
            "print(r.status_code, r.content.decode())")
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '503 {"status": "error", "database": "unavailable"}'


def test_behind_a_proxy_the_client_address_comes_from_the_proxy_not_the_client(settings: Any) -> None:
    from django.test import RequestFactory

    from pantau.core.http import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1",
                                   HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")  # spoofed, then nginx's
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"
    settings.PROXY_COUNT = 2
    assert client_ip(request) == "198.51.100.7"
    settings.PROXY_COUNT = 3  # fewer entries than proxies: do not guess
    assert client_ip(request) == "127.0.0.1"


@pytest.mark.django_db
def test_behind_nginx_a_lockout_holds_one_client_not_everyone(cast: Any, settings: Any) -> None:
    settings.PROXY_COUNT = 1
    admin = cast.admin_tabalong
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/akun/masuk/", {"username": admin.username, "password": "salah-sandi-123"})
    locked = attacker.post("/akun/masuk/", {"username": admin.username, "password": PASSWORD})
    assert locked.status_code == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert colleague.post("/akun/masuk/", {"username": admin.username, "password": PASSWORD}).status_code == 302


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured console handler (LOGGING in settings) writes, as it would reach the log."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)
                   and h.formatter is not None and "rid=" in (h.formatter._fmt or ""))
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(old)  # type: ignore[arg-type]


def test_logs_carry_the_request_and_user_ids_but_no_personal_data(
    cast: Any, client: Client, caplog: pytest.LogCaptureFixture, log_output: io.StringIO
) -> None:
    email, phone, name = "siti.rahmawati@contoh.go.id", "0812-3456-7890", "Siti Rahmawati"
    admin = cast.admin_tabalong
    caplog.set_level(logging.INFO)

    signed_in = client.post("/akun/masuk/", {"username": admin.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    invited = client.post("/akun/pengguna/undang/", {
        "email": email, "full_name": name, "role": "unit_operator", "unit": cast.dukcapil.pk})
    assert invited.status_code == 302
    unit = client.post(f"/kelola/instansi/{cast.tabalong.pk}/unit/baru/", {
        "name": "Kecamatan Murung Pudak", "kind": "kecamatan", "address": "Jl. Tanjung", "phone": phone})
    assert unit.status_code == 302
    bad = client.post(f"/kelola/instansi/{cast.tabalong.pk}/unit/baru/", {"name": "", "phone": phone})
    assert bad.status_code == 422
    client.get("/layanan/", {"q": f"{email} {phone}"})
    client.get(f"/kelola/instansi/{email}/")  # not a route: the path must not reach the log either

    text = log_output.getvalue() + caplog.text
    for record in caplog.records:
        text += " " + record.getMessage() + " " + repr(record.__dict__)
    for secret in (email, phone, phone.replace("-", ""), name, PASSWORD, admin.username, "contoh.go.id"):
        assert secret not in text, secret
    lines = log_output.getvalue().splitlines()
    for response in (signed_in, invited, unit, bad):
        rid = response["X-Request-ID"]
        assert any(f"rid={rid}" in line for line in lines), rid
    assert any(f"rid={invited['X-Request-ID']} uid={admin.pk} " in line and "accounts:invite 302" in line
               for line in lines)
    assert any(f"rid={signed_in['X-Request-ID']} uid={admin.pk} " in line for line in lines)


def test_django_error_logs_name_the_view_instead_of_the_path(log_output: io.StringIO) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve
    from django.utils.log import log_response

    path = "/akun/undangan/rahasia-token-sekali-pakai/"
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    log_response("%s: %s", "Internal Server Error", path, response=HttpResponse(status=500), request=request)
    output = log_output.getvalue()
    assert "Internal Server Error: accounts:accept" in output
    assert "rahasia-token" not in output
