"""What the load tool requests: URL lists per measured page, and a signed-in session.

``prepare`` writes them for ``bench/run.py``; the API product list's cursor chain is walked by the
runner through the running app (``bench.run.api_urls``), since the cursor is the app's own.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH_USERNAME = "bench.nasional"
# Visits concentrate on a minority of services; the budgeted product page is measured on this
# many products, and on all of them (mostly first visits) for information.
HOT_PRODUCTS = 500

# What people type into the public search (spelling variants, abbreviations, typos included).
SEARCH_QUERIES = [
    "akta kelahiran", "akte kelahiran", "akta klahiran", "e-ktp", "KTP elektronik", "ktp", "ijin usaha",
    "izin usaha", "kartu keluarga", "kartu kelurga", "KK", "dukcapil", "rumah sakit", "RSUD", "IMB", "PBG",
    "puskesmas", "paspor", "SIM", "BPJS", "SKCK", "akta kematian", "surat pindah", "legalisasi ijazah",
    "surat keterangan tidak mampu", "izin praktik dokter", "pajak kendaraan", "sertifikat tanah",
    "pencatatan nikah", "rawat jalan",
]
AUDIT_FILTERS = ("institution", "actor", "type", "dates", "object")


def login_session(username: str = BENCH_USERNAME) -> str:
    """A signed-in session for the user, stored where the app reads it; returns its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from pantau.accounts.models import User

    user = User.objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def _sample_ids(model: Any, rng: random.Random, n: int, **filters: Any) -> list[int]:
    """``n`` random ids of a (large) table without reading all of them: random points in the id range."""
    from django.db.models import Max, Min

    qs = model.objects.filter(**filters)
    bounds = qs.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return []
    out: list[int] = []
    for _ in range(n):
        pk = qs.filter(pk__gte=rng.randint(bounds["lo"], bounds["hi"])).order_by("pk").values_list("pk", flat=True)[:1]
        out += list(pk)
    return out


def audit_lists(rng: random.Random) -> dict[str, list[str]]:
    """The audit trail with each filter (the national admin sees every event)."""
    from pantau.accounts.models import User
    from pantau.core.models import AuditEvent
    from pantau.registry.models import Institution, ServiceProduct, ServiceUnit

    base = "/kelola/audit/"
    institutions = _sample_ids(Institution, rng, 40)
    actors = list(User.objects.filter(pk__in=_sample_ids(User, rng, 40)).values_list("username", flat=True))
    kinds = sorted(set(AuditEvent.objects.order_by("-id").values_list("event_type", flat=True)[:5000]))
    kinds += sorted({k.split(".")[0] for k in kinds})
    today = dt.date.today()
    ranges = []
    for _ in range(40):
        start = today - dt.timedelta(days=rng.randint(0, 3 * 365))
        ranges.append((start, min(today, start + dt.timedelta(days=rng.choice([1, 7, 30, 90])))))
    objects = [("registry.serviceproduct", pk) for pk in _sample_ids(ServiceProduct, rng, 30)]
    objects += [("registry.serviceunit", pk) for pk in _sample_ids(ServiceUnit, rng, 10)]
    return {
        "audit": [base],
        "audit-institution": [f"{base}?{urlencode({'instansi': pk})}" for pk in institutions],
        "audit-actor": [f"{base}?{urlencode({'pelaku': name})}" for name in actors],
        "audit-type": [f"{base}?{urlencode({'jenis': kind})}" for kind in kinds],
        "audit-dates": [f"{base}?{urlencode({'dari': a.isoformat(), 'sampai': b.isoformat()})}" for a, b in ranges],
        "audit-object": [f"{base}?{urlencode({'objek': kind, 'id_objek': pk})}" for kind, pk in objects],
    }


def url_lists(seed: int = 7) -> dict[str, list[str]]:
    """The URLs the load tool picks from at random, one list per measured page."""
    from pantau.registry.models import Institution, Province
    from pantau.registry.selectors import public_products

    rng = random.Random(seed)
    ids = list(public_products().order_by("pk").values_list("pk", flat=True))
    pages = max(1, -(-Institution.objects.count() // 25))
    codes = list(Province.objects.filter(institutions__isnull=False).distinct().values_list("code", flat=True))
    listing = ["/kelola/instansi/"] * 40
    listing += [f"/kelola/instansi/?hal={rng.randint(2, pages)}" for _ in range(30) if pages > 1]
    listing += [f"/kelola/instansi/?provinsi={rng.choice(codes)}" for _ in range(15) if codes]
    listing += [f"/kelola/instansi/?jenis={k}" for k in ("pemkab", "pemkot", "pemprov", "kementerian", "bumd")]
    listing += [f"/kelola/instansi/?q={w}" for w in ("Kabupaten", "Kota", "Kementerian", "Badan", "Tirta")]
    hot = sorted(rng.sample(ids, min(HOT_PRODUCTS, len(ids))))
    search = []
    for q in SEARCH_QUERIES:
        search.append(f"/layanan/?{urlencode({'q': q})}")
        search.append(f"/layanan/?{urlencode({'q': q, 'hal': rng.randint(2, 5)})}")
        if codes:
            search.append(f"/layanan/?{urlencode({'q': q, 'provinsi': rng.choice(codes)})}")
    return {
        "trivial": ["/bench/trivial/"],
        "product": [f"/layanan/{pk}/" for pk in hot],
        "product-all": [f"/layanan/{pk}/" for pk in ids],
        "institutions": listing,
        "home": ["/"],
        "search": search,
        "dashboard": ["/kelola/"],
        **audit_lists(rng),
    }


def prepare(out: Path) -> dict[str, Any]:
    """Write the session cookie and the URL lists for the load tool into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    lists = url_lists()
    for name, urls in lists.items():
        (out / f"urls-{name}.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    from django.conf import settings
    from django.contrib.sessions.models import Session

    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        Session.objects.all().delete()  # the bench database only: earlier runs' sessions
    from django.utils.crypto import get_random_string

    # A browser sends back the CSRF cookie it was given; the load tool sends this one.
    csrf = f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    (out / "cookie-anonymous.txt").write_text(csrf, encoding="utf-8")
    (out / "cookie-signed-in.txt").write_text(f"{settings.SESSION_COOKIE_NAME}={login_session()}; {csrf}",
                                              encoding="utf-8")
    return {name: len(urls) for name, urls in lists.items()}
