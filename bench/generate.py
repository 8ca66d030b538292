"""Synthetic registry for the benchmark: institutions, units, products, standards, staff, audit trail.

Profiles (``--profile``):

- ``x1``: 500 institutions / 5 000 units / 20 000 products / 40 000 audit events (issue 2's data);
- ``x10``: the x1 data ten times over (5 000 / 50 000 / 200 000 / 400 000; copies 2–10 of each
  institution are named "… (salinan N)"), so growth from x1 to x10 is growth of the same shape;
- ``national``: every province (38), regency and city (514) government, the ministries, agencies
  and BUMN of the name lists and BUMD up to 1 500 institutions, 200 000 units, 1 000 000 products,
  2 000 000 audit events;
- ``small``: 5 / 20 / 60, for tests of the tooling.

Names mix the 38 provinces and 514 regencies/cities loaded by ``pantau load_regions`` (run that
first). Standards have uneven completeness (diligence per institution): about 6 % of products have
none, 5 % only a draft, a third two published versions, a few a version in force only from a
future date, 5 % a new draft besides. Audit events are shaped as the services write them
(``pantau.core.audit.record``: event type, object type/id/repr, institution, province, actor and a
small before/after), spread over three years, institutions, actors and event types.

Rows are written with raw SQL in big batches (``bench.rawdb``): services and their per-row audit
events are bypassed, but every derived column is set as the services set it: ``name_key``
(``fold_key``), ``ServiceStandard.present_count``, ``ServiceProduct.current_standard`` and the
institutions' completeness summaries. Afterwards ``pantau rebuild_aggregates`` and
``pantau search_reindex`` run when they exist, then ``ANALYZE``.

Run inside the target database's environment (``DATABASE_URL`` or ``SQLITE_PATH``)::

    python -m bench.generate generate --profile x1
    python -m bench.generate prepare --out DIR   # session cookie and URL lists for the load tool
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import itertools
import json
import os
import sys
import time
from array import array
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import names
from bench.pages import BENCH_USERNAME, HOT_PRODUCTS, login_session, prepare, url_lists
from bench.plan import Planner, Scale, _allocate

__all__ = ["BENCH_USERNAME", "HOT_PRODUCTS", "PROFILES", "Profile", "Scale", "generate", "login_session",
           "prepare", "url_lists"]

# Bump when the generated data changes: bench/run.py caches generated databases by it (and by a
# hash of the generator's sources).
GENERATOR_VERSION = 2
CHUNK = 50_000  # products (with their standards) per write
EVENTS_PER_PRODUCT = 2
AUDIT_YEARS = 3


@dataclass(frozen=True)
class Profile:
    name: str
    scale: Scale
    copies: int = 1  # the institutions' plan repeated (x10 = x1 ten times)
    national: bool = False  # every regional government, ministry, agency and BUMN
    events: int | None = None  # audit events (default: EVENTS_PER_PRODUCT per product)


PROFILES = {
    "small": Profile("small", Scale(5, 20, 60)),
    "x1": Profile("x1", Scale(500, 5000, 20000)),
    "x10": Profile("x10", Scale(500, 5000, 20000), copies=10),
    "national": Profile("national", Scale(1500, 200_000, 1_000_000), national=True),
}

EVENT_TYPES = [  # (event type, weight)
    ("product.created", 25), ("product.updated", 12), ("product.deactivated", 1), ("product.reactivated", 0.5),
    ("standard.draft_saved", 28), ("standard.published", 22), ("unit.created", 5), ("unit.updated", 5),
    ("institution.updated", 1), ("institution.created", 0.5),
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


class Generator(Planner):
    def __init__(self, profile: Profile, seed: int) -> None:
        super().__init__(profile.scale, seed, national=profile.national)
        self.profile = profile
        self.key = functools.lru_cache(maxsize=200_000)(_fold_key())
        self.timings: dict[str, float] = {}

    def _phase(self, name: str, started: float) -> float:
        now = time.monotonic()
        self.timings[name] = round(now - started, 1)
        return now

    def run(self) -> dict[str, Any]:
        from django.db import transaction

        from bench.rawdb import Writer

        writer = Writer()
        writer.begin()
        try:
            with transaction.atomic():
                return self._run(writer)
        finally:
            writer.end()

    def _run(self, w: Any) -> dict[str, Any]:
        from pantau.accounts.models import Membership, Role, User
        from pantau.registry import completeness
        from pantau.registry.models import Institution, Office, ServiceUnit

        t = time.monotonic()
        rng = self.rng
        national, _ = Office.objects.get_or_create(
            name="Ombudsman Republik Indonesia (Kantor Pusat)", defaults={"is_national": True}
        )
        offices = {}
        for p in self.provinces:
            office, created = Office.objects.get_or_create(name=f"Ombudsman RI Perwakilan {p.name}")
            if created:
                office.provinces.add(p)
            offices[p.pk] = office.pk
        admin = User.objects.filter(username=BENCH_USERNAME).first()
        if admin is None:
            admin = User.objects.create_user(username=BENCH_USERNAME, password=None, full_name="Admin Nasional Bench")
            Membership.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
        self.admin_id = admin.pk

        # Institutions
        base = self.plan_institutions()
        plans = [p if k == 0 else _copy(p, k + 1) for k in range(self.profile.copies) for p in base]
        first = w.next_id(Institution)
        inst_ids = list(range(first, first + len(plans)))
        self.inst_province = [p.province.pk if p.province is not None else None for p in plans]
        self.inst_names = [p.name for p in plans]
        w.write(w.table(Institution, ["id", "name", "name_key", "kind", "province_id", "regency_id", "office_id"]), (
            (pk, p.name, self.key(p.name), p.kind, p.province.pk if p.province else None,
             p.regency.pk if p.regency else None, offices[p.province.pk] if p.province else national.pk)
            for pk, p in zip(inst_ids, plans, strict=True)))
        t = self._phase("institutions", t)

        # Units
        copies = self.profile.copies
        weight = {"pemkab": 1.2, "pemkot": 1.1, "pemprov": 1.0, "kementerian": 1.6, "lembaga": 1.0,
                  "bumn": 0.8, "bumd": 0.3}
        unit_counts = _allocate(self.scale.units * copies, [weight[p.kind] * rng.lognormvariate(0, 0.5) for p in plans])
        self.diligence = [rng.uniform(0.15, 1.0) for _ in plans]
        first_unit = w.next_id(ServiceUnit)
        self.unit_inst = array("i")  # index of the unit's institution
        self.unit_label: list[str] = []
        pools: list[str] = []

        def unit_rows() -> Any:
            from pantau.registry.demo import MAKLUMAT

            for i, (plan, count) in enumerate(zip(plans, unit_counts, strict=True)):
                d = self.diligence[i]
                for name, kind, pool, regency in itertools.islice(self.unit_names(plan), count):
                    has_maklumat = rng.random() < 0.3 + 0.6 * d
                    inactive = len(pools) % 50 == 49  # about 2 % were merged away or dissolved
                    pk = first_unit + len(pools)
                    pools.append(pool)
                    self.unit_inst.append(i)
                    self.unit_label.append(name)
                    yield (pk, inst_ids[i], name, self.key(name), kind,
                           f"{rng.choice(names.STREETS)} No. {rng.randint(1, 200)}",
                           regency.pk if regency is not None else None,
                           f"0{rng.randint(511, 799)}-{rng.randint(100000, 999999)}",
                           MAKLUMAT if has_maklumat else "",
                           (self.today - dt.timedelta(days=rng.randint(30, 1500))).isoformat()
                           if has_maklumat else None,
                           names.VULNERABLE if rng.random() < 0.2 + 0.5 * d else "",
                           not inactive,
                           (self.today - dt.timedelta(days=rng.randint(30, 900))).isoformat() if inactive else None)

        w.write(w.table(ServiceUnit, ["id", "institution_id", "name", "name_key", "kind", "address", "regency_id",
                                      "phone", "maklumat", "maklumat_date", "vulnerable_facilities", "is_active",
                                      "active_until"]), unit_rows())
        self.unit_ids = range(first_unit, first_unit + len(pools))
        t = self._phase("units", t)

        counts = self._products(w, pools)
        t = self._phase("products and standards", t)
        users = self._staff(w, inst_ids, offices)
        t = self._phase("staff", t)
        events = self._audit(w, inst_ids, users)
        t = self._phase("audit events", t)
        # The completeness summaries the services keep on write (the staff list orders by them).
        completeness.refresh_summaries()
        self._phase("summaries", t)
        return {
            "generator_version": GENERATOR_VERSION, "profile": self.profile.name, "scale": asdict(self.scale),
            "copies": copies, "institutions": len(plans), "units": len(pools), **counts,
            "staff_users": len(users["admin"]) + len(users["operator"]) + len(users["office"]),
            "audit_events": events, "seconds": self.timings,
        }

    # Products and standards -----------------------------------------------------------------
    def _products(self, w: Any, pools: list[str]) -> dict[str, int]:
        from pantau.registry import components as comp
        from pantau.registry.models import ServiceProduct, ServiceStandard

        rng = self.rng
        unit_weight = {"dukcapil": 3.0, "dpmptsp": 3.0, "rsud": 2.0, "mpp": 1.5, "kecamatan": 0.8,
                       "puskesmas": 0.8, "sekolah": 0.5}
        product_counts = _allocate(self.scale.products * self.profile.copies,
                                   [unit_weight.get(pool, 1.2) * rng.lognormvariate(0, 0.4) for pool in pools])
        fields = [c.field for c in comp.COMPONENTS] + ["completion_days", "is_free"]
        std_table = w.table(ServiceStandard, ["id", "product_id", "version", "status", "effective_date",
                                              "published_at", "published_by_id", *fields, "present_count"])
        prod_table = w.table(ServiceProduct, ["id", "unit_id", "name", "name_key", "category", "is_active",
                                              "current_standard_id"])
        next_product = w.next_id(ServiceProduct)
        next_standard = w.next_id(ServiceStandard)
        self.first_product, self.first_standard = next_product, next_standard
        self.product_unit = array("i")
        self.product_label: list[str] = []
        self.std_product = array("i")  # index of the standard's product
        self.std_version = array("b")
        counts = {"products": 0, "standards": 0, "no_standard": 0, "draft_only": 0, "published": 0, "future_only": 0}
        products: list[tuple[Any, ...]] = []
        standards: list[tuple[Any, ...]] = []
        now = w.now

        def make(product_index: int, name: str, category: str, version: int, *, published: bool,
                 days_ago: int, d: float) -> tuple[int, str]:
            nonlocal next_standard
            data = self.standard_fields(name, category, diligence=d, published=published)
            effective = self.today - dt.timedelta(days=days_ago) if published else None
            standards.append((
                next_standard, self.first_product + product_index, version, "published" if published else "draft",
                effective.isoformat() if effective else None,
                w.ts(now - dt.timedelta(days=max(days_ago, 0) + 3)) if published else None,
                self.admin_id if published else None,
                *(data[f] for f in fields), len(comp.present_codes(data))))
            self.std_product.append(product_index)
            self.std_version.append(min(version, 127))
            next_standard += 1
            return next_standard - 1, effective.isoformat() if effective else ""

        def flush() -> None:
            w.write(std_table, standards)
            w.write(prod_table, products)
            counts["standards"] += len(standards)
            standards.clear()
            products.clear()

        for u, (pool, count) in enumerate(zip(pools, product_counts, strict=True)):
            d = self.diligence[self.unit_inst[u]]
            for i, (name, category) in enumerate(self.product_names(pool, count)):
                index = len(self.product_label)
                self.product_label.append(name)
                self.product_unit.append(u)
                current: tuple[str, int, int] | None = None  # (effective date, version, id) in force
                roll = rng.random()
                if roll < 0.06:
                    counts["no_standard"] += 1
                elif roll < 0.11:
                    counts["draft_only"] += 1
                    make(index, name, category, 1, published=False, days_ago=0, d=d)
                else:
                    first = rng.randint(200, 1800)
                    versions = 2 if roll > 0.7 else 1
                    future = rng.random() < 0.03
                    for v in range(1, versions + 1):
                        last = v == versions
                        days_ago = -rng.randint(5, 60) if (last and future) else (
                            first if v == 1 else rng.randint(20, 190))
                        pk, effective = make(index, name, category, v, published=True, days_ago=days_ago, d=d)
                        if days_ago >= 0 and (current is None or (effective, v) > current[:2]):
                            current = (effective, v, pk)
                    counts["future_only" if future and versions == 1 else "published"] += 1
                    if rng.random() < 0.05:
                        make(index, name, category, versions + 1, published=False, days_ago=0, d=d)
                products.append((self.first_product + index, self.unit_ids[u], name, self.key(name), category,
                                 len(self.product_label) % 33 != 0 or i == 0, current[2] if current else None))
            if len(products) >= CHUNK:
                flush()
        flush()
        counts["products"] = len(self.product_label)
        return counts

    # Staff and the audit trail --------------------------------------------------------------
    def _staff(self, w: Any, inst_ids: list[int], offices: dict[int, int]) -> dict[str, list[tuple[int, str]]]:
        """An admin per institution, an operator per 40 units, three office staff per province."""
        from pantau.accounts.models import Membership, User

        next_user = w.next_id(User)
        users: list[tuple[Any, ...]] = []
        members: list[tuple[Any, ...]] = []
        made: dict[str, list[tuple[int, str]]] = {"admin": [], "operator": [], "office": []}

        def add(kind: str, username: str, full_name: str, role: str, office: int | None, inst: int | None,
                unit: int | None) -> None:
            pk = next_user + len(users)
            users.append((pk, username, "!bench-unusable", full_name))
            members.append((pk, role, office, inst, unit))
            made[kind].append((pk, username))

        for i, pk in enumerate(inst_ids):
            add("admin", f"admin.i{pk}", f"Admin {self.inst_names[i]}"[:150], "institution_admin", None, pk, None)
        for u in range(0, len(self.unit_ids), 40):
            pk = self.unit_ids[u]
            add("operator", f"operator.u{pk}", f"Operator {self.unit_label[u]}"[:150], "unit_operator", None, None, pk)
        for province, office in offices.items():
            for role in ("head_of_office", "assessor", "examiner"):
                add("office", f"{role.split('_')[0]}.p{province}", f"Staf Perwakilan {province}", role, office, None,
                    None)
        w.write(w.table(User, ["id", "username", "password", "full_name"]), users)
        first_member = w.next_id(Membership)
        w.write(w.table(Membership, ["id", "user_id", "role", "office_id", "institution_id", "unit_id"]),
                ((first_member + n, *m) for n, m in enumerate(members)))
        self.operator_of_inst: dict[int, list[tuple[int, str]]] = {}
        for (pk, username), u in zip(made["operator"], range(0, len(self.unit_ids), 40), strict=True):
            self.operator_of_inst.setdefault(self.unit_inst[u], []).append((pk, username))
        return made

    def _audit(self, w: Any, inst_ids: list[int], users: dict[str, list[tuple[int, str]]]) -> int:
        from pantau.core.models import AuditEvent

        rng = self.rng
        total = self.profile.events or EVENTS_PER_PRODUCT * len(self.product_label)
        span = AUDIT_YEARS * 365 * 86400
        # More activity lately: the registry grows.
        offsets = sorted(span * (1 - rng.random() ** 0.6) for _ in range(total))
        start = w.now - dt.timedelta(seconds=span)
        kinds = [k for k, _ in EVENT_TYPES]
        weights = list(itertools.accumulate(wt for _, wt in EVENT_TYPES))
        office_by_province: dict[int, list[tuple[int, str]]] = {}
        for pk, username in users["office"]:
            office_by_province.setdefault(int(username.rsplit(".p", 1)[1]), []).append((pk, username))
        national = (self.admin_id, BENCH_USERNAME)
        n_products, n_units, n_std = len(self.product_label), len(self.unit_ids), len(self.std_product)
        table = w.table(AuditEvent, ["id", "at", "actor_id", "actor_name", "request_id", "event_type", "object_type",
                                     "object_id", "object_repr", "institution_id", "province_id", "before", "after",
                                     "reason"])
        first = w.next_id(AuditEvent)
        dumps = json.dumps

        def rows() -> Any:
            for n, offset in enumerate(offsets):
                kind = rng.choices(kinds, cum_weights=weights)[0]
                before: Any = None
                after: Any = None
                reason = ""
                group = kind.split(".")[0]
                if group == "standard" and n_std:
                    s = rng.randrange(n_std)
                    p = self.std_product[s]
                    inst = self.unit_inst[self.product_unit[p]]
                    obj = ("registry.servicestandard", self.first_standard + s,
                           f"{self.product_label[p]} v{self.std_version[s]}")
                    if kind == "standard.published":
                        after = {"version": int(self.std_version[s]), "present_count": rng.randint(6, 14),
                                 "effective_date": (start + dt.timedelta(seconds=offset)).date().isoformat()}
                    else:
                        after = {"requirements": "KTP-el pemohon\nFormulir permohonan"}
                elif group == "product" or (group == "standard" and not n_std):
                    p = rng.randrange(n_products)
                    inst = self.unit_inst[self.product_unit[p]]
                    name = self.product_label[p]
                    obj = ("registry.serviceproduct", self.first_product + p, name)
                    if kind == "product.created":
                        after = {"name": name, "category": "lainnya", "description": "", "is_active": True}
                    elif kind == "product.updated":
                        before, after = {"description": ""}, {"description": f"Layanan {name.lower()}"}
                    else:
                        active = kind == "product.reactivated"
                        before, after = {"is_active": not active}, {"is_active": active}
                        reason = "Layanan dipindahkan ke Mal Pelayanan Publik"
                elif group == "unit":
                    u = rng.randrange(n_units)
                    inst = self.unit_inst[u]
                    obj = ("registry.serviceunit", self.unit_ids[u], self.unit_label[u])
                    if kind == "unit.created":
                        after = {"name": self.unit_label[u], "phone": ""}
                    else:
                        before, after = {"phone": ""}, {"phone": f"0511-{rng.randint(100000, 999999)}"}
                else:
                    inst = rng.randrange(len(inst_ids))
                    obj = ("registry.institution", inst_ids[inst], self.inst_names[inst])
                    after = {"website": f"https://layanan.example.go.id/{inst_ids[inst]}"}
                    before = {"website": ""} if kind == "institution.updated" else None
                province = self.inst_province[inst]
                roll = rng.random()
                if roll < 0.7:
                    actor = users["admin"][inst]
                elif roll < 0.9 and inst in self.operator_of_inst:
                    actor = rng.choice(self.operator_of_inst[inst])
                elif province is not None and province in office_by_province:
                    actor = rng.choice(office_by_province[province])
                else:
                    actor = national
                yield (first + n, w.ts(start + dt.timedelta(seconds=offset)), actor[0], actor[1],
                       f"{rng.getrandbits(64):016x}", kind, obj[0], str(obj[1]), obj[2][:255], inst_ids[inst],
                       province, None if before is None else dumps(before), None if after is None else dumps(after),
                       reason)

        return int(w.write(table, rows()))


def _copy(plan: Any, k: int) -> Any:
    from dataclasses import replace

    return replace(plan, name=f"{plan.name} (salinan {k})")


def _fold_key() -> Any:
    from pantau.core.text import fold_key

    return fold_key


def rebuild(analyze: bool = True) -> dict[str, Any]:
    """Run the rebuild commands that exist (other branches add them), then ANALYZE."""
    from django.core.management import call_command, get_commands
    from django.db import connection

    done: dict[str, Any] = {}
    available = get_commands()
    for command in ("rebuild_aggregates", "search_reindex"):
        if command not in available:
            print(f"bench: notice: no command {command} yet; skipped", file=sys.stderr)
            done[command] = "absent"
            continue
        t = time.monotonic()
        call_command(command)
        done[command] = round(time.monotonic() - t, 1)
    if analyze:
        t = time.monotonic()
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        done["analyze"] = round(time.monotonic() - t, 1)
    return done


def generate(scale: Scale | None = None, seed: int = 2026, *, profile: Profile | None = None,
             post: bool = False) -> dict[str, Any]:
    """Write the synthetic registry into the configured database (regions must be loaded).

    ``profile`` (or a plain ``scale``, one copy); ``post``: then run the rebuild commands and ANALYZE."""
    if profile is None:
        profile = Profile("custom", scale or PROFILES["x1"].scale)
    t = time.monotonic()
    summary = Generator(profile, seed).run()
    if post:
        summary["post"] = rebuild()
    summary["total_seconds"] = round(time.monotonic() - t, 1)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the synthetic registry")
    gen.add_argument("--profile", choices=sorted(PROFILES), default="x1")
    gen.add_argument("--institutions", type=int, help="override the profile's numbers (one copy)")
    gen.add_argument("--units", type=int)
    gen.add_argument("--products", type=int)
    gen.add_argument("--seed", type=int, default=2026)
    prep = sub.add_parser("prepare", help="session cookie and URL lists for the load tool")
    prep.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    _setup_django()
    if args.command == "generate":
        profile = PROFILES[args.profile]
        if args.institutions or args.units or args.products:
            s = profile.scale
            profile = Profile("custom", Scale(args.institutions or s.institutions, args.units or s.units,
                                              args.products or s.products))
        result = generate(profile=profile, seed=args.seed, post=True)
    else:
        result = prepare(args.out)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
