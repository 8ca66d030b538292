"""The writer of ``tests/test_two_servers.py``, run as its own process on the servers' database.

``twoservers setup`` migrates the (file) database named by ``DATABASE_URL``, builds the test cast
and prints the ids and a signed-in session for the national admin as one JSON line.
``twoservers '<those ids>'`` (with the servers' ``CACHE_URL``) applies one write per line read from
stdin through the services (as a request would) and answers ``ok`` once it committed:

    maklumat <text>      the Disdukcapil unit's maklumat (shown on the KTP product page)
    institution <name>   Pemkot Banjarmasin's name (shown in the staff institution list)
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from pantau.accounts.models import User
    from pantau.registry import services
    from pantau.registry.models import Institution, ServiceUnit
    from tests.cast import build_cast

    if sys.argv[1:] == ["setup"]:
        call_command("migrate", verbosity=0)
        cast = build_cast()
        client = Client()
        client.force_login(cast.national_admin)
        print(json.dumps({"product": cast.ktp.pk, "unit": cast.dukcapil.pk, "institution": cast.banjarmasin.pk,
                          "admin": cast.national_admin.pk, "session": client.cookies["sessionid"].value}))
        return
    ids = json.loads(sys.argv[1])
    admin = User.objects.get(pk=ids["admin"])
    print("ready", flush=True)
    for line in sys.stdin:
        kind, _, text = line.rstrip("\n").partition(" ")
        if kind == "maklumat":
            unit = ServiceUnit.objects.get(pk=ids["unit"])
            services.unit_save(actor=admin, unit=unit, data={"maklumat": text})
        elif kind == "institution":
            institution = Institution.objects.get(pk=ids["institution"])
            services.institution_save(actor=admin, institution=institution, data={"name": text})
        else:
            print(f"unknown write {kind!r}", flush=True)
            continue
        print("ok", flush=True)


if __name__ == "__main__":
    main()
