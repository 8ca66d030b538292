"""docs/operations.md is tested as written: its environment file, loaded the ways it documents.

The env file is read by systemd (``EnvironmentFile=``) and by ``sh`` in the cron lines
(``set -a; . /etc/pantau/env; …`` under ``SHELL=/bin/sh``, i.e. dash on Debian) and in a shell
(bash). Each way must give the same values, and with them ``check --deploy --fail-level WARNING``
and the documented nightly backup must succeed. Only what points at this machine is substituted:
the secret key file, a temporary SQLite database instead of PostgreSQL, and the var directory.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pantau.core.tests.sites import PROJECT_DIR

DOC = PROJECT_DIR / "docs" / "operations.md"
_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def documented_env_file() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"```sh\n(# /etc/pantau/env\n.*?)```", text, re.DOTALL)
    assert match, "docs/operations.md has no ```sh block starting with '# /etc/pantau/env'"
    return match.group(1)


def documented_cron_line(command: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^\S+ \S+ \S+ \S+ \S+\s+pantau\s+(.*\bpantau {command}\b.*)$", text, re.MULTILINE)
    assert match, f"docs/operations.md has no cron line running pantau {command}"
    return match.group(1)


def systemd_environment_file(text: str) -> dict[str, str]:
    """Parse like systemd's EnvironmentFile= (src/basic/env-file.c): ``#``/``;`` comments, quotes
    removed, backslash escapes; an unquoted value runs to the end of the line."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, rest = line.partition("=")
        assert sep, f"not NAME=value: {raw!r}"
        value, i, quote = [], 0, ""
        while i < len(rest):
            char = rest[i]
            if quote == "'":
                if char == "'":
                    quote = ""
                else:
                    value.append(char)
            elif quote == '"':
                if char == '"':
                    quote = ""
                elif char == "\\" and i + 1 < len(rest) and rest[i + 1] in '"\\`$':
                    i += 1
                    value.append(rest[i])
                else:
                    value.append(char)
            elif char in "'\"":
                quote = char
            elif char == "\\" and i + 1 < len(rest):
                i += 1
                value.append(rest[i])
            else:
                value.append(char)
            i += 1
        assert not quote, f"unterminated quote: {raw!r}"
        values[key.strip()] = "".join(value).rstrip()
    return values


@pytest.fixture
def env_file(tmp_path: Path) -> Path:
    """The documented file, with this machine's paths: a secret key file, SQLite, a var directory."""
    key = tmp_path / "secret_key"
    key.write_text(secrets.token_urlsafe(50))
    lines = []
    for line in documented_env_file().splitlines():
        match = _LINE.match(line)
        name = match.group(1) if match else ""
        if name == "SECRET_KEY_FILE":
            line = f"SECRET_KEY_FILE='{key}'"
        elif name == "PANTAU_VAR_DIR":
            line = f"PANTAU_VAR_DIR='{tmp_path / 'var'}'"
        elif name == "DATABASE_URL":
            line = f"SQLITE_PATH='{tmp_path / 'db.sqlite3'}'"
        lines.append(line)
    lines.append(f"MEDIA_ROOT='{tmp_path / 'media'}'")
    database = sqlite3.connect(tmp_path / "db.sqlite3")  # a site with data: one table is enough to back up
    database.execute("CREATE TABLE note (body text)")
    database.close()
    path = tmp_path / "env"
    path.write_text("\n".join(lines) + "\n")
    return path


def base_env() -> dict[str, str]:
    """The environment cron would give: no Django or Pantau settings of the test run."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {k: v for k, v in os.environ.items() if k in keep}


def pantau_command() -> str:
    return f"{sys.executable} -m pantau.cli"


def sh_environment(shell: str, env_file: Path) -> dict[str, str]:
    done = subprocess.run([shell, "-c", f"set -a; . {env_file}; set +a; env -0"], env=base_env(), cwd=PROJECT_DIR,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stderr, f"{shell} cannot load the documented env file: {done.stderr}"
    return dict(item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)


def test_the_documented_env_file_has_every_value_quoted() -> None:
    for line in documented_env_file().splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Z_][A-Z0-9_]*='[^']*'", line), f"quote the value: {line}"


@pytest.mark.parametrize("shell", ["dash", "bash"])
def test_sh_and_systemd_read_the_same_values_from_the_documented_env_file(shell: str, env_file: Path) -> None:
    by_systemd = systemd_environment_file(env_file.read_text())
    by_sh = sh_environment(shell, env_file)
    assert by_systemd["DEFAULT_FROM_EMAIL"] == "Pantau <pantau@ombudsman.go.id>"
    assert {key: by_sh.get(key) for key in by_systemd} == by_systemd


@pytest.mark.parametrize("shell", ["dash", "bash"])
def test_with_the_documented_env_file_check_deploy_passes_and_the_cron_backup_runs(
    shell: str, env_file: Path, tmp_path: Path
) -> None:
    pantau = pantau_command()
    env = {**base_env(), "PYTHONPATH": str(PROJECT_DIR)}
    cron = documented_cron_line("backup").replace("/etc/pantau/env", str(env_file))
    cron = re.sub(r"/opt/pantau/venv/bin/pantau", pantau, cron)
    script = f"set -a; . {env_file}; set +a; {pantau} check --deploy --fail-level WARNING"
    done = subprocess.run([shell, "-c", script], env=env, cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    backup = subprocess.run([shell, "-c", cron], env=env, cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=300, check=False)
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert "Backup written" in backup.stdout
    assert list((tmp_path / "var" / "backups").glob("pantau-backup-*.tar.gz"))


def test_with_the_documented_env_file_as_systemd_reads_it_check_deploy_passes(env_file: Path) -> None:
    env = {**base_env(), **systemd_environment_file(env_file.read_text())}
    done = subprocess.run([sys.executable, "-m", "pantau.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
