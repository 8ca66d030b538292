"""A whole assessment cycle through the services: period, sample, assignment, answers, review,
provider response, results, publication, correction (issue 8, "The cycle"; ADR 0019)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pantau.assessments import scoring, services, services_answers, services_period, services_results
from pantau.assessments.models import (
    Answer,
    Contest,
    FrozenVersionError,
    MethodologyVersion,
    Period,
    PublishedResultError,
    Result,
    SampledUnit,
)
from pantau.assessments.selectors_cycle import draft_results_for, public_results, result_history
from pantau.assessments.tests import helpers
from pantau.assessments.tests.cycle_helpers import (
    AT_PUBLICATION,
    IN_RESPONSE,
    approved_everywhere,
    fill,
    make_period,
    ready_for_collection,
    sampled,
    stored_version,
)
from pantau.core.models import AuditEvent

pytestmark = pytest.mark.django_db
D = Decimal


def events(prefix: str) -> list[str]:
    return list(AuditEvent.objects.filter(event_type__startswith=prefix).order_by("pk")
                .values_list("event_type", flat=True))


def test_a_whole_cycle_runs_from_draft_to_published_results(cast: Any, time_machine: Any) -> None:
    def value(item: Any) -> Decimal:  # every product check met but the fee notice
        return D(0) if item.code == "sp_biaya" else item.maximum

    period = approved_everywhere(cast, time_machine, value=value)
    assert period.status == Period.Status.REVIEW
    time_machine.move_to(IN_RESPONSE)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    assert period.status == Period.Status.RESPONSE
    drafts = {r.key: r for r in Result.objects.filter(period=period)}
    # era 1: 6 product items + 16 unit items = 22 checks; one missed → 100 × 21/22 = 95.4545… per product
    assert len(services.document_of(period.methodology_version).items) == 22
    ktp = drafts[f"p:{sampled(period, cast.dukcapil).products.get().pk}"]
    assert ktp.exact == "95.45454545454545454545454545" and ktp.score == D("95.45") and ktp.zone == "green"
    assert drafts[f"i:{cast.tabalong.pk}"].score == D("95.45")
    assert {r.level for r in drafts.values()} == {"product", "unit", "institution"}
    assert not any(r.is_published for r in drafts.values())

    # The provider sees its draft and contests the fee item of the KTP product.
    assert set(draft_results_for(cast.admin_tabalong, period)) == set(drafts.values())
    fee = Answer.objects.get(sampled_unit=sampled(period, cast.dukcapil), item="sp_biaya")
    contest = services_answers.contest_create(actor=cast.admin_tabalong, answer=fee,
                                              text="Tarif Gratis dipajang di loket 2.", evidence="foto-loket-2.jpg")
    services_answers.contest_decide(actor=cast.head_kalsel, contest=contest, accept=True,
                                    decision="Foto menunjukkan papan Gratis", value=D(1))
    fee.refresh_from_db()
    assert fee.value == D(1) and fee.revision == 2
    contest.refresh_from_db()
    assert contest.status == Contest.Status.ACCEPTED and (contest.old_value, contest.new_value) == (D(0), D(1))

    time_machine.move_to(AT_PUBLICATION)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="published")
    published = {r.key: r for r in public_results(period)}
    assert published[ktp.key].score == D("100.00") and published[ktp.key].is_published
    assert published[f"i:{cast.tabalong.pk}"].score == D("97.73")  # mean of 100 and 95.4545… (pbg still misses it)
    assert all(r.methodology_version_id == period.methodology_version_id for r in published.values())
    assert events("period.") == ["period.created", "period.collection_opened", "period.review_started",
                                 "period.response_opened", "period.published"]
    assert events("contest.") == ["contest.created", "contest.decided"]
    assert "answer.changed_after_approval" in events("answer.")


def test_stored_results_recompute_bit_for_bit(cast: Any, time_machine: Any) -> None:
    def value(item: Any) -> Decimal:
        return item.points[len(item.points) // 2] if item.points else D("61.5")

    period = approved_everywhere(cast, time_machine, "ombudsman-2022", value)
    time_machine.move_to(IN_RESPONSE)
    services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    stored = {r.key: r for r in Result.objects.filter(period=period)}
    again = services_results.recompute(Period.objects.get(pk=period.pk))
    assert set(stored) == set(again) and len(stored) == 3  # two units and the institution (era 2: no products)
    for key, fields in again.items():
        row = Result.objects.get(pk=stored[key].pk)  # read back from the database
        assert {f: getattr(row, f) for f in services_results.COMPARED} == fields
        assert Decimal(row.exact) == Decimal(fields["exact"]) and row.exact == fields["exact"]
    # …and equal what scoring makes of the same values given directly (not read from the stored answers).
    document = services.document_of(period.methodology_version)
    given = [a for unit in period.sampled_units.all()
             for a in helpers.answers(document, str(cast.tabalong.pk), str(unit.pk), [str(p.pk) for p in
                                      unit.products.all()], lambda item, product: value(item))]
    card = scoring.score_answers(document, given)
    institution = Result.objects.get(pk=stored[f"i:{cast.tabalong.pk}"].pk)
    assert institution.exact == str(card.institutions[0].score)
    assert institution.breakdown == services_results.step_json(card.institutions[0].step)
    assert institution.breakdown["parts"][0]["parts"][0]["name"].startswith("dimensi ")


def test_a_period_freezes_its_methodology_version(cast: Any, time_machine: Any) -> None:
    period = make_period(cast)
    version = MethodologyVersion.objects.get(pk=period.methodology_version_id)
    assert version.is_frozen
    version.content_hash = "0" * 64
    with pytest.raises(FrozenVersionError):
        version.save()


def test_published_results_never_change_and_a_correction_is_a_new_version(cast: Any, time_machine: Any) -> None:
    period = approved_everywhere(cast, time_machine)
    time_machine.move_to(IN_RESPONSE)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="response")
    time_machine.move_to(AT_PUBLICATION)
    period = services_period.period_advance(actor=cast.head_kalsel, period=period, target="published")
    institution = Result.objects.get(period=period, key=f"i:{cast.tabalong.pk}")
    assert institution.score == D("100.00")
    institution.score = D("1.00")
    with pytest.raises(PublishedResultError):
        institution.save()
    with pytest.raises(PublishedResultError):
        Result.objects.filter(period=period).update(score=D("1.00"))

    unit = sampled(period, cast.dpmptsp)
    answer = Answer.objects.get(sampled_unit=unit, item="mk_maklumat")
    services_answers.answer_save(actor=cast.head_kalsel, sampled_unit=unit, item="mk_maklumat", value=D(0),
                                 revision=answer.revision, change_reason="Maklumat ternyata tidak dipajang")
    corrected = services_results.result_correct(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk,
                                                reason="Koreksi maklumat DPMPTSP")
    assert {r.key for r in corrected} == {f"i:{cast.tabalong.pk}", f"u:{unit.pk}",
                                          f"p:{unit.products.get().pk}"}
    current = public_results(period).get(key=f"i:{cast.tabalong.pk}")
    assert current.version == 2 and current.reason == "Koreksi maklumat DPMPTSP" and current.score < D(100)
    history = list(result_history(current))
    assert [(r.version, r.is_current, r.score) for r in history] == [(1, False, D("100.00")),
                                                                     (2, True, current.score)]
    with pytest.raises(ValidationError, match="sama dengan"):
        services_results.result_correct(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk,
                                        reason="lagi")


def test_a_returned_item_goes_back_to_the_assessor_and_must_be_fixed(cast: Any, time_machine: Any) -> None:
    period = ready_for_collection(cast, time_machine)
    unit = sampled(period, cast.dukcapil)
    fill(cast.assessor_kalsel, unit)
    services_answers.unit_submit(actor=cast.assessor_kalsel, sampled_unit=unit)
    services_answers.unit_return(actor=cast.head_kalsel, sampled_unit=unit,
                                 items=[("mk_maklumat", None, "Foto maklumat buram; ulangi.")])
    unit.refresh_from_db()
    assert unit.status == SampledUnit.Status.RETURNED
    answer = Answer.objects.get(sampled_unit=unit, item="mk_maklumat")
    services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=unit, item="mk_maklumat", value=D(1),
                                 revision=answer.revision)
    services_answers.unit_submit(actor=cast.assessor_kalsel, sampled_unit=unit)
    services_answers.unit_approve(actor=cast.head_kalsel, sampled_unit=unit)
    unit.refresh_from_db()
    assert unit.status == SampledUnit.Status.APPROVED and unit.approved_by == cast.head_kalsel
    assert events("unit_review.") == ["unit_review.submitted", "unit_review.returned", "unit_review.submitted",
                                      "unit_review.approved"]


def test_a_self_assessment_skips_the_provider_response_and_is_never_public(cast: Any, time_machine: Any) -> None:
    time_machine.move_to(IN_RESPONSE)
    copy = services.copy_version(cast.national_admin, stored_version("self-assessment"), "mandiri-tabalong", "1.0")
    period = services_period.period_create(
        actor=cast.admin_tabalong, year=2026, title="Penilaian mandiri Tabalong", methodology_version=copy,
        dates={k: IN_RESPONSE.date() for k in services_period.DATE_FIELDS}, institution_ids=[cast.tabalong.pk],
        kind=Period.Kind.SELF, owner_id=cast.tabalong.pk)
    services_period.sample_add(actor=cast.admin_tabalong, period=period, unit_id=cast.dukcapil.pk,
                               product_ids=[cast.ktp.pk])
    period = services_period.period_advance(actor=cast.admin_tabalong, period=period, target="collection")
    unit = sampled(period, cast.dukcapil)
    fill(cast.admin_tabalong, unit)
    services_answers.unit_submit(actor=cast.admin_tabalong, sampled_unit=unit)
    period = services_period.period_advance(actor=cast.admin_tabalong, period=period, target="review")
    with pytest.raises(ValidationError):
        services_period.period_advance(actor=cast.admin_tabalong, period=period, target="response")
    services_answers.unit_approve(actor=cast.admin_tabalong, sampled_unit=unit)
    period = services_period.period_advance(actor=cast.admin_tabalong, period=period, target="published")
    assert Result.objects.filter(period=period, is_published=True).count() == 2
    assert not public_results(period).exists()
    assert draft_results_for(cast.admin_tabalong, period).count() == 2
