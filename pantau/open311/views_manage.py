"""The national admin's screen for the Open311 API keys: the clients with the reports each filed, a form
that issues a key, and a POST-only revocation.

Issuing and revoking are the services of ``pantau.open311.keys`` (checked, audited). A new key is shown once,
in the answer to the POST that issued it (rendered, never redirected, and never cached); only its hash is
stored, so no later page can show it again. Nothing here logs the key.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pantau.accounts import rules as r
from pantau.core.access import access
from pantau.core.forms import add_validation_error
from pantau.open311 import keys
from pantau.open311.models import ApiClient

MAX_HOURLY_LIMIT = 100_000
LIMIT_RANGE = gettext_lazy("Batas per jam berupa angka bulat antara 1 dan 100.000.")


class IssueForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama aplikasi"), max_length=150,
        help_text=gettext_lazy("Aplikasi atau lembaga yang akan memakai kunci ini, misalnya “Aplikasi Warga Kota”."),
        error_messages={"required": gettext_lazy("Isi nama aplikasi yang memakai kunci ini."),
                        "max_length": gettext_lazy("Nama aplikasi paling panjang 150 karakter.")})
    hourly_limit = forms.IntegerField(
        label=gettext_lazy("Batas laporan per jam"), min_value=1, max_value=MAX_HOURLY_LIMIT, initial=60,
        help_text=gettext_lazy("Laporan yang boleh dikirim aplikasi ini dalam satu jam (1–100.000)."),
        error_messages={"required": gettext_lazy("Isi batas laporan per jam."), "invalid": LIMIT_RANGE,
                        "min_value": LIMIT_RANGE, "max_value": LIMIT_RANGE})


def _clients() -> QuerySet[ApiClient]:
    """Every client with its creator and the number of reports filed through it, in one query."""
    return (ApiClient.objects.select_related("created_by").annotate(report_count=Count("submissions"))
            .order_by("-is_active", "-created_at", "-pk"))


def _page(request: HttpRequest, form: IssueForm, *, raw: str | None = None, issued: ApiClient | None = None,
          status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "raw": raw, "issued": issued, "clients": _clients()}
    response = render(request, "open311/manage/clients.html", context, status=status)
    if raw is not None:
        add_never_cache_headers(response)  # the key is in this page: no cache may keep it
    return response


@access(r.is_national_admin)
def clients(request: HttpRequest) -> HttpResponse:
    """The clients, and the issue form; a successful POST shows the new key once."""
    if request.method != "POST":
        return _page(request, IssueForm())
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            client, raw = keys.client_issue(actor=request.user, name=form.cleaned_data["name"],
                                            hourly_limit=form.cleaned_data["hourly_limit"])
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            return _page(request, IssueForm(), raw=raw, issued=client)
    return _page(request, form, status=422)


@access(r.is_national_admin)
@require_POST
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a client's key (a second time: nothing changes, and the page says so)."""
    client = get_object_or_404(ApiClient, pk=pk)
    if not client.is_active:
        messages.info(request, _("Kunci %(name)s sudah dicabut sebelumnya.") % {"name": client.name})
        return redirect("open311_manage:list")
    try:
        keys.client_revoke(actor=request.user, client=client)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Kunci %(name)s dicabut; aplikasi itu tidak dapat mengirim laporan lagi.")
                         % {"name": client.name})
    return redirect("open311_manage:list")
