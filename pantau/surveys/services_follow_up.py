"""Follow-up plans (rencana tindak lanjut) of a campaign: added and updated by whoever may edit the
campaign's unit, each change audited; an element must be one of the campaign's questionnaire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.core import audit
from pantau.surveys.models import Campaign, FollowUp
from pantau.surveys.services import can_manage

FIELDS = ("element", "action", "owner", "due_date", "status", "note")


def _clean(campaign: Campaign, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    codes = [q.code for q in campaign.version.parsed.elements]
    element = str(data.get("element") or "")
    if element not in codes:
        errors["element"] = [_("Pilih unsur dari kuesioner survei ini.")]
    action = str(data.get("action") or "").strip()
    if not action:
        errors["action"] = [_("Tuliskan tindakan yang akan dilakukan.")]
    elif len(action) > 1000:
        errors["action"] = [_("Paling banyak 1000 karakter.")]
    owner = str(data.get("owner") or "").strip()
    if not owner:
        errors["owner"] = [_("Tuliskan penanggung jawabnya (jabatan atau bagian).")]
    elif len(owner) > 150:
        errors["owner"] = [_("Paling banyak 150 karakter.")]
    due = data.get("due_date")
    if not isinstance(due, dt.date):
        errors["due_date"] = [_("Tanggal target wajib diisi.")]
    status = str(data.get("status") or FollowUp.Status.PLANNED)
    if status not in FollowUp.Status.values:
        errors["status"] = [_("Status tidak dikenal.")]
    note = str(data.get("note") or "").strip()
    if len(note) > 1000:
        errors["note"] = [_("Paling banyak 1000 karakter.")]
    if status in (FollowUp.Status.DONE, FollowUp.Status.DROPPED) and not note:
        errors["note"] = [_("Tuliskan apa yang sudah dilakukan, atau mengapa dibatalkan.")]
    if errors:
        raise ValidationError(errors)
    return {"element": element, "action": action, "owner": owner, "due_date": due, "status": status, "note": note}


def _check(actor: Any, campaign: Campaign) -> None:
    if not can_manage(actor, campaign):
        raise ValidationError(_("Anda tidak dapat mengubah rencana tindak lanjut survei ini."))


def _snapshot(item: FollowUp) -> dict[str, Any]:
    return {k: str(getattr(item, k)) for k in FIELDS}


@transaction.atomic
def follow_up_save(*, actor: Any, campaign: Campaign, data: Mapping[str, Any],
                   item: FollowUp | None = None) -> FollowUp:
    _check(actor, campaign)
    clean = _clean(campaign, data)
    before = None
    if item is None:
        item = FollowUp(campaign=campaign, created_by=actor)
    else:
        item = FollowUp.objects.select_for_update().get(pk=item.pk, campaign=campaign)
        before = _snapshot(item)
    for key, value in clean.items():
        setattr(item, key, value)
    item.save()
    audit.record(actor=actor, event_type="follow_up.saved" if before else "follow_up.created", obj=item,
                 before=before, after=_snapshot(item), institution_id=campaign.institution_id)
    return item
