"""The follow-up plan of a campaign (rencana tindak lanjut): add an item for a weak element, update
its status with what was done."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.accounts import rules as r
from pantau.core.access import access
from pantau.core.forms import add_validation_error
from pantau.surveys import results, selectors, services, services_follow_up
from pantau.surveys.models import Campaign, FollowUp


class FollowUpForm(forms.Form):
    element = forms.ChoiceField(label=gettext_lazy("Unsur"))
    action = forms.CharField(label=gettext_lazy("Tindakan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=gettext_lazy("Penanggung jawab (jabatan atau bagian)"), max_length=150)
    due_date = forms.DateField(label=gettext_lazy("Target selesai"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=FollowUp.Status.choices)
    note = forms.CharField(label=gettext_lazy("Catatan (apa yang sudah dilakukan)"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        result = results.campaign_result(campaign)
        weakest = [e["code"] for e in sorted((result["index"] or {}).get("elements", []),
                                             key=lambda e: e.get("nrr", e.get("score", 0)))]
        elements = {q.code: q.text for q in campaign.version.parsed.elements}
        order = weakest + [c for c in elements if c not in weakest]
        field = self.fields["element"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, elements[code]) for code in order]


@access(r.can_edit_registry)
def follow_up_edit(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(request.user).select_related("unit", "version"), pk=pk)
    if not services.can_manage(request.user, campaign):
        return render(request, "core/404.html", status=404)
    item = get_object_or_404(FollowUp, pk=item_pk, campaign=campaign) if item_pk else None
    initial = {k: getattr(item, k) for k in services_follow_up.FIELDS} if item else {
        "element": request.GET.get("unsur", "")[:40]}
    form = FollowUpForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_follow_up.follow_up_save(actor=request.user, campaign=campaign, data=form.cleaned_data,
                                              item=item)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Rencana tindak lanjut tersimpan."))
            return redirect("survey_manage:detail", pk=campaign.pk)
    return render(request, "surveys/manage/follow_up.html", {"form": form, "campaign": campaign, "item": item},
                  status=422 if request.method == "POST" else 200)
