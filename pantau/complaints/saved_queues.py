"""Saved queue filters: a staff member names the queue's current filters (``/kelola/laporan/?…``) and finds
them again as a link above the queue, for themselves or shared with an office they work in (the office's
"reports awaiting verification", an examiner's "mine by deadline", a team's "very overdue").

A saved filter is only a query string: opening it goes through the queue's own scope, so a shared filter
never shows anyone more than their role and office allow. Only the queue's filter names are kept (anything
else is dropped), at most ``LIMIT`` per person; saving again under a name replaces that filter.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from pantau.complaints import selectors
from pantau.complaints.forms_manage import QueueFilterForm
from pantau.complaints.models import SavedQueue

LIMIT = 20  # saved filters per person
NAME_LIMIT = 80
SHOWN = 40  # own and shared filters listed above the queue


def clean_query(raw: str) -> str:
    """The queue filters of the query string ``raw`` that the queue accepts, in a stable order."""
    given = QueryDict(raw[:2000])
    return query_of(QueueFilterForm({k: given.get(k, "") for k in QueueFilterForm.base_fields}))


def query_of(form: QueueFilterForm) -> str:
    """The accepted filters of a queue filter form as a query string, in a stable order."""
    kept = {name: form.value(name) for name in QueueFilterForm.base_fields}
    return urlencode(sorted((name, value) for name, value in kept.items() if value))


def offices_of(user: Any) -> list[int]:
    return sorted(selectors.ombudsman_offices(user))


def visible(user: Any) -> list[SavedQueue]:
    """The user's own saved filters and those shared with their offices, by name (one query)."""
    shared = Q(office_id__in=offices_of(user))
    return list(SavedQueue.objects.filter(Q(owner=user) | shared).select_related("owner")
                .order_by("name", "pk")[:SHOWN])


@transaction.atomic
def save(*, actor: Any, name: str, query: str, shared: bool = False) -> SavedQueue:
    """Save (or replace, under the same name) the filters ``query`` for ``actor``; shared with their office
    when ``shared`` (their first Ombudsman office)."""
    name = " ".join(str(name).split())
    problems = []
    if not name:
        problems.append(_("Beri nama saringan ini."))
    elif len(name) > NAME_LIMIT:
        problems.append(_("Nama saringan paling banyak %(n)d karakter.") % {"n": NAME_LIMIT})
    cleaned = clean_query(query)
    if not cleaned:
        problems.append(_("Pilih dulu saringan daftar laporan, lalu simpan."))
    offices = offices_of(actor)
    if shared and not offices:
        problems.append(_("Saringan hanya dapat dibagikan dengan kantor tempat Anda bekerja."))
    if problems:
        raise ValidationError(problems)
    existing = SavedQueue.objects.select_for_update().filter(owner=actor, name=name).first()
    if existing is None and SavedQueue.objects.filter(owner=actor).count() >= LIMIT:
        raise ValidationError(_("Anda sudah menyimpan %(n)d saringan; hapus satu dulu.") % {"n": LIMIT})
    saved = existing or SavedQueue(owner=actor, name=name)
    saved.query, saved.office_id = cleaned, (offices[0] if shared else None)
    saved.save()
    return saved


@transaction.atomic
def delete(*, actor: Any, pk: int) -> None:
    """Delete one of ``actor``'s own saved filters (another person's answers 404)."""
    deleted, _rows = SavedQueue.objects.filter(pk=pk, owner=actor).delete()
    if not deleted:
        raise Http404
