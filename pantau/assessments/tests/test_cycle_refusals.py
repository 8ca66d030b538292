"""What the cycle refuses, with a clear message and nothing half-written: answers outside the
scale, N/A without a reason, edits after approval without a reason, stale revisions, contests out of
the window, the wrong role, an actor out of scope, steps the transition table does not allow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pantau.assessments import services_answers, services_period
from pantau.assessments.models import Answer, Contest, MethodologyVersion, Period, Result, SampledUnit
from pantau.assessments.services_answers import AnswerConflict
from pantau.assessments.tests.cycle_helpers import (
    AFTER_RESPONSE,
    AT_PUBLICATION,
    DATES,
    IN_RESPONSE,
    approved_everywhere,
    fill,
    make_period,
    ready_for_collection,
    sampled,
)
from pantau.core.errors import NotInScope
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def collecting(cast: Any, time_machine: Any) -> Period:
    return ready_for_collection(cast, time_machine)


def save(cast: Any, period: Period, item: str, value: Decimal | None, *, unit: Any = None, product: bool = False,
         actor: Any = None, **kw: Any) -> Answer:
    su = sampled(period, unit or cast.dukcapil)
    return services_answers.answer_save(actor=actor or cast.assessor_kalsel, sampled_unit=su, item=item, value=value,
                                        sampled_product=su.products.first() if product else None, **kw)


def answer_events() -> int:
    return AuditEvent.objects.filter(event_type__startswith="answer.").count()


# --- answers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [D(2), D(-1), D("0.5")])
def test_an_answer_outside_the_scale_is_refused_naming_the_item(cast: Any, collecting: Period, value: Decimal) -> None:
    with pytest.raises(ValidationError) as info:
        save(cast, collecting, "mk_maklumat", value)
    message = info.value.messages[0]
    assert "mk_maklumat" in message and "di luar skala" in message and "salah satu dari 0, 1" in message
    assert not Answer.objects.exists() and answer_events() == 0


def test_a_numeric_answer_with_more_decimals_than_stored_is_refused_not_rounded(cast: Any,
                                                                                time_machine: Any) -> None:
    period = ready_for_collection(cast, time_machine, "ombudsman-2022")
    with pytest.raises(ValidationError, match="o_penundaan"):
        save(cast, period, "o_penundaan", D("50.00001"))
    assert save(cast, period, "o_penundaan", D("50.0001")).value == D("50.0001")


def test_not_applicable_needs_a_reason_and_an_item_that_allows_it(cast: Any, collecting: Period) -> None:
    with pytest.raises(ValidationError, match="mk_maklumat.*tidak boleh dijawab “tidak berlaku”"):
        save(cast, collecting, "mk_maklumat", None, reason="tidak ada")
    na_item = next(i for i in collecting.methodology_version.document["dimensions"][0]["variables"]
                   for i in i["items"] if i.get("na"))
    with pytest.raises(ValidationError, match=f"{na_item['code']}.*tulis alasannya"):
        save(cast, collecting, na_item["code"], None, reason="   ", product=na_item["level"] == "product")
    assert not Answer.objects.exists()


def test_a_product_item_needs_its_product_and_a_unit_item_none(cast: Any, collecting: Period) -> None:
    with pytest.raises(ValidationError, match="sp_biaya.*per produk"):
        save(cast, collecting, "sp_biaya", D(1))
    with pytest.raises(ValidationError, match="mk_maklumat.*per unit"):
        save(cast, collecting, "mk_maklumat", D(1), product=True)
    with pytest.raises(ValidationError, match="tidak ada dalam metodologi"):
        save(cast, collecting, "bukan_item", D(1))


def test_a_stale_revision_is_a_conflict_with_both_values_and_nothing_is_overwritten(cast: Any,
                                                                                   collecting: Period) -> None:
    first = save(cast, collecting, "mk_maklumat", D(1))
    assert first.revision == 1
    with pytest.raises(AnswerConflict) as info:  # a second device that also saw no answer
        save(cast, collecting, "mk_maklumat", D(0), actor=cast.national_admin, revision=0)
    conflict = info.value
    assert conflict.stored == {"value": D(1), "reason": "", "revision": 1}
    assert conflict.submitted == {"value": D(0), "reason": ""} and conflict.item == "mk_maklumat"
    assert "revisi 0, sekarang 1" in str(conflict)
    first.refresh_from_db()
    assert (first.value, first.revision) == (D(1), 1)
    assert save(cast, collecting, "mk_maklumat", D(0), revision=1).revision == 2


def test_approved_answers_are_locked_and_a_change_needs_a_reviewer_and_a_reason(cast: Any, time_machine: Any) -> None:
    period = approved_everywhere(cast, time_machine)
    answer = Answer.objects.get(sampled_unit=sampled(period, cast.dukcapil), item="mk_maklumat")
    with pytest.raises(ValidationError, match="dikunci"):
        save(cast, period, "mk_maklumat", D(0), revision=answer.revision)
    with pytest.raises(ValidationError, match="alasan perubahan"):
        save(cast, period, "mk_maklumat", D(0), actor=cast.head_kalsel, revision=answer.revision)
    answer.refresh_from_db()
    assert answer.value == D(1) and answer_events() == 44  # 2 units × 22 items, nothing more
    save(cast, period, "mk_maklumat", D(0), actor=cast.head_kalsel, revision=answer.revision,
         change_reason="Foto menunjukkan maklumat tidak ada")
    event = AuditEvent.objects.get(event_type="answer.changed_after_approval")
    assert event.reason == "Foto menunjukkan maklumat tidak ada" and event.before["value"] == "1.0000"


def test_a_submitted_unit_waits_for_its_review(cast: Any, collecting: Period) -> None:
    unit = sampled(collecting, cast.dukcapil)
    with pytest.raises(ValidationError, match="Belum dijawab: .*mk_maklumat"):
        services_answers.unit_submit(actor=cast.assessor_kalsel, sampled_unit=unit)
    fill(cast.assessor_kalsel, unit)
    services_answers.unit_submit(actor=cast.assessor_kalsel, sampled_unit=unit)
    answer = Answer.objects.get(sampled_unit=unit, item="mk_maklumat")
    with pytest.raises(ValidationError, match="sedang direviu"):
        save(cast, collecting, "mk_maklumat", D(0), revision=answer.revision)
    with pytest.raises(ValidationError, match="catatan"):
        services_answers.unit_return(actor=cast.head_kalsel, sampled_unit=unit, items=[("mk_maklumat", None, " ")])
    unit.refresh_from_db()
    assert unit.status == SampledUnit.Status.SUBMITTED and not unit.returned_items.exists()


def test_nothing_is_half_written_when_the_audit_write_fails(cast: Any, collecting: Period, monkeypatch: Any) -> None:
    def broken(**kw: Any) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services_answers.audit, "record", broken)
    with pytest.raises(RuntimeError):
        save(cast, collecting, "mk_maklumat", D(1))
    assert not Answer.objects.exists()


# --- roles and scope ---------------------------------------------------------------------------

def test_only_assigned_assessors_and_reviewers_answer(cast: Any, collecting: Period) -> None:
    for outsider in (cast.assessor_kalteng, cast.admin_tabalong, cast.operator_dukcapil, cast.intake_kalsel,
                     cast.outsider):
        with pytest.raises(NotInScope):
            save(cast, collecting, "mk_maklumat", D(1), actor=outsider)
    assert not Answer.objects.exists()


def test_wrong_roles_cannot_run_a_period(cast: Any, collecting: Period, time_machine: Any) -> None:
    for actor in (cast.assessor_kalsel, cast.admin_tabalong, cast.outsider, AnonymousUser()):
        with pytest.raises(NotInScope):
            services_period.period_advance(actor=actor, period=collecting, target="review")
    with pytest.raises(NotInScope):
        make_period(cast, actor=cast.admin_tabalong)
    with pytest.raises(NotInScope):  # the Kalsel head does not run the Kalteng office's periods
        make_period(cast, actor=cast.head_kalsel, office_id=cast.kalteng.pk, institutions=[cast.barsel.pk])
    unit = sampled(collecting, cast.dukcapil)
    with pytest.raises(NotInScope):
        services_answers.unit_approve(actor=cast.assessor_kalsel, sampled_unit=unit)


def test_an_office_assesses_only_what_it_covers(cast: Any, collecting: Period) -> None:
    with pytest.raises(ValidationError, match="Di luar wilayah kantor ini: Pemerintah Kabupaten Barito Selatan"):
        make_period(cast, institutions=[cast.tabalong.pk, cast.barsel.pk])
    unit = sampled(collecting, cast.dpmptsp)
    with pytest.raises(ValidationError, match="bukan asisten penilai"):
        services_period.assignment_create(actor=cast.head_kalsel, sampled_unit=unit, assessor=cast.assessor_kalteng)
    national = services_period.assignment_create(actor=cast.head_kalsel, sampled_unit=unit,
                                                 assessor=cast.national_assessor)
    assert national.assessor == cast.national_assessor
    with pytest.raises(NotInScope):
        services_period.sample_add(actor=cast.head_kalsel, period=collecting, unit_id=cast.barsel_dukcapil.pk)


def test_a_failed_period_creation_leaves_no_period_and_no_frozen_version(cast: Any) -> None:
    with pytest.raises(ValidationError, match="berurutan"):
        make_period(cast, dates={**DATES, "review_end": dt.date(2026, 7, 1)})
    with pytest.raises(ValidationError, match="salinan tidak resmi"):
        make_period(cast, "self-assessment")
    assert not Period.objects.exists()
    assert not MethodologyVersion.objects.filter(frozen_at__isnull=False).exists()


def test_a_hand_sample_with_a_foreign_product_writes_nothing(cast: Any, time_machine: Any) -> None:
    period = make_period(cast)
    with pytest.raises(ValidationError, match="bukan produk aktif"):
        services_period.sample_add(actor=cast.head_kalsel, period=period, unit_id=cast.dukcapil.pk,
                                   product_ids=[cast.ktp.pk, cast.pbg.pk])
    assert not SampledUnit.objects.exists()


# --- the transition table ------------------------------------------------------------------------

def test_the_table_refuses_skipped_steps_and_early_dates(cast: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC))
    period = make_period(cast)
    with pytest.raises(ValidationError, match="belum punya sampel"):
        services_period.period_advance(actor=cast.head_kalsel, period=period, target="collection")
    services_period.sample_choose(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk, rule="all")
    with pytest.raises(ValidationError, match="baru dapat dibuka pada 1 Juni 2026"):
        services_period.period_advance(actor=cast.head_kalsel, period=period, target="collection")
    with pytest.raises(ValidationError, match="tidak dapat berpindah"):
        services_period.period_advance(actor=cast.head_kalsel, period=period, target="published")
    period.refresh_from_db()
    assert period.status == Period.Status.DRAFT
    assert not AuditEvent.objects.filter(event_type__startswith="period.", event_type__endswith="opened").exists()


def test_review_waits_for_submissions_until_collection_ends(cast: Any, collecting: Period, time_machine: Any) -> None:
    with pytest.raises(ValidationError, match="belum diajukan"):
        services_period.period_advance(actor=cast.head_kalsel, period=collecting, target="review")
    time_machine.move_to(dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC))
    assert services_period.period_advance(actor=cast.head_kalsel, period=collecting,
                                          target="review").status == Period.Status.REVIEW


def test_the_response_step_needs_every_unit_approved_and_its_window(cast: Any, time_machine: Any) -> None:
    period = approved_everywhere(cast, time_machine)
    with pytest.raises(ValidationError, match="baru dibuka pada 1 Oktober 2026"):
        services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    assert not Result.objects.exists()


# --- contests ----------------------------------------------------------------------------------

@pytest.fixture
def responding(cast: Any, time_machine: Any) -> Period:
    period = approved_everywhere(cast, time_machine)
    time_machine.move_to(IN_RESPONSE)
    return services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")


def contest(cast: Any, period: Period, actor: Any = None, **kw: Any) -> Contest:
    answer = Answer.objects.get(sampled_unit=sampled(period, cast.dukcapil), item="mk_maklumat")
    return services_answers.contest_create(actor=actor or cast.admin_tabalong, answer=answer,
                                           text=kw.pop("text", "Maklumat ada di loket."), **kw)


def test_a_contest_after_the_window_is_refused_with_the_closing_date(cast: Any, responding: Period,
                                                                      time_machine: Any) -> None:
    time_machine.move_to(AFTER_RESPONSE)
    with pytest.raises(ValidationError, match="berakhir pada 15 Oktober 2026"):
        contest(cast, responding)
    assert not Contest.objects.exists()


def test_a_contest_before_the_response_step_is_refused(cast: Any, time_machine: Any) -> None:
    period = approved_everywhere(cast, time_machine)
    with pytest.raises(ValidationError, match="belum dibuka"):
        contest(cast, period)


def test_only_the_institutions_own_admin_contests_within_bounds(cast: Any, responding: Period) -> None:
    for actor in (cast.admin_barsel, cast.operator_dukcapil, cast.assessor_kalsel, cast.outsider):
        with pytest.raises(NotInScope):
            contest(cast, responding, actor=actor)
    with pytest.raises(ValidationError, match="paling banyak 2000"):
        contest(cast, responding, text="x" * 2001)
    with pytest.raises(ValidationError, match="alasan keberatan"):
        contest(cast, responding, text="  ")
    first = contest(cast, responding)
    with pytest.raises(ValidationError, match="masih menunggu"):
        contest(cast, responding)
    with pytest.raises(NotInScope):
        services_answers.contest_decide(actor=cast.assessor_kalsel, contest=first, accept=False, decision="tidak")
    services_answers.contest_decide(actor=cast.head_kalsel, contest=first, accept=False, decision="Foto tidak jelas")
    first.refresh_from_db()
    assert first.status == Contest.Status.REJECTED and first.decided_by == cast.head_kalsel


def test_publication_waits_for_every_contest_to_be_decided(cast: Any, responding: Period, time_machine: Any) -> None:
    contest(cast, responding)
    time_machine.move_to(AT_PUBLICATION)
    with pytest.raises(ValidationError, match="1 keberatan penyelenggara belum diputuskan"):
        services_period.period_advance(actor=cast.head_kalsel, period=responding, target="published")
    assert not Result.objects.filter(is_published=True).exists()


# --- a property: revisions ---------------------------------------------------------------------

@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seen=st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=8))
def test_a_save_succeeds_exactly_when_it_names_the_stored_revision(cast: Any, collecting: Period,
                                                                  seen: list[int]) -> None:
    with transaction.atomic():
        stored = 0
        for revision in seen:
            try:
                answer = save(cast, collecting, "mk_maklumat", D(revision % 2), revision=revision)
            except AnswerConflict as conflict:
                assert revision != stored and conflict.stored["revision"] == stored
            else:
                assert revision == stored and answer.revision == stored + 1
                stored += 1
        assert Answer.objects.filter(item="mk_maklumat").count() == (1 if stored else 0)
        assert AuditEvent.objects.filter(event_type="answer.saved").count() == stored
        transaction.set_rollback(True)


def test_a_step_that_fails_after_storing_results_leaves_neither_results_nor_a_new_status(
        cast: Any, time_machine: Any, monkeypatch: Any) -> None:
    period = approved_everywhere(cast, time_machine)
    time_machine.move_to(IN_RESPONSE)
    real = services_period.audit.record

    def failing(**kw: Any) -> Any:
        if kw["event_type"] == "period.response_opened":
            raise RuntimeError("audit store down")
        return real(**kw)

    monkeypatch.setattr(services_period.audit, "record", failing)
    with pytest.raises(RuntimeError):
        services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    period.refresh_from_db()
    assert period.status == Period.Status.REVIEW
    assert not Result.objects.exists() and not AuditEvent.objects.filter(event_type="result.computed").exists()


STEPS = ["draft", "collection", "review", "response", "published"]
MOMENTS = {"review": dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC), "response": IN_RESPONSE,
           "publication": AT_PUBLICATION}
# The table's official steps from review on, and the first day each may be taken.
NEXT = {"review": ("response", IN_RESPONSE), "response": ("published", AT_PUBLICATION)}


@pytest.fixture
def approved(cast: Any, time_machine: Any) -> Period:
    return approved_everywhere(cast, time_machine)


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(requests=st.lists(st.tuples(st.sampled_from(STEPS), st.sampled_from(sorted(MOMENTS))), min_size=1,
                         max_size=6))
@example(requests=[("response", "review"), ("response", "response"), ("published", "response"),
                   ("published", "publication")])
@example(requests=[("published", "publication"), ("collection", "publication"), ("draft", "review")])
def test_no_sequence_of_requests_moves_a_period_off_the_table(cast: Any, approved: Period, time_machine: Any,
                                                              requests: list[tuple[str, str]]) -> None:
    """Whatever is asked, on whichever day, the status takes exactly the table's next step when its
    day has come, and otherwise stays where it is."""
    with transaction.atomic():
        expected = "review"
        for target, moment in requests:
            time_machine.move_to(MOMENTS[moment])
            step = NEXT.get(expected)
            allowed = step is not None and step[0] == target and MOMENTS[moment] >= step[1]
            try:
                services_period.period_advance(actor=cast.head_kalsel, period=approved, target=target)
            except ValidationError:
                assert not allowed
            else:
                assert allowed and step is not None
                expected = step[0]
            assert Period.objects.get(pk=approved.pk).status == expected
        assert Result.objects.filter(is_published=True).exists() == (expected == "published")
        transaction.set_rollback(True)
