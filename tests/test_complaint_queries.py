"""The complaints pages make as many queries with 30 rows as with 3 (no N+1), as ``test_query_counts`` does
for the registry.

Each page is measured with 3 and with 30 extra rows of what it lists: cases in the queue and the API list
(as intake officer, examiner and provider), history events and attachments on the case page and on the
reporter's tracking page. The count must be the same, and stay under a ceiling. Cases and events are
written through the services; attachments are added as rows, because ``files.attach`` keeps a report to
five files (the pages must still not grow with more, e.g. after a hand-over or from the bench data).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from pantau.complaints import services
from pantau.complaints.models import Attachment, Case, Event
from pantau.complaints.tests.helpers import file_report, to_examination
from pantau.registry.tests.api_helpers import Api
from tests.cast import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2026-11-02 09:00 +07:00", tick=False):
        yield


class Grower:
    """Adds cases (an Ombudsman report and a complaint made to the provider) and, on one followed case,
    history events by staff and reporter with attachments of every source."""

    def __init__(self, cast: Any) -> None:
        self.cast = cast
        opened = file_report(cast)
        self.token = opened.token
        self.case = to_examination(cast, opened.case)
        self.done = 0

    def to(self, n: int) -> None:
        c = self.cast
        for i in range(self.done, n):
            file_report(c, client_token=uuid.uuid4().hex, title=f"Laporan uji {i}")
            file_report(c, kind="provider_complaint", client_token=uuid.uuid4().hex, title=f"Pengaduan uji {i}")
            staff_event = services.case_transition(
                actor=c.examiner_kalsel, case=self.case, action="request_written_clarification",
                note=f"Klarifikasi ke-{i}").events.order_by("-pk").first()
            reporter_event = services.reporter_message(case=self.case, note=f"Tambahan ke-{i}")
            for source, event, who in (("reporter", reporter_event, None), ("staff", staff_event, c.examiner_kalsel),
                                       ("provider", None, c.admin_tabalong)):
                Attachment.objects.create(
                    case=self.case, event=event, source=source, name=f"{source}-{i}.png", content_type="image/png",
                    size=100, sha256="0" * 64, file=f"2026/11/{uuid.uuid4().hex}.png", uploaded_by=who)
        self.done = n


def _count(client: Any, url: str, django_assert_max_num_queries: Any, ceiling: int) -> int:
    """Queries of one load on a cold cache, under ``ceiling``."""
    assert client.get(url).status_code == 200, url  # warm up (session, content types)
    cache.clear()
    with django_assert_max_num_queries(ceiling) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


PAGES: dict[str, tuple[str | None, Callable[[Grower], str], int]] = {
    # name: (user, None for the reporter or "api:" + user for a token, url, ceiling)
    # (the queue: session, user, memberships, office provinces, calendar, page, saved filters, search stamp …)
    "queue (intake)": ("intake_kalsel", lambda g: "/kelola/laporan/",  9),
    "queue (examiner)": ("examiner_kalsel", lambda g: "/kelola/laporan/?urut=tenggat",  9),
    "queue (examiner, my tasks)": ("examiner_kalsel", lambda g: "/kelola/laporan/?tab=tugas",  9),
    "queue (provider)": ("admin_tabalong", lambda g: "/kelola/laporan/",  9),
    "queue (head, filtered)": ("head_kalsel", lambda g: "/kelola/laporan/?jenis=public_report&q=uji",  9),
    "case page (examiner)": ("examiner_kalsel", lambda g: f"/kelola/laporan/{g.case.pk}/", 18),
    "case page (head)": ("head_kalsel", lambda g: f"/kelola/laporan/{g.case.pk}/", 18),
    "case page (intake)": ("intake_kalsel", lambda g: f"/kelola/laporan/{g.case.pk}/", 18),
    "tracking page": (None, lambda g: f"/lapor/lacak/{g.token}/", 6),
    "api cases (intake)": ("api:intake_kalsel", lambda g: "/api/complaints/cases", 8),
    "api cases (provider)": ("api:admin_tabalong", lambda g: "/api/complaints/cases?limit=100", 8),
}


class _ApiClient:
    def __init__(self, user: Any) -> None:
        self.api = Api.as_user(user)
        self.api.prefix = ""

    def get(self, url: str) -> Any:
        return self.api.get(url)


def _clients(cast: Any) -> dict[str | None, Any]:
    clients: dict[str | None, Any] = {None: Client()}
    for user, *_rest in PAGES.values():
        if user is not None and user not in clients:
            clients[user] = _ApiClient(cast.users[user[4:]]) if user.startswith("api:") else client_for(
                cast.users[user])
    return clients


def test_the_complaints_pages_make_as_many_queries_with_30_rows_as_with_3(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    grower = Grower(cast)
    clients = _clients(cast)
    grower.to(3)
    small = {page: _count(clients[user], url(grower), django_assert_max_num_queries, ceiling)
             for page, (user, url, ceiling) in PAGES.items()}
    grower.to(30)
    large = {page: _count(clients[user], url(grower), django_assert_max_num_queries, ceiling)
             for page, (user, url, ceiling) in PAGES.items()}
    grown = {page: (small[page], large[page]) for page in PAGES if large[page] != small[page]}
    assert grown == {}, f"queries with 3 rows vs 30: {grown}"


def test_the_pages_measured_really_list_the_grown_rows(cast: Any) -> None:
    grower = Grower(cast)
    grower.to(30)
    case_page = client_for(cast.examiner_kalsel).get(f"/kelola/laporan/{grower.case.pk}/").content.decode()
    assert case_page.count("Klarifikasi ke-") == 30 and case_page.count("Tambahan ke-") == 30
    assert case_page.count("staff-") >= 30 and case_page.count("reporter-") >= 30
    tracking = Client().get(f"/lapor/lacak/{grower.token}/").content.decode()
    assert tracking.count("Tambahan ke-") == 30 and tracking.count("reporter-") == 30
    queue = client_for(cast.intake_kalsel).get("/kelola/laporan/").content.decode()
    assert queue.count("Laporan uji") == 30
    head = client_for(cast.head_kalsel).get("/kelola/laporan/?jenis=public_report&q=uji")
    assert head.content.decode().count("Laporan uji") == 30
    provider = client_for(cast.admin_tabalong).get("/kelola/laporan/").content.decode()
    assert provider.count("Pengaduan uji") == 30 and "Laporan uji" not in provider
    api = Api.as_user(cast.intake_kalsel)
    api.prefix = ""
    listed = api.get("/api/complaints/cases?limit=100").json()
    assert len(listed["items"] if isinstance(listed, dict) else listed) == Case.objects.filter(
        office=cast.kalsel).count()
    assert Event.objects.filter(case=grower.case, action="reporter_message").count() == 30
