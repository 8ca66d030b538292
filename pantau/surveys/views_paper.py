"""Keying in paper questionnaires: a grid of rows (one questionnaire each), keyboard only — every
answer a one-character field in tab order, 1–4 (perception: 1 Ya, 2 Tidak, 3 Tidak tahu), blank
when not answered. All rows of a page are stored together or none (row-level errors), each with a
token made when the grid was handed out, so sending the page again stores nothing twice."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.accounts import rules as r
from pantau.core import audit
from pantau.core.access import access
from pantau.surveys import imports, selectors, services
from pantau.surveys import jobs as survey_jobs
from pantau.surveys.models import Campaign, Channel

ROWS = 10
PROFILE = ("layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan")


class RowErrors(Exception):
    def __init__(self, errors: dict[int, list[str]]) -> None:
        super().__init__("rows")
        self.errors = errors


def _rows(request: HttpRequest, campaign: Campaign) -> list[dict[str, Any]]:
    parsed = campaign.version.parsed
    fields = [f for f in parsed.fields if f.code in PROFILE]
    count = ROWS
    if request.method == "POST":
        try:
            count = min(max(int(request.POST.get("rows", ROWS)), 1), 50)
        except ValueError:
            count = ROWS
    rows = []
    for i in range(count):
        if request.method == "POST":
            token = request.POST.get(f"r{i}-token", "")[:64]
            answers = {q.code: request.POST.get(f"r{i}-{q.code}", "").strip()[:2] for q in parsed.elements}
            profile = {f.code: request.POST.get(f"r{i}-p-{f.code}", "").strip()[:200] for f in fields}
        else:
            token, answers, profile = f"paper-{uuid.uuid4().hex}", {}, {}
        rows.append({"index": i, "number": i + 1, "token": token, "answers": answers, "profile": profile,
                     "cells": [(q, answers.get(q.code, "")) for q in parsed.elements],
                     "fields": [(f, profile.get(f.code, "")) for f in fields],
                     "empty": not any(answers.values()) and not any(profile.values())})
    return rows


def _store(request: HttpRequest, campaign: Campaign, rows: list[dict[str, Any]]) -> int:
    errors: dict[int, list[str]] = {}
    stored = 0
    with transaction.atomic():
        for row in rows:
            if row["empty"]:
                continue
            try:
                _response, created = services.response_submit(
                    campaign=campaign, client_token=row["token"], answers=row["answers"], profile=row["profile"],
                    complete=True, channel=Channel.PAPER, actor=request.user)
            except ValidationError as exc:
                errors[row["number"]] = [m for ms in getattr(exc, "message_dict", {"": exc.messages}).values()
                                         for m in ms]
            except services.Rejected as exc:
                errors[row["number"]] = [str(exc)]
            else:
                stored += int(created)
        if errors:
            transaction.set_rollback(True)
            raise RowErrors(errors)
        if stored:
            audit.record(actor=request.user, event_type="responses.keyed", obj=campaign,
                         after={"responses": stored}, institution_id=campaign.institution_id)
    return stored


@access(r.can_edit_registry)
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(request.user).select_related("unit", "version"), pk=pk)
    if not services.can_manage(request.user, campaign):
        return render(request, "core/404.html", status=404)
    rows = _rows(request, campaign)
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        if all(row["empty"] for row in rows):
            errors = {0: [_("Semua baris kosong; tidak ada yang disimpan.")]}
        else:
            try:
                stored = _store(request, campaign, rows)
            except RowErrors as exc:
                errors = exc.errors
            else:
                messages.success(request, _("%(n)d kuesioner tersimpan.") % {"n": stored})
                return redirect("survey_manage:paper", pk=campaign.pk)
    services_list = list(campaign.services.select_related("product").order_by("product__name"))
    return render(request, "surveys/manage/paper.html", {
        "campaign": campaign, "rows": rows, "errors": sorted(errors.items()), "services": services_list,
        "elements": campaign.version.parsed.elements, "row_count": len(rows),
        "fields": [f for f in campaign.version.parsed.fields if f.code in PROFILE],
        "top": len(campaign.version.parsed.elements[0].choices) if campaign.version.parsed.elements else 4,
    }, status=422 if errors else 200)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas CSV atau XLSX (paling besar 50 MB)"))


@access(r.can_edit_registry)
def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload responses exported from another tool: checked and stored by a background job."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user).select_related("unit", "version"), pk=pk)
    if not services.can_manage(request.user, campaign):
        return render(request, "core/404.html", status=404)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error("file", _("Berkas lebih besar dari 50 MB; bagi datanya ke beberapa berkas."))
        else:
            return redirect("jobs:detail", survey_jobs.start_import(request.user, campaign.pk, upload).pk)
    codes = [q.code for q in campaign.version.parsed.elements]
    return render(request, "surveys/manage/import.html", {"campaign": campaign, "form": form, "codes": codes},
                  status=422 if form.errors else 200)
