"""Public results pages (issue 8, "Results"): the published periods, one period's table with its
rankings, zone distribution and map, one institution's result explained step by step, and its
rapor PDF. Every page reads ``results_public`` (published, current results of published official
periods only) and is served from the page cache keyed by the results stamp, which changes only
on a publication or a correction."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from pantau.assessments import breakdown, ranking, rapor, rapor_data
from pantau.assessments import results_public as rp
from pantau.assessments.models import Period, Result
from pantau.core.access import PUBLIC, access
from pantau.core.pagecache import CACHE_HEADER, Uncached, cached_bytes, render_cached
from pantau.registry import selectors as registry

PAGE_ROWS = 100  # institutions a page of the period table
MAX_YEAR = 2100


def _period(year: int) -> Period:
    period = rp.period_of_year(year) if 2000 <= year <= MAX_YEAR else None
    if period is None:
        raise Http404
    return period


def _stamp() -> tuple[Any, ...]:
    """Every results page is keyed by the published periods' newest change and count: a
    publication or a correction anywhere changes it (a page also shows the previous period and
    the trend). A cache hit costs this one small query; what a page needs of its period, and the
    404 for an unknown year or institution, is read only when it renders."""
    return rp.index_stamp()


@access(PUBLIC)
def index(request: HttpRequest) -> HttpResponse:
    """Every published official period, newest first."""
    def context() -> dict[str, Any]:
        periods = list(rp.published_periods())
        return {"periods": periods}
    return render_cached(request, "assessments/results/index.html", context, parts=rp.index_stamp())


def _filters(request: HttpRequest, provinces: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    errors = []
    kind = request.GET.get("jenis", "")
    if kind and kind not in rp.KINDS:
        errors.append(_("Jenis instansi “%(value)s” tidak dikenal.") % {"value": kind[:30]})
    province = request.GET.get("provinsi", "")
    if province and province not in provinces:
        errors.append(_("Kode provinsi “%(value)s” tidak dikenal.") % {"value": province[:30]})
    raw = request.GET.get("halaman", "1")
    page = int(raw) if raw.isdigit() and len(raw) < 6 else 0
    if page < 1:
        errors.append(_("Halaman harus bilangan bulat mulai dari 1."))
    return {"kind": kind, "province": province, "page": page}, errors


@access(PUBLIC)
def period_page(request: HttpRequest, year: int) -> HttpResponse:
    """One period: the institutions with score, category, zone, ranks and movement (filters by
    kind and province, 100 a page), the zone distribution and the map by province."""
    return render_cached(request, "assessments/results/period.html",
                         lambda: _period_context(request, _period(year)), parts=_stamp())


def _period_context(request: HttpRequest, period: Period) -> dict[str, Any] | Uncached:
    doc = rp.document(period.methodology_version)
    provinces = {p["code"]: p["name"] for p in registry.province_rows().values()}
    filters, errors = _filters(request, provinces)
    base = {"period": period, "document": doc, "kinds": rp.KINDS, "provinces": sorted(provinces.items()),
            "filters": filters}
    if errors:
        return Uncached({**base, "errors": errors, "rows": []}, status=400)
    rows, _rankings = rp.ranked_rows(period)
    shown = [r for r in rows if (not filters["kind"] or r.entry.kind == filters["kind"])
             and (not filters["province"] or r.entry.province == filters["province"])]
    pages = max(1, -(-len(shown) // PAGE_ROWS))
    if filters["page"] > pages:
        return Uncached({**base, "errors": [_("Halaman %(page)d tidak ada; ada %(pages)d halaman.")
                                            % {"page": filters["page"], "pages": pages}], "rows": []}, status=400)
    start = (filters["page"] - 1) * PAGE_ROWS
    labels = {z.code: str(rp.ZONE_NAMES.get(z.code, z.label)) for z in doc.zones}
    query = {k: v for k, v in (("jenis", filters["kind"]), ("provinsi", filters["province"])) if v}
    return {**base, "rows": shown[start:start + PAGE_ROWS], "total": len(shown), "all_total": len(rows),
            "page": filters["page"], "pages": pages, "query": "&".join(f"{k}={v}" for k, v in query.items()),
            "distribution": ranking.distribution((r.entry for r in shown), labels=labels),
            "map_rows": rp.regency_zones(doc, shown) if filters["province"] else rp.province_zones(doc, shown),
            "map_of": filters["province"], "previous": rp.previous_period(period),
            "moves": rp.MOVES, "zone_names": rp.ZONE_NAMES, "corrected": [r for r in shown if r.corrected]}


@access(PUBLIC)
def institution_page(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """One institution's result: score, category, zone, dimensions, units (and products), each
    number with the steps that made it, the corrections and the trend over the periods."""
    return render_cached(request, "assessments/results/institution.html",
                         lambda: _institution_context(_period(year), pk), parts=_stamp())


def _institution_context(period: Period, pk: int) -> dict[str, Any]:
    result = rp.institution_result(period, pk)
    if result is None:
        raise Http404
    doc = rp.document(period.methodology_version)
    institution = registry.institution_rows([pk]).get(pk, {"name": str(pk), "kind": ""})
    units = rp.unit_results(period, pk)
    products = rp.product_results(period, pk)
    unit_names = {u["id"]: u["name"] for u in registry.unit_rows({u.sampled_unit.unit_id for u in units
                                                                   if u.sampled_unit}).values()}
    product_ids = {p.sampled_product.product_id for ps in products.values() for p in ps if p.sampled_product}
    product_names = {p["id"]: p["name"] for p in registry.product_rows(product_ids).values()}
    names = {f"unit {u.sampled_unit_id}": unit_names.get(u.sampled_unit.unit_id, "") for u in units if u.sampled_unit}
    names.update({f"produk {p.sampled_product_id}": product_names.get(p.sampled_product.product_id, "")
                  for ps in products.values() for p in ps if p.sampled_product})
    names = {k: f"{v} ({k})" for k, v in names.items() if v}
    names[f"instansi {pk}"] = institution["name"]
    budget = [breakdown.NODES]
    dims = breakdown.dimension_points([u.breakdown for u in units] or [result.breakdown])
    dimensions = [{"code": d.code, "title": d.title, "maximum": d.points, "points": dims.get(d.code)}
                  for d in doc.dimensions]
    unit_rows = []
    for u in units:
        unit_dims = breakdown.dimension_points([u.breakdown])
        unit_rows.append({
            "result": u, "name": unit_names.get(u.sampled_unit.unit_id, "") if u.sampled_unit else "",
            "dims": [unit_dims.get(d.code) for d in doc.dimensions],
            "tree": breakdown.html(u.breakdown, names=names, depth=1, budget=budget),  # items: unit_page
            "products": [{"result": p, "name": product_names.get(p.sampled_product.product_id, "")
                          if p.sampled_product else "", "product_id": p.sampled_product.product_id
                          if p.sampled_product else None} for p in products.get(u.sampled_unit_id or 0, [])]})
    history = list(Result.objects.filter(period=period, key=result.key, is_published=True)
                   .order_by("-version")) if result.version > 1 else []
    return {"period": period, "document": doc, "result": result, "institution": institution,
            "kind_label": rp.KINDS.get(institution.get("kind", ""), ""), "zone_names": rp.ZONE_NAMES,
            "dimensions": dimensions, "units": unit_rows, "history": history,
            "tree": breakdown.html(result.breakdown, names=names, depth=1, budget=budget),
            "trend": rp.institution_trend(pk)}


@access(PUBLIC)
def unit_page(request: HttpRequest, year: int, pk: int, unit: int) -> HttpResponse:
    """One sampled unit of an institution's result: every step down to each item (and product)."""
    return render_cached(request, "assessments/results/unit.html",
                         lambda: _unit_context(_period(year), pk, unit), parts=_stamp())


def _unit_context(period: Period, pk: int, unit: int) -> dict[str, Any]:
    result = next(iter(rp.unit_results(period, pk, sampled_unit=unit)), None)
    if result is None or result.sampled_unit is None:
        raise Http404
    institution = registry.institution_rows([pk]).get(pk, {"name": str(pk), "kind": ""})
    unit_name = registry.unit_rows([result.sampled_unit.unit_id]).get(result.sampled_unit.unit_id, {}).get("name", "")
    products = rp.product_results(period, pk, sampled_unit=unit).get(unit, [])
    product_names = {p["id"]: p["name"] for p in registry.product_rows(
        {p.sampled_product.product_id for p in products if p.sampled_product}).values()}
    names = {f"unit {unit}": f"{unit_name} (unit {unit})" if unit_name else f"unit {unit}"}
    names.update({f"produk {p.sampled_product_id}": f"{product_names.get(p.sampled_product.product_id, '')} "
                  f"(produk {p.sampled_product_id})" for p in products if p.sampled_product})
    return {"period": period, "institution": institution, "result": result, "name": unit_name,
            "products": [{"result": p, "name": product_names.get(p.sampled_product.product_id, ""),
                          "product_id": p.sampled_product.product_id} for p in products if p.sampled_product],
            "tree": breakdown.html(result.breakdown, names=names)}


@access(PUBLIC)
def rapor_pdf(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The institution's rapor as PDF (Indonesian; ``?bahasa=en`` for English)."""
    language = rapor.language_of(request.GET.get("bahasa"))

    def make() -> bytes:
        data = rapor_data.build(_period(year), pk)
        if data is None:  # no published result of that institution
            raise Http404
        return rapor_data.render(data, language)

    # Made once per publication or correction (the stamp) and language; then served from the cache.
    # Only a rapor that was made is kept: an unknown year or institution is a 404 each time.
    pdf, state = cached_bytes(("rapor", *_stamp(), year, pk, language), make,
                              templates=(rapor.TEMPLATE,))
    response = HttpResponse(pdf, content_type="application/pdf")
    response[CACHE_HEADER] = state
    response["Content-Disposition"] = f'inline; filename="rapor-{year}-{pk}.pdf"'
    return response
