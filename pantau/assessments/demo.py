"""Demo assessments (a step of ``demo_setup``, after the registry's demo data): a published 2022
period on ``ombudsman-2022`` over the demo regions, and an open period of this year with work in
progress, so ``make demo`` shows the results pages, the rapor and the assessors' work list.

- **Penilaian Kepatuhan 2022** (national office): Pemprov Kalimantan Selatan, Pemkab Tabalong,
  Balangan, Barito Selatan and Musi Banyuasin, every active unit with its first products sampled,
  the assessor of each region's office assigned, every item answered (seeded: each institution has
  its own diligence, so zones differ), submitted, approved, published. Its dates are in 2022, so
  every guard of the workflow passes today.
- **Penilaian Kepatuhan <this year>** (Kalsel office, collecting): Tabalong and Balangan sampled and
  assigned to asisten.kalsel; one unit answered and submitted, one answered, submitted and returned
  with a comment, one half answered, the rest untouched.

Everything goes through the services (each write with its audit event). Idempotent: nothing is
done when the 2022 period exists; without the registry demo (no Kalsel office) it is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from pantau.accounts.models import User
from pantau.assessments import methodology, services, services_answers, services_evidence, services_period
from pantau.assessments.models import MethodologyVersion, Period, SampledUnit
from pantau.registry import selectors as registry

PUBLISHED_TITLE = "Penilaian Kepatuhan Standar Pelayanan Publik 2022"
OPEN_TITLE = "Penilaian Kepatuhan Standar Pelayanan Publik"
PUBLISHED_INSTITUTIONS = {  # name → (the region's assessor, diligence: the share of items well met)
    "Pemerintah Provinsi Kalimantan Selatan": ("asisten.kalsel", 0.93),
    "Pemerintah Kabupaten Tabalong": ("asisten.kalsel", 0.82),
    "Pemerintah Kabupaten Balangan": ("asisten.kalsel", 0.62),
    "Pemerintah Kabupaten Barito Selatan": ("asisten.kalteng", 0.45),
    "Pemerintah Kabupaten Musi Banyuasin": ("asisten.sumsel", 0.88),
}
OPEN_INSTITUTIONS = ("Pemerintah Kabupaten Tabalong", "Pemerintah Kabupaten Balangan")
PRODUCTS_PER_UNIT = 3
DATES_2022 = {"collection_start": dt.date(2022, 6, 1), "collection_end": dt.date(2022, 8, 31),
              "review_end": dt.date(2022, 9, 30), "response_start": dt.date(2022, 10, 3),
              "response_end": dt.date(2022, 10, 14), "publication_date": dt.date(2022, 12, 15)}


def _value(item: Any, diligence: float, rng: random.Random) -> Decimal:
    """A realistic answer: mostly near the institution's diligence, sometimes far from it."""
    share = min(1.0, max(0.0, rng.gauss(diligence, 0.22)))
    if item.points:
        point: Decimal = min(item.points, key=lambda p: abs(float(item.normalise(p)) - share))
        return point
    value: Decimal = (item.minimum + (item.maximum - item.minimum) * Decimal(str(round(share, 2)))).quantize(Decimal(1))
    return value


def _fill(actor: Any, unit: SampledUnit, document: Any, diligence: float, rng: random.Random,
          share: float = 1.0) -> int:
    """Answer the unit's items (``share`` of them, in the document's order)."""
    items = list(document.items.values())
    items = items[: max(1, int(len(items) * share))]
    products = list(unit.products.all())
    answered = []
    for item in items:
        for product in products if item.level == "product" else [None]:
            services_answers.answer_save(actor=actor, sampled_unit=unit, item=item.code,
                                         value=_value(item, diligence, rng), sampled_product=product)
            answered.append((item, product))
    _evidence(actor, unit, document, answered)
    return len(answered)


def _demo_photo() -> bytes:
    """A small JPEG, as a phone camera would send (without EXIF)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 110, 160)).save(out, format="JPEG")
    return out.getvalue()


# A one-page PDF (the evidence check reads its signature; a viewer opens it).
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
            b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _evidence(actor: Any, unit: SampledUnit, document: Any, answered: list[tuple[Any, Any]]) -> None:
    """The evidence the methodology requires for each answered item, through the service (each
    addition audited): a note, a link, a small photo or a one-page PDF."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = _demo_photo()
    for item, product in answered:
        for kind in item.evidence:
            upload = (SimpleUploadedFile("foto.jpg", photo, "image/jpeg") if kind == "photo" else
                      SimpleUploadedFile("dokumen.pdf", DEMO_PDF, "application/pdf") if kind == "document" else None)
            services_evidence.evidence_add(
                actor=actor, sampled_unit=unit, item=item.code, kind=kind, sampled_product=product, upload=upload,
                url="https://contoh.go.id/standar-pelayanan" if kind == "url" else "",
                note="Terlihat di loket saat kunjungan." if kind == "note" else "")


def _institutions(names: Any) -> dict[str, int]:
    found = {r["name"]: r["id"] for r in registry.institutions_named(list(names))}
    return {n: found[n] for n in names if n in found}


def _version() -> MethodologyVersion:
    version, _ = services.load_version(services.SYSTEM_ACTOR, methodology.load_shipped("ombudsman-2022"))
    return version


def published_period(admin: User, users: dict[str, User], rng: random.Random) -> Period:
    institutions = _institutions(PUBLISHED_INSTITUTIONS)
    period = services_period.period_create(
        actor=admin, year=2022, title=PUBLISHED_TITLE, methodology_version=_version(), dates=DATES_2022,
        institution_ids=list(institutions.values()), office_id=None)
    document = services.document_of(period.methodology_version)
    for pk in institutions.values():
        services_period.sample_choose(actor=admin, period=period, institution_id=pk, rule="all",
                                      per_unit=PRODUCTS_PER_UNIT)
    by_id = {pk: PUBLISHED_INSTITUTIONS[name] for name, pk in institutions.items()}
    for unit in period.sampled_units.all():
        services_period.assignment_create(actor=admin, sampled_unit=unit, assessor=users[by_id[unit.institution_id][0]])
    period = services_period.period_advance(actor=admin, period=period, target="collection")
    for unit in period.sampled_units.all():
        assessor, diligence = by_id[unit.institution_id]
        _fill(users[assessor], unit, document, diligence, rng)
        services_answers.unit_submit(actor=users[assessor], sampled_unit=unit)
    period = services_period.period_advance(actor=admin, period=period, target="review")
    for unit in period.sampled_units.all():
        services_answers.unit_approve(actor=admin, sampled_unit=unit)
    period = services_period.period_advance(actor=admin, period=period, target="response")
    return services_period.period_advance(actor=admin, period=period, target="published")


def open_period(head: User, assessor: User, rng: random.Random) -> Period:
    today = timezone.localdate()
    dates = {"collection_start": today - dt.timedelta(days=20), "collection_end": today + dt.timedelta(days=40),
             "review_end": today + dt.timedelta(days=60), "response_start": today + dt.timedelta(days=61),
             "response_end": today + dt.timedelta(days=75), "publication_date": today + dt.timedelta(days=90)}
    institutions = _institutions(OPEN_INSTITUTIONS)
    office = head.memberships.filter(office__isnull=False).values_list("office_id", flat=True).first()
    period = services_period.period_create(
        actor=head, year=today.year, title=f"{OPEN_TITLE} {today.year}", methodology_version=_version(),
        dates=dates, institution_ids=list(institutions.values()), office_id=office)
    document = services.document_of(period.methodology_version)
    for pk in institutions.values():
        services_period.sample_choose(actor=head, period=period, institution_id=pk, rule="all",
                                      per_unit=PRODUCTS_PER_UNIT)
    units = list(period.sampled_units.all())
    for unit in units:
        services_period.assignment_create(actor=head, sampled_unit=unit, assessor=assessor)
    period = services_period.period_advance(actor=head, period=period, target="collection")
    units = list(period.sampled_units.order_by("institution_id", "pk"))
    if len(units) >= 3:
        submitted, returned, partial = units[0], units[1], units[2]
        _fill(assessor, submitted, document, 0.85, rng)
        services_answers.unit_submit(actor=assessor, sampled_unit=submitted)
        _fill(assessor, returned, document, 0.7, rng)
        services_answers.unit_submit(actor=assessor, sampled_unit=returned)
        item = next(iter(document.items.values()))
        product = returned.products.first() if item.level == "product" else None
        services_answers.unit_return(actor=head, sampled_unit=returned, items=[
            (item.code, product, "Foto bukti tidak terbaca; mohon diambil ulang dari depan loket.")])
        _fill(assessor, partial, document, 0.6, rng, share=0.5)
    return period


def _state() -> str:
    """The demo periods as they stand (the same words whether just made or made before)."""
    published = Period.objects.filter(title=PUBLISHED_TITLE).first()
    current = Period.objects.filter(title__startswith=OPEN_TITLE).exclude(title=PUBLISHED_TITLE).first()
    parts = []
    if published is not None:
        parts.append(f"{published.title} {published.get_status_display().lower()} "
                     f"({published.results.filter(is_current=True).count()} results)")
    if current is not None:
        parts.append(f"{current.title} {current.get_status_display().lower()} "
                     f"({current.sampled_units.count()} units)")
    return "assessments demo: " + "; ".join(parts)


def load(stdout: Any = None, seed: int = 2026) -> str:
    """Both demo periods (once); a sentence saying what is there."""
    if Period.objects.filter(title=PUBLISHED_TITLE).exists():
        return _state()
    users = {u.username: u for u in User.objects.filter(username__in=[
        "admin", "kepala.kalsel", "asisten.kalsel", "asisten.kalteng", "asisten.sumsel"])}
    if len(users) < 5:
        return "assessments demo: skipped (the registry demo is not loaded)"
    rng = random.Random(seed)
    with transaction.atomic():
        published = published_period(users["admin"], users, rng)
        current = open_period(users["kepala.kalsel"], users["asisten.kalsel"], rng)
    del published, current
    return _state()
