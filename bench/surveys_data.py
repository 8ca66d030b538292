"""Survey data for ``bench/surveys.py``: a registry of minimal rows and one survey campaign per
unit, written with raw SQL in big batches (``bench.rawdb``: SQLite ``executemany`` in one
transaction, PostgreSQL ``COPY``), then every campaign's tallies built by ``tallies.rebuild``.

- Registry: the 38 provinces and 514 regencies/cities (``load_regions``), one government per
  province and per regency/city, then ministries and agencies up to ``units / 10`` institutions;
  10 units each and 3 products a unit (the big campaign's unit: 10 products).
- Surveys: the shipped ``skm-2017`` questionnaire (9 elements); a **big campaign** of ``big``
  responses on the first unit, and one campaign for each unit with ``per_unit`` responses, all
  open, with their services (the unit's products, with volumes).
- Responses are written in time order, the campaigns interleaved as submissions arrive (ids and
  ``submitted_at`` grow together): answers 1–4 skewed high (each respondent has a mood, about 3.2
  on average), about 3 % of answers missing, about 8 % partial responses (the first answers
  only, no ``submitted_at``), the profile columns varied (sex, age, education, occupation, the
  service, the channel: QR, link, paper, import), a few suggestions with commas and quotes.

Run inside the target database's environment (``python bench/surveys.py --child generate``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA_VERSION = 1  # bump when the generated survey data changes
CHUNK = 50_000  # responses drawn at a time
BIG_SERVICES = 10
UNIT_SERVICES = 3
UNITS_PER_INSTITUTION = 10
# What the cached data depends on: this generator, the batch writer, the questionnaire and the
# tallies it builds (and, below, the names of every migration: a new one means a new schema).
SOURCES = ("bench/surveys_data.py", "bench/rawdb.py", "pantau/surveys/data/skm-2017.toml",
           "pantau/surveys/tallies.py")


@dataclass(frozen=True)
class Sizes:
    name: str
    big: int  # responses of the big campaign
    units: int  # units, each with a campaign
    per_unit: int  # responses of each unit's campaign


SIZES = {
    "full": Sizes("full", 1_000_000, 6000, 300),
    "quick": Sizes("quick", 20_000, 60, 100),
}

UNIT_NAMES = (
    ("Dinas Kependudukan dan Pencatatan Sipil", "dinas"), ("Dinas Penanaman Modal dan PTSP", "dinas"),
    ("Rumah Sakit Umum Daerah", "rsud"), ("Mal Pelayanan Publik", "mpp"), ("Puskesmas Kota", "puskesmas"),
    ("Puskesmas Pasar", "puskesmas"), ("Kecamatan Tengah", "kecamatan"), ("Badan Pendapatan Daerah", "badan"),
    ("Dinas Perhubungan", "dinas"), ("Kantor Pertanahan", "kantor"),
)
PRODUCT_NAMES = (
    "Akta Kelahiran", "Kartu Keluarga", "KTP Elektronik", "Surat Pindah", "Akta Kematian", "Izin Usaha",
    "Rawat Jalan", "Legalisasi Dokumen", "Persetujuan Bangunan Gedung", "Surat Keterangan",
    "Pajak Kendaraan", "Sertifikat Tanah",
)
SEX = (("Laki-laki", "Perempuan", ""), (47, 51, 2))
EDUCATION = (("SD ke bawah", "SMP", "SMA", "D1–D3–D4", "S1", "S2", "S3", ""), (12, 15, 38, 10, 20, 4, 0.5, 0.5))
OCCUPATION = (("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya", ""), (10, 2, 2, 30, 28, 27, 1))
CHANNEL = (("qr", "web", "paper", "import"), (55, 33, 10, 2))
SUGGESTIONS = (
    "Antrean terlalu panjang, mohon tambah loket.", 'Petugas ramah, tapi "sistem sedang gangguan" terus.',
    "Ruang tunggu panas; kipas angin, tolong.", "Persyaratan di papan berbeda dengan yang diminta petugas.",
    "Sudah bagus, pertahankan!",
)
GENERATED_PREFIX = "bsv"  # the generated responses' client tokens (the bench's submissions: 32 hex digits)
MISSING = 0.03  # answers left blank in a complete response
PARTIAL = 0.08  # responses left half-way


def data_hash() -> str:
    """The sources the data depends on and the names of every migration."""
    digest = hashlib.sha256(str(DATA_VERSION).encode())
    for name in SOURCES:
        digest.update((ROOT / name).read_bytes())
    for path in sorted(ROOT.glob("pantau/*/migrations/0*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
    return digest.hexdigest()[:10]


def _answers(rng: random.Random, slots: int, partial: bool) -> tuple[bool, tuple[int | None, ...]]:
    """One respondent's answers: values 1–4 around the respondent's mood."""
    mood = rng.uniform(2.5, 3.9)
    values: list[int | None] = []
    for _ in range(slots):
        value = min(4, max(1, round(rng.gauss(mood, 0.6))))
        values.append(None if rng.random() < MISSING else value)
    if partial:
        answered = rng.randrange(slots)
        values = values[:answered] + [None] * (slots - answered)
    return not partial, tuple(values)


class Responses:
    """Rows of the response table, campaigns interleaved in time order."""

    def __init__(self, rng: random.Random, writer: Any, slots: int, start: dt.datetime, days: int) -> None:
        self.rng = rng
        self.slots = slots
        pool = [_answers(rng, slots, partial=rng.random() < PARTIAL) for _ in range(5000)]
        self.pool = pool
        self.ages: list[int | None] = [None if rng.random() < 0.04 else min(80, max(15, round(rng.gauss(38, 13))))
                                       for _ in range(1000)]
        step = days * 86400 // 20_000
        self.stamps = [writer.ts(start + dt.timedelta(seconds=k * step)) for k in range(20_000)]

    def rows(self, first_id: int, version_id: int, order: array[int], campaigns: list[int],
             services: list[list[int]]) -> Any:
        rng, stamps = self.rng, self.stamps
        counters = [0] * len(campaigns)
        total = len(order)
        pk = first_id
        for start in range(0, total, CHUNK):
            block = order[start:start + CHUNK]
            k = len(block)
            answers = rng.choices(self.pool, k=k)
            sexes = rng.choices(*SEX, k=k)
            educations = rng.choices(*EDUCATION, k=k)
            occupations = rng.choices(*OCCUPATION, k=k)
            channels = rng.choices(*CHANNEL, k=k)
            ages = rng.choices(self.ages, k=k)
            draws = [rng.random() for _ in range(k)]
            for j, c in enumerate(block):
                n = counters[c]
                counters[c] = n + 1
                complete, values = answers[j]
                offered = services[c]
                draw = draws[j]  # 5 % name no service
                product = offered[int(draw / 0.95 * len(offered))] if draw < 0.95 else None
                stamp = stamps[(start + j) * len(stamps) // total]
                yield (pk, campaigns[c], version_id, f"{GENERATED_PREFIX}{c:05d}{n:07d}", channels[j], complete,
                       product, sexes[j], ages[j], educations[j], occupations[j], "{}",
                       SUGGESTIONS[pk % len(SUGGESTIONS)] if pk % 17 == 0 else "",
                       stamp, stamp if complete else None, *values)
                pk += 1


def _registry(w: Any, rng: random.Random, sizes: Sizes, office_id: int) -> tuple[list[int], list[int], list[list[int]]]:
    """Institutions, units and products; (unit ids, their institution ids, each unit's product ids)."""
    from pantau.core.text import fold_key
    from pantau.registry.models import Institution, Province, Regency, ServiceProduct, ServiceUnit

    wanted = -(-sizes.units // UNITS_PER_INSTITUTION)
    plans: list[tuple[str, str, int | None, int | None]] = [
        (f"Pemerintah Provinsi {p.name}", "pemprov", p.pk, None) for p in Province.objects.order_by("code")]
    plans += [(f"Pemerintah {r.name}", "pemkot" if r.kind == "kota" else "pemkab", r.province_id, r.pk)
              for r in Regency.objects.order_by("code")]
    k = 0
    while len(plans) < wanted:
        k += 1
        plans.append((f"{'Kementerian' if k % 3 else 'Badan'} Layanan {k}", "kementerian" if k % 3 else "lembaga",
                      None, None))
    plans = plans[:wanted]
    first_inst = w.next_id(Institution)
    w.write(w.table(Institution, ["id", "name", "name_key", "kind", "province_id", "regency_id", "office_id"]),
            ((first_inst + i, name, fold_key(name), kind, prov, reg, office_id)
             for i, (name, kind, prov, reg) in enumerate(plans)))
    first_unit = w.next_id(ServiceUnit)
    unit_ids = list(range(first_unit, first_unit + sizes.units))
    unit_inst = [first_inst + u // UNITS_PER_INSTITUTION for u in range(sizes.units)]
    names = [UNIT_NAMES[u % len(UNIT_NAMES)] for u in range(sizes.units)]
    w.write(w.table(ServiceUnit, ["id", "institution_id", "name", "name_key", "kind", "regency_id"]),
            ((pk, inst, name, fold_key(name), kind, plans[inst - first_inst][3])
             for pk, inst, (name, kind) in zip(unit_ids, unit_inst, names, strict=True)))
    first_product = w.next_id(ServiceProduct)
    products: list[list[int]] = []
    rows = []
    pk = first_product
    for u, unit in enumerate(unit_ids):
        count = BIG_SERVICES if u == 0 else UNIT_SERVICES
        picked = rng.sample(PRODUCT_NAMES, count)
        products.append(list(range(pk, pk + count)))
        for name in picked:
            rows.append((pk, unit, name, fold_key(name)))
            pk += 1
    w.write(w.table(ServiceProduct, ["id", "unit_id", "name", "name_key"]), rows)
    return unit_ids, unit_inst, products


def generate(sizes: Sizes, seed: int = 2026) -> dict[str, Any]:
    """Write the data into the configured database (migrated here); a summary."""
    import time

    from django.core.management import call_command
    from django.db import transaction

    from bench.pages import BENCH_USERNAME
    from bench.rawdb import Writer
    from pantau.accounts.models import Membership, Role, User
    from pantau.registry.models import Office
    from pantau.surveys import services, tallies
    from pantau.surveys.models import Campaign, CampaignService, Response

    t0 = time.monotonic()
    timings: dict[str, float] = {}
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_regions", verbosity=0)
    version = services.builtin_version("skm-2017")
    slots = len(version.parsed.elements)
    admin = User.objects.filter(username=BENCH_USERNAME).first()
    if admin is None:
        admin = User.objects.create_user(username=BENCH_USERNAME, password=None, full_name="Admin Nasional Bench")
        Membership.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
    office, _ = Office.objects.get_or_create(name="Ombudsman RI (bench survei)", defaults={"is_national": True})
    rng = random.Random(seed)
    w = Writer()
    w.begin()
    try:
        with transaction.atomic():
            unit_ids, unit_inst, products = _registry(w, rng, sizes, office.pk)
            timings["registry"] = round(time.monotonic() - t0, 1)
            # Campaign 0 is the big one (on the first unit), campaign 1 + u the unit u's own.
            owners = [0, *range(sizes.units)]
            first_campaign = w.next_id(Campaign)
            campaigns = [first_campaign + c for c in range(len(owners))]
            year = 2026
            w.write(w.table(Campaign, ["id", "title", "institution_id", "unit_id", "version_id", "period_start",
                                       "period_end", "population", "population_source", "state", "public_token",
                                       "created_by_id"]),
                    ((pk, f"SKM {year}{' (besar)' if c == 0 else ''} — unit {unit_ids[u]}", unit_inst[u], unit_ids[u],
                      version.pk, f"{year}-01-01", f"{year}-12-31",
                      2_000_000 if c == 0 else rng.randint(800, 50_000), f"Register layanan {year - 1}", "open",
                      secrets.token_urlsafe(9), admin.pk)
                     for c, (pk, u) in enumerate(zip(campaigns, owners, strict=True))))
            offered = [products[u] for u in owners]
            first_service = w.next_id(CampaignService)
            w.write(w.table(CampaignService, ["id", "campaign_id", "product_id", "volume"]),
                    ((first_service + k, campaign, product, volume) for k, (campaign, product, volume) in enumerate(
                        (campaigns[c], p, rng.randint(200, 400_000 if c == 0 else 20_000))
                        for c in range(len(campaigns)) for p in offered[c])))
            order = array("i", [0]) * sizes.big
            for c in range(1, len(campaigns)):
                order.extend(array("i", [c]) * sizes.per_unit)
            shuffled = order.tolist()
            rng.shuffle(shuffled)
            order = array("i", shuffled)
            del shuffled
            maker = Responses(rng, w, slots, dt.datetime(year, 1, 2, 7, tzinfo=dt.UTC), 330)
            first_response = w.next_id(Response)  # before the COPY: it holds the connection
            columns = ["id", "campaign_id", "version_id", "client_token", "channel", "complete", "product_id", "sex",
                       "age", "education", "occupation", "extra", "suggestion", "started_at", "submitted_at",
                       *(f"a{i}" for i in range(1, slots + 1))]
            t = time.monotonic()
            written = w.write(w.table(Response, columns),
                              maker.rows(first_response, version.pk, order, campaigns, offered))
            timings["responses"] = round(time.monotonic() - t, 1)
    finally:
        w.end()
    t = time.monotonic()
    tallies.rebuild_many(Campaign.objects.filter(pk__in=campaigns).select_related("version").order_by("pk"))
    timings["tallies"] = round(time.monotonic() - t, 1)
    t = time.monotonic()
    w.analyze()
    timings["analyze"] = round(time.monotonic() - t, 1)
    return {"big_campaign": campaigns[0], "campaigns": len(campaigns), "units": len(unit_ids),
            "responses": written, "timings": timings, "generate_s": round(time.monotonic() - t0, 1)}
