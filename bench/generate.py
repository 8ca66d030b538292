"""Synthetic national-scale registry for the benchmark: institutions, units, products, standards.

By default 500 institutions / 5 000 units / 20 000 products, with names mixing the 38 provinces
and 514 regencies/cities loaded by ``pantau load_regions`` (run that first) and standards of
uneven completeness. Rows are written with ``bulk_create`` (benchmark data: the services and
their audit events are bypassed), but ``ServiceStandard.present_count`` and
``ServiceProduct.current_standard`` are set exactly as the services set them.

Run inside the target database's environment (``DATABASE_URL`` or ``SQLITE_PATH``)::

    python -m bench.generate generate [--institutions 500 --units 5000 --products 20000]
    python -m bench.generate prepare --out DIR   # session cookie and URL lists for the load tool
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import names

# Bump when the generated data changes: bench/run.py caches generated SQLite databases by it.
GENERATOR_VERSION = 1
BENCH_USERNAME = "bench.nasional"
BATCH = 1000
# Visits concentrate on a minority of services; the budgeted product page is measured on this
# many products, and on all of them (mostly first visits) for information.
HOT_PRODUCTS = 500


@dataclass(frozen=True)
class Scale:
    institutions: int = 500
    units: int = 5000
    products: int = 20000

    def check(self) -> None:
        if not (0 < self.institutions <= self.units <= self.products):
            raise ValueError("need 0 < institutions <= units <= products")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into len(weights) parts of at least 1, proportional to the weights."""
    n = len(weights)
    rest = total - n
    w_sum = sum(weights)
    shares = [rest * w / w_sum for w in weights]
    counts = [1 + int(s) for s in shares]
    leftover = total - sum(counts)
    by_remainder = sorted(range(n), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in by_remainder[:leftover]:
        counts[i] += 1
    return counts


def _place(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota ", "Daerah Khusus Ibukota ", "Daerah Istimewa "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@dataclass
class _Plan:
    name: str
    kind: str
    province: Any = None
    regency: Any = None


class Generator:
    def __init__(self, scale: Scale, seed: int) -> None:
        from pantau.registry.models import Province, Regency

        scale.check()
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = dt.date.today()
        self.provinces = list(Province.objects.order_by("code"))
        self.regencies = list(Regency.objects.order_by("code"))
        if len(self.provinces) < 1 or len(self.regencies) < 1:
            raise RuntimeError("load the regions first: pantau load_regions")
        self.regencies_of: dict[int, list[Any]] = {}
        for r in self.regencies:
            self.regencies_of.setdefault(r.province_id, []).append(r)

    # Institutions ---------------------------------------------------------------------------
    def plan_institutions(self) -> list[_Plan]:
        n = self.scale.institutions
        rng = self.rng

        def quota(share: int, available: int, at_least: int = 0) -> int:
            return min(available, max(at_least if n >= 5 else 0, round(n * share / 500)))

        n_kem = quota(30, len(names.KEMENTERIAN), 1)
        n_lem = quota(15, len(names.LEMBAGA))
        n_bumn = quota(10, len(names.BUMN))
        n_prov = quota(38, len(self.provinces), 1)
        n_bumd = quota(12, len(self.regencies))
        n_reg = n - n_kem - n_lem - n_bumn - n_prov - n_bumd
        if n_reg > len(self.regencies) or n_reg < 0:
            raise ValueError(f"cannot make {n} institutions from {len(self.regencies)} regencies")
        plans = [_Plan(x, "kementerian") for x in names.KEMENTERIAN[:n_kem]]
        plans += [_Plan(x, "lembaga") for x in names.LEMBAGA[:n_lem]]
        plans += [_Plan(x, "bumn") for x in names.BUMN[:n_bumn]]
        for p in rng.sample(self.provinces, n_prov):
            plans.append(_Plan(f"Pemerintah Provinsi {p.name}", "pemprov", province=p))
        seen: set[str] = set()
        for r in rng.sample(self.regencies, n_reg):
            kind = "pemkot" if r.kind == "kota" else "pemkab"
            name = f"Pemerintah {r.name}"
            if name in seen:
                name = f"{name} ({self.province_name(r.province_id)})"
            seen.add(name)
            plans.append(_Plan(name, kind, province=self.province_by_id(r.province_id), regency=r))
        for r in rng.sample(self.regencies, n_bumd):
            plans.append(_Plan(f"Perumda Air Minum Tirta {_place(r.name)} ({r.code})", "bumd",
                               province=self.province_by_id(r.province_id), regency=r))
        return plans

    def province_by_id(self, pk: int) -> Any:
        if not hasattr(self, "_prov_by_id"):
            self._prov_by_id = {p.pk: p for p in self.provinces}
        return self._prov_by_id[pk]

    def province_name(self, pk: int) -> str:
        return str(self.province_by_id(pk).name)

    # Units ----------------------------------------------------------------------------------
    def unit_names(self, plan: _Plan) -> Iterator[tuple[str, str, str, Any]]:
        """(name, kind, product pool, regency) for an institution's units, most important first."""
        rng = self.rng
        if plan.kind in ("pemkab", "pemkot"):
            place = _place(plan.regency.name)
            for name, kind, pool in names.OPD[:9]:
                yield name.format(place=place), kind, pool, plan.regency
            opd = ((n.format(place=place), k, p, plan.regency) for n, k, p in names.OPD[9:])
            kec = ((f"Kecamatan {place}{d}", "kecamatan", "kecamatan", plan.regency) for d in names.DIRECTIONS)
            pus = ((f"Puskesmas {place}{d}", "puskesmas", "puskesmas", plan.regency) for d in names.DIRECTIONS)
            for group in itertools.zip_longest(opd, kec, pus):
                yield from (g for g in group if g is not None)
            for i in itertools.count(1):
                yield f"SMP Negeri {i} {place}", "sekolah", "sekolah", plan.regency
        elif plan.kind == "pemprov":
            place = plan.province.name
            regs = self.regencies_of.get(plan.province.pk, [])
            capital = regs[0] if regs else None
            for name, kind, pool in names.OPD:
                if pool in ("dukcapil",):
                    continue
                yield name.format(place=f"Provinsi {place}"), kind, pool, capital
            for r in regs:
                yield f"UPT Samsat {r.name}", "kantor", "samsat", r
            for i in itertools.count(1):
                yield f"SMA Negeri {i} {_place(capital.name) if capital else place}", "sekolah", "sekolah", capital
        elif plan.kind in ("kementerian", "lembaga"):
            pool = next((k for k in names.NATIONAL_PRODUCTS if k in plan.name), "kantor")
            provinces = rng.sample(self.provinces, len(self.provinces))
            for p in provinces:
                regs = self.regencies_of.get(p.pk) or [None]
                yield f"Kantor Wilayah Provinsi {p.name}", "kantor", pool, regs[0]
            for r in rng.sample(self.regencies, len(self.regencies)):
                yield f"Kantor {r.name}", "kantor", pool, r
            for i in itertools.count(1):
                yield f"Unit Pelayanan {i}", "kantor", pool, None
        else:  # BUMN, BUMD
            if plan.regency is not None:
                yield "Kantor Pusat", "kantor", "pelanggan", plan.regency
                place = _place(plan.regency.name)
                for d in names.DIRECTIONS[1:]:
                    yield f"Unit Pelayanan Pelanggan {place}{d}", "kantor", "pelanggan", plan.regency
            for r in rng.sample(self.regencies, len(self.regencies)):
                yield f"Kantor Cabang {r.name}", "kantor", "pelanggan", r
            for i in itertools.count(1):
                yield f"Unit Pelayanan {i}", "kantor", "pelanggan", None

    # Products and standards -----------------------------------------------------------------
    def product_names(self, pool: str, count: int) -> list[tuple[str, str]]:
        base = list(names.NATIONAL_PRODUCTS.get(pool) or names.PRODUCTS.get(pool) or names.PRODUCTS["generic"])
        head, tail = base[:3], base[3:]
        self.rng.shuffle(tail)
        ordered = head + tail
        out = ordered[:count]
        for suffix in itertools.chain([" (perubahan)", " (perpanjangan)", " (penggantian)"],
                                      (f" {i}" for i in itertools.count(2))):
            if len(out) >= count:
                break
            out += [(f"{n}{suffix}", c) for n, c in ordered[: count - len(out)]]
        return out

    def standard_fields(self, product_name: str, category: str, *, diligence: float,
                        published: bool) -> dict[str, Any]:
        from pantau.registry import components as comp

        rng = self.rng
        reqs = names.REQUIREMENTS.get(category, names.REQUIREMENTS["lainnya"])
        middle = names.STEPS[1:-1]
        days = rng.choice([1, 1, 3, 3, 5, 7, 14])
        is_free = category in ("adminduk", "nonperizinan", "pendidikan", "sosial") and rng.random() < 0.95
        data: dict[str, Any] = {
            "requirements": "\n".join(rng.sample(reqs, rng.randint(2, min(6, len(reqs))))),
            "procedure": "\n".join([names.STEPS[0], *sorted(rng.sample(middle, rng.randint(1, 5)),
                                                            key=middle.index), names.STEPS[-1]]),
            "completion_time": f"{days} hari kerja sejak berkas dinyatakan lengkap",
            "completion_days": days,
            "is_free": is_free,
            "cost": "" if is_free else f"Rp{rng.choice([10, 25, 50, 100, 150])}.000 sesuai Peraturan Daerah "
                                       "tentang Retribusi, dibayar melalui bank",
            "output": product_name.replace("Penerbitan ", ""),
            "complaints": "Loket pengaduan di ruang pelayanan\nWhatsApp pengaduan 0811-5000-"
                          f"{rng.randint(100, 999)}\nSP4N-LAPOR! (lapor.go.id)",
        }
        for c in comp.COMPONENTS[6:]:
            text = names.MANAGEMENT_TEXT[c.field].format(n=rng.randint(2, 8), m=rng.randint(1, 4))
            data[c.field] = text if rng.random() < diligence else ""
        if not published:  # drafts may still lack published components
            for c in comp.COMPONENTS[:6]:
                if rng.random() < 0.3:
                    data[c.field] = ""
                    if c.field == "cost":
                        data["is_free"] = False
        return data

    # The run --------------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        from django.db import transaction

        with transaction.atomic():
            return self._run()

    def _run(self) -> dict[str, Any]:
        from django.utils import timezone

        from pantau.accounts.models import Membership, Role, User
        from pantau.core.text import fold_key
        from pantau.registry import completeness
        from pantau.registry import components as comp
        from pantau.registry.demo import MAKLUMAT
        from pantau.registry.models import (
            Institution,
            Office,
            ServiceProduct,
            ServiceStandard,
            ServiceUnit,
        )
        from pantau.registry.selectors import current_standard_subquery

        rng = self.rng
        national, _ = Office.objects.get_or_create(
            name="Ombudsman Republik Indonesia (Kantor Pusat)", defaults={"is_national": True}
        )
        offices = {}
        for p in self.provinces:
            office, created = Office.objects.get_or_create(name=f"Ombudsman RI Perwakilan {p.name}")
            if created:
                office.provinces.add(p)
            offices[p.pk] = office
        admin = User.objects.filter(username=BENCH_USERNAME).first()
        if admin is None:
            admin = User.objects.create_user(username=BENCH_USERNAME, password=None, full_name="Admin Nasional Bench")
            Membership.objects.create(user=admin, role=Role.NATIONAL_ADMIN)

        plans = self.plan_institutions()
        institutions = Institution.objects.bulk_create([
            Institution(name=p.name, name_key=fold_key(p.name), kind=p.kind, province=p.province, regency=p.regency,
                        office=offices[p.province.pk] if p.province is not None else national)
            for p in plans
        ], batch_size=BATCH)
        weight = {"pemkab": 1.2, "pemkot": 1.1, "pemprov": 1.0, "kementerian": 1.6, "lembaga": 1.0,
                  "bumn": 0.8, "bumd": 0.3}
        unit_counts = _allocate(self.scale.units, [weight[p.kind] * rng.lognormvariate(0, 0.5) for p in plans])
        diligence = {}
        units: list[ServiceUnit] = []
        pools: list[str] = []
        for plan, inst, count in zip(plans, institutions, unit_counts, strict=True):
            d = diligence[inst.pk] = rng.uniform(0.15, 1.0)
            for name, kind, pool, regency in itertools.islice(self.unit_names(plan), count):
                has_maklumat = rng.random() < 0.3 + 0.6 * d
                inactive = len(pools) % 50 == 49  # about 2 % of units were merged away or dissolved
                units.append(ServiceUnit(
                    institution=inst, name=name, name_key=fold_key(name), kind=kind, regency=regency,
                    address=f"{rng.choice(names.STREETS)} No. {rng.randint(1, 200)}",
                    phone=f"0{rng.randint(511, 799)}-{rng.randint(100000, 999999)}",
                    maklumat=MAKLUMAT if has_maklumat else "",
                    maklumat_date=self.today - dt.timedelta(days=rng.randint(30, 1500)) if has_maklumat else None,
                    vulnerable_facilities=names.VULNERABLE if rng.random() < 0.2 + 0.5 * d else "",
                    is_active=not inactive,
                    active_until=self.today - dt.timedelta(days=rng.randint(30, 900)) if inactive else None,
                ))
                pools.append(pool)
        units = ServiceUnit.objects.bulk_create(units, batch_size=BATCH)

        unit_weight = {"dukcapil": 3.0, "dpmptsp": 3.0, "rsud": 2.0, "mpp": 1.5, "kecamatan": 0.8,
                       "puskesmas": 0.8, "sekolah": 0.5}
        product_counts = _allocate(
            self.scale.products, [unit_weight.get(pool, 1.2) * rng.lognormvariate(0, 0.4) for pool in pools]
        )
        products: list[ServiceProduct] = []
        for unit, pool, count in zip(units, pools, product_counts, strict=True):
            for i, (name, category) in enumerate(self.product_names(pool, count)):
                products.append(ServiceProduct(unit=unit, name=name, name_key=fold_key(name), category=category,
                                               is_active=(len(products) % 33 != 32 or i == 0)))
        products = ServiceProduct.objects.bulk_create(products, batch_size=BATCH)

        unit_by_id = {u.pk: u for u in units}
        standards: list[ServiceStandard] = []
        counts = {"no_standard": 0, "draft_only": 0, "published": 0, "future_only": 0}

        def make(product: ServiceProduct, version: int, *, published: bool, days_ago: int) -> None:
            d = diligence[unit_by_id[product.unit_id].institution_id]
            std = ServiceStandard(product=product, version=version,
                                  **self.standard_fields(product.name, product.category, diligence=d,
                                                         published=published))
            if published:
                std.status = ServiceStandard.Status.PUBLISHED
                std.effective_date = self.today - dt.timedelta(days=days_ago)
                std.published_at = timezone.now() - dt.timedelta(days=max(days_ago, 0) + 3)
                std.published_by = admin
            std.present_count = len(comp.present_codes(std))
            standards.append(std)

        for product in products:
            roll = rng.random()
            if roll < 0.06:
                counts["no_standard"] += 1
                continue
            if roll < 0.11:
                counts["draft_only"] += 1
                make(product, 1, published=False, days_ago=0)
                continue
            first = rng.randint(200, 1800)
            versions = 2 if roll > 0.7 else 1
            future = rng.random() < 0.03
            for v in range(1, versions + 1):
                last = v == versions
                days_ago = -rng.randint(5, 60) if (last and future) else (first if v == 1 else rng.randint(20, 190))
                make(product, v, published=True, days_ago=days_ago)
            if future and versions == 1:
                counts["future_only"] += 1
            else:
                counts["published"] += 1
            if rng.random() < 0.05:
                make(product, versions + 1, published=False, days_ago=0)
        ServiceStandard.objects.bulk_create(standards, batch_size=BATCH)
        # The version in force, as services.standard_publish / refresh_current_standard set it.
        ServiceProduct.objects.update(current_standard_id=current_standard_subquery(self.today))
        # The completeness summaries the services keep on write (the staff list orders by them).
        completeness.refresh_summaries()
        return {
            "generator_version": GENERATOR_VERSION, "scale": asdict(self.scale),
            "institutions": len(institutions), "units": len(units), "products": len(products),
            "standards": len(standards), **counts,
        }


def generate(scale: Scale | None = None, seed: int = 2026) -> dict[str, Any]:
    """Write the synthetic registry into the configured database (regions must be loaded)."""
    return Generator(scale or Scale(), seed).run()


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
    return {
        "trivial": ["/bench/trivial/"],
        "product": [f"/layanan/{pk}/" for pk in hot],
        "product-all": [f"/layanan/{pk}/" for pk in ids],
        "institutions": listing,
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the synthetic registry")
    gen.add_argument("--institutions", type=int, default=Scale.institutions)
    gen.add_argument("--units", type=int, default=Scale.units)
    gen.add_argument("--products", type=int, default=Scale.products)
    gen.add_argument("--seed", type=int, default=2026)
    prep = sub.add_parser("prepare", help="session cookie and URL lists for the load tool")
    prep.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    _setup_django()
    if args.command == "generate":
        result = generate(Scale(args.institutions, args.units, args.products), seed=args.seed)
    else:
        result = prepare(args.out)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
