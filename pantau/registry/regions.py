"""Load provinces and regencies/cities (Kemendagri codes and boundaries) from package data.

The boundaries go to their own tables (``ProvinceBoundary``, ``RegencyBoundary``; ADR 0015)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from pantau.registry.models import Province, ProvinceBoundary, Regency, RegencyBoundary
from pantau.registry.regionmap import forget_boundaries

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LoadResult:
    provinces_created: int
    provinces_updated: int
    regencies_created: int
    regencies_updated: int


def _features(name: str) -> list[dict[str, Any]]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        features: list[dict[str, Any]] = json.load(fh)["features"]
    return features


def _geometry(feature: dict[str, Any]) -> str:
    return json.dumps(feature["geometry"], separators=(",", ":"))


def regency_kind(name: str) -> str:
    return Regency.Kind.KOTA if name.lower().startswith("kota ") else Regency.Kind.KABUPATEN


@transaction.atomic
def load_regions() -> LoadResult:
    """Insert or update every province and regency; running it again changes nothing new."""
    counts = [0, 0, 0, 0]
    provinces = {p.code: p for p in Province.objects.all()}
    province_shapes = dict(ProvinceBoundary.objects.values_list("pk", "geometry"))
    for feature in _features("provinces.geojson"):
        props = feature["properties"]
        values = {"name": props["name"], "lat": props.get("lat"), "lng": props.get("lng")}
        geometry = _geometry(feature)
        existing = provinces.get(props["code"])
        if existing is None:
            provinces[props["code"]] = Province.objects.create(code=props["code"], **values)
            ProvinceBoundary.objects.create(province=provinces[props["code"]], geometry=geometry)
            counts[0] += 1
        elif (any(getattr(existing, k) != v for k, v in values.items())
              or province_shapes.get(existing.pk) != geometry):
            Province.objects.filter(pk=existing.pk).update(**values)
            ProvinceBoundary.objects.update_or_create(province=existing, defaults={"geometry": geometry})
            counts[1] += 1
    regencies = {r.code: r for r in Regency.objects.all()}
    regency_shapes = dict(RegencyBoundary.objects.values_list("pk", "geometry"))
    for feature in _features("regencies.geojson"):
        props = feature["properties"]
        province = provinces[props["code"].split(".")[0]]
        values = {"name": props["name"], "province_id": province.pk, "kind": regency_kind(props["name"]),
                  "lat": props.get("lat"), "lng": props.get("lng")}
        geometry = _geometry(feature)
        existing_r = regencies.get(props["code"])
        if existing_r is None:
            regency = Regency.objects.create(code=props["code"], **values)
            RegencyBoundary.objects.create(regency=regency, geometry=geometry)
            counts[2] += 1
        elif (any(getattr(existing_r, k) != v for k, v in values.items())
              or regency_shapes.get(existing_r.pk) != geometry):
            Regency.objects.filter(pk=existing_r.pk).update(**values)
            RegencyBoundary.objects.update_or_create(regency=existing_r, defaults={"geometry": geometry})
            counts[3] += 1
    if any(counts):
        codes = list(provinces)
        transaction.on_commit(lambda: forget_boundaries(codes))
    return LoadResult(*counts)
