"""Form helpers shared by all modules: service errors on the form, stale-form conflicts,
one-time tokens against replayed create POSTs, and work kept across an expired session."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.core.concurrency import BASE_FIELD, EditConflict, base_token
from pantau.core.models import SubmittedForm

ONCE_FIELD = "once"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEPT = "kept_forms"  # session key: {token: {"path": ..., "data": {...}}}
KEPT_MAX_BYTES = 200_000
KEPT_MAX_FORMS = 5


def add_validation_error(form: forms.BaseForm, exc: ValidationError, default_field: str | None = None) -> None:
    """Attach a service's ValidationError to the form: per field where the field exists."""
    if isinstance(exc, EditConflict):
        show_conflict(form, exc)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else (default_field if field != NON_FIELD_ERRORS else None)
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(default_field if default_field in form.fields else None, message)


def _hidden(form: forms.BaseForm, name: str, initial: str) -> None:
    form.fields[name] = forms.CharField(widget=forms.HiddenInput, required=False, initial=initial)


def track_edits(form: forms.BaseForm, obj: models.Model, fields: tuple[str, ...]) -> None:
    """Give an edit form the stale-form token of ``obj`` as shown (``pantau.core.concurrency``)."""
    _hidden(form, BASE_FIELD, base_token(obj, fields))


def edit_base(form: forms.BaseForm) -> str | None:
    return (form.cleaned_data.get(BASE_FIELD) or None) if hasattr(form, "cleaned_data") else None


def show_conflict(form: forms.BaseForm, exc: EditConflict) -> None:
    """Show the form again with the other person's text beside each conflicting field and the
    stored object's token, so the next save is a deliberate choice."""
    data = QueryDict(mutable=True)
    for key in form.data:
        data.setlist(key, form.data.getlist(key) if hasattr(form.data, "getlist") else [form.data[key]])
    data[BASE_FIELD] = exc.base
    form.data = data
    form.conflicts = {name: text for name, text in exc.theirs.items() if name in form.fields}  # type: ignore[attr-defined]


def submit_once(form: forms.BaseForm) -> None:
    """Give a create form a one-time token (see ``save_form``)."""
    _hidden(form, ONCE_FIELD, uuid.uuid4().hex)


def _once_token(form: forms.BaseForm) -> str:
    value = form.data.get(ONCE_FIELD, "") if form.is_bound else ""
    return value if isinstance(value, str) and _TOKEN.match(value) else ""


def _replayed(request: HttpRequest, token: str) -> str | None:
    if not token or request.user.pk is None:
        return None
    done = SubmittedForm.objects.filter(token=token, user_id=request.user.pk).exclude(url="").first()
    return done.url if done else None


def save_form(request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], str],
              success: str) -> str | None:
    """On POST: validate, run ``save`` (a service call returning the URL to go to), flash
    ``success`` and return that URL; None when not saved (the form then shows why).

    A create form with a one-time token (``submit_once``) is saved once: the token is claimed in
    the same transaction as the save, so a replayed POST (a double tap, a resend) waits for the
    first and returns the URL of what it made instead of failing on a duplicate name."""
    if request.method != "POST":
        return None
    token = _once_token(form)
    if (url := _replayed(request, token)) is not None:
        messages.info(request, _("Formulir ini sudah tersimpan; ini hasilnya."))
        return url
    try:
        if not form.is_valid():
            raise ValidationError([])
        url = _save_once(request, token, lambda: save(form.cleaned_data))
    except IntegrityError:
        url = _replayed(request, token)
        if url is None:
            raise
        messages.info(request, _("Formulir ini sudah tersimpan; ini hasilnya."))
        return url
    except ValidationError as exc:
        if (url := _replayed(request, token)) is not None:  # the first finished while this one validated
            messages.info(request, _("Formulir ini sudah tersimpan; ini hasilnya."))
            return url
        add_validation_error(form, exc)
        return None
    messages.success(request, success)
    return url


def _save_once(request: HttpRequest, token: str, save: Callable[[], str]) -> str:
    if not token:
        return save()
    with transaction.atomic():
        claim = SubmittedForm.objects.create(token=token, user_id=request.user.pk)
        url = save()
        claim.url = url[:500]
        claim.save(update_fields=["url"])
        SubmittedForm.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    return url


# Work kept across an expired session -----------------------------------------------------------

def keep_post(request: HttpRequest) -> str | None:
    """Keep a POST that arrived after the session expired (the login page comes next), server-side
    in the new anonymous session, which survives the sign-in (Django keeps session data when an
    anonymous session logs in). Returns the token to restore it with, or None when not kept
    (passwords are never kept; oversized posts neither)."""
    data = {k: request.POST.getlist(k) for k in request.POST
            if k != "csrfmiddlewaretoken" and "password" not in k.lower()}
    if not data or request.FILES or len(repr(data)) > KEPT_MAX_BYTES:
        return None
    kept: dict[str, Any] = dict(request.session.get(KEPT, {}))
    while len(kept) >= KEPT_MAX_FORMS:
        kept.pop(next(iter(kept)))
    token = uuid.uuid4().hex
    kept[token] = {"path": request.path, "data": data}
    request.session[KEPT] = kept
    return token


RESTORE_PARAM = "pulihkan"


def posted(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form with: the POST, or on a GET after sign-in the POST kept when the
    session had expired (``keep_post``), so the work typed is shown again, not lost. The restored
    form is shown for checking; nothing is saved until the user submits it."""
    if request.method == "POST":
        return request.POST
    token = request.GET.get(RESTORE_PARAM, "")
    kept = request.session.get(KEPT, {}) if _TOKEN.match(token) and request.user.is_authenticated else {}
    entry = kept.get(token)
    if not entry or entry.get("path") != request.path:
        return None
    data = QueryDict(mutable=True)
    for key, values in entry["data"].items():
        data.setlist(key, values)
    messages.info(request, _("Sesi Anda tadi berakhir sebelum formulir terkirim. Isian Anda dipulihkan di "
                             "bawah; periksa lalu simpan."))
    return data
