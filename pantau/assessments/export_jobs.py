"""The XLSX export of a period's answers and scores, as a background job (``pantau.core.jobs``)
written through ``export.write_period``: one sheet per level, rows streamed from the database.

Only who manages the period (``cycle_rules.manages_period``) may start it, and the job checks it
again when it runs. It exports the current results (drafts before publication, the published
versions after) and every answer, with each sampled unit's review status.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.assessments import breakdown, cycle_rules, export, ranking
from pantau.assessments import results_public as rp
from pantau.assessments.models import Answer, Period, Result, SampledProduct, SampledUnit
from pantau.core import hooks, jobs
from pantau.core.jobs import JobFailed, Work
from pantau.core.models import Job
from pantau.registry import selectors as registry

EXPORT = "assessments.export"
PROGRESS_EVERY = 2000
CENT = Decimal("0.01")


def _cent(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def _institutions(period: Period, names: dict[int, dict[str, Any]], provinces: dict[int, dict[str, Any]]
                  ) -> list[export.InstitutionRow]:
    rows = list(Result.objects.filter(period=period, is_current=True, level=Result.Level.INSTITUTION)
                .values_list("institution_id", "score", "category", "zone", "version").order_by("institution_id"))
    era = rp.era_of(period)
    entries = []
    for pk, score, category, zone, _version in rows:
        inst = names.get(pk, {})
        code = provinces.get(inst.get("province_id") or 0, {}).get("code", "")
        entries.append(ranking.Entry(pk, inst.get("name", ""), inst.get("kind", "") or "?", code, score, category,
                                     zone, era))
    ranks = ranking.rank(entries)
    national = {r.entry.institution: r.rank for rk in ranks.national.values() for r in rk.rows}
    provincial = {r.entry.institution: r.rank for rk in ranks.provincial.values() for r in rk.rows}
    return [export.InstitutionRow(e.institution, e.name, e.kind, e.province, e.score, e.category, e.zone,
                                  national.get(e.institution), provincial.get(e.institution), version > 1)
            for e, (_pk, _s, _c, _z, version) in zip(entries, rows, strict=True)]


def run_export(work: Work) -> None:
    period = Period.objects.select_related("methodology_version__methodology").filter(
        pk=int(work.params.get("period") or 0)).first()
    if period is None or not cycle_rules.manages_period(work.owner, period):
        raise JobFailed(_("Periode ini tidak ada atau tidak Anda kelola."))
    doc = rp.document(period.methodology_version)
    version = period.methodology_version
    info = export.PeriodInfo(period.year, f"{version.methodology.slug}@{version.version}", doc.title,
                             tuple((d.code, d.title) for d in doc.dimensions), period.is_official,
                             timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    sampled = {s["id"]: s for s in SampledUnit.objects.filter(period=period).values(
        "id", "unit_id", "institution_id", "status")}
    inst_names = registry.institution_rows({s["institution_id"] for s in sampled.values()})
    unit_names = {u["id"]: u["name"] for u in registry.unit_rows({s["unit_id"] for s in sampled.values()}).values()}
    products = dict(SampledProduct.objects.filter(sampled_unit__period=period).values_list("id", "product_id"))
    product_names = {p["id"]: p["name"] for p in registry.product_rows(set(products.values())).values()}
    statuses = dict(SampledUnit.Status.choices)
    total = Answer.objects.filter(sampled_unit__period=period).count()
    work.progress(total=total, checked=0, save=True)

    def iname(pk: int) -> str:
        return str(inst_names.get(pk, {}).get("name", pk))

    def uname(sampled_id: int) -> str:
        return unit_names.get(sampled[sampled_id]["unit_id"], "") if sampled_id in sampled else ""

    def units() -> Iterator[export.UnitRow]:
        for r in (Result.objects.filter(period=period, is_current=True, level=Result.Level.UNIT)
                  .values_list("institution_id", "sampled_unit_id", "score", "category", "zone", "breakdown")
                  .order_by("institution_id", "sampled_unit_id").iterator(chunk_size=500)):
            dims = breakdown.dimension_points([r[5]])
            yield export.UnitRow(iname(r[0]), sampled[r[1]]["unit_id"] if r[1] in sampled else r[1], uname(r[1]),
                                 r[2], r[3], r[4], tuple(_cent(dims.get(d.code)) for d in doc.dimensions))

    def product_rows() -> Iterator[export.ProductRow]:
        scores = dict(Result.objects.filter(period=period, is_current=True, level=Result.Level.PRODUCT)
                      .values_list("sampled_product_id", "score"))
        for sp, sampled_id, product_id in (SampledProduct.objects.filter(sampled_unit__period=period)
                                           .values_list("id", "sampled_unit_id", "product_id")
                                           .order_by("sampled_unit_id", "product_id").iterator(chunk_size=2000)):
            inst = sampled[sampled_id]["institution_id"]
            yield export.ProductRow(iname(inst), uname(sampled_id), product_id, product_names.get(product_id, ""),
                                    scores.get(sp))

    def answers() -> Iterator[export.AnswerRow]:
        for n, (sampled_id, sp, code, value, reason) in enumerate(
                Answer.objects.filter(sampled_unit__period=period)
                .values_list("sampled_unit_id", "sampled_product_id", "item", "value", "reason")
                .order_by("sampled_unit_id", "sampled_product_id", "item").iterator(chunk_size=2000), 1):
            item = doc.items.get(code)
            unit: dict[str, Any] = dict(sampled.get(sampled_id) or {})
            product = product_names.get(products.get(sp, 0), "") if sp else ""
            yield export.AnswerRow(iname(unit.get("institution_id", 0)), uname(sampled_id), product, code,
                                   item.dimension if item else "", item.variable if item else "",
                                   item.text if item else "", value, reason,
                                   str(statuses.get(unit.get("status", ""), "")))
            if n % PROGRESS_EVERY == 0:
                work.progress(checked=n)

    stamp = timezone.localdate().strftime("%Y%m%d")
    with work.result(f"penilaian-{period.year}-{period.pk}-{stamp}.xlsx") as out:
        rows = export.write_period(out, info, institutions=_institutions(period, inst_names, registry.province_rows()),
                                   units=units(), products=product_rows(), answers=answers())
    work.progress(checked=total, written=rows, message=_("Ekspor selesai. Unduh berkasnya di bawah ini."))


def register() -> None:
    hooks.job_kind(hooks.JobKind(EXPORT, gettext_lazy("Ekspor hasil penilaian"), run_export,
                                 interrupted_message=gettext_lazy("Ekspor terhenti sebelum selesai. Mulai ekspor "
                                                                  "sekali lagi.")))


def start_export(actor: Any, period: Period) -> Job:
    return jobs.start(EXPORT, actor, params={"period": period.pk})
