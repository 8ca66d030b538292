"""``pantau backup`` / ``pantau restore``: consistent online backups, verified restores, clear refusals.

The tests marked with the engine run against the engine of this run (SQLite by default,
PostgreSQL when DATABASE_URL points at it): each run tests its own engine's path, nothing skips.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pantau.core.backup import MANIFEST, BackupError, create_backup, restore_backup
from pantau.core.management.commands.restore import Command as RestoreCommand
from pantau.core.tests.sites import ENGINE, PROJECT_DIR, Site, Sites

MEDIA = {
    "lampiran/2026/12/surat-keputusan.pdf": b"%PDF-1.7 not really a pdf\n" * 50,
    "foto/unit 1/ruang tunggu.jpg": bytes(range(256)) * 20,
    "kosong.txt": b"",
}
PG_DATABASE = {"ENGINE": "django.db.backends.postgresql", "NAME": "pantau", "HOST": "127.0.0.1"}


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[Sites]:
    made = Sites(tmp_path)
    yield made
    made.close()


def put_media(site: Site, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = site.media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def read_media(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class Writer:
    """The ``backup_writer`` subprocess and the batches it reports as committed."""

    def __init__(self, site: Site, prefill: int) -> None:
        self.stop_file = site.root / "stop-writing"
        self.batches: list[tuple[int, int, int]] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pantau.core.tests.backup_writer", str(self.stop_file), str(prefill)],
            cwd=PROJECT_DIR, env=site.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip() == "ready":
                self.ready.set()
                continue
            batch, first, second = (int(part) for part in line.split())
            self.batches.append((batch, first, second))

    def committed(self) -> list[tuple[int, int, int]]:
        return list(self.batches)

    def wait_for(self, count: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while len(self.batches) < count:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the writer stopped after {len(self.batches)} batches: {self._stderr()}")
            time.sleep(0.02)

    def stop(self) -> None:
        self.stop_file.touch()
        self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        error = self._stderr()
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
        assert self.process.returncode == 0, error

    def _stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        assert self.process.stderr is not None
        return self.process.stderr.read()


@pytest.mark.parametrize("engine", [ENGINE])
def test_a_backup_taken_while_rows_are_written_restores_every_committed_row(
    engine: str, sites: Sites, tmp_path: Path
) -> None:
    live = sites.make("live")
    live.pantau("migrate", "--verbosity", "0")
    put_media(live, MEDIA)
    writer = Writer(live, prefill=20_000)
    try:
        writer.wait_for(30)
        before = writer.committed()
        done = live.pantau("backup", "--output", str(tmp_path / "backups"))
        during = writer.committed()
        writer.wait_for(len(during) + 20)
    finally:
        writer.stop()
    everything = writer.committed()
    assert "Backup written" in done.stdout
    assert len(during) > len(before), "no row was committed while the backup ran"

    (archive,) = (tmp_path / "backups").glob("pantau-backup-*.tar.gz")
    fresh = sites.make("fresh")
    done = fresh.pantau("restore", str(archive))
    assert "Restored the" in done.stdout

    rows = fresh.query("SELECT id, reason FROM core_auditevent WHERE event_type = 'backup.test'")
    restored_ids = {row[0] for row in rows}
    restored_batches = {int(row[1]) for row in rows}
    assert {i for _b, first, second in before for i in (first, second)} <= restored_ids
    # One consistent snapshot: whole transactions only, exactly the first k commits in order.
    k = len(restored_batches)
    assert restored_ids == {i for _b, first, second in everything[:k] for i in (first, second)}
    assert k < len(everything), "the rows written after the backup finished cannot be in it"
    assert fresh.query("SELECT count(*) FROM core_auditevent WHERE event_type = 'backup.prefill'") == [(20_000,)]
    if engine == "sqlite":
        assert fresh.query("PRAGMA integrity_check") == [("ok",)]
    else:
        (max_id,) = fresh.query("SELECT max(id) FROM core_auditevent")[0]
        (last,) = fresh.query("SELECT last_value FROM core_auditevent_id_seq")[0]
        assert last >= max_id  # the sequences came back too: new rows will not collide
    fresh.pantau("migrate", "--check")  # the restored schema is the current one
    assert read_media(fresh.media) == MEDIA


@pytest.mark.parametrize("engine", [ENGINE])
def test_it_refuses_to_restore_over_a_database_with_tables_unless_forced(
    engine: str, sites: Sites, tmp_path: Path
) -> None:
    live = sites.make("live")
    live.execute("CREATE TABLE kept (x integer)", "INSERT INTO kept VALUES (7)")
    put_media(live, {"a.txt": b"from the backup"})
    archive = create_backup(tmp_path / "b", database=live.database, media_root=live.media).path
    target = sites.make("target")
    target.execute("CREATE TABLE other (y integer)")
    put_media(target, {"old.txt": b"uploaded after the backup"})

    with pytest.raises(BackupError, match="already has 1 tables.*--force"):
        restore_backup(archive, database=target.database, media_root=target.media)
    assert target.tables() == {"other"}
    assert read_media(target.media) == {"old.txt": b"uploaded after the backup"}

    result = restore_backup(archive, database=target.database, media_root=target.media, force=True)
    assert target.query("SELECT x FROM kept") == [(7,)]
    # SQLite replaces the whole file; pg_restore --clean drops only what the backup holds.
    assert ("other" in target.tables()) == (engine == "postgresql")
    assert read_media(target.media) == {"a.txt": b"from the backup"}
    assert result.media_moved_to is not None
    assert read_media(result.media_moved_to) == {"old.txt": b"uploaded after the backup"}


@pytest.mark.parametrize("engine", [ENGINE])
def test_check_verifies_an_archive_without_changing_anything(engine: str, sites: Sites, tmp_path: Path) -> None:
    live = sites.make("live")
    live.execute("CREATE TABLE kept (x integer)")
    archive = create_backup(tmp_path / "b", database=live.database, media_root=live.media).path
    target = sites.make("target")
    target.execute("CREATE TABLE other (y integer)")
    result = restore_backup(archive, database=target.database, media_root=target.media, verify_only=True)
    assert result.verified_only and result.engine == engine
    assert target.tables() == {"other"}


# --- archive handling (on small SQLite files, whatever the engine of the run) ----------------


def small_sqlite(path: Path, rows: int = 3) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE django_migrations (id integer primary key, app text, name text, applied text)")
    conn.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('core', '0001_initial', 'now')")
    conn.execute("CREATE TABLE note (id integer primary key, body text)")
    conn.executemany("INSERT INTO note (body) VALUES (?)", [(f"note {i}",) for i in range(rows)])
    conn.commit()
    conn.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    database = small_sqlite(tmp_path / "live" / "db.sqlite3")
    media = tmp_path / "live" / "media"
    (media / "sub").mkdir(parents=True)
    (media / "sub" / "x.txt").write_text("x")
    return create_backup(tmp_path / "backups", database=database, media_root=media).path


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def rewrite(path: Path, files: dict[str, bytes], *, extra: Callable[[tarfile.TarFile], None] | None = None) -> Path:
    out = path.with_name("altered.tar.gz")
    with tarfile.open(out, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if extra is not None:
            extra(tar)
    return out


def with_manifest(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    files = members(path)
    manifest = json.loads(files[MANIFEST])
    change(manifest)
    files[MANIFEST] = json.dumps(manifest).encode()
    return rewrite(path, files)


def test_the_manifest_records_the_engine_the_migrations_and_a_checksum_of_every_file(archive: Path) -> None:
    files = members(archive)
    manifest = json.loads(files[MANIFEST])
    assert manifest["format"] == "pantau-backup" and manifest["format_version"] == 1
    assert manifest["engine"] == "sqlite"
    assert manifest["migrations"] == {"core": ["0001_initial"]}
    assert manifest["created_at"].endswith("Z")
    assert set(manifest["files"]) == {"database.sqlite3", "media/sub/x.txt"} == set(files) - {MANIFEST}
    assert manifest["files"]["media/sub/x.txt"]["size"] == 1
    assert archive.stat().st_mode & 0o077 == 0  # backups hold password hashes: owner only


def test_the_backup_of_a_wal_database_holds_rows_not_yet_checkpointed(tmp_path: Path) -> None:
    database = small_sqlite(tmp_path / "db.sqlite3", rows=0)
    writer = sqlite3.connect(database["NAME"])
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.executemany("INSERT INTO note (body) VALUES (?)", [(f"in the wal {i}",) for i in range(500)])
    writer.commit()
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO note (body) VALUES ('not committed')")
    try:
        path = create_backup(tmp_path / "b", database=database, media_root=tmp_path / "m").path
    finally:
        writer.rollback()
        writer.close()
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
    restore_backup(path, database=target, media_root=tmp_path / "m2")
    conn = sqlite3.connect(target["NAME"])
    assert conn.execute("SELECT count(*), max(body) FROM note").fetchone() == (500, "in the wal 99")
    conn.close()


def _truncated(path: Path) -> Path:
    out = path.with_name("truncated.tar.gz")
    out.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return out


def _not_an_archive(path: Path) -> Path:
    out = path.with_name("notes.tar.gz")
    out.write_text("these are not the backups you are looking for")
    return out


def _altered_database(path: Path) -> Path:
    files = members(path)
    data = bytearray(files["database.sqlite3"])
    data[-100] ^= 0xFF
    files["database.sqlite3"] = bytes(data)
    return rewrite(path, files)


def _without_manifest(path: Path) -> Path:
    files = members(path)
    del files[MANIFEST]
    return rewrite(path, files)


def _unlisted_file(path: Path) -> Path:
    return rewrite(path, {**members(path), "media/extra.txt": b"smuggled"})


def _missing_file(path: Path) -> Path:
    files = members(path)
    del files["media/sub/x.txt"]
    return rewrite(path, files)


def _escaping_path(path: Path) -> Path:
    return rewrite(path, {**members(path), "media/../../escaped.txt": b"outside"})


def _symlink(path: Path) -> Path:
    def link(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("media/link")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)

    return rewrite(path, members(path), extra=link)


def _media_as_a_file(path: Path) -> Path:
    return rewrite(path, {"media": b"a file where the uploads directory belongs", **members(path)})


def _migrations_not_lists(path: Path) -> Path:
    return with_manifest(path, lambda m: m["migrations"].update(core=7))


def _engine_not_a_name(path: Path) -> Path:
    return with_manifest(path, lambda m: m.update(engine=["sqlite"]))


def _count_not_a_number(path: Path) -> Path:
    return with_manifest(path, lambda m: m.update(media_files="many"))


def _newer_format(path: Path) -> Path:
    return with_manifest(path, lambda m: m.update(format_version=99))


def _unknown_migration(path: Path) -> Path:
    return with_manifest(path, lambda m: m["migrations"].update(core=["0001_initial", "0999_from_the_future"]))


DAMAGES: list[tuple[Callable[[Path], Path], str]] = [
    (_truncated, "damaged or not a .tar.gz"),
    (_not_an_archive, "damaged or not a .tar.gz"),
    (_altered_database, "checksum of database.sqlite3 does not match"),
    (_without_manifest, "has no manifest.json"),
    (_unlisted_file, "not in the manifest: media/extra.txt"),
    (_missing_file, "missing: media/sub/x.txt"),
    (_escaping_path, "unexpected entry 'media/../../escaped.txt'"),
    (_symlink, "not a regular file"),
    (_media_as_a_file, "unexpected entry 'media'"),
    (_migrations_not_lists, "migrations that are not lists of names"),
    (_engine_not_a_name, "lacks its engine, files or migrations"),
    (_count_not_a_number, "invalid media_files count"),
    (_newer_format, "backup format 99, newer than this Pantau understands"),
    (_unknown_migration, "migrations this version does not know \\(core.0999_from_the_future\\)"),
]


@pytest.mark.parametrize(("damage", "message"), [pytest.param(d, m, id=d.__name__.strip("_")) for d, m in DAMAGES])
def test_it_refuses_a_damaged_or_foreign_archive_and_changes_nothing(
    archive: Path, tmp_path: Path, damage: Callable[[Path], Path], message: str
) -> None:
    bad = damage(archive)
    target = tmp_path / "target" / "db.sqlite3"
    media = tmp_path / "target" / "media"
    with pytest.raises(BackupError, match=message):
        restore_backup(bad, database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)},
                       media_root=media)
    assert not target.exists() and not media.exists()
    assert not (tmp_path / "escaped.txt").exists()
    assert list((tmp_path / "target").iterdir()) == []  # no staging left behind


@pytest.mark.parametrize(("damage", "message"), [pytest.param(d, m, id=d.__name__.strip("_")) for d, m in DAMAGES])
def test_the_restore_command_ends_a_damaged_archive_with_a_message_not_a_traceback(
    archive: Path, damage: Callable[[Path], Path], message: str
) -> None:
    if ENGINE != "sqlite" and damage is _unknown_migration:  # an intact archive of the other engine
        message = "holds a SQLite database, but Pantau is configured for PostgreSQL"
    with pytest.raises(CommandError, match=message):
        call_command("restore", "--force", str(damage(archive)))


def test_a_full_disk_during_a_restore_ends_in_a_clear_message_and_changes_nothing(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = small_sqlite(tmp_path / "target" / "db.sqlite3", rows=5)

    def full(source: Any, dest: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dest))

    monkeypatch.setattr("pantau.core.backup_db.shutil.copyfile", full)
    with pytest.raises(BackupError, match="No space left on device.*database was not changed.*Free some disk space"):
        restore_backup(archive, database=target, media_root=tmp_path / "target" / "media", force=True)
    conn = sqlite3.connect(target["NAME"])
    assert conn.execute("SELECT count(*) FROM note").fetchone() == (5,)
    conn.close()


def test_a_full_disk_while_unpacking_ends_in_a_clear_message(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def open_full(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and ".pantau-restore-" in str(self):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_full)
    with pytest.raises(BackupError, match="Unpacking .* failed: No space left on device.*Nothing was changed"):
        restore_backup(archive, database=small_sqlite(tmp_path / "t" / "db.sqlite3"),
                       media_root=tmp_path / "t" / "media", force=True)


def test_it_refuses_a_sqlite_archive_on_postgresql(archive: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="holds a SQLite database, but Pantau is configured for PostgreSQL"):
        restore_backup(archive, database=PG_DATABASE, media_root=tmp_path / "media")


def test_it_refuses_a_postgresql_archive_on_sqlite(archive: Path, tmp_path: Path) -> None:
    def to_postgresql(manifest: dict[str, Any]) -> None:
        manifest["engine"] = "postgresql"
        manifest["files"]["database.pgdump"] = manifest["files"].pop("database.sqlite3")

    files = members(with_manifest(archive, to_postgresql))
    files["database.pgdump"] = files.pop("database.sqlite3")
    foreign = rewrite(archive.with_name("pg.tar.gz"), files)
    with pytest.raises(BackupError, match="holds a PostgreSQL database, but Pantau is configured for SQLite"):
        restore_backup(foreign, database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "t.db")},
                       media_root=tmp_path / "media")


def test_it_refuses_to_replace_a_sqlite_database_that_is_in_use(archive: Path, tmp_path: Path) -> None:
    target = small_sqlite(tmp_path / "busy" / "db.sqlite3")
    app = sqlite3.connect(target["NAME"])
    app.execute("BEGIN IMMEDIATE")
    app.execute("INSERT INTO note (body) VALUES ('being written')")
    try:
        with pytest.raises(BackupError, match="is in use by another process.*Stop Pantau"):
            restore_backup(archive, database=target, media_root=tmp_path / "busy" / "media", force=True)
    finally:
        app.rollback()
        app.close()
    conn = sqlite3.connect(target["NAME"])
    assert conn.execute("SELECT count(*) FROM note").fetchone() == (3,)
    conn.close()


def test_keep_removes_the_oldest_backups_and_nothing_else(tmp_path: Path) -> None:
    database = small_sqlite(tmp_path / "db.sqlite3")
    out = tmp_path / "backups"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "pantau-backup-manual.tar.gz").write_text("kept: not a timestamped name")
    start = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    made = [create_backup(out, database=database, media_root=tmp_path / "m", now=start + dt.timedelta(days=d),
                          keep=2) for d in range(3)]
    assert made[2].pruned == [made[0].path]
    assert sorted(p.name for p in out.iterdir()) == [
        "notes.txt", "pantau-backup-20261202T020000Z.tar.gz", "pantau-backup-20261203T020000Z.tar.gz",
        "pantau-backup-manual.tar.gz",
    ]
    with pytest.raises(BackupError, match="--keep must be 1 or more"):
        create_backup(out, database=database, media_root=tmp_path / "m", keep=0)


def test_two_backups_in_the_same_second_get_distinct_names(tmp_path: Path) -> None:
    database = small_sqlite(tmp_path / "db.sqlite3")
    now = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    first = create_backup(tmp_path / "b", database=database, media_root=tmp_path / "m", now=now).path
    second = create_backup(tmp_path / "b", database=database, media_root=tmp_path / "m", now=now).path
    assert (first.name, second.name) == ("pantau-backup-20261201T020000Z.tar.gz",
                                         "pantau-backup-20261201T020000Z-1.tar.gz")


def test_it_says_how_to_get_pg_dump_when_it_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(BackupError, match="pg_dump was not found on PATH.*apt-get install postgresql-client"):
        create_backup(tmp_path / "b", database=PG_DATABASE, media_root=tmp_path / "m")
    assert list((tmp_path / "b").iterdir()) == []


def test_it_refuses_a_missing_or_in_memory_sqlite_database(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        create_backup(tmp_path / "b", database={"ENGINE": "django.db.backends.sqlite3",
                                                "NAME": str(tmp_path / "nope.sqlite3")}, media_root=tmp_path)
    with pytest.raises(BackupError, match="in memory"):
        create_backup(tmp_path / "b", database={"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
                      media_root=tmp_path)
    assert list((tmp_path / "b").iterdir()) == []


def test_the_restore_command_reports_a_missing_archive_as_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "pantau-backup-20990101T000000Z.tar.gz"))


def test_the_restore_help_says_to_stop_the_app_first() -> None:
    text = RestoreCommand().create_parser("pantau", "restore").format_help()
    assert "STOP PANTAU FIRST" in text and "--force" in text


class Holder:
    """The ``db_holder`` subprocess: a Pantau process with an open, idle database connection."""

    def __init__(self, site: Site) -> None:
        self.go = site.root / "go"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pantau.core.tests.db_holder", str(self.go)],
            cwd=PROJECT_DIR, env=site.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line == "ready", f"{line} {self.process.stderr.read() if self.process.stderr else ''}"

    def write_now(self) -> str:
        self.go.touch()
        out, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, err
        return out.strip()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=10)


@pytest.mark.skipif(ENGINE != "sqlite", reason="the replaced database file is SQLite's problem")
def test_restore_refuses_while_a_running_pantau_process_keeps_its_sqlite_connection_open(
    sites: Sites, tmp_path: Path
) -> None:
    live = sites.make("live")
    live.pantau("migrate", "--verbosity", "0")
    archive = live.pantau("backup", "--output", str(tmp_path / "b")).stdout.split("Backup written: ")[1].split(" (")[0]
    holder = Holder(live)  # like a gunicorn worker between two requests
    try:
        refused = live.pantau("restore", "--force", archive, check=False)
        assert refused.returncode == 1
        assert "is in use by another process" in refused.stderr and "Stop Pantau" in refused.stderr
        assert "Traceback" not in refused.stderr
        wrote = holder.write_now()  # the next request's write answers "created"...
    finally:
        holder.stop()
    assert wrote.startswith("wrote ")
    pk = int(wrote.split()[1])
    # ...and it is in the database the site reads, not in a file that was replaced under it.
    late = "SELECT id, reason FROM core_auditevent WHERE event_type = 'backup.after-restore'"
    assert live.query(late) == [(pk, "late write")]
    restored = live.pantau("restore", "--force", archive)  # with the app stopped, the restore goes ahead
    assert "Restored the sqlite database" in restored.stdout
    assert live.query(late) == []


def test_a_process_that_opens_the_database_during_the_restore_fails_loudly_instead_of_losing_writes(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = small_sqlite(tmp_path / "t" / "db.sqlite3", rows=4)
    late: dict[str, subprocess.Popen[str]] = {}
    real_replace = os.replace

    def replace_while_a_worker_starts(source: Any, dest: Any) -> None:
        # A worker starting now opens the old file and waits for the restore's lock.
        late["worker"] = subprocess.Popen([sys.executable, "-c", (
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], timeout=20)\n"
            "print('opened', flush=True)\n"
            "try:\n"
            "    c.execute('PRAGMA journal_mode=WAL')\n"
            "    c.execute(\"INSERT INTO note (body) VALUES ('late')\")\n"
            "    c.commit()\n"
            "    print('committed')\n"
            "except sqlite3.Error as exc:\n"
            "    print('failed', exc)\n"
        ), target["NAME"]], stdout=subprocess.PIPE, text=True)
        assert late["worker"].stdout is not None
        assert late["worker"].stdout.readline().strip() == "opened"
        time.sleep(0.3)
        real_replace(source, dest)

    monkeypatch.setattr("pantau.core.backup_db.os.replace", replace_while_a_worker_starts)
    restore_backup(archive, database=target, media_root=tmp_path / "t" / "media", force=True)
    out, _err = late["worker"].communicate(timeout=60)
    assert out.startswith("failed") and "readonly" in out
    conn = sqlite3.connect(target["NAME"])
    assert conn.execute("SELECT body FROM note ORDER BY id").fetchall() == [("note 0",), ("note 1",), ("note 2",)]
    conn.close()
