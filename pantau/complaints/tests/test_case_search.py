"""The complaint cases in the search index: kept current by the services, rebuilt by ``search_reindex``,
searched from the queue (``/kelola/laporan/?q=…``) within the user's scope, ranked, bounded."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from pantau.complaints import search_docs, services
from pantau.complaints.tests.helpers import file_report, to_examination
from pantau.core.search.models import SearchDocument
from pantau.core.search.query import find
from tests.cast import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
LIST = "/kelola/laporan/"


def numbers(response: Any) -> list[str]:
    assert response.status_code == 200
    return [row["case"].number for row in response.context["rows"]]


def found(text: str) -> list[int]:
    return find(search_docs.KIND, text).object_ids


def test_opening_a_case_indexes_its_text_without_the_personal_data(c: Any) -> None:
    case = file_report(c).case
    doc = SearchDocument.objects.get(kind=search_docs.KIND, object_id=case.pk)
    assert not doc.is_public and doc.office_id == c.kalsel.pk and doc.institution_id == c.tabalong.pk
    assert found("pungli ktp elektronik") == [case.pk]  # "Pungutan liar … KTP-el": synonyms both ways
    assert found("meminta uang") == [case.pk]  # the chronology (redacted)
    assert found("siti rahma contoh") == [] and found("081234567890") == []  # e-mail and phone are not indexed
    assert found(case.number) == [case.pk]


def test_classifying_and_handing_over_refresh_the_document(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    assert found("kependudukan") == [case.pk]  # the substance given at the plenary
    services.case_hand_over(actor=c.head_kalsel, case=case, office=c.kalteng, note="Wilayah Kalteng.")
    doc = SearchDocument.objects.get(kind=search_docs.KIND, object_id=case.pk)
    assert doc.office_id == c.kalteng.pk


def test_the_reindex_command_rebuilds_the_cases(c: Any) -> None:
    case = file_report(c).case
    SearchDocument.objects.filter(kind=search_docs.KIND).delete()
    call_command("search_reindex", "--kind", search_docs.KIND, verbosity=0)
    assert found("ktp") == [case.pk]


def test_the_queue_searches_words_in_the_users_offices_only(c: Any) -> None:
    ours = file_report(c, title="Akta kelahiran anak belum terbit").case
    other = file_report(c, title="Pungli KTP-el").case
    theirs = file_report(c, title="Akta kelahiran tertahan", institution=c.barsel, unit=c.barsel_dukcapil,
                         product=c.barsel_ktp).case
    client = client_for(c.intake_kalsel)
    assert numbers(client.get(LIST, {"q": "akte klahiran"})) == [ours.number]
    assert numbers(client_for(c.intake_kalteng).get(LIST, {"q": "akte kelahiran"})) == [theirs.number]
    assert numbers(client_for(c.national_admin).get(LIST, {"q": "akta kelahiran"})) == sorted(
        [ours.number, theirs.number], key=lambda n: n != ours.number)  # ranked: by title within a tier
    assert numbers(client.get(LIST, {"q": "pungutan liar"})) == [other.number]
    assert numbers(client.get(LIST, {"q": ours.number})) == [ours.number]
    page = client.get(LIST, {"q": "akta"}).content.decode()
    assert "1 laporan cocok" in page


def test_the_other_filters_apply_to_the_hits(c: Any) -> None:
    first = file_report(c, title="Akta kelahiran belum terbit").case
    second = to_examination(c, file_report(c, title="Akta kelahiran ditolak").case)
    client = client_for(c.intake_kalsel)
    assert numbers(client.get(LIST, {"q": "akta", "tahap": "examination"})) == [second.number]
    assert set(numbers(client.get(LIST, {"q": "akta", "urut": "baru"}))) == {first.number, second.number}


def test_ranked_pages_follow_by_key(c: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.complaints import views_manage

    monkeypatch.setattr(views_manage, "PAGE_SIZE", 2)
    cases = [file_report(c, title=f"Akta kelahiran {word}").case for word in ("a1", "b2", "c3", "d4", "e5")]
    client = client_for(c.intake_kalsel)
    first = client.get(LIST, {"q": "akta"})
    assert numbers(first) == [cases[0].number, cases[1].number]
    second = client.get(LIST, {"q": "akta", "setelah": str(cases[1].pk)})
    assert numbers(second) == [cases[2].number, cases[3].number]
    back = client.get(LIST, {"q": "akta", "sebelum": str(cases[2].pk)})
    assert numbers(back) == [cases[0].number, cases[1].number]
    assert numbers(client.get(LIST, {"q": "akta", "setelah": "²"})) == [cases[0].number, cases[1].number]


def test_provider_staff_search_only_number_and_title(c: Any) -> None:
    case = file_report(c, kind="provider_complaint", title="Antrean KTP panjang", channel="web").case
    client = client_for(c.admin_tabalong)
    assert numbers(client.get(LIST, {"q": "antrean"})) == [case.number]
    assert numbers(client.get(LIST, {"q": "meminta uang"})) == []  # the chronology is not searched for them
    assert numbers(client_for(c.admin_barsel).get(LIST, {"q": "antrean"})) == []


def test_odd_or_over_long_search_text_is_harmless(c: Any) -> None:
    case = file_report(c).case
    client = client_for(c.intake_kalsel)
    for text in ('" OR 1=1 --', "ktp* NEAR(x)", "di dan yang", "%_\\", "a" * 500, "/"):
        response = client.get(LIST, {"q": text})
        assert response.status_code == 200, text
    assert numbers(client.get(LIST, {"q": "a" * 500})) == [case.number]  # refused: ignored
    assert numbers(client.get(LIST, {"q": "di dan yang"})) == []


def test_anonymous_visitors_are_refused(client: Any) -> None:
    response = client.get(LIST, {"q": "ktp"})
    assert response.status_code in (302, 403)


def test_words_of_a_report_never_join_the_did_you_mean_vocabulary(c: Any) -> None:
    from pantau.core.search.models import SearchWord

    file_report(c, chronology="Petugas bernama Zulkarnaenx meminta uang tambahan untuk mempercepat KTP-el saya, "
                              "tanpa kuitansi apa pun.")
    assert not SearchWord.objects.filter(word__startswith="zulkarnaen").exists()
    SearchDocument.objects.filter(kind=search_docs.KIND).delete()
    call_command("search_reindex", verbosity=0)  # a rebuild of every kind leaves them out too
    assert not SearchWord.objects.filter(word__startswith="zulkarnaen").exists()
    assert found("zulkarnaenx") != []  # yet the staff search finds the report by that word


def test_a_report_filed_with_the_database_task_backend_is_indexed_by_the_worker(c: Any, settings: Any) -> None:
    """In production the report's transaction only queues its document (``tasks.index_cases``); the staff
    search finds it once the worker has run the task."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the backends follow it
    case = file_report(c, title="Sertipikat hak milik tertahan di kantor pertanahan").case
    assert found("sertipikat tertahan") == []  # queued, not written yet
    queued = DBTaskResult.objects.ready().get(task_path="pantau.complaints.tasks.index_cases")
    assert queued.task_result.args == [[case.pk]]
    # What db_worker does with it (the worker's own loop would close this test's database connection).
    queued.task.call(*queued.task_result.args, **queued.task_result.kwargs)
    assert found("sertipikat tertahan") == [case.pk]


def test_hit_ids_filter_exactly_those_cases_on_either_engine(c: Any) -> None:
    """``query.ids_q``: one array parameter on PostgreSQL, a bound list on SQLite; the same rows either way."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pantau.complaints.models import Case
    from pantau.core.search.query import ids_q

    cases = [file_report(c, title=f"Laporan uji nomor {n}").case for n in range(3)]
    wanted = [cases[2].pk, cases[0].pk, 987_654_321]
    with CaptureQueriesContext(connection) as ctx:
        got = sorted(Case.objects.filter(ids_q(wanted)).values_list("pk", flat=True))
    assert got == sorted([cases[0].pk, cases[2].pk])
    assert not Case.objects.filter(ids_q([])).exists()
    if connection.vendor == "postgresql":
        assert "unnest" in ctx.captured_queries[0]["sql"]
