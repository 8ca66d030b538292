"""The full recompute of a period's results at national scale (600 institutions, 6 000 units,
50 000 products, every item answered): the same rows as ``services_results.recompute`` +
``store_results``, bit for bit (a test compares them), in bounded memory and seconds.

- **One streaming read**: every answer of the period in one query, ordered by institution
  (``iterator``, so the rows never sit in memory all at once);
- **scored in memory** with ``scoring.score_answers``, ``BATCH`` institutions at a time
  (institutions are scored independently; a batch's answers, steps and rows are released before
  the next is read, which keeps the peak memory flat whatever the period's size);
- **written in bulk**: the period's draft rows deleted once, each batch inserted with
  ``bulk_create``; one audit event (``result.computed``) in the same transaction;
- **rankings** from the stored institution scores in memory (``ranking.rank``).

Published results are never touched (refused as in ``store_results``: a correction is a new
version). ``bench/assess.py`` measures it against a per-object ORM computation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.assessments import ranking, scoring, services
from pantau.assessments.methodology import Methodology
from pantau.assessments.models import Answer, MethodologyVersion, Period, Result
from pantau.assessments.services_period import actor_name
from pantau.assessments.services_results import step_json
from pantau.core import audit
from pantau.registry import selectors as registry

BATCH = 40  # institutions scored (and their rows held) at a time
WRITE_BATCH = 500  # rows an INSERT
READ_CHUNK = 5000


def _rows(version: MethodologyVersion, document: Methodology, card: scoring.Scorecard) -> Iterator[dict[str, Any]]:
    """The result rows of a scorecard, as ``services_results.recompute`` makes them."""
    rounding = scoring.RULES[document.aggregation.rounding]
    stack = list(reversed(card.institutions))
    while stack:
        result = stack.pop()
        if result.level == "institution":
            key, unit, product = f"i:{result.institution}", None, None
        elif result.level == "unit":
            key, unit, product = f"u:{result.unit}", int(result.unit), None
        else:
            key, unit, product = f"p:{result.product}", int(result.unit), int(result.product)
        yield {
            "key": key, "level": result.level, "institution_id": int(result.institution), "sampled_unit_id": unit,
            "sampled_product_id": product, "methodology_version_id": version.pk,
            "score": result.score.quantize(document.step, rounding=rounding), "exact": str(result.score),
            "category": result.band.code, "category_label": result.band.label[:100], "zone": result.zone.code,
            "breakdown": step_json(result.step),
        }
        stack.extend(reversed(result.children))


def _batches(period: Period, size: int) -> Iterator[list[scoring.Answer]]:
    """The period's answers, one streaming query ordered by institution, cut into batches of
    ``size`` whole institutions."""
    rows = (Answer.objects.filter(sampled_unit__period=period)
            .order_by("sampled_unit__institution_id", "sampled_unit_id", "sampled_product_id", "item")
            .values_list("sampled_unit__institution_id", "sampled_unit_id", "sampled_product_id", "item", "value",
                         "reason").iterator(chunk_size=READ_CHUNK))
    batch: list[scoring.Answer] = []
    institutions = 0
    current = None
    for i, u, p, item, value, reason in rows:
        if i != current:
            if institutions == size:
                yield batch
                batch, institutions = [], 0
            current = i
            institutions += 1
        batch.append(scoring.Answer(str(i), str(u), "" if p is None else str(p), item, value, reason))
    if batch:
        yield batch


def store_all(*, actor: Any, period: Period, batch: int = BATCH,
              progress: Callable[[int], None] | None = None) -> int:
    """Recompute and store every draft result of the period (replacing earlier drafts); the
    number of rows. Refused once a result is published."""
    version = period.methodology_version
    document = services.document_of(version)
    name = actor_name(actor)
    stored = 0
    with transaction.atomic():
        if Result.objects.filter(period=period, is_published=True).exists():
            raise ValidationError(_("Hasil periode ini sudah dipublikasikan; perbaikan disimpan sebagai koreksi."))
        Result.objects.filter(period=period).delete()
        for answers in _batches(period, batch):
            try:
                card = scoring.score_answers(document, answers)
            except scoring.ScoringError as exc:
                raise ValidationError(_("Hasil belum dapat dihitung: %(problem)s") % {"problem": exc}) from exc
            objs = [Result(period=period, computed_by_name=name, **row) for row in _rows(version, document, card)]
            Result.objects.bulk_create(objs, batch_size=WRITE_BATCH)
            stored += len(objs)
            del card, objs, answers
            if progress is not None:
                progress(stored)
        audit.record(actor=actor, event_type="result.computed", obj=period, after={"results": stored})
    return stored


def rank_stored(period: Period, previous: Period | None = None) -> ranking.Rankings:
    """The rankings of the period's current institution results (and movement since ``previous``)."""
    def entries(p: Period) -> list[ranking.Entry]:
        rows = list(Result.objects.filter(period=p, is_current=True, level=Result.Level.INSTITUTION)
                    .values_list("institution_id", "score", "category", "zone"))
        names = registry.institution_rows([r[0] for r in rows])
        provinces = registry.province_rows()
        era = p.methodology_version.methodology.era
        out = []
        for pk, score, category, zone in rows:
            inst = names.get(pk, {})
            province = provinces.get(inst.get("province_id") or 0, {}).get("code", "")
            out.append(ranking.Entry(pk, inst.get("name", ""), inst.get("kind", "") or "?", province,
                                     Decimal(score), category, zone, era))
        return out
    return ranking.rank(entries(period), entries(previous) if previous is not None else None)
