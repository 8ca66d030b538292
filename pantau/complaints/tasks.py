"""Background work of complaints (``pantau db_worker`` runs it in production): reports from the public form
registered as cases, e-mail to reporters, and the search documents of newly filed reports."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

MAX_ATTEMPTS = 5


@task()
def send_notice(notice_id: int) -> None:
    """Send one notice to the reporter's address (read now, never stored in the notice or the task's
    arguments). A failure is counted and the task raises so the worker records it; the daily command
    queues failed notices again until ``MAX_ATTEMPTS``. Safe to run twice: a sent notice is not resent."""
    from pantau.complaints.models import Notice, Reporter

    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("case").filter(pk=notice_id).first()
        if notice is None or notice.status in (Notice.Status.SENT, Notice.Status.SKIPPED):
            return
        email = Reporter.objects.filter(case=notice.case).values_list("email", flat=True).first()
        if not email:
            notice.status = Notice.Status.SKIPPED
            notice.save(update_fields=["status"])
            return
        notice.attempts += 1
        notice.save(update_fields=["attempts"])
    link = settings.SITE_URL + reverse("complaints:track_help")
    body = _("Ada perkembangan pada laporan Anda nomor %(number)s. Buka tautan pelacakan yang Anda terima saat "
             "melapor untuk melihatnya (tautan itu tidak dikirim ulang lewat e-mail demi keamanan). "
             "Bantuan: %(link)s") % {"number": notice.case.number, "link": link}
    try:
        send_mail(notice.subject, body, None, [email])
    except Exception:
        Notice.objects.filter(pk=notice_id).update(
            status=Notice.Status.FAILED if notice.attempts >= MAX_ATTEMPTS else Notice.Status.QUEUED)
        raise
    Notice.objects.filter(pk=notice_id).update(status=Notice.Status.SENT, sent_at=timezone.now())


@task()
def index_cases(case_ids: list[int]) -> None:
    """Write the search documents of these cases (``search_docs``). A report filed through the form or the
    API queues this in its own transaction instead of writing the document itself: the citizen does not wait
    for the full-text index, and the staff search finds the report once the worker has run (seconds).
    ``pantau search_reindex --kind complaint`` rebuilds them all."""
    from pantau.complaints import search_docs

    search_docs.refresh_cases(case_ids)


@task()
def register_filing(filing_id: int) -> None:
    """Open the case of a report sent through the public form (``filings.register``), queued in the form's
    own transaction."""
    from pantau.complaints import filings

    filings.register(filing_id)
