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

from pantau.core import audit, hooks
from pantau.core.access import access
from pantau.core.converters import parse_id
from pantau.core.http import is_htmx
from pantau.core.keyset import following
from pantau.core.models import AuditEvent
from pantau.core.pagecache import Uncached, render_cached
from pantau.core.selectors import audit_events_for
from pantau.core.text import fold_key
from pantau.reports.cells import csv_cell

PAGE_SIZE = 50
COUNT_CAP = 1000  # counting a trail of millions of rows is slow: above this we say "more than"
EXPORT_CAP = 10_000
ROWS_TEMPLATE = "core/audit/rows.html"
# Bounds how long a cached page may show what its key misses (a name changed without an event).
LIST_SECONDS = 300
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


# What the modules register (``pantau.core.hooks``): the names, field labels and staff pages of
# the object types they audit, the event types they write (offered as suggestions; a prefix such
# as "unit" matches "unit.*"), the models never audited, the institutions and who reads what.
def _type_label(model: Any) -> str:
    audited = hooks.audited_type(model._meta.label_lower)
    return str(audited.label if audited and audited.label else model._meta.verbose_name).capitalize()


def _object_types() -> list[tuple[str, str]]:
    models = [m for m in apps.get_models()
              if m.__module__.startswith("pantau.") and m._meta.label_lower not in hooks.registered.not_audited_types]
    return sorted(((m._meta.label_lower, _type_label(m)) for m in models), key=lambda item: item[1])


SUGGESTIONS = 10  # names offered while typing (institution, actor)


class AuditFilterForm(forms.Form):
    """The filters. The institution and the actor are typed (suggested as you type, from the
    reader's scope, through ``audit_institutions``/``audit_actors``): a name that matches one of
    them exactly is used, an institution may also be given by its id (links), and a name that
    matches several leaves a chooser (``choosers``) instead of a list of every institution."""

    jenis = forms.CharField(
        label=gettext_lazy("Jenis kejadian"), max_length=64, required=False,
        widget=forms.TextInput(attrs={"list": "audit-event-types"}),
        help_text=gettext_lazy("Misalnya institution.updated, atau unit untuk semua kejadian unit."),
    )
    pelaku = forms.CharField(
        label=gettext_lazy("Pelaku (nama pengguna)"), max_length=150, required=False,
        widget=forms.TextInput(attrs={"list": "audit-actors", "autocomplete": "off"}),
        help_text=gettext_lazy("Ketik beberapa huruf nama pengguna, lalu pilih."),
    )
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
    instansi = forms.CharField(
        label=gettext_lazy("Instansi"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"list": "audit-institutions", "autocomplete": "off"}),
        help_text=gettext_lazy("Ketik beberapa huruf nama instansi, lalu pilih."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.choosers: dict[str, list[tuple[str, str]]] = {}  # field → [(value, label)] to pick from
        self.fields["objek"].choices = [("", _("Semua jenis"))] + _object_types()  # type: ignore[attr-defined]
        for name, url, target in (("instansi", "core:audit_institutions", "audit-institutions"),
                                  ("pelaku", "core:audit_actors", "audit-actors")):
            # As the reader types, htmx fills the field's <datalist> with matching names.
            self.fields[name].widget.attrs.update({
                "hx-get": reverse(url), "hx-trigger": "input changed delay:300ms", "hx-target": f"#{target}",
                "hx-swap": "innerHTML", "hx-push-url": "false", "hx-sync": "this:replace",
            })

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

    def clean_instansi(self) -> tuple[int, str] | None:
        """(id, name) of the institution typed or linked, one the reader may filter by."""
        text = self.cleaned_data.get("instansi", "").strip()
        if not text:
            return None
        lookup = hooks.institutions()
        if text.isdigit():
            pk = parse_id(text)
            name = lookup.names({pk}).get(pk) if pk is not None else None
            if pk is None or name is None or not lookup.choices_for(self.user).filter(pk=pk).exists():
                raise forms.ValidationError(_("Instansi ini tidak ada dalam wilayah kerja Anda."))
            return pk, name
        found = hooks.search_institutions(self.user, text, SUGGESTIONS)
        exact = [(pk, name) for pk, name in found if fold_key(name) == fold_key(text)]
        if len(exact) == 1:
            return exact[0]
        if not found:
            raise forms.ValidationError(_("Tidak ada instansi dengan nama seperti itu dalam wilayah kerja Anda."))
        self.choosers["instansi"] = [(str(pk), name) for pk, name in found]
        raise forms.ValidationError(_("Beberapa instansi cocok: pilih salah satu di bawah."))

    def clean_pelaku(self) -> str:
        """The username typed, as it is recorded (``actor_name``); a name matching one of the people
        the reader may filter by, whatever its case, becomes that person's username."""
        text = self.cleaned_data.get("pelaku", "").strip()
        if not text:
            return ""
        found = hooks.search_actors(self.user, text, SUGGESTIONS)
        exact = [username for username, _label in found if username.casefold() == text.casefold()]
        if exact:
            return exact[0]
        if found:
            self.choosers["pelaku"] = found
        return str(text)  # a name no longer (or never) in scope: the events recorded under it, if any

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def event_types_of(kind: str) -> list[str]:
    """The event types ``kind`` stands for: itself and the registered types it is the prefix of
    (``unit`` → ``unit.created``, ``unit.updated`` …)."""
    return [kind, *(t for t in hooks.known_event_types() if t.startswith(kind + "."))]


def _event_types(kind: str) -> Q:
    """``kind`` exactly, or every event type it is the prefix of: the registered event types are
    listed (an ``IN`` the index serves) before falling back to a prefix."""
    known = event_types_of(kind)
    if "." in kind or len(known) > 1:
        return Q(event_type__in=known)
    return Q(event_type=kind) | Q(event_type__startswith=kind + ".")


def filter_events(qs: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Apply the cleaned filters of ``AuditFilterForm`` to a (scoped) queryset of events; each
    filter has an index ending in the list's order (``AuditEvent.Meta.indexes``)."""
    if data.get("jenis"):
        qs = qs.filter(_event_types(data["jenis"].strip().rstrip(".")))
    if data.get("pelaku"):
        qs = qs.filter(actor_name=data["pelaku"])
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
        qs = qs.filter(institution_id=data["instansi"][0])
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
    """The labels staff know from the modules' forms, per object type and field (lazy strings)."""
    return {t.object_type: dict(t.field_labels()) for t in hooks.registered.audited_types.values()
            if t.field_labels is not None}


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
    audited = hooks.audited_type(event.object_type)
    name = audited.url_name if audited else ""
    if not name or not event.object_id.isdigit():
        return ""
    try:
        return reverse(name, args=[int(event.object_id)])
    except NoReverseMatch:
        return ""


NEWEST_FIRST = ("-at", "-id")
OLDEST_FIRST = ("at", "id")


def _rows(qs: QuerySet[AuditEvent], ordering: tuple[str, ...], split: list[str]) -> list[AuditEvent]:
    """The first ``PAGE_SIZE + 1`` events of ``qs`` in ``ordering``. With several event types
    (``split``), one index range per type, merged: an ``IN`` over types would sort every match."""
    if len(split) < 2:
        return list(qs.order_by(*ordering)[: PAGE_SIZE + 1])
    keys = [key for t in split for key in qs.filter(event_type=t).order_by(*ordering).values_list("at", "id")[
        : PAGE_SIZE + 1]]  # the keys only: the full rows are read once, for the page
    keys.sort(reverse=ordering == NEWEST_FIRST)
    return list(qs.filter(pk__in=[pk for _at, pk in keys[: PAGE_SIZE + 1]]).order_by(*ordering))


def _page(qs: QuerySet[AuditEvent], before_id: str, after_id: str,
          split: list[str] | None = None) -> tuple[list[AuditEvent], int | None, int | None]:
    """Keyset pages, newest first (``at``, then ``id``): (events, older, newer). The cursor is the
    id of the event the page continues from, looked up in the same (scoped, filtered) list; an
    unknown cursor starts from the newest. Each page is a range of one index and ``LIMIT``."""
    before, after = parse_id(before_id), parse_id(after_id)
    cursor = after if after is not None else before
    start = qs.filter(pk=cursor).values_list("at", "id").first() if cursor is not None else None
    if start is not None and after is not None:
        events = _rows(qs.filter(following(tuple(start), OLDEST_FIRST)), OLDEST_FIRST, split or [])
        has_newer = len(events) > PAGE_SIZE
        events = list(reversed(events[:PAGE_SIZE]))
        has_older = bool(events)  # we came from an older page
    else:
        if start is not None:
            qs = qs.filter(following(tuple(start), NEWEST_FIRST))
        events = _rows(qs, NEWEST_FIRST, split or [])
        has_older = len(events) > PAGE_SIZE
        events = events[:PAGE_SIZE]
        has_newer = start is not None
    older = events[-1].pk if events and has_older else None
    newer = events[0].pk if events and has_newer else None
    return events, older, newer


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent] | None]:
    form = AuditFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return form, None
    if request.GET and form.cleaned_data.get("instansi"):  # show the name, also when a link gave the id
        shown = request.GET.copy()
        shown["instansi"] = form.cleaned_data["instansi"][1]
        form.data = shown
    return form, filter_events(audit_events_for(request.user), form.cleaned_data if request.GET else {})


def _chooser_links(request: HttpRequest, form: AuditFilterForm) -> list[dict[str, Any]]:
    """For each typed name that matched several: the label and a link per match (no JavaScript needed)."""
    result = []
    for name, matches in form.choosers.items():
        links = []
        for value, label in matches:
            query = request.GET.copy()
            for key in ("sebelum", "sesudah"):
                query.pop(key, None)
            query[name] = value
            links.append({"label": label, "query": query.urlencode()})
        result.append({"field": form.fields[name].label, "links": links})
    return result


@access(hooks.can_read_audit)
def audit_list(request: HttpRequest) -> HttpResponse:
    """The trail, filtered and paged by key; from the page cache (keyed by the viewer, the full
    path and the newest event's id: every change writes an event) when it is there."""
    htmx = is_htmx(request)
    template = ROWS_TEMPLATE if htmx else "core/audit/list.html"
    newest = audit.newest_id()
    return render_cached(request, template, lambda: _list_context(request, htmx),
                         parts=("audit", htmx, newest, timezone.localdate()),
                         templates=[ROWS_TEMPLATE, "core/fields.html"], seconds=LIST_SECONDS)


def _list_context(request: HttpRequest, htmx: bool) -> dict[str, Any] | Uncached:
    form, qs = _filtered(request)
    context: dict[str, Any] = {"form": form, "event_types": hooks.known_event_types(), "events": [],
                               "query": "", "count": 0, "count_capped": False,
                               "choosers": _chooser_links(request, form)}
    if qs is None:
        # htmx only swaps 2xx answers: the partial explains bad filters with a 200, the full page with 400.
        return Uncached(context, 200 if htmx else 400)
    kind = form.cleaned_data.get("jenis", "").strip().rstrip(".") if request.GET else ""
    events, older, newer = _page(qs, request.GET.get("sebelum", ""), request.GET.get("sesudah", ""),
                                 event_types_of(kind) if kind else None)
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    names = hooks.institutions().names({e.institution_id for e in events if e.institution_id})
    for event in events:
        event.rows = changes(event)  # type: ignore[attr-defined]
        event.url = _object_url(event)  # type: ignore[attr-defined]
        event.institution_name = names.get(event.institution_id or 0, "")  # type: ignore[attr-defined]
    query = request.GET.copy()
    for key in ("sebelum", "sesudah"):
        query.pop(key, None)
    context.update(events=events, older=older, newer=newer, query=query.urlencode(),
                   count=min(count, COUNT_CAP), count_capped=count > COUNT_CAP)
    return context


def _options(request: HttpRequest, pairs: list[tuple[str, str]]) -> HttpResponse:
    response = render(request, "core/audit/options.html", {"options": pairs})
    response["Cache-Control"] = "private, no-store"
    return response


@access(hooks.can_read_audit)
def audit_institutions(request: HttpRequest) -> HttpResponse:
    """``<option>``s of the institutions the reader may filter by whose name matches ``?instansi=``."""
    text = str(request.GET.get("instansi", ""))[:200].strip()
    found = hooks.search_institutions(request.user, text, SUGGESTIONS) if len(text) >= 2 else []
    return _options(request, [(name, name) for _pk, name in found])


@access(hooks.can_read_audit)
def audit_actors(request: HttpRequest) -> HttpResponse:
    """``<option>``s of the people the reader may filter by whose name matches ``?pelaku=``."""
    text = str(request.GET.get("pelaku", ""))[:150].strip()
    return _options(request, hooks.search_actors(request.user, text, SUGGESTIONS) if len(text) >= 2 else [])


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(qs: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["at", "actor", "request_id", "event_type", "object_type", "object_id", "object",
                           "institution_id", "province_id", "before", "after", "reason"])
    for e in qs.order_by(*NEWEST_FIRST)[:EXPORT_CAP].iterator(chunk_size=500):
        yield writer.writerow([csv_cell(v) for v in (
            timezone.localtime(e.at).isoformat(), e.actor_name, e.request_id, e.event_type, e.object_type,
            e.object_id, e.object_repr, "" if e.institution_id is None else str(e.institution_id),
            "" if e.province_id is None else str(e.province_id), e.before, e.after, e.reason)])


@access(hooks.can_read_audit)
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered list as CSV (newest first, at most ``EXPORT_CAP`` rows)."""
    form, qs = _filtered(request)
    if qs is None:
        return render(request, "core/audit/list.html", {"form": form, "event_types": hooks.known_event_types()},
                      status=400)
    response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="jejak-audit-{stamp}.csv"'
    return response
