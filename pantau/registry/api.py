"""Registry API: public reads of regions, providers and published standards."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from pantau.api import PUBLIC_READ
from pantau.registry.models import Province

router = Router(tags=["registry"])


class ProvinceOut(Schema):
    code: str
    name: str


@router.get("/provinces", response=list[ProvinceOut], auth=PUBLIC_READ)
def provinces(request: HttpRequest) -> list[Province]:
    return list(Province.objects.only("code", "name"))
