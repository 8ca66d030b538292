"""Retention of personal data in closed cases (UU 27/2022 PDP: personal data kept no longer than needed;
``pantau redact_closed_cases``).

A case closed longer than ``COMPLAINTS_RETENTION_DAYS`` (default 1 826 days, five years) loses what
identifies a person, and keeps what the statistics read:

- removed: the reporter's identity (name, NIK, place and date of birth, occupation, address, e-mail, phone,
  the person acted for); the chronology as given (replaced by the redacted public summary, redacted
  again); e-mail, phone and NIK in the title, remedy, the answer to the prior complaint and every note of
  the case's history (``redact.redact``); the attachment files (deleted from storage; the rows stay with
  their source, type, size and date, the original file name and hash are blanked, so counts per case stay);
  the secret tracking link and the submission token (the link stops working);
- kept: number, kind, state, channel, visibility, classification (substance, agency group, alleged and
  found forms, complexity, reporter type), institution, unit, product, office, province, every date and
  deadline, the closure reason, the events' actions and states, the demands and their outcomes.

``Case.redacted_at`` marks a done case, so a second run skips it. Cases are taken in batches; each batch is
one transaction that also writes one ``case.redacted`` audit event per case (ids only) and deletes the
batch's files, so a failed deletion rolls the batch back and the next run takes it again (deleting a file
already gone is harmless).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pantau.complaints import search_docs
from pantau.complaints.models import Attachment, Case, Event, Reporter
from pantau.complaints.redact import redact
from pantau.complaints.services import SYSTEM
from pantau.core import audit

log = logging.getLogger("pantau.complaints.retention")

DEFAULT_DAYS = 1826
BATCH = 200
IDENTITY_BLANK = {"full_name": "", "nik": "", "birth_place": "", "birth_date": None, "occupation": "",
                  "address": "", "email": "", "phone": "", "acting_for": ""}


def retention_days() -> int:
    return int(getattr(settings, "COMPLAINTS_RETENTION_DAYS", DEFAULT_DAYS))


@dataclass(frozen=True)
class Redacted:
    cases: int
    files: int
    cutoff: dt.datetime
    dry_run: bool


def due_for_redaction(older_than_days: int, now: dt.datetime | None = None) -> tuple[dt.datetime, QuerySet[Case]]:
    """(the cutoff, the queryset of cases closed before it and not yet redacted)."""
    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    return cutoff, Case.objects.filter(closed_at__lt=cutoff, redacted_at__isnull=True)


def redact_closed_cases(older_than_days: int | None = None, *, dry_run: bool = False, batch: int = BATCH,
                        now: dt.datetime | None = None) -> Redacted:
    """Redact every case closed more than ``older_than_days`` days before ``now`` (see the module docstring);
    with ``dry_run`` only count them and their files."""
    days = retention_days() if older_than_days is None else older_than_days
    cutoff, cases = due_for_redaction(days, now)
    ids_query = cases.order_by("pk").values_list("pk", flat=True)
    done = files = 0
    last = 0
    while True:
        ids = list(ids_query.filter(pk__gt=last)[:batch])
        if not ids:
            break
        last = ids[-1]
        if dry_run:
            done += len(ids)
            files += Attachment.objects.filter(case_id__in=ids).exclude(file="").count()
            continue
        done_here, files_here = _redact_batch(ids, days)
        done += done_here
        files += files_here
    log.info("redact_closed_cases: %d case(s), %d file(s), cutoff %s%s", done, files, cutoff.date().isoformat(),
             " (dry run)" if dry_run else "")
    return Redacted(done, files, cutoff, dry_run)


@transaction.atomic
def _redact_batch(ids: list[int], days: int) -> tuple[int, int]:
    now = timezone.now()
    cases = list(Case.objects.select_for_update().filter(pk__in=ids, redacted_at__isnull=True).order_by("pk"))
    ids = [c.pk for c in cases]
    if not ids:
        return 0, 0
    Reporter.objects.filter(case_id__in=ids).update(**IDENTITY_BLANK)
    for case in cases:
        summary = redact(case.public_summary)
        case.chronology = case.public_summary = summary
        case.title = redact(case.title)
        case.remedy = redact(case.remedy)
        case.prior_complaint_answer = redact(case.prior_complaint_answer)
        case.tracking_hash = case.client_token = None
        case.redacted_at = now
    Case.objects.bulk_update(cases, ["chronology", "public_summary", "title", "remedy", "prior_complaint_answer",
                                     "tracking_hash", "client_token", "redacted_at"])
    search_docs.refresh_cases(ids)  # the staff search finds them by the redacted words only
    changed: list[Event] = []
    for event in Event.objects.filter(case_id__in=ids).exclude(note="").only("pk", "note").iterator(2000):
        cleaned = redact(event.note)
        if cleaned != event.note:
            event.note = cleaned
            changed.append(event)
    Event.objects.bulk_update(changed, ["note"], batch_size=500)
    stored = list(Attachment.objects.filter(case_id__in=ids).exclude(file="").values_list("case_id", "file"))
    per_case = Counter(case_id for case_id, _name in stored)
    Attachment.objects.filter(case_id__in=ids).update(file="", name="", sha256="")
    audit.record_many([audit.build(actor=SYSTEM, event_type="case.redacted", obj=case,
                                   after={"files_deleted": per_case[case.pk], "older_than_days": days},
                                   institution_id=case.institution_id, province_id=case.province_id)
                       for case in cases])
    storage = Attachment._meta.get_field("file").storage
    for _case_id, name in stored:
        storage.delete(name)  # inside the transaction: a failure rolls the batch back, to be taken again
    return len(cases), len(stored)
