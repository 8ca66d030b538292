"""The full recompute of a period's results at national scale (600 institutions, 6 000 units,
50 000 products, every item answered): the same rows as ``services_results.recompute`` +
``results_store``, bit for bit (a test compares them), in bounded memory and seconds.

- **One streaming read**: every answer of the period in one query, ordered by institution
  (``iterator``, so the rows never sit in memory all at once);
- **scored in memory** with ``scoring.score_answers``, ``BATCH`` institutions at a time
  (institutions are scored independently; a batch's answers, steps and rows are released before
  the next is read, which keeps the peak memory flat whatever the period's size);
- **written in bulk**: the period's draft rows deleted once, each batch inserted as
  ``bulk_create`` would store it (PostgreSQL ``COPY``, SQLite ``executemany``: ``_insert``);
  one audit event (``result.computed``) in the same transaction;
- **rankings** from the stored institution scores in memory (``ranking.rank``).

Published results are never touched (refused as in ``results_store``: a correction is a new
version). ``bench/assess.py`` measures it against a per-object ORM computation.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.assessments import ranking, scoring, services
from pantau.assessments.methodology import Methodology
from pantau.assessments.models import Answer, DocumentEncoder, MethodologyVersion, Period, Result
from pantau.assessments.services_period import actor_name
from pantau.assessments.services_results import canonical_value, result_fields, step_json
from pantau.core import audit
from pantau.registry import selectors as registry

BATCH = 40  # institutions scored (and their rows held) at a time
WRITE_BATCH = 500  # rows an INSERT
READ_CHUNK = 5000


def _text(step: scoring.Step, texts: dict[int, str]) -> str:
    """The breakdown as the field stores it (``json.dumps(step_json(step), cls=DocumentEncoder)``),
    made once per step: a step whose parts are all rows already written (a unit's tree inside its
    institution's, a product's inside its unit's) takes their text as it is (the same bytes: the
    encoder's default separators), instead of encoding their trees again."""
    if step.parts and all(id(p) in texts for p in step.parts):
        head = json.dumps({"name": step.name, "value": None if step.value is None else str(step.value),
                           "formula": step.formula, "parts": []}, cls=DocumentEncoder)
        return head[:-2] + ", ".join(texts[id(p)] for p in step.parts) + "]}"
    return json.dumps(step_json(step), cls=DocumentEncoder)


def _rows(version: MethodologyVersion, document: Methodology, card: scoring.Scorecard) -> Iterator[dict[str, Any]]:
    """The result rows of a scorecard, as ``services_results.recompute`` makes them (children
    before their parent), the breakdown as its JSON text (``breakdown_json``)."""
    texts: dict[int, str] = {}

    def walk(result: scoring.Result) -> Iterator[dict[str, Any]]:
        for child in result.children:
            yield from walk(child)
        key, fields = result_fields(version, document, result)
        text = texts[id(result.step)] = _text(result.step, texts)
        yield {"key": key, **fields, "breakdown_json": text}

    for institution in card.institutions:
        yield from walk(institution)


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
        batch.append(scoring.Answer(str(i), str(u), "" if p is None else str(p), item, canonical_value(value), reason))
    if batch:
        yield batch


# The columns an insert gives; every other column of ``Result`` takes its default (version 1,
# current, not published, no reason, no publication time).
GIVEN = ("period_id", "key", "level", "institution_id", "sampled_unit_id", "sampled_product_id",
         "methodology_version_id", "score", "exact", "category", "category_label", "zone", "breakdown",
         "computed_by_name", "computed_at")


def _insert(period: Period, name: str, rows: Iterator[dict[str, Any]]) -> int:
    """Insert result rows as ``bulk_create`` would store them, without its per-field work: the
    breakdown encoded once by the field's own encoder, the score formatted as the backend's
    ``adapt_decimalfield_value`` does; PostgreSQL through ``COPY`` (the JSON of a national period
    is some 130 MB: ``bulk_create`` spent 15 s adapting it), SQLite through ``executemany``.
    ``test_recompute_bulk`` reads the rows back and compares them with the per-object path's."""
    fields: dict[str, Any] = {f.attname: f for f in Result._meta.concrete_fields}
    rest = [f for f in Result._meta.concrete_fields if f.attname not in GIVEN and not f.primary_key]
    ops = connection.ops
    now = timezone.now()
    computed_at = fields["computed_at"].get_db_prep_save(now, connection)
    tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    score = fields["score"]
    columns = ", ".join(connection.ops.quote_name(str(c)) for c in (*GIVEN, *(f.column for f in rest)))
    table = connection.ops.quote_name(Result._meta.db_table)

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        return (period.pk, row["key"], row["level"], row["institution_id"], row["sampled_unit_id"],
                row["sampled_product_id"], row["methodology_version_id"],
                ops.adapt_decimalfield_value(row["score"], score.max_digits, score.decimal_places), row["exact"],
                row["category"], row["category_label"], row["zone"], row["breakdown_json"],
                name, computed_at, *tail)

    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    count += 1
        return count
    marks = ", ".join(["%s"] * (len(GIVEN) + len(rest)))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - the model's own table and columns
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(values(row))
            if len(batch) == WRITE_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def store_all(*, actor: Any, period: Period, batch: int = BATCH,
              progress: Callable[[int], None] | None = None) -> int:
    """Recompute and store every draft result of the period (replacing earlier drafts); the
    number of rows. Refused once a result is published."""
    version = period.methodology_version
    document = services.document_of(version)
    name = actor_name(actor)
    # Millions of short-lived steps, strings and Decimals, none in a reference cycle: the cyclic
    # garbage collector would walk them again and again (it doubled the time at national scale).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _store(actor, period, version, document, name, batch, progress)
    finally:
        if collecting:
            gc.enable()


def _store(actor: Any, period: Period, version: MethodologyVersion, document: Methodology, name: str, batch: int,
           progress: Callable[[int], None] | None) -> int:
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
            stored += _insert(period, name, _rows(version, document, card))
            del card, answers
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
