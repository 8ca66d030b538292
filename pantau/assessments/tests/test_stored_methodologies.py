"""Methodology versions in the database: stored as checked, never changed under their version,
frozen for good, copied for custom use; ``load_methodologies`` all or nothing."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pantau.accounts.models import Membership, Role, User
from pantau.assessments import methodology, services
from pantau.assessments.models import FrozenVersionError, Methodology, MethodologyVersion
from pantau.assessments.tests.helpers import D, raw
from pantau.assessments.tests.test_methodology_refusals import exact_json
from pantau.core.errors import NotInScope
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db
SYSTEM = services.SYSTEM_ACTOR


def events(event_type: str = "") -> int:
    qs = AuditEvent.objects.filter(event_type__startswith="methodology.")
    return (qs.filter(event_type=event_type) if event_type else qs).count()


def store(methodology_id: str = "ombudsman-2022") -> MethodologyVersion:
    version, _ = services.load_version(SYSTEM, methodology.load_shipped(methodology_id))
    return version


def changed_2022() -> methodology.Methodology:
    data = raw()
    data["dimensions"][0]["variables"][0]["items"][0]["text"] = "Teks yang diubah"
    return methodology.from_dict(data, source="ubah.toml")


@pytest.mark.parametrize("methodology_id", sorted(methodology.shipped()))
def test_each_shipped_file_is_stored_and_reads_back_equal_to_the_file(methodology_id: str) -> None:
    loaded = methodology.load_shipped(methodology_id)
    version, created = services.load_version(SYSTEM, loaded)
    assert created
    stored = MethodologyVersion.objects.select_related("methodology").get(pk=version.pk)
    assert (stored.methodology.slug, stored.version, stored.title) == (loaded.id, loaded.version, loaded.title)
    assert stored.source_file == f"{methodology_id}.toml" and stored.loaded_by_name == SYSTEM
    assert stored.frozen_at is None and not stored.is_custom and stored.official == loaded.official
    assert len(stored.content_hash) == 64
    assert services.document_of(stored) == loaded  # every Decimal exactly as in the file
    assert events("methodology.loaded") == 1


def test_the_weights_are_stored_as_exact_numbers() -> None:
    stored = MethodologyVersion.objects.get(pk=store().pk)
    weights = [d["weight"] for d in stored.document["dimensions"]]
    assert weights == [D("21.85"), D("32.37"), D("24.24"), D("21.54")]
    assert all(isinstance(w, D) for w in weights)


def test_loading_the_same_content_again_changes_nothing_and_writes_no_event() -> None:
    first = store()
    again, created = services.load_version(SYSTEM, methodology.load_shipped("ombudsman-2022"))
    assert not created and again.pk == first.pk
    assert MethodologyVersion.objects.count() == 1 and events() == 1


def test_the_same_content_written_as_json_has_the_same_hash(tmp_path: Path) -> None:
    first = store()
    path = tmp_path / "ombudsman-2022.json"
    path.write_text(methodology.dump_json(methodology.load_shipped("ombudsman-2022")), encoding="utf-8")
    again, created = services.load_version(SYSTEM, methodology.load(path))
    assert not created and again.content_hash == first.content_hash


def test_another_content_under_a_stored_version_is_refused_with_a_clear_message() -> None:
    first = store()
    with pytest.raises(services.VersionConflict) as info:
        services.load_version(SYSTEM, changed_2022())
    assert "ombudsman-2022@1.0: another content is already stored under this version" in str(info.value)
    assert "give the changed file a new version" in str(info.value)
    assert MethodologyVersion.objects.get().content_hash == first.content_hash and events() == 1


def test_a_changed_document_under_a_new_version_is_a_second_version() -> None:
    store()
    document = dataclasses.replace(changed_2022(), version="1.1", title="Versi 1.1")
    version, created = services.load_version(SYSTEM, document, source_file="ombudsman-2022-1.1.toml")
    assert created and version.version == "1.1"
    assert Methodology.objects.get().title == "Versi 1.1"  # the methodology shows its newest version
    assert MethodologyVersion.objects.count() == 2 and events("methodology.loaded") == 2


def test_a_version_that_cannot_be_part_of_an_address_is_refused() -> None:
    document = dataclasses.replace(methodology.load_shipped("ombudsman-2022"), version="1/2")
    with pytest.raises(services.VersionConflict, match="version '1/2' must be"):
        services.load_version(SYSTEM, document)
    assert not Methodology.objects.exists()


def test_freezing_is_audited_once_and_a_frozen_document_never_changes() -> None:
    copy = services.copy_version(SYSTEM, store("self-assessment"), "kalsel-mandiri", "1.0", "Mandiri Kalsel")
    services.freeze(copy, reason="dipakai periode 2026")
    services.freeze(copy)
    assert copy.frozen_at is not None and events("methodology.frozen") == 1
    edited = dataclasses.replace(services.document_of(copy), title="Diubah setelah beku")
    with pytest.raises(FrozenVersionError, match="kalsel-mandiri@1.0 is frozen"):
        services.update_version(SYSTEM, copy, edited)
    stored = MethodologyVersion.objects.get(pk=copy.pk)
    assert stored.title == "Mandiri Kalsel" and events("methodology.updated") == 0
    stored.document, stored.content_hash = {}, "0" * 64  # not through the service: refused as well
    with pytest.raises(FrozenVersionError):
        stored.save()
    with pytest.raises(FrozenVersionError):
        MethodologyVersion.objects.filter(pk=copy.pk).update(document={})
    MethodologyVersion.objects.filter(pk=copy.pk).update(title="Judul boleh diubah")  # not the document
    assert MethodologyVersion.objects.get(pk=copy.pk).content_hash == copy.content_hash


def test_a_copy_is_custom_unofficial_editable_and_names_its_source() -> None:
    source = store("self-assessment")
    copy = services.copy_version(SYSTEM, source, "tabalong-mandiri", "2026.1", "Penilaian mandiri Tabalong")
    assert copy.is_custom and not copy.official and copy.copied_from_id == source.pk
    assert copy.document["based_on"] == "self-assessment@1.0" and copy.title == "Penilaian mandiri Tabalong"
    assert events("methodology.copied") == 1
    data = copy.document | {"title": "Disesuaikan"}
    data["dimensions"][0]["weight"], data["dimensions"][1]["weight"] = D("31.85"), D("22.37")
    edited = services.update_version(SYSTEM, copy, methodology.from_dict(data), reason="bobot daerah")
    assert edited.title == "Disesuaikan" and edited.content_hash != copy.content_hash
    assert services.document_of(edited).dimensions[0].points == D("31.85")
    assert events("methodology.updated") == 1
    assert services.document_of(source).dimensions[0].points == D("21.85")  # the source is untouched


def test_a_copy_under_a_stored_version_or_a_bad_id_is_refused() -> None:
    source = store()
    with pytest.raises(services.VersionConflict, match="already exists"):
        services.copy_version(SYSTEM, source, "ombudsman-2022", "1.0")
    with pytest.raises(methodology.MethodologyError, match="must be lower-case"):
        services.copy_version(SYSTEM, source, "Bukan ID", "1.0")
    with pytest.raises(services.VersionConflict, match="loaded from a file"):
        services.update_version(SYSTEM, source, methodology.load_shipped("ombudsman-2022"))
    assert MethodologyVersion.objects.count() == 1 and events() == 1


def test_only_national_admins_and_system_actors_may_store_methodologies() -> None:
    user = User.objects.create_user(username="penilai", password="x" * 20)
    with pytest.raises(NotInScope):
        services.load_version(user, methodology.load_shipped("ombudsman-2022"))
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    user = User.objects.get(pk=user.pk)  # its scope is read once per user object
    version, created = services.load_version(user, methodology.load_shipped("ombudsman-2022"))
    assert created and version.loaded_by == user
    assert AuditEvent.objects.get(event_type="methodology.loaded").actor == user
    with pytest.raises(NotInScope):
        services.freeze(version, actor="someone")


# --- the command ---------------------------------------------------------------------------------

def run(*files: str) -> str:
    out = io.StringIO()
    call_command("load_methodologies", *files, stdout=out)
    return out.getvalue()


def test_the_command_stores_the_shipped_files_once() -> None:
    first = run()
    assert "ombudsman-2016@1.0: stored" in first and "self-assessment@1.0: stored" in first
    assert MethodologyVersion.objects.count() == 3 and events() == 3
    second = run()
    assert second.count("already stored, unchanged") == 3
    assert MethodologyVersion.objects.count() == 3 and events() == 3


def test_a_bad_file_stops_the_command_with_exit_2_its_path_and_reason_and_nothing_written(tmp_path: Path) -> None:
    data = raw()
    data["dimensions"][1]["weight"] = D("32.36")
    bad = tmp_path / "kantor.json"
    bad.write_text(exact_json(data), encoding="utf-8")
    good = str(methodology.shipped()["ombudsman-2016"])
    with pytest.raises(CommandError) as info:
        run(good, str(bad))
    assert info.value.returncode == 2
    message = str(info.value)
    assert message.startswith("nothing was stored")
    assert "kantor.json: dimensions: the dimension weights (21.85 + 32.36 + 24.24 + 21.54) sum to 99.99" in message
    assert not MethodologyVersion.objects.exists() and events() == 0


def test_a_changed_file_under_a_stored_version_stops_the_command_and_rolls_back_the_others(tmp_path: Path) -> None:
    run(str(methodology.shipped()["ombudsman-2022"]))
    changed = tmp_path / "ubah.json"
    changed.write_text(methodology.dump_json(changed_2022()), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run(str(methodology.shipped()["ombudsman-2016"]), str(changed))
    assert info.value.returncode == 2
    assert "ubah.json: ombudsman-2022@1.0: another content is already stored" in str(info.value)
    assert list(MethodologyVersion.objects.values_list("methodology__slug", flat=True)) == ["ombudsman-2022"]
    assert events() == 1


def test_a_file_that_is_not_there_or_not_toml_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.toml"
    broken.write_text("id = [", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run(str(tmp_path / "tidak-ada.toml"), str(broken))
    assert "tidak-ada.toml: cannot be read" in str(info.value)
    assert "rusak.toml: is not valid TOML" in str(info.value)
    assert info.value.returncode == 2 and not Methodology.objects.exists()


def test_the_command_exits_2_as_a_process(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "kosong.json"
    bad.write_text(json.dumps({}), encoding="utf-8")
    manage = Path(__file__).resolve().parents[3] / "manage.py"
    env: dict[str, Any] = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                           "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, str(manage), "migrate", "-v0"], env=env, check=True, capture_output=True)
    done = subprocess.run([sys.executable, str(manage), "load_methodologies", str(bad)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "kosong.json: id: missing (required)" in done.stderr and done.stdout == ""
