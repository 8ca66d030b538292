"""Reports from the public form, filed in two steps so that a citizen never waits for the case's paperwork.

``queue`` runs in the request: it stores the validated answers as one :class:`Filing` row with the hash of a
new tracking link, and queues ``tasks.register_filing`` in the same transaction (two rows, one commit). The
citizen is shown the link at once. The task (``pantau db_worker``, seconds later; at once in the test suite)
opens the case with ``services.case_open`` — number, timers, events, notices, audit, search document — with
the receipt date of the form and the link's hash, then deletes the filing in the same transaction. Until
then the link opens a "being registered" page (``pending``).

Nothing is lost: if the case cannot be opened as chosen (the chosen service was deactivated in between),
it is opened without the registry choice, the choice's name kept as the reported party; if it still cannot,
the filing stays with its error and ``pantau complaints_daily`` queues it again (``requeue``). A report with
attachments is opened in the request, as before (its files need the case)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from pantau.complaints import clock, deadlines, services
from pantau.complaints.forms_public import ReportForm
from pantau.complaints.models import Case, Channel, Filing
from pantau.complaints.selectors import token_hash
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit

log = logging.getLogger("pantau.complaints.filings")
STALE_MINUTES = 10  # a filing older than this was not registered by its task: the daily command queues it again
DATES = ("event_date", "prior_complaint_date")


@dataclass(frozen=True)
class Queued:
    token: str  # the raw secret of the tracking link (empty when this client token was sent before)
    created: bool  # False: the same form was sent before (as a filing or an opened case)
    number: str  # the case's number when it is already registered, else ""


def answers_of(form: ReportForm, title: str) -> dict[str, Any]:
    """``services.case_open``'s arguments from a valid form, as JSON (dates as ISO text, registry ids)."""
    data, place = form.cleaned_data, form.place
    answers: dict[str, Any] = {
        "kind": str(form.kind), "title": title, "chronology": data["kronologi"], "visibility": data["kerahasiaan"],
        "reporter": form.reporter(), "reported_other": data["terlapor_lain"], "remedy": data["harapan"],
        "prior_complaint": data["sudah_mengadu"], "prior_complaint_channel": data["saluran_pengaduan"],
        "prior_complaint_answer": data["jawaban_instansi"], "in_court": bool(data["di_pengadilan"]),
        "outside_authority": bool(data["bukan_pelayanan_publik"]),
        "event_date": data["tanggal_peristiwa"], "prior_complaint_date": data["tanggal_pengaduan"],
        "institution": place.institution.pk if place.institution else None,
        "unit": place.unit.pk if place.unit else None,
        "product": place.product.pk if place.product else None,
        "place_label": place.label(),
    }
    for name in DATES:
        answers[name] = answers[name].isoformat() if answers[name] else None
    return answers


def queue(answers: dict[str, Any], client_token: str) -> Queued:
    """Store one report for registration; the same ``client_token`` sent again stores nothing."""
    earlier = _number_of(client_token)
    if earlier is not None:
        return Queued("", False, earlier)
    raw, hashed = services.new_tracking_token()
    try:
        with transaction.atomic():
            filing = Filing.objects.create(client_token=client_token, tracking_hash=hashed, answers=answers,
                                           received_on=clock.today())
            from pantau.complaints import tasks

            tasks.register_filing.enqueue(filing.pk)
    except IntegrityError:
        if not Filing.objects.filter(client_token=client_token).exists():
            number = _number_of(client_token)
            if number is None:
                raise
            return Queued("", False, number)
        return Queued("", False, "")
    return Queued(raw, True, "")


def _number_of(client_token: str) -> str | None:
    """The number of the case this client token opened, if any: by its unique index, in plain SQL (the ORM's
    compilation of this one-row lookup cost more than the lookup, on every report)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {Case._meta.db_table} WHERE client_token = %s", [client_token])  # noqa: S608
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def _get(model: Any, pk: int | None) -> Any:
    return None if pk is None else model.objects.filter(pk=pk).first()


def open_case(answers: dict[str, Any], *, client_token: str, place: tuple[Any, Any, Any],
              reported_other: str | None = None, received_on: dt.date | None = None,
              tracking_hash: str | None = None) -> services.Opened:
    """``services.case_open`` with the form's ``answers`` (``answers_of``) and the registry objects of
    ``place`` (institution, unit, product): by the worker for a filing, and in the request for a report
    with attachments."""
    a = answers
    return services.case_open(
        actor=None, kind=a["kind"], channel=Channel.WEB, title=a["title"], chronology=a["chronology"],
        visibility=a["visibility"], reporter=a["reporter"], institution=place[0], unit=place[1], product=place[2],
        reported_other=a["reported_other"] if reported_other is None else reported_other, remedy=a["remedy"],
        prior_complaint=a["prior_complaint"], prior_complaint_channel=a["prior_complaint_channel"],
        prior_complaint_answer=a["prior_complaint_answer"], in_court=a["in_court"],
        outside_authority=a["outside_authority"], client_token=client_token, received_on=received_on,
        tracking_hash=tracking_hash, event_date=_date(a["event_date"]),
        prior_complaint_date=_date(a["prior_complaint_date"]))


def _open(filing: Filing, *, with_place: bool) -> services.Opened:
    a = filing.answers
    if with_place:
        place = (_get(Institution, a["institution"]), _get(ServiceUnit, a["unit"]), _get(ServiceProduct, a["product"]))
        other = None
    else:  # the choice no longer fits: its name joins the reported party
        place = (None, None, None)
        other = " — ".join(x for x in (a.get("place_label", ""), a["reported_other"]) if x)[:200]
    return open_case(a, client_token=filing.client_token, place=place, reported_other=other,
                     received_on=filing.received_on, tracking_hash=filing.tracking_hash)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def register(filing_id: int) -> Case | None:
    """Open the case of one filing and delete the filing (one transaction); ``None`` when it is gone (done
    by another run, or still refused: then it is kept with its message for ``requeue``)."""
    with transaction.atomic():
        filing = Filing.objects.select_for_update().filter(pk=filing_id).first()
        if filing is None:
            return None
        try:
            opened = _attempt(filing, with_place=True)
            if opened is None:
                with transaction.atomic():
                    opened = _open(filing, with_place=False)
        except ValidationError as exc:  # still refused: kept for ``requeue`` with its message
            Filing.objects.filter(pk=filing.pk).update(attempts=filing.attempts + 1,
                                                       last_error="; ".join(exc.messages)[:300])
            log.warning("filing %s could not be registered (attempt %d)", filing.pk, filing.attempts + 1)
            return None
        filing.delete()
        return opened.case


def _attempt(filing: Filing, *, with_place: bool) -> services.Opened | None:
    """The case opened from ``filing`` as chosen; ``None`` when it is refused (the registry choice no longer
    fits: the caller tries again without it)."""
    try:
        with transaction.atomic():
            return _open(filing, with_place=with_place)
    except ValidationError:
        return None


def pending(token: str) -> Filing | None:
    """The filing behind a tracking link that is not a case yet."""
    if not token or len(token) > 100:
        return None
    return Filing.objects.only("pk", "received_on", "last_error").filter(tracking_hash=token_hash(token)).first()


def requeue(now: dt.datetime | None = None) -> int:
    """Queue again every filing older than ``STALE_MINUTES`` (its task was lost, or it was refused); the
    daily command runs this. Returns how many."""
    from pantau.complaints import tasks

    cutoff = (now or timezone.now()) - dt.timedelta(minutes=STALE_MINUTES)
    ids = list(Filing.objects.filter(created_at__lt=cutoff).order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        tasks.register_filing.enqueue(pk)
    return len(ids)


def confirmation(answers: dict[str, Any], kind: str) -> tuple[list[str], list[str]]:
    """What the confirmation page lists as missing (``services.formal_missing``) and its notes, from the
    answers alone (the case may not exist yet)."""
    from django.utils.translation import gettext as _

    event_date = _date(answers["event_date"])
    draft = Case(kind=kind, chronology=answers["chronology"].strip(), prior_complaint=answers["prior_complaint"],
                 event_date=event_date)
    missing = [str(m) for m in services.formal_missing(draft, answers["reporter"])]
    if answers["institution"] is None and not answers["reported_other"].strip():
        missing.append(str(_("nama instansi, unit, atau petugas yang dilaporkan")))
    notes = []
    if event_date is not None and deadlines.event_too_old(event_date, clock.today()):
        notes.append(_("Peristiwa terjadi lebih dari dua tahun sebelum laporan. Laporan tetap dicatat; petugas akan "
                       "menilai apakah masih dapat diperiksa (UU 37/2008 Pasal 24 ayat (3))."))
    if answers["in_court"]:
        notes.append(_("Anda menyebut masalah ini sedang atau pernah diperiksa pengadilan. Petugas akan menilai "
                       "apakah Ombudsman dapat memeriksanya."))
    if answers["outside_authority"]:
        notes.append(_("Anda menyebut terlapor bukan penyelenggara pelayanan publik. Petugas akan menilai apakah "
                       "laporan ini termasuk kewenangan Ombudsman dan memberi tahu Anda."))
    return missing, [str(n) for n in notes]
