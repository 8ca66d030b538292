"""The audit trail for admins: a filterable, scoped list of audit events and its CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.accounts import rules as r
from pantau.core.access import access
from pantau.core.http import is_htmx
from pantau.core.models import AuditEvent
from pantau.core.selectors import audit_events_for

PAGE_SIZE = 50
COUNT_CAP = 1000  # counting a trail of millions of rows is slow: above this we say "more than"
EXPORT_CAP = 10_000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
# Where an audited object is shown to staff (object_type -> URL name taking the object's id).
OBJECT_URLS = {
    "registry.institution": "manage:institution",
    "registry.serviceunit": "manage:unit",
    "registry.serviceproduct": "manage:product",
}
# Event types written today, offered as suggestions; a prefix such as "unit" matches "unit.*".
KNOWN_EVENT_TYPES = (
    "institution.created", "institution.updated", "unit.created", "unit.updated", "unit.rename",
    "unit.merge", "unit.split", "unit.dissolve", "unit.applied", "unit.corrected", "unit.undone",
    "product.created", "product.updated", "product.deactivated", "product.reactivated",
    "standard.draft_saved", "standard.published", "invitation.created", "invitation.accepted",
    "api_token.created", "api_token.revoked",
)


# Names for models whose verbose_name is not an Indonesian word yet; parts that are never audited.
OBJECT_LABELS = {"accounts.apitoken": gettext_lazy("Token API"), "accounts.invitation": gettext_lazy("Undangan")}
NOT_AUDITED = {"core.auditevent", "registry.uniteventlink"}


def _object_types() -> list[tuple[str, str]]:
    models = [m for m in apps.get_models()
              if m.__module__.startswith("pantau.") and m._meta.label_lower not in NOT_AUDITED]
    return sorted(((m._meta.label_lower, str(OBJECT_LABELS.get(m._meta.label_lower, m._meta.verbose_name))
                    .capitalize()) for m in models), key=lambda item: item[1])


class AuditFilterForm(forms.Form):
    jenis = forms.CharField(
        label=gettext_lazy("Jenis kejadian"), max_length=64, required=False,
        widget=forms.TextInput(attrs={"list": "audit-event-types"}),
        help_text=gettext_lazy("Misalnya institution.updated, atau unit untuk semua kejadian unit."),
    )
    pelaku = forms.CharField(label=gettext_lazy("Pelaku (nama pengguna)"), max_length=150, required=False)
    objek = forms.ChoiceField(label=gettext_lazy("Jenis objek"), required=False)
    id_objek = forms.IntegerField(label=gettext_lazy("ID objek"), min_value=1, required=False,
                                  error_messages={"invalid": gettext_lazy("ID objek harus berupa angka.")})
    permintaan = forms.CharField(
        label=gettext_lazy("ID permintaan"), max_length=64, required=False,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$",
                                   gettext_lazy("ID permintaan hanya berisi huruf, angka dan tanda -."))],
    )
    dari = forms.DateField(label=gettext_lazy("Dari tanggal"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": gettext_lazy("Tulis tanggal seperti 2026-01-31.")})
    sampai = forms.DateField(label=gettext_lazy("Sampai tanggal"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                             error_messages={"invalid": gettext_lazy("Tulis tanggal seperti 2026-01-31.")})
    instansi: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Instansi"), queryset=None, required=False,
        error_messages={"invalid_choice": gettext_lazy("Instansi ini tidak ada dalam wilayah kerja Anda.")},
    )

    def __init__(self, *args: Any, institutions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = institutions.only("pk", "name").order_by("name")  # type: ignore[attr-defined]
        self.fields["instansi"].empty_label = _("Semua instansi")  # type: ignore[attr-defined]
        self.fields["objek"].choices = [("", _("Semua jenis"))] + _object_types()  # type: ignore[attr-defined]

    def _clean_date(self, name: str) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get(name)
        if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise forms.ValidationError(_("Pilih tanggal antara tahun %(a)d dan %(b)d.")
                                        % {"a": EARLIEST_YEAR, "b": LATEST_YEAR})
        return value

    def clean_dari(self) -> dt.date | None:
        return self._clean_date("dari")

    def clean_sampai(self) -> dt.date | None:
        return self._clean_date("sampai")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_events(qs: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Apply the cleaned filters of ``AuditFilterForm`` to a (scoped) queryset of events."""
    if data.get("jenis"):
        kind = data["jenis"].strip().rstrip(".")
        qs = qs.filter(Q(event_type=kind) | Q(event_type__startswith=kind + "."))
    if data.get("pelaku"):
        qs = qs.filter(actor_name__iexact=data["pelaku"].strip())
    if data.get("objek"):
        qs = qs.filter(object_type=data["objek"])
    if data.get("id_objek") is not None:
        qs = qs.filter(object_id=str(data["id_objek"]))
    if data.get("permintaan"):
        qs = qs.filter(request_id=data["permintaan"])
    if data.get("dari"):
        qs = qs.filter(at__gte=_day_start(data["dari"]))
    if data.get("sampai"):
        qs = qs.filter(at__lt=_day_start(data["sampai"] + dt.timedelta(days=1)))
    if data.get("instansi") is not None:
        qs = qs.filter(institution_id=data["instansi"].pk)
    return qs


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@functools.cache
def _form_labels() -> dict[str, dict[str, Any]]:
    """The labels staff know from the registry's forms, per object type and field (lazy strings)."""
    from pantau.registry import components as comp
    from pantau.registry.forms import InstitutionForm, ProductForm, UnitForm

    labels: dict[str, dict[str, Any]] = {}
    forms_by_type: dict[str, Any] = {
        "registry.institution": InstitutionForm, "registry.serviceunit": UnitForm,
        "registry.serviceproduct": ProductForm,
    }
    for object_type, form in forms_by_type.items():
        labels[object_type] = {n: f.label for n, f in form.base_fields.items() if f.label}
    labels["registry.servicestandard"] = {c.field: c.label for c in comp.COMPONENTS} | {
        "effective_date": gettext_lazy("Tanggal berlaku"), "is_free": gettext_lazy("Gratis"),
        "completion_days": gettext_lazy("Jangka waktu (hari kerja)"), "version": gettext_lazy("Versi"),
        "present_count": gettext_lazy("Komponen terisi"),
    }
    return labels


def _field_label(object_type: str, model: Any, name: str) -> str:
    label = _form_labels().get(object_type, {}).get(name.removesuffix("_id"))
    if label:
        return str(label)
    if model is None:
        return name
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name)).capitalize()


def changes(event: AuditEvent) -> list[dict[str, str]]:
    """The event's before/after as one readable row per field (label, before, after)."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    model = None
    if event.object_type:
        try:
            model = apps.get_model(event.object_type)
        except (LookupError, ValueError):
            model = None
    rows = []
    for name in sorted(set(before) | set(after)):
        rows.append({"field": name, "label": _field_label(event.object_type, model, name),
                     "before": _show(before.get(name)), "after": _show(after.get(name))})
    return rows


def _object_url(event: AuditEvent) -> str:
    name = OBJECT_URLS.get(event.object_type)
    if not name or not event.object_id.isdigit():
        return ""
    try:
        return reverse(name, args=[int(event.object_id)])
    except NoReverseMatch:
        return ""


def _page(qs: QuerySet[AuditEvent], before: str, after: str) -> tuple[list[AuditEvent], int | None, int | None]:
    """Keyset pagination on the id (events only ever get appended): (events, older, newer)."""
    if after.isdigit():
        events = list(qs.filter(pk__gt=int(after)).order_by("pk")[: PAGE_SIZE + 1])
        has_newer = len(events) > PAGE_SIZE
        events = list(reversed(events[:PAGE_SIZE]))
        has_older = bool(events)  # we came from an older page
    else:
        if before.isdigit():
            qs = qs.filter(pk__lt=int(before))
        events = list(qs.order_by("-pk")[: PAGE_SIZE + 1])
        has_older = len(events) > PAGE_SIZE
        events = events[:PAGE_SIZE]
        has_newer = before.isdigit()
    older = events[-1].pk if events and has_older else None
    newer = events[0].pk if events and has_newer else None
    return events, older, newer


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent] | None]:
    from pantau.registry.selectors import institutions_for

    form = AuditFilterForm(request.GET or None, institutions=institutions_for(request.user))
    if request.GET and not form.is_valid():
        return form, None
    return form, filter_events(audit_events_for(request.user), form.cleaned_data if request.GET else {})


@access(r.can_read_audit)
def audit_list(request: HttpRequest) -> HttpResponse:
    from pantau.registry.models import Institution

    form, qs = _filtered(request)
    context: dict[str, Any] = {"form": form, "event_types": KNOWN_EVENT_TYPES, "events": [],
                               "query": "", "count": 0, "count_capped": False}
    if qs is not None:
        events, older, newer = _page(qs, request.GET.get("sebelum", ""), request.GET.get("sesudah", ""))
        count = qs.values("pk")[: COUNT_CAP + 1].count()
        names = dict(Institution.objects.filter(pk__in={e.institution_id for e in events if e.institution_id})
                     .values_list("pk", "name"))
        for event in events:
            event.rows = changes(event)  # type: ignore[attr-defined]
            event.url = _object_url(event)  # type: ignore[attr-defined]
            event.institution_name = names.get(event.institution_id or 0, "")  # type: ignore[attr-defined]
        query = request.GET.copy()
        for key in ("sebelum", "sesudah"):
            query.pop(key, None)
        context.update(events=events, older=older, newer=newer, query=query.urlencode(),
                       count=min(count, COUNT_CAP), count_capped=count > COUNT_CAP)
    # htmx only swaps 2xx answers: the partial explains bad filters with a 200, the full page with 400.
    if is_htmx(request):
        return render(request, "core/audit/rows.html", context)
    return render(request, "core/audit/list.html", context, status=200 if qs is not None else 400)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else ("" if value is None else json.dumps(value, ensure_ascii=False))
    # A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_rows(qs: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["at", "actor", "request_id", "event_type", "object_type", "object_id", "object",
                           "institution_id", "province_id", "before", "after", "reason"])
    for e in qs.order_by("-pk")[:EXPORT_CAP].iterator(chunk_size=500):
        yield writer.writerow([_cell(v) for v in (
            timezone.localtime(e.at).isoformat(), e.actor_name, e.request_id, e.event_type, e.object_type,
            e.object_id, e.object_repr, "" if e.institution_id is None else str(e.institution_id),
            "" if e.province_id is None else str(e.province_id), e.before, e.after, e.reason)])


@access(r.can_read_audit)
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered list as CSV (newest first, at most ``EXPORT_CAP`` rows)."""
    form, qs = _filtered(request)
    if qs is None:
        return render(request, "core/audit/list.html", {"form": form, "event_types": KNOWN_EVENT_TYPES},
                      status=400)
    response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="jejak-audit-{stamp}.csv"'
    return response
