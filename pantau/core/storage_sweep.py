"""Files in a private storage that no row names any more (a transaction rolled back after the file was
written): found folder by folder (bounded memory), only when older than a margin so an upload in flight
is never touched, and deleted unless it is a dry run. Used by the modules that keep uploads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.storage import Storage
from django.utils import timezone


def sweep_storage(storage: Storage, root: str, older_than: dt.timedelta, *, known: Callable[[str], set[str]],
                  dry_run: bool = False) -> list[str]:
    """The orphans under ``root`` (``""`` for the whole storage). ``known(folder)`` gives the stored names
    (``folder/file``) that rows still name in that folder."""
    cutoff = timezone.now() - older_than
    found: list[str] = []

    def walk(folder: str) -> None:
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for sub in sorted(folders):
            walk(f"{folder}/{sub}" if folder else sub)
        if not files:
            return
        names = known(folder)
        for name in sorted(files):
            path = f"{folder}/{name}" if folder else name
            if path not in names and storage.get_modified_time(path) < cutoff:
                found.append(path)
                if not dry_run:
                    storage.delete(path)

    walk(root)
    return found
