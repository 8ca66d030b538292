"""The shape of the bench data: which institutions, units, products and standard texts.

Pure planning from the regions (``pantau load_regions``) and a seeded random generator; no
database writes (``bench.generate`` writes what is planned here with raw SQL).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench import names


@dataclass(frozen=True)
class Scale:
    institutions: int = 500
    units: int = 5000
    products: int = 20000

    def check(self) -> None:
        if not (0 < self.institutions <= self.units <= self.products):
            raise ValueError("need 0 < institutions <= units <= products")


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


class Planner:
    """Plans institutions (``plan_institutions``), their units and products, and standard texts."""

    def __init__(self, scale: Scale, seed: int, *, national: bool = False) -> None:
        from pantau.registry.models import Province, Regency

        scale.check()
        self.scale = scale
        self.national = national
        self.rng = random.Random(seed)
        self.today = dt.date.today()
        # Never the boundaries (GeoJSON, tens of KB per row).
        self.provinces = list(Province.objects.order_by("code").only("pk", "code", "name"))
        self.regencies = list(Regency.objects.order_by("code").only("pk", "code", "name", "kind", "province_id"))
        if len(self.provinces) < 1 or len(self.regencies) < 1:
            raise RuntimeError("load the regions first: pantau load_regions")
        self.regencies_of: dict[int, list[Any]] = {}
        for r in self.regencies:
            self.regencies_of.setdefault(r.province_id, []).append(r)

    # Institutions ---------------------------------------------------------------------------
    def plan_institutions(self) -> list[_Plan]:
        if self.national:
            return self.plan_national()
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

    def plan_national(self) -> list[_Plan]:
        """Every provincial, regency and city government, every ministry, agency and BUMN of the
        name lists, and regional enterprises (BUMD) up to the requested number of institutions."""
        n = self.scale.institutions
        plans = [_Plan(x, "kementerian") for x in names.KEMENTERIAN]
        plans += [_Plan(x, "lembaga") for x in names.LEMBAGA]
        plans += [_Plan(x, "bumn") for x in names.BUMN]
        plans += [_Plan(f"Pemerintah Provinsi {p.name}", "pemprov", province=p) for p in self.provinces]
        seen: set[str] = set()
        for r in self.regencies:
            kind = "pemkot" if r.kind == "kota" else "pemkab"
            name = f"Pemerintah {r.name}"
            if name in seen:
                name = f"{name} ({self.province_name(r.province_id)})"
            seen.add(name)
            plans.append(_Plan(name, kind, province=self.province_by_id(r.province_id), regency=r))
        bumd: list[_Plan] = []
        for p in self.provinces:
            capital = (self.regencies_of.get(p.pk) or [None])[0]
            bumd.append(_Plan(f"PT Bank Pembangunan Daerah {p.name}", "bumd", province=p, regency=capital))
        for pattern in names.BUMD:
            for r in self.rng.sample(self.regencies, len(self.regencies)):
                bumd.append(_Plan(pattern.format(place=_place(r.name), code=r.code), "bumd",
                                  province=self.province_by_id(r.province_id), regency=r))
        if n < len(plans) or n > len(plans) + len(bumd):
            raise ValueError(f"the national profile needs {len(plans)}–{len(plans) + len(bumd)} institutions")
        return plans + bumd[: n - len(plans)]

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
                yield f"SD Negeri {i} {place}", "sekolah", "sekolah", plan.regency
                yield f"Puskesmas Pembantu {place} {i}", "puskesmas", "puskesmas", plan.regency
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

