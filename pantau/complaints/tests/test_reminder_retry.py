"""A staff reminder e-mail that fails is sent again, a bounded number of times (``daily.send_reminder``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from pantau.complaints import daily

pytestmark = pytest.mark.django_db
FAILURES = {"left": 0}


class Flaky(EmailBackend):
    """The test outbox, but the next ``FAILURES["left"]`` sends fail like an unreachable mail server."""

    def send_messages(self, messages: Any) -> int:
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise ConnectionRefusedError("mail server down")
        return int(super().send_messages(messages))


ITEMS = [["0001/LM/XI/2026/BJM", "initial_processing", "overdue", "2026-11-01", "Pemrosesan awal"]]


def test_a_failed_reminder_is_sent_again(cast: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.Flaky"
    FAILURES["left"] = 2
    daily.send_reminder.enqueue(cast.examiner_kalsel.pk, "2026-11-02", ITEMS, 1)
    assert len(mail.outbox) == 1 and "0001/LM/XI/2026/BJM" in mail.outbox[0].body
    assert FAILURES["left"] == 0


def test_it_gives_up_after_the_last_attempt(cast: Any, settings: Any, caplog: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.Flaky"
    FAILURES["left"] = 10
    daily.send_reminder.enqueue(cast.examiner_kalsel.pk, "2026-11-02", ITEMS, 1)
    assert mail.outbox == [] and FAILURES["left"] == 10 - daily.REMINDER_ATTEMPTS
    assert "failed 4 times, given up" in caplog.text
