"""Staff and provider screens of complaints (issue 10, task B): the queue and the staff entry of a report.
The case page and its forms are in ``views_case``. Views are thin: reads through ``selectors`` (404 outside
scope), writes through ``services``.

**Deadline filter.** ``Case.next_due_on`` is the earliest running timer. The status thresholds of
``deadlines.status`` are turned into two dates once per request (``due.thresholds``) and the queue filters
on ``next_due_on`` against them, never row by row. The thresholds are the shipped defaults
(``deadlines.DUE_SOON_WITHIN``, ``VERY_OVERDUE_AFTER``; both rule sets use them).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pantau.accounts.models import Role
from pantau.accounts.scope import scope_of
from pantau.complaints import clock, saved_queues, search_docs, selectors, services, workflow
from pantau.complaints.due import Thresholds, thresholds
from pantau.complaints.forms_manage import IntakeForm, QueueFilterForm
from pantau.complaints.messages import translate as tr
from pantau.complaints.models import Case
from pantau.complaints.stats import queue_q
from pantau.complaints.vocab import RecordKind, State, state_label
from pantau.core.access import access
from pantau.core.converters import parse_id
from pantau.core.forms import add_validation_error
from pantau.core.keyset import AFTER, BEFORE, KeysetPage, keyset_page
from pantau.core.search.query import LIMIT
from pantau.core.text import fold_key
from pantau.registry.models import Institution, Office, ServiceProduct, ServiceUnit

PAGE_SIZE = 50
COMPLAINT_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.INTAKE_OFFICER, Role.EXAMINER, Role.HEAD_OF_OFFICE,
                             Role.INSTITUTION_ADMIN, Role.UNIT_OPERATOR})
ORDERINGS = {"baru": ("-pk",), "tenggat": ("next_due_on", "pk")}


def works_on_complaints(user: Any) -> bool:
    """Ombudsman complaint staff (intake, examiner, head, national admin) and provider staff."""
    return bool(scope_of(user).roles & COMPLAINT_ROLES)


# --- the queue ------------------------------------------------------------------------------------------------


def _states_with_work(role: str) -> list[str]:
    """The states in which ``role`` has something to do besides closing (from the transition table)."""
    return sorted({s.value for t in workflow.TRANSITIONS if role in t.roles and t.action != "close"
                   for s in t.sources})


def my_tasks_q(user: Any) -> Q:
    """"Tugas saya": the examiner's assigned cases; for intake and head the open cases of their office in a
    state where they have an action; for provider staff the cases addressed to their institution or unit."""
    q = Q(pk__in=[])
    for seat in selectors.seats_of(user):
        if seat.role == Role.EXAMINER:
            q |= Q(examiner_id=user.pk)
        elif seat.role in (Role.INTAKE_OFFICER, Role.HEAD_OF_OFFICE) and seat.office_id:
            q |= Q(office_id=seat.office_id, state__in=_states_with_work(seat.role))
        elif seat.role == Role.INSTITUTION_ADMIN and seat.institution_id:
            q |= Q(institution_id=seat.institution_id)
        elif seat.role == Role.UNIT_OPERATOR and seat.unit_id:
            q |= Q(unit_id=seat.unit_id)
    return q & ~Q(state=State.CLOSED)


def filtered_cases(user: Any, form: QueueFilterForm, limits: Thresholds,
                   hits: search_docs.Hits | None = None) -> tuple[QuerySet[Case], tuple[str, ...]]:
    """The queue's cases and their ordering; a text ``q`` goes through the search index
    (``search_docs.queue_hits``, or ``hits`` when the caller already asked it)."""
    qs = selectors.cases_for(user)
    if form.value("tab") == "tugas":
        qs = qs.filter(my_tasks_q(user))
    if state := form.value("tahap"):
        qs = qs.filter(state=state)
    if kind := form.value("jenis"):
        qs = qs.filter(kind=kind)
    if status := form.value("tenggat"):
        qs = qs.filter(limits.q(status))
    qs = qs.filter(queue_q(form.value, limits.today))  # the SLA dashboard's filters
    if text := form.value("q").strip():
        qs = qs.filter((hits or search_docs.queue_hits(user, text)).q)
    ordering = ORDERINGS.get(form.value("urut") or "baru", ORDERINGS["baru"])
    if ordering[0] == "next_due_on":
        qs = qs.filter(next_due_on__isnull=False)
    return qs, ordering


@require_GET
@access(works_on_complaints)
def case_list(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    form.is_valid()
    limits = thresholds(clock.today(), clock.calendar())
    text = form.value("q").strip()
    hits = search_docs.queue_hits(request.user, text) if text else None
    qs, ordering = filtered_cases(request.user, form, limits, hits)
    listed = qs.select_related("examiner", "institution").only(*LIST_FIELDS)
    if hits is not None and hits.ranked is not None and form.value("urut") in ("", "relevan"):
        # Without another filter the hits are the list already (the index was searched within the user's
        # offices): no query to check them against the filters.
        filtered = any(form.value(name) for name in QueueFilterForm.base_fields if name not in ("q", "urut"))
        page = ranked_page(request, listed, hits.ranked, PAGE_SIZE, filtered=filtered)
    else:
        page = keyset_page(request, listed, ordering, PAGE_SIZE)
    base = reverse("complaint_manage:list")  # a case's page is <list>/<id>/: one reverse, not one a row
    rows = [{"case": case, "url": f"{base}{case.pk}/", "stage": state_label(State(case.state), RecordKind(case.kind)),
             "kind": RecordKind(case.kind).label, "due": limits.status(case.next_due_on)} for case in page]
    return render(request, "complaints/manage/list.html", {
        "form": form, "page": page, "rows": rows, "can_record": bool(intake_kinds(request.user)), "hits": hits,
        "saved": saved_queues.visible(request.user), "current": saved_queues.query_of(form),
    })


def ranked_page(request: HttpRequest, qs: QuerySet[Case], ranked: tuple[int, ...], size: int, *,
                filtered: bool = True) -> KeysetPage:
    """A page of the search hits in ``qs`` (the queue's filters), best first, continuing after (or ending
    before) the case id in the URL (``?setelah=`` / ``?sebelum=``, as ``keyset_page``): one bounded read of
    the ids the filters keep (at most ``LIMIT`` of them; none when ``filtered`` is False: every hit is in
    ``qs``), then the page's rows, read by id."""
    order = list(ranked[:LIMIT]) if not filtered else None
    if order is None:
        kept = set(qs.order_by().values_list("pk", flat=True))
        order = [pk for pk in ranked if pk in kept]
    position = {pk: i for i, pk in enumerate(order)}
    after, before = parse_id(request.GET.get(AFTER)), parse_id(request.GET.get(BEFORE))
    start = 0
    if after is not None and after in position:
        start = position[after] + 1
    elif before is not None and before in position:
        start = max(position[before] - size, 0)
    ids = order[start:start + size]
    # The ids come from ``qs`` (or, unfiltered, from the search within the user's offices): the rows are read
    # by id alone, the scope checked once more.
    listed = Case.objects.filter(selectors.cases_q(request.user) or Q(), pk__in=ids)
    rows = {case.pk: case for case in listed.select_related("examiner", "institution").only(*LIST_FIELDS)} \
        if ids else {}
    page_rows = [rows[pk] for pk in ids if pk in rows]
    more = start + size < len(order)
    return KeysetPage(page_rows, page_rows[-1].pk if more and page_rows else None,
                      page_rows[0].pk if start > 0 and page_rows else None)


def _back_to_queue(query: str = "") -> HttpResponse:
    return redirect(reverse("complaint_manage:list") + (f"?{query}" if query else ""))


@require_POST
@access(works_on_complaints)
def saved_queue_save(request: HttpRequest) -> HttpResponse:
    """Save the queue's current filters under a name (``saved_queues``), then show them."""
    query = str(request.POST.get("query") or "")[:2000]
    try:
        saved = saved_queues.save(actor=request.user, name=str(request.POST.get("name") or "")[:200], query=query,
                                  shared=request.POST.get("shared") == "1")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _back_to_queue(saved_queues.clean_query(query))
    messages.success(request, _("Saringan “%(name)s” disimpan.") % {"name": saved.name})
    return _back_to_queue(saved.query)


@require_POST
@access(works_on_complaints)
def saved_queue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved_queues.delete(actor=request.user, pk=pk)
    messages.success(request, _("Saringan dihapus."))
    return _back_to_queue()


# What a queue row shows (never the chronology or other long text: the list reads 50 rows a page).
LIST_FIELDS = ("number", "kind", "state", "title", "next_due_on", "office_id", "institution__name",
               "examiner__username", "examiner__full_name")


# --- staff entry ----------------------------------------------------------------------------------------------


def intake_kinds(user: Any) -> list[tuple[str, str]]:
    """The record kinds ``user`` may record (``services._require_intake`` is the final check)."""
    roles = {seat.role for seat in selectors.seats_of(user) if seat.office_id or seat.institution_id or seat.unit_id}
    kinds: list[RecordKind] = []
    if Role.INTAKE_OFFICER in roles:
        kinds += [RecordKind.PUBLIC_REPORT, RecordKind.CONSULTATION, RecordKind.COPY_LETTER,
                  RecordKind.FAST_RESPONSE]
    if roles & {Role.INTAKE_OFFICER, Role.HEAD_OF_OFFICE, Role.EXAMINER}:
        kinds.append(RecordKind.OWN_INITIATIVE)
    if roles & {Role.INSTITUTION_ADMIN, Role.UNIT_OPERATOR}:
        kinds.append(RecordKind.PROVIDER_COMPLAINT)
    return [(k.value, tr(k.label)) for k in kinds]


def intake_offices(user: Any) -> list[tuple[int, str]]:
    ids = selectors.ombudsman_offices(user)
    return list(Office.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


@dataclass
class Place:
    institution: Institution | None = None
    unit: ServiceUnit | None = None
    product: ServiceProduct | None = None

    @property
    def label(self) -> str:
        parts = [x.name for x in (self.product, self.unit, self.institution) if x is not None]
        return " — ".join(parts)


def parse_place(raw: str) -> Place | None:
    """``p:<id>`` a product, ``u:<id>`` a unit, ``i:<id>`` an institution; ``None`` when it names nothing."""
    kind, _sep, number = (raw or "").partition(":")
    pk = parse_id(number)
    if pk is None:
        return None
    if kind == "p":
        product = ServiceProduct.objects.select_related("unit__institution").filter(pk=pk, is_active=True).first()
        return Place(product.unit.institution, product.unit, product) if product else None
    if kind == "u":
        unit = ServiceUnit.objects.select_related("institution").filter(pk=pk).first()
        return Place(unit.institution, unit) if unit else None
    if kind == "i":
        institution = Institution.objects.filter(pk=pk).first()
        return Place(institution) if institution else None
    return None


def search_places(text: str) -> list[tuple[str, str]]:
    """Registry entries whose name contains ``text``: (value for :func:`parse_place`, label)."""
    key = fold_key(text)
    if len(key) < 3:
        return []
    found: list[tuple[str, str]] = []
    for p in (ServiceProduct.objects.filter(is_active=True, name_key__contains=key)
              .select_related("unit__institution").order_by("name_key", "pk")[:15]):
        found.append((f"p:{p.pk}", f"{p.name} — {p.unit.name} — {p.unit.institution.name}"))
    for u in ServiceUnit.objects.filter(name_key__contains=key).select_related("institution") \
            .order_by("name_key", "pk")[:10]:
        found.append((f"u:{u.pk}", f"{u.name} — {u.institution.name}"))
    for i in Institution.objects.filter(name_key__contains=key).order_by("name_key", "pk")[:10]:
        found.append((f"i:{i.pk}", i.name))
    return found


def tracking_url(request: HttpRequest, token: str) -> str:
    try:
        path = reverse("complaints:track", args=[token])
    except NoReverseMatch:  # the public tracking page is another part of issue 10
        path = f"/lapor/lacak/{token}/"
    return request.build_absolute_uri(path)


@never_cache
@require_http_methods(["GET", "POST"])
@access(works_on_complaints)
def case_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    kinds, offices = intake_kinds(user), intake_offices(user)
    if not kinds:
        from django.http import Http404

        raise Http404
    raw_place = str(request.POST.get("place") or "")[:30] if request.method == "POST" else ""
    place = parse_place(raw_place) if raw_place else None
    context: dict[str, Any] = {"place": place, "place_raw": raw_place if place else "", "results": [],
                               "search": ""}
    if request.method == "POST" and "cari" in request.POST:
        # A search for the reported institution: nothing is saved, everything typed is shown again.
        context["search"] = str(request.POST.get("cari_tempat") or "")[:100]
        context["results"] = search_places(context["search"])
        form = IntakeForm(initial=request.POST.dict(), kinds=kinds, offices=offices)
        context["searched"] = True
        return render(request, "complaints/manage/new.html", {**context, "form": form})
    if request.method != "POST":
        form = IntakeForm(initial={"client_token": uuid.uuid4().hex, "office": offices[0][0] if offices else None},
                          kinds=kinds, offices=offices)
        return render(request, "complaints/manage/new.html", {**context, "form": form})
    form = IntakeForm(request.POST, kinds=kinds, offices=offices)
    if raw_place and place is None:
        form.add_error(None, _("Instansi terlapor yang dipilih tidak ditemukan; cari dan pilih lagi."))
    if form.is_valid():
        data = form.cleaned_data
        office_pk = data.get("office")
        office = Office.objects.filter(pk=office_pk, pk__in=[o[0] for o in offices]).first() if office_pk else None
        try:
            opened = services.case_open(
                actor=user, kind=data["kind"], channel=data["channel"], title=data["title"],
                chronology=data["chronology"], visibility=data["visibility"], reporter=form.reporter(),
                institution=place.institution if place else None, unit=place.unit if place else None,
                product=place.product if place else None, reported_other=data["reported_other"], office=office,
                event_date=data["event_date"], remedy=data["remedy"], prior_complaint=data["prior_complaint"],
                prior_complaint_date=data["prior_complaint_date"],
                prior_complaint_channel=data["prior_complaint_channel"],
                prior_complaint_answer=data["prior_complaint_answer"], in_court=data["in_court"],
                outside_authority=data["outside_authority"], client_token=data["client_token"] or None)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            return render(request, "complaints/manage/created.html", {
                "case": opened.case, "created": opened.created,
                "link": tracking_url(request, opened.token) if opened.token else ""})
    return render(request, "complaints/manage/new.html", {**context, "form": form}, status=422)
