"""Consistent online backups and their restore (``pantau backup`` / ``pantau restore``).

One archive, ``pantau-backup-<UTC timestamp>.tar.gz``, holds:

- ``database.sqlite3`` (SQLite, copied with SQLite's online backup API: one read transaction, so
  a consistent snapshot that includes what is still in the WAL, while the app keeps writing) or
  ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom`` of an exported snapshot);
- ``media/...``: the uploaded files under ``MEDIA_ROOT``;
- ``manifest.json`` (written last): format version, engine, the applied Django migrations read
  from the same snapshot, when it was made, and the SHA-256 and size of every other file.

A restore unpacks and verifies everything before it touches the database or the files.
"""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau.core.backup_db import (
    BackupError,
    database_tables,
    default_database,
    dump_postgresql,
    dump_sqlite,
    engine_of,
    fsync_dir,
    pg_params,
    restore_postgresql,
    restore_sqlite,
)

__all__ = ["BackupError", "BackupResult", "RestoreResult", "create_backup", "engine_of", "pg_params",
           "prune_backups", "restore_backup", "unpack"]

FORMAT = "pantau-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ARCHIVE_NAME = re.compile(r"^pantau-backup-(\d{8}T\d{6}Z)(?:-(\d+))?\.tar\.gz$")
_CHUNK = 1024 * 1024



@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size: int
    media_files: int
    pruned: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    created_at: str
    media_files: int
    verified_only: bool = False
    media_moved_to: Path | None = None
    unapplied_migrations: list[str] = field(default_factory=list)


# --- archive -------------------------------------------------------------------------------


class _HashingReader:
    """Reads a file for ``tarfile.addfile`` and hashes exactly the bytes that went in."""

    def __init__(self, path: Path) -> None:
        self._fh = path.open("rb")
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def close(self) -> None:
        self._fh.close()


def _add_file(tar: tarfile.TarFile, name: str, path: Path, files: dict[str, dict[str, Any]]) -> None:
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size = stat.st_size
    info.mtime = int(stat.st_mtime)
    info.mode = 0o600
    reader = _HashingReader(path)
    try:
        tar.addfile(info, reader)
    except OSError as exc:
        raise BackupError(f"{path} changed while it was being backed up; run the backup again.") from exc
    finally:
        reader.close()
    files[name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def media_files(media_root: Path) -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT as (archive name, path), in a stable order."""
    if not media_root.is_dir():
        return []
    found = []
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}", path))
    return found


def _archive_path(output_dir: Path, now: dt.datetime) -> Path:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = output_dir / f"pantau-backup-{stamp}.tar.gz"
    n = 1
    while path.exists():
        path = output_dir / f"pantau-backup-{stamp}-{n}.tar.gz"
        n += 1
    return path


def create_backup(
    output_dir: Path,
    *,
    database: Mapping[str, Any] | None = None,
    media_root: Path | None = None,
    keep: int | None = None,
    now: dt.datetime | None = None,
) -> BackupResult:
    """Write one archive with the database, the uploaded files and the manifest; prune if asked."""
    from django import get_version
    from django.conf import settings

    if keep is not None and keep < 1:
        raise BackupError("--keep must be 1 or more (the number of newest backups to keep).")
    database = default_database() if database is None else database
    media_root = Path(settings.MEDIA_ROOT) if media_root is None else media_root
    engine = engine_of(database)
    now = dt.datetime.now(dt.UTC) if now is None else now
    try:
        output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".pantau-backup-", dir=output_dir))
    except OSError as exc:
        raise BackupError(f"The backup directory {output_dir} cannot be written: {exc}") from exc
    try:
        dump = staging / DATABASE_FILE[engine]
        migrations = dump_sqlite(database, dump) if engine == "sqlite" else dump_postgresql(database, dump)
        files: dict[str, dict[str, Any]] = {}
        partial = staging / "archive.tar.gz"
        uploads = media_files(media_root)
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            _add_file(tar, dump.name, dump, files)
            for name, path in uploads:
                _add_file(tar, name, path, files)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": now.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
                "engine": engine,
                "database_file": dump.name,
                "django_version": get_version(),
                "migrations": migrations,
                "media_files": len(uploads),
                "files": files,
            }
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(now.timestamp())
            info.mode = 0o600
            tar.addfile(info, _BytesReader(body))
        partial.chmod(0o600)  # it holds password hashes and personal data
        with partial.open("rb+") as fh:
            os.fsync(fh.fileno())
        final = _archive_path(output_dir, now)
        os.replace(partial, final)
        fsync_dir(output_dir)
    except OSError as exc:
        raise BackupError(f"The backup could not be written to {output_dir}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    pruned = prune_backups(output_dir, keep) if keep is not None else []
    return BackupResult(path=final, engine=engine, size=final.stat().st_size, media_files=len(uploads),
                        pruned=pruned)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk = self._data[self._at:end]
        self._at += len(chunk)
        return chunk


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives named ``pantau-backup-*.tar.gz``; other files stay."""
    if keep < 1:
        raise BackupError("--keep must be 1 or more (the number of newest backups to keep).")
    found: list[tuple[tuple[str, int], Path]] = []
    for path in directory.iterdir():
        match = ARCHIVE_NAME.match(path.name)
        if match and path.is_file():
            found.append(((match.group(1), int(match.group(2) or 0)), path))
    found.sort()
    old = [path for _key, path in found[:-keep]]
    for path in old:
        path.unlink()
    return old


def _member_name(archive: Path, member: tarfile.TarInfo) -> str:
    name = member.name.rstrip("/")
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or any(part in ("", ".", "..") for part in parts)
        or not (name in (MANIFEST, *DATABASE_FILE.values()) or parts[0] == MEDIA_DIR)
        or (name == MEDIA_DIR and not member.isdir())
    ):
        raise BackupError(f"{archive} holds an unexpected entry {member.name!r}; it is not a Pantau backup.")
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"{archive} holds {member.name!r}, which is not a regular file; it is not a Pantau backup.")
    return name


def unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract the archive into ``into`` and return its manifest once every checksum matches."""
    if not archive.is_file():
        raise BackupError(f"The backup archive {archive} does not exist.")
    digests: dict[str, dict[str, Any]] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = _member_name(archive, member)
                if member.isdir():
                    continue
                if name in digests:
                    raise BackupError(f"{archive} holds {name!r} twice; it is not a valid Pantau backup.")
                source = tar.extractfile(member)
                assert source is not None
                dest = into / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                sha256 = hashlib.sha256()
                size = 0
                with dest.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        sha256.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                digests[name] = {"sha256": sha256.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"{archive} is damaged or not a .tar.gz backup made by pantau backup ({exc}).") from exc
    manifest = _read_manifest(archive, into, digests)
    return manifest


def _read_manifest(archive: Path, into: Path, digests: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if MANIFEST not in digests:
        raise BackupError(f"{archive} has no {MANIFEST}; it is not a backup made by pantau backup.")
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"The {MANIFEST} in {archive} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a backup made by pantau backup (its {MANIFEST} has another format).")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"The {MANIFEST} in {archive} has no valid format_version.")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"{archive} has backup format {version}, newer than this Pantau understands ({FORMAT_VERSION}); "
            "restore it with the Pantau version that made it, or a newer one."
        )
    engine = manifest.get("engine")
    files = manifest.get("files")
    migrations = manifest.get("migrations")
    if not isinstance(engine, str) or engine not in DATABASE_FILE or not isinstance(files, dict) or not (
        isinstance(migrations, dict)
    ):
        raise BackupError(f"The {MANIFEST} in {archive} lacks its engine, files or migrations.")
    if not all(isinstance(names, list) and all(isinstance(n, str) for n in names) for names in migrations.values()):
        raise BackupError(f"The {MANIFEST} in {archive} has migrations that are not lists of names.")
    if not isinstance(manifest.get("media_files", 0), int) or not isinstance(manifest.get("created_at", ""), str):
        raise BackupError(f"The {MANIFEST} in {archive} has an invalid media_files count or created_at time.")
    present = set(digests) - {MANIFEST}
    missing = sorted(set(files) - present)
    extra = sorted(present - set(files))
    if missing or extra or DATABASE_FILE[engine] not in files:
        detail = "; ".join(
            part for part in (
                f"missing: {', '.join(missing)}" if missing else "",
                f"not in the manifest: {', '.join(extra)}" if extra else "",
            ) if part
        ) or f"no {DATABASE_FILE[engine]}"
        raise BackupError(f"{archive} does not match its manifest ({detail}); the archive is damaged.")
    for name in sorted(files):
        expected = files[name]
        if not isinstance(expected, dict) or expected.get("sha256") != digests[name]["sha256"] or (
            expected.get("size") != digests[name]["size"]
        ):
            raise BackupError(f"{archive}: the checksum of {name} does not match the manifest; the archive is damaged.")
    return manifest


# --- restore -------------------------------------------------------------------------------


def _disk_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _has_files(directory: Path) -> bool:
    return directory.is_dir() and any(path.is_file() for path in directory.rglob("*"))


def _restore_media(staged: Path, media_root: Path, stamp: str) -> Path | None:
    """Put the archive's files in MEDIA_ROOT; files already there are moved aside, not deleted."""
    moved: Path | None = None
    if media_root.is_dir() and any(media_root.iterdir()):
        moved = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        n = 1
        while moved.exists():
            moved = media_root.with_name(f"{media_root.name}.before-restore-{stamp}-{n}")
            n += 1
        moved.mkdir(parents=True)
        for entry in sorted(media_root.iterdir()):
            shutil.move(entry, moved / entry.name)
    media_root.mkdir(parents=True, exist_ok=True)
    if staged.is_dir():
        for entry in sorted(staged.iterdir()):
            shutil.move(entry, media_root / entry.name)
    return moved


def _os_failure(exc: OSError, what: str, after: str) -> BackupError:
    hint = " Free some disk space and run again." if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
    return BackupError(f"{what} failed: {exc.strerror or exc} ({exc.filename or 'no file name'}). {after}{hint}")


def restore_backup(
    archive: Path,
    *,
    database: Mapping[str, Any] | None = None,
    media_root: Path | None = None,
    force: bool = False,
    verify_only: bool = False,
) -> RestoreResult:
    """Verify the archive, then replace the database and MEDIA_ROOT with its contents.

    Every failure is a ``BackupError`` that says what happened and what was (not) changed.
    """
    from django.conf import settings

    database = default_database() if database is None else database
    media_root = Path(settings.MEDIA_ROOT) if media_root is None else media_root
    engine = engine_of(database)
    if not archive.is_file():
        raise BackupError(f"The backup archive {archive} does not exist.")
    try:
        media_root.parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.TemporaryDirectory(prefix=".pantau-restore-", dir=media_root.parent,
                                          ignore_cleanup_errors=True)
    except OSError as exc:
        raise _os_failure(exc, f"Preparing the restore beside {media_root}", "Nothing was changed.") from exc
    with tmp:
        return _restore(archive, Path(tmp.name), database=database, media_root=media_root, engine=engine,
                        force=force, verify_only=verify_only)


def _restore(
    archive: Path,
    staged: Path,
    *,
    database: Mapping[str, Any],
    media_root: Path,
    engine: str,
    force: bool,
    verify_only: bool,
) -> RestoreResult:
    from django.db import connections

    try:
        manifest = unpack(archive, staged)
    except OSError as exc:
        raise _os_failure(exc, f"Unpacking {archive} into {staged.parent}", "Nothing was changed.") from exc
    made_on = str(manifest["engine"])
    if made_on != engine:
        raise BackupError(
            f"{archive} holds a {ENGINE_NAMES[made_on]} database, but Pantau is configured for "
            f"{ENGINE_NAMES[engine]} (DATABASE_URL). Restore it into a {ENGINE_NAMES[made_on]} database; "
            "to move between engines use dumpdata/loaddata instead."
        )
    in_archive = {(str(app), str(name)) for app, names in manifest["migrations"].items() for name in names}
    on_disk = _disk_migrations()
    unknown = sorted(in_archive - on_disk)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"{archive} was made by a newer Pantau: its database has migrations this version does not "
            f"know ({listed}{' …' if len(unknown) > 5 else ''}). Install that version or newer, then restore."
        )
    unapplied = sorted(f"{app}.{name}" for app, name in on_disk - in_archive)
    result = RestoreResult(engine=engine, created_at=str(manifest.get("created_at", "")),
                           media_files=int(manifest.get("media_files", 0)), verified_only=verify_only,
                           unapplied_migrations=unapplied)
    if verify_only:
        return result
    tables = database_tables(database)
    if (tables or _has_files(media_root)) and not force:
        held = " and ".join(part for part in (
            f"the database already has {tables} tables" if tables else "",
            f"{media_root} already holds files" if _has_files(media_root) else "",
        ) if part)
        raise BackupError(
            f"Refusing to restore: {held}. A restore replaces them; run again with --force to overwrite."
        )
    connections.close_all()
    dump = staged / DATABASE_FILE[engine]
    try:
        if engine == "sqlite":
            restore_sqlite(database, dump)
        else:
            restore_postgresql(database, dump)
    except OSError as exc:
        raise _os_failure(exc, "Restoring the database", "The database was not changed.") from exc
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        moved = _restore_media(staged / MEDIA_DIR, media_root, stamp)
    except OSError as exc:
        raise _os_failure(
            exc, f"Putting the uploaded files into {media_root}",
            f"The database WAS restored; the files that were in {media_root} are in "
            f"{media_root.name}.before-restore-{stamp}* beside it. Fix the cause and run the restore again.",
        ) from exc
    return RestoreResult(engine=engine, created_at=result.created_at, media_files=result.media_files,
                         media_moved_to=moved, unapplied_migrations=unapplied)
