"""The daily run of the complaints module (``pantau complaints_daily``; cron, once a day): automatic
transitions whose guard now holds, deadline reminders to staff, e-mail to reporters queued again, and
attachment files no row names any more. Safe to run twice on the same day.

- **Automatic transitions** are the table's :data:`workflow.SYSTEM` transitions; today that is
  ``expire_completeness`` (awaiting completeness, the 30-day completeness timer expired, no documents
  supplied → closed as withdrawn). Candidates are found through the running-timer index; each case moves
  through ``services.case_transition`` (its own transaction, event, audit and notice to the reporter). A
  second run finds nothing: the closure stopped the timer.
- **Reminders**: every running timer whose deadline is due soon, overdue or very overdue (``deadlines.status``
  with the thresholds of the case's rule set) is reminded once per status: the status on ``Timer.reminded_on``
  (the last reminder) is recomputed, and a timer is reminded again only when its status has changed since,
  never twice on one day. The reminder goes to the assigned examiner, without one to the intake officers of
  the office that holds the case (a provider's own complaint without a handler: the institution's admins).
  Each recipient gets one e-mail a day listing their cases, sent by a background task. Reporters never get
  reminders, and timers that close a case by themselves (``AUTOMATIC``: the completeness period) are not
  reminded: the run acts on them.
- **Notices** to reporters still queued (or failed) an hour after they were written, with attempts left,
  are queued again (``tasks.send_notice`` never sends one twice).
- **Orphaned attachment files** (a rolled-back upload) older than a day are removed (``files.sweep_orphans``).

Everything is read in batches by primary key (timers by windows of the key), so memory and the time per
row stay flat over 100 000 open cases. Logs carry
ids, never names or text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from pantau.accounts.models import Membership, Role
from pantau.complaints import clock, deadlines, filings, services, tasks, workflow
from pantau.complaints.messages import translate as tr
from pantau.complaints.models import Case, Notice, Timer
from pantau.complaints.vocab import State

log = logging.getLogger("pantau.complaints.daily")

BATCH = 2_000
REMIND = ("due_soon", "overdue", "very_overdue")
NOTICE_RETRY_AFTER = dt.timedelta(hours=1)
ORPHAN_AGE = dt.timedelta(days=1)
LISTED = 50  # cases listed in one reminder e-mail; the rest are counted
REMINDER_ATTEMPTS = 4  # a reminder e-mail that fails is sent again this many times in all
REMINDER_RETRY = dt.timedelta(minutes=10)  # … after 10, 20, 30 minutes


def status_labels() -> dict[str, str]:
    return {"due_soon": _("segera jatuh tempo"), "overdue": _("terlambat"),
            "very_overdue": _("sangat terlambat"), "on_time": _("tepat waktu")}


class DailyError(ValueError):
    """A run that cannot start (the message, in Indonesian, says why)."""


@dataclass
class Summary:
    closed: int = 0
    close_refused: int = 0
    reminded: int = 0  # timers reminded
    emails: int = 0  # reminder e-mails queued (one per recipient)
    unreached: int = 0  # timers reminded with nobody to tell (no examiner, no intake officer in the office)
    requeued: int = 0
    filings: int = 0  # reports from the public form not registered yet (queued again)
    orphans: int = 0
    errors: list[str] = field(default_factory=list)  # ids and reasons, never personal data

    def lines(self) -> list[str]:
        return [
            _("Ditutup otomatis (tidak dilengkapi): %(n)d") % {"n": self.closed},
            _("Penutupan otomatis yang ditolak aturan: %(n)d") % {"n": self.close_refused},
            _("Tenggat yang diingatkan: %(n)d (e-mail kepada petugas: %(m)d)") % {"n": self.reminded,
                                                                                 "m": self.emails},
            _("Tenggat tanpa petugas penerima pengingat (periksa keanggotaan kantor): %(n)d")
            % {"n": self.unreached},
            _("Notifikasi pelapor yang diantrekan ulang: %(n)d") % {"n": self.requeued},
            _("Laporan dari formulir yang belum terdaftar, diantrekan ulang: %(n)d") % {"n": self.filings},
            _("Berkas lampiran yatim yang dihapus: %(n)d") % {"n": self.orphans},
            _("Galat: %(n)d") % {"n": len(self.errors)},
        ]


def run(today: dt.date | None = None, *, batch: int = BATCH, sweep: bool = True) -> Summary:
    """The daily run as of ``today`` (default: today in local time; never a day in the future, because the
    workflow's guards read today's date)."""
    real_today = clock.today()
    today = today or real_today
    if today > real_today:
        raise DailyError(_("Tanggal %(day)s belum tiba; perintah harian hanya dapat dijalankan untuk hari ini "
                           "atau hari yang sudah lewat.") % {"day": today.isoformat()})
    summary = Summary()
    expire(today, summary, batch)
    remind(today, summary, batch)
    requeue_notices(summary, batch)
    summary.filings = filings.requeue()
    if sweep:
        sweep_orphans(summary)
    log.info("complaints_daily %s: closed=%d reminded=%d emails=%d requeued=%d filings=%d orphans=%d errors=%d",
             today.isoformat(), summary.closed, summary.reminded, summary.emails, summary.requeued,
             summary.filings, summary.orphans, len(summary.errors))
    return summary


def _windows(rows: Any, batch: int) -> Iterator[list[Any]]:
    """Rows of ``rows`` (a values_list queryset whose first column is the primary key) by primary-key window
    of ``batch`` ids: each query reads one range of the primary key, so a run costs the same per row however
    many rows match (a keyset page ordered by pk would sort every match again for each page)."""
    bounds = rows.order_by().aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return
    lo, hi = int(bounds["lo"]) - 1, int(bounds["hi"])
    while lo < hi:
        found = list(rows.filter(pk__gt=lo, pk__lte=lo + batch).order_by("pk"))
        if found:
            yield found
        lo += batch


def _keyset(ids: Any, batch: int) -> Iterator[list[Any]]:
    """Rows of ``ids`` (a values_list queryset whose first column is the primary key) in pk order, by batch."""
    last = 0
    while True:
        rows = list(ids.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1][0] if isinstance(rows[-1], tuple) else rows[-1]


# --- automatic transitions -----------------------------------------------------------------------------------

AUTOMATIC = {"expire_completeness": "completeness"}  # system action → the timer whose expiry triggers it


def expire(today: dt.date, summary: Summary, batch: int = BATCH) -> None:
    for action, step in AUTOMATIC.items():
        rule = next(t for t in workflow.TRANSITIONS if t.action == action and workflow.SYSTEM in t.roles)
        timers = Timer.objects.filter(step=step, stopped_at__isnull=True, due_on__lt=today,
                                      case__state__in=[s.value for s in rule.sources],
                                      case__kind__in=[k.value for k in rule.kinds])
        if action == "expire_completeness":
            timers = timers.filter(case__documents_supplied=False)
        for rows in _keyset(timers.values_list("pk", "case_id"), batch):
            for case in Case.objects.filter(pk__in={case_id for _pk, case_id in rows}).order_by("pk"):
                try:
                    services.case_transition(actor=services.SYSTEM, case=case, action=action)
                except workflow.TransitionRefused as refused:
                    summary.close_refused += 1
                    log.info("complaints_daily: %s refused on case %s (%s)", action, case.pk, refused.code)
                except (ValidationError, deadlines.DeadlineError) as exc:
                    summary.errors.append(f"{action} case {case.pk}: {exc}")
                    log.warning("complaints_daily: %s failed on case %s", action, case.pk)
                else:
                    summary.closed += 1


# --- reminders -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    timer_id: int
    case_id: int
    number: str
    step: str
    status: str
    due_on: dt.date


def _rule_sets(versions: Iterable[str]) -> dict[str, deadlines.RuleSet]:
    return {v: clock.rule_set(v) for v in set(versions)}


def remind(today: dt.date, summary: Summary, batch: int = BATCH) -> None:
    """Mark the timers to remind (``reminded_on = today``) batch by batch, then queue one e-mail per
    recipient. A timer not yet due soon on ``today`` is never read: the filter on ``due_on`` is wider than
    any rule set's "due soon" window (``due_soon_within`` working days are fewer calendar days than this)."""
    calendar = clock.calendar()
    all_sets = _rule_sets(s.version for s in deadlines.default_rules())
    widest = max(s.due_soon_within for s in all_sets.values())
    horizon = today + dt.timedelta(days=2 * (widest + 1) + 21)  # long holidays (Idul Fitri) included
    timers = (Timer.objects.filter(stopped_at__isnull=True, due_on__lt=horizon)
              .exclude(step__in=list(AUTOMATIC.values())).exclude(reminded_on=today).exclude(case__state=State.CLOSED)
              .values_list("pk", "case_id", "step", "due_on", "reminded_on", "case__rule_set", "case__number",
                           "case__examiner_id", "case__office_id", "case__institution_id"))
    digest: dict[int, list[Due]] = defaultdict(list)
    recipients = _Recipients()
    calendar_gaps: set[int] = set()
    for rows in _windows(timers, batch):
        chosen: list[tuple[Due, tuple[int, ...]]] = []
        for pk, case_id, step, due_on, reminded_on, version, number, examiner, office, institution in rows:
            rule_set = all_sets.get(version)
            if rule_set is None:
                summary.errors.append(_("tenggat %(pk)s: aturan tenggat %(v)s tidak dikenal")
                                      % {"pk": pk, "v": version})
                continue
            try:
                now = deadlines.status(due_on, today, calendar, due_soon_within=rule_set.due_soon_within,
                                       very_overdue_after=rule_set.very_overdue_after)
                if now not in REMIND:
                    continue
                if reminded_on is not None and deadlines.status(
                        due_on, reminded_on, calendar, due_soon_within=rule_set.due_soon_within,
                        very_overdue_after=rule_set.very_overdue_after) == now:
                    continue
            except deadlines.CalendarRangeError as exc:
                if exc.year not in calendar_gaps:
                    calendar_gaps.add(exc.year)
                    summary.errors.append(str(exc))
                continue
            chosen.append((Due(pk, case_id, number, step, now, due_on),
                           recipients.of(examiner, office, institution)))
        if not chosen:
            continue
        with transaction.atomic():
            ids = [due.timer_id for due, _who in chosen]
            mine = set(Timer.objects.select_for_update().filter(pk__in=ids).exclude(reminded_on=today)
                       .values_list("pk", flat=True))
            Timer.objects.filter(pk__in=mine).update(reminded_on=today)
        for due, who in chosen:
            if due.timer_id not in mine:
                continue  # another run reminded it meanwhile
            summary.reminded += 1
            if not who:
                summary.unreached += 1
                log.warning("complaints_daily: nobody to remind of timer %s (case %s)", due.timer_id, due.case_id)
            for user_id in who:
                digest[user_id].append(due)
    for user_id, items in sorted(digest.items()):
        items.sort(key=lambda d: (-REMIND.index(d.status), d.due_on, d.case_id))
        send_reminder.enqueue(user_id, today.isoformat(),
                              [[d.number, d.step, d.status, d.due_on.isoformat(), _title(d.step)]
                               for d in items[:LISTED]], len(items))
        summary.emails += 1


def _title(step: str) -> str:
    for rule_set in deadlines.default_rules():
        try:
            return rule_set.step(step).title
        except deadlines.DeadlineError:
            continue
    return step


class _Recipients:
    """Who is reminded of a case's deadline, offices and institutions read once per run."""

    def __init__(self) -> None:
        self._office: dict[int, tuple[int, ...]] = {}
        self._institution: dict[int, tuple[int, ...]] = {}

    def of(self, examiner: int | None, office: int | None, institution: int | None) -> tuple[int, ...]:
        if examiner is not None:
            return (examiner,)
        if office is not None:
            if office not in self._office:
                self._office[office] = self._members(role=Role.INTAKE_OFFICER, office_id=office)
            return self._office[office]
        if institution is not None:
            if institution not in self._institution:
                self._institution[institution] = self._members(role=Role.INSTITUTION_ADMIN,
                                                               institution_id=institution)
            return self._institution[institution]
        return ()

    @staticmethod
    def _members(**where: Any) -> tuple[int, ...]:
        return tuple(sorted(set(Membership.objects.filter(user__is_active=True, **where)
                                .values_list("user_id", flat=True))))


@task()
def send_reminder(user_id: int, day: str, items: list[list[str]], total: int, attempt: int = 1) -> None:
    """One staff member's reminder of the day: up to :data:`LISTED` cases (number, step, status, due date),
    and how many more. The address is read now; a user without one, or inactive, gets nothing. A failed
    send is queued again (``REMINDER_ATTEMPTS`` in all, ``attempt`` × ``REMINDER_RETRY`` later where the
    backend can wait) and raises, so the worker records the failure."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    email = getattr(user, "email", "") if user is not None else ""
    if not email:
        log.info("complaints_daily: reminder for user %s skipped (no address)", user_id)
        return
    labels = status_labels()
    lines = [_("Tenggat laporan yang perlu Anda tindak lanjuti per %(day)s:") % {"day": day}, ""]
    for number, _step, status, due_on, title in items:
        lines.append(_("- %(number)s: %(title)s, %(status)s (tenggat %(due)s)") % {
            "number": number, "title": tr(title), "status": labels.get(status, status), "due": due_on})
    if total > len(items):
        lines.append(_("… dan %(n)d tenggat lainnya.") % {"n": total - len(items)})
    queue = settings.SITE_URL + reverse("complaint_manage:list") + "?tab=tugas&urut=tenggat"
    lines += ["", _("Buka antrean laporan Anda di Pantau untuk melihat rinciannya: %(link)s") % {"link": queue}]
    subject = _("Pengingat tenggat laporan: %(n)d laporan") % {"n": total}
    try:
        send_mail(subject, "\n".join(lines), None, [email])
    except Exception:
        if attempt < REMINDER_ATTEMPTS:
            log.warning("complaints_daily: reminder for user %s failed (attempt %d), queued again", user_id, attempt)
            again = send_reminder
            if send_reminder.get_backend().supports_defer:
                again = send_reminder.using(run_after=timezone.now() + REMINDER_RETRY * attempt)
            again.enqueue(user_id, day, items, total, attempt + 1)  # the worker runs tasks in autocommit
        else:
            log.error("complaints_daily: reminder for user %s failed %d times, given up", user_id, attempt)
        raise


# --- notices and files ---------------------------------------------------------------------------------------


def requeue_notices(summary: Summary, batch: int = BATCH) -> None:
    cutoff = timezone.now() - NOTICE_RETRY_AFTER
    notices = Notice.objects.filter(status__in=[Notice.Status.QUEUED, Notice.Status.FAILED],
                                    attempts__lt=tasks.MAX_ATTEMPTS, created_at__lt=cutoff)
    for ids in _keyset(notices.values_list("pk", flat=True), batch):
        for pk in ids:
            try:
                tasks.send_notice.enqueue(pk)
            except Exception:  # noqa: BLE001 - a failed send is counted by the task; the run goes on
                log.warning("complaints_daily: notice %s failed again", pk)
                summary.errors.append(_("notifikasi %(pk)s: pengiriman gagal lagi") % {"pk": pk})
            summary.requeued += 1


def sweep_orphans(summary: Summary) -> None:
    from pantau.complaints import files

    try:
        summary.orphans = len(files.sweep_orphans(ORPHAN_AGE))
    except OSError as exc:
        summary.errors.append(_("pembersihan lampiran yatim gagal: %(e)s") % {"e": type(exc).__name__})
