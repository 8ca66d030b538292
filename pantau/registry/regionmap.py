"""Data for the public completeness map: region boundaries as GeoJSON and completeness per region.

Boundaries (``ProvinceBoundary``, ``RegencyBoundary``: apart from the region rows, ADR 0015;
loaded by ``pantau load_regions``) are large: the provinces hold ~93 000 points. For a map on a
phone they are rounded to 2 decimals (≈1 km) for the national view and 3 decimals (≈100 m) for a
province's regencies, consecutive repeated points are dropped and rings that collapse are left
out. The FeatureCollection is built once, gzip-compressed once and kept in Django's cache with
its ETag (``load_regions`` forgets it).

Completeness is the average, over the public products of the institutions of a region, of the
16 items of ``completeness.score_expression()``: read from the region summary rows (ADR 0014),
one small query per level.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from pantau.registry import components as comp
from pantau.registry.completeness import percent
from pantau.registry.models import Province, ProvinceBoundary, ProvinceSummary, RegencyBoundary, RegencySummary

PROVINCE_DECIMALS = 2
REGENCY_DECIMALS = 3
CACHE_SECONDS = 7 * 24 * 3600
CACHE_VERSION = "1"  # bump when the shape or the rounding changes


@dataclass(frozen=True)
class Payload:
    """A JSON document ready to send: its bytes, the same bytes gzip-compressed, and an ETag."""

    raw: bytes
    gzipped: bytes
    digest: str

    @classmethod
    def of(cls, document: Any) -> Payload:
        raw = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
        return cls(raw, gzip.compress(raw, compresslevel=9, mtime=0), hashlib.sha256(raw).hexdigest()[:32])


Ring = list[tuple[float, float]]


def _ring(points: Iterable[Any], decimals: int) -> Ring | None:
    out: Ring = []
    for point in points:
        p = (round(float(point[0]), decimals), round(float(point[1]), decimals))
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None  # a ring needs three distinct corners


def simplify(geometry: dict[str, Any], decimals: int) -> dict[str, Any] | None:
    """A (Multi)Polygon rounded to ``decimals``, as a MultiPolygon; None if nothing is left."""
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    result = []
    for polygon in polygons:
        if not polygon:
            continue
        outer = _ring(polygon[0], decimals)
        if outer is None:
            continue
        holes = [h for h in (_ring(ring, decimals) for ring in polygon[1:]) if h is not None]
        result.append([outer, *holes])
    return {"type": "MultiPolygon", "coordinates": result} if result else None


def feature_collection(rows: Iterable[tuple[str, str, str]], decimals: int) -> dict[str, Any]:
    """GeoJSON of ``(code, name, boundary)`` rows; regions without a usable boundary are left out."""
    features = []
    for code, name, boundary in rows:
        if not boundary:
            continue
        try:
            geometry = simplify(json.loads(boundary), decimals)
        except (ValueError, TypeError, KeyError, IndexError):
            geometry = None
        if geometry is None:
            continue
        features.append({"type": "Feature", "id": code, "properties": {"code": code, "name": name},
                         "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _key(name: str) -> str:
    return f"regionmap:{CACHE_VERSION}:{name}"


def provinces_geojson() -> Payload:
    """Every province's boundary (built once, then from the cache)."""
    payload: Payload | None = cache.get(_key("provinces"))
    if payload is None:
        rows = ProvinceBoundary.objects.order_by("province__code").values_list(
            "province__code", "province__name", "geometry")
        payload = Payload.of(feature_collection(rows, PROVINCE_DECIMALS))
        cache.set(_key("provinces"), payload, CACHE_SECONDS)
    return payload


def regencies_geojson(province_code: str) -> Payload | None:
    """The boundaries of a province's regencies and cities; None for an unknown province."""
    key = _key(f"regencies:{province_code}")
    payload: Payload | None = cache.get(key)
    if payload is None:
        province = Province.objects.filter(code=province_code).only("pk").first()
        if province is None:
            return None
        rows = (RegencyBoundary.objects.filter(regency__province=province).order_by("regency__code")
                .values_list("regency__code", "regency__name", "geometry"))
        payload = Payload.of(feature_collection(rows, REGENCY_DECIMALS))
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def forget_boundaries(province_codes: Iterable[str]) -> None:
    """Drop the cached GeoJSON (called after the regions are loaded anew)."""
    cache.delete_many([_key("provinces"), *(_key(f"regencies:{code}") for code in province_codes)])


@dataclass(frozen=True)
class RegionStat:
    code: str
    products: int
    percent: int

    def as_json(self) -> dict[str, int]:
        return {"products": self.products, "percent": self.percent}


def _stats(model: Any, code: str) -> dict[str, RegionStat]:
    rows = model.objects.filter(public_count__gt=0).values_list(code, "public_count", "public_score_sum")
    return {c: RegionStat(c, n, percent(present, n * comp.TOTAL)) for c, n, present in rows}


def province_stats() -> dict[str, RegionStat]:
    """Per province code: public products of its institutions and their average completeness (%),
    from the province summary rows (one small query)."""
    return _stats(ProvinceSummary, "province__code")


def regency_stats() -> dict[str, RegionStat]:
    """Per regency/city code: the same, for institutions of a regency or city."""
    return _stats(RegencySummary, "regency__code")


def completeness_document() -> dict[str, Any]:
    return {
        "items": comp.TOTAL,
        "provinces": {code: s.as_json() for code, s in province_stats().items()},
        "regencies": {code: s.as_json() for code, s in regency_stats().items()},
    }
