"""Demo surveys: for each active unit of Pemkab Tabalong, a published SKM of last year with its
responses (their IKM shows on the public pages), and an open SKM of this year at Disdukcapil with
some responses, and a published maladministration-perception survey of the whole institution, so
``make demo`` shows every screen."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from pantau.accounts.models import User
from pantau.registry.models import Institution, ServiceUnit
from pantau.surveys import services, tallies
from pantau.surveys.models import Campaign, Channel, Kind, Response

PUBLISHED_PREFIX = "SKM"
SEXES = ("Laki-laki", "Perempuan")
EDUCATION = ("SD ke bawah", "SMP", "SMA", "D1–D3–D4", "S1", "S2")
OCCUPATION = ("PNS", "Swasta", "Wirausaha", "Lainnya")


def _responses(campaign: Campaign, count: int, rng: random.Random, skill: float) -> None:
    """``count`` responses; ``skill`` is the share of best answers (IKM: 4; perception: "Tidak",
    no maladministration seen — else mostly "Tidak tahu", sometimes "Ya")."""
    product_ids = list(campaign.services.values_list("product_id", flat=True))
    n = len(campaign.version.parsed.elements)
    perception = campaign.version.parsed.kind == Kind.PERCEPTION
    rows = []
    now = timezone.now()
    for i in range(count):
        row: dict[str, Any] = {}
        for slot in range(1, n + 1):
            if perception:
                value = 2 if rng.random() < skill else (3 if rng.random() < 0.6 else 1)
            else:
                value = 4 if rng.random() < skill else (3 if rng.random() < 0.8 else 2)
            row[f"a{slot}"] = value
        complete = i % 12 != 11  # about one in twelve left the form half-way
        if not complete:
            row = {k: (v if int(k[1:]) <= 4 else None) for k, v in row.items()}
        token = uuid.UUID(int=rng.getrandbits(128)).hex
        rows.append(Response(campaign=campaign, version=campaign.version, client_token=token,
                             channel=Channel.QR if i % 3 else Channel.WEB, complete=complete,
                             product_id=rng.choice(product_ids) if product_ids else None, sex=rng.choice(SEXES),
                             age=rng.randint(18, 70), education=rng.choice(EDUCATION),
                             occupation=rng.choice(OCCUPATION), submitted_at=now if complete else None,
                             started_at=now, **row))
    Response.objects.bulk_create(rows, batch_size=500)
    tallies.rebuild(campaign)


def load(seed: int = 2026) -> str:
    if Campaign.objects.filter(title__startswith=PUBLISHED_PREFIX).exists():
        return _state()
    tabalong = Institution.objects.filter(name="Pemerintah Kabupaten Tabalong").first()
    admin = User.objects.filter(username="admin.tabalong").first()
    if tabalong is None or admin is None:
        return "surveys demo: skipped (the registry demo is not loaded)"
    rng = random.Random(seed)
    skm = services.builtin_versions()["skm-2017"]
    year = dt.date.today().year
    with transaction.atomic():
        for unit in ServiceUnit.objects.filter(institution=tabalong, is_active=True).order_by("pk"):
            products = list(unit.products.filter(is_active=True).order_by("pk")[:6])
            last = services.campaign_create(
                actor=admin, unit=unit, version=skm,
                data={"title": f"{PUBLISHED_PREFIX} {year - 1} — {unit.name}", "period_start": dt.date(year - 1, 7, 1),
                      "period_end": dt.date(year - 1, 12, 31), "population": rng.randint(800, 6000),
                      "population_source": f"Register layanan {year - 2}"},
                services=[(p.pk, rng.randint(100, 2000)) for p in products])
            _responses(last, rng.randint(90, 160), rng, skill=rng.uniform(0.35, 0.7))
            for state in (Campaign.State.OPEN, Campaign.State.CLOSED, Campaign.State.PUBLISHED):
                last = services.campaign_set_state(actor=admin, campaign=last, state=state)
        dukcapil = ServiceUnit.objects.get(institution=tabalong, name="Dinas Kependudukan dan Pencatatan Sipil")
        current = services.campaign_create(
            actor=admin, unit=dukcapil, version=skm,
            data={"title": f"Survei Kepuasan Masyarakat {year}", "period_start": dt.date(year, 1, 1),
                  "period_end": dt.date(year, 12, 31), "population": 4200,
                  "population_source": f"Register layanan {year - 1}"},
            services=[(p.pk, None) for p in dukcapil.products.filter(is_active=True).order_by("pk")[:6]])
        services.campaign_set_state(actor=admin, campaign=current, state=Campaign.State.OPEN)
        _responses(current, 37, rng, skill=0.55)
        _whole_institution(admin, tabalong, rng, year)
    return _state()


def _whole_institution(admin: User, institution: Institution, rng: random.Random, year: int) -> None:
    """A published maladministration-perception survey of the whole institution (users of every
    unit, its services from several units): the page at /survei/instansi/<id>/."""
    products = [p for unit in ServiceUnit.objects.filter(institution=institution, is_active=True).order_by("pk")
                for p in unit.products.filter(is_active=True).order_by("pk")[:2]]
    campaign = services.campaign_create(
        actor=admin, institution=institution, version=services.builtin_versions()["persepsi-maladministrasi"],
        data={"title": f"Survei Persepsi Maladministrasi {year - 1} — {institution.name}",
              "period_start": dt.date(year - 1, 8, 1), "period_end": dt.date(year - 1, 10, 31),
              "population": None, "population_source": ""},
        services=[(p.pk, None) for p in products])
    _responses(campaign, 120, rng, skill=0.8)
    for state in (Campaign.State.OPEN, Campaign.State.CLOSED, Campaign.State.PUBLISHED):
        campaign = services.campaign_set_state(actor=admin, campaign=campaign, state=state)


def _state() -> str:
    published = Campaign.objects.filter(state=Campaign.State.PUBLISHED).count()
    open_ = Campaign.objects.filter(state=Campaign.State.OPEN).count()
    return f"surveys demo: {published} published, {open_} open, {Response.objects.count()} responses"



