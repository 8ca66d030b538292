"""Public JSON for the home page map: region boundaries and completeness per region.

Boundaries hardly ever change: they are served with a long ``Cache-Control`` and an ETag, gzip-
compressed once (not per request) for clients that accept it. Completeness changes whenever a
standard is published, so it is cached for a minute only.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from pantau.core.access import PUBLIC, access
from pantau.registry import regionmap

BOUNDARY_MAX_AGE = 24 * 3600
STATS_MAX_AGE = 60
STATS_KEY = f"regionmap:{regionmap.CACHE_VERSION}:completeness"


def _accepts_gzip(request: HttpRequest) -> bool:
    accepted = request.headers.get("Accept-Encoding", "")
    return any(part.split(";")[0].strip() == "gzip" and not part.strip().endswith(";q=0")
               for part in accepted.split(","))


def json_payload(request: HttpRequest, payload: regionmap.Payload, *, max_age: int) -> HttpResponse:
    """Send a prepared JSON payload: gzip when accepted, 304 when the client has this version."""
    gzipped = _accepts_gzip(request)
    etag = f'"{payload.digest}{"-gz" if gzipped else ""}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(payload.gzipped if gzipped else payload.raw, content_type="application/json")
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


@access(PUBLIC)
def provinces(request: HttpRequest) -> HttpResponse:
    """GeoJSON FeatureCollection of the provinces (``id`` and ``properties.code`` = Kemendagri code)."""
    return json_payload(request, regionmap.provinces_geojson(), max_age=BOUNDARY_MAX_AGE)


@access(PUBLIC)
def regencies(request: HttpRequest, code: str) -> HttpResponse:
    """GeoJSON FeatureCollection of one province's regencies and cities."""
    payload = regionmap.regencies_geojson(code) if (len(code) == 2 and code.isdigit()) else None
    if payload is None:
        raise Http404("unknown province")
    return json_payload(request, payload, max_age=BOUNDARY_MAX_AGE)


@access(PUBLIC)
def completeness(request: HttpRequest) -> HttpResponse:
    """Public products and their average completeness (%) per province and per regency code."""
    payload: regionmap.Payload | None = cache.get(STATS_KEY)
    if payload is None:
        payload = regionmap.Payload.of(regionmap.completeness_document())
        cache.set(STATS_KEY, payload, STATS_MAX_AGE)
    return json_payload(request, payload, max_age=STATS_MAX_AGE)
