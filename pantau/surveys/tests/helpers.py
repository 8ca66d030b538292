"""Survey test helpers: an open SKM campaign at Tabalong's Disdukcapil, answers to it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pantau.surveys import services
from pantau.surveys.models import Campaign

SKM_CODES = ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "sarana", "pengaduan")


def make_campaign(c: Any, *, slug: str = "skm-2017", state: str = Campaign.State.OPEN, population: int | None = 500,
                  volume: int | None = 300) -> Campaign:
    version = services.builtin_version(slug)
    campaign = services.campaign_create(
        actor=c.admin_tabalong, unit=c.dukcapil, version=version,
        data={"title": "SKM 2026", "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31),
              "population": population, "population_source": "Register 2025"},
        services=[(c.ktp.pk, volume)])
    if state in (Campaign.State.OPEN, Campaign.State.CLOSED, Campaign.State.PUBLISHED):
        campaign = services.campaign_set_state(actor=c.admin_tabalong, campaign=campaign, state=Campaign.State.OPEN)
    return campaign


def answer(campaign: Campaign, values: dict[str, Any] | int, *, complete: bool = True, token: str | None = None,
           **profile: Any) -> Any:
    if isinstance(values, int):
        values = {code: values for code in SKM_CODES}
    response, _created = services.response_submit(
        campaign=campaign, client_token=token or uuid.uuid4().hex, answers=values, profile=profile,
        complete=complete)
    return response
