"""Unit changes for providers and heads of office: record a merge, split, dissolution or rename
with its date, and correct or undo one (``unit_changes``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pantau.accounts import rules as r
from pantau.core.access import access
from pantau.core.forms import posted, save_form, submit_once
from pantau.registry import unit_changes
from pantau.registry.forms import ReasonForm, UnitEventCorrectForm, UnitEventForm
from pantau.registry.models import UnitEvent
from pantau.registry.selectors import can_edit_institution, institutions_for
from pantau.registry.views_manage import form_page


@access(r.can_edit_registry)
def unit_event(request: HttpRequest, institution_pk: int) -> HttpResponse:
    inst = get_object_or_404(institutions_for(request.user), pk=institution_pk)
    if not can_edit_institution(request.user, inst):
        return render(request, "core/404.html", status=404)
    unit_changes.unit_events_apply_due(institution=inst)
    form = UnitEventForm(posted(request), units=inst.units.filter(is_active=True).order_by("name"))
    submit_once(form)

    def save(d: dict[str, Any]) -> str:
        unit_changes.unit_event_record(
            actor=request.user, kind=d["kind"], date=d["date"], institution=inst,
            from_units=list(d["units"]), new_names=(d["new_names"] or "").splitlines(), into=d["into"],
            destinations=form.destinations(), legal_basis=d["legal_basis"], note=d["note"],
        )
        return reverse("manage:institution", kwargs={"pk": inst.pk})

    if url := save_form(request, form, save, _("Perubahan unit tercatat.")):
        return redirect(url)
    return form_page(request, form, _("Catat perubahan unit: %s") % inst.name)


def _event(request: HttpRequest, pk: int) -> UnitEvent | None:
    event = get_object_or_404(
        UnitEvent.objects.select_related("institution").filter(institution__in=institutions_for(request.user)), pk=pk)
    return event if can_edit_institution(request.user, event.institution) else None


@access(r.can_edit_registry)
def unit_event_correct(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if event is None or event.state == UnitEvent.State.UNDONE:
        return render(request, "core/404.html", status=404)
    initial = {"date": event.date, "legal_basis": event.legal_basis, "note": event.note}
    form = UnitEventCorrectForm(posted(request), initial=initial)

    def save(d: dict[str, Any]) -> str:
        unit_changes.unit_event_correct(actor=request.user, event=event, reason=d["reason"], data={
            "date": d["date"], "legal_basis": d["legal_basis"], "note": d["note"]})
        return reverse("manage:institution", kwargs={"pk": event.institution_id})

    if url := save_form(request, form, save, _("Perubahan unit dikoreksi.")):
        return redirect(url)
    return form_page(request, form, _("Koreksi perubahan unit: %s") % event)


@access(r.can_edit_registry)
def unit_event_undo(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if event is None or event.state == UnitEvent.State.UNDONE:
        return render(request, "core/404.html", status=404)
    form = ReasonForm(posted(request))

    def save(d: dict[str, Any]) -> str:
        unit_changes.unit_event_undo(actor=request.user, event=event, reason=d["reason"])
        return reverse("manage:institution", kwargs={"pk": event.institution_id})

    if url := save_form(request, form, save, _("Perubahan unit dibatalkan.")):
        return redirect(url)
    if event.state == UnitEvent.State.PENDING:
        intro = _("Perubahan ini belum berlaku; membatalkannya menghapus rencana ini. Unit dan layanannya tetap "
                  "seperti sekarang.")
    else:
        intro = _("Perubahan ini sudah berlaku sejak %s. Membatalkannya mengaktifkan lagi unit lama dan "
                  "mengembalikan produk layanannya.") % event.date.strftime("%d-%m-%Y")
    return form_page(request, form, _("Batalkan perubahan unit: %s") % event, intro=intro)
