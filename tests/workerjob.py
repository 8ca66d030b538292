"""The helper process of ``tests/test_worker_killed.py``, run on the worker's (file) database.

``workerjob <rows>`` migrates the database named by the environment, builds the test cast, and
starts, as Pemkab Tabalong's admin, an import of ``rows`` new products for its DPMPTSP through the
service the upload page uses (so the job's row, its input file and its task are stored as in
production, and wait for a ``db_worker``), then an export behind it. It prints one JSON line: the
two jobs' ids, the import's input file, and a signed-in session for the admin.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import override_settings

    from pantau.registry import transfer_jobs
    from pantau.registry.tests.workbooks import xlsx_bytes
    from tests.cast import build_cast, client_for

    call_command("migrate", verbosity=0)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        cast = build_cast()  # (eleven users: hashed for production, their passwords would take seconds)
    admin, unit = cast.admin_tabalong, cast.dpmptsp
    data = xlsx_bytes({"Produk": [
        {"Instansi": unit.institution.name, "Unit": unit.name, "Nama produk": f"Layanan impor {i}"}
        for i in range(int(sys.argv[1]))]})
    job = transfer_jobs.start_import(admin, SimpleUploadedFile("produk.xlsx", data), dry_run=False)
    export = transfer_jobs.start_export(admin)
    print(json.dumps({"import": job.pk, "export": export.pk, "input": job.input_name,
                      "session": client_for(admin).cookies["sessionid"].value}))


if __name__ == "__main__":
    main()
