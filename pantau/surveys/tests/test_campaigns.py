"""Campaigns, responses and their tallies: idempotent submission, partial responses left out of
the index, the kept tallies equal to a rebuild after any sequence of writes, bad input refused
with nothing written."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.core.models import AuditEvent
from pantau.surveys import results, services, tallies
from pantau.surveys.models import Campaign, Response, Tally
from pantau.surveys.tests.helpers import SKM_CODES, answer, make_campaign

pytestmark = pytest.mark.django_db


def test_v2_worked_example_through_the_database(cast: Any) -> None:
    """GASPUL (surveys.md §1.8 V2): 29 respondents, element totals 105 101 100 116 102 105 106 105 115."""
    campaign = make_campaign(cast)
    totals = (105, 101, 100, 116, 102, 105, 106, 105, 115)
    for i in range(29):
        values = {}
        for code, total in zip(SKM_CODES, totals, strict=True):
            fours = total - 3 * 29  # 29 answers of 3 or 4 summing to total (when 87 ≤ total ≤ 116)
            values[code] = 4 if i < fours else 3
        answer(campaign, values, layanan=cast.ktp.pk)
    result = results.campaign_result(campaign)
    assert result["index"]["value"] == D("91.48") and result["index"]["mutu"] == "A"
    assert [e["n"] for e in result["index"]["elements"]] == [29] * 9
    assert result["services"][0]["complete"] == 29 and result["services"][0]["minimum"] == 169  # N = 300
    assert result["minimum_sample"] == 217  # N = 500
    low, high = result["index"]["ci"]
    assert low < D("91.48") < high


def test_a_token_sent_twice_stores_one_response_and_a_partial_completes(cast: Any) -> None:
    campaign = make_campaign(cast)
    token = uuid.uuid4().hex
    answer(campaign, {"persyaratan": 2}, complete=False, token=token)
    result = results.campaign_result(campaign)
    assert (result["complete"], result["partial"], result["index"]) == (0, 1, None)
    answer(campaign, 4, token=token)
    answer(campaign, 1, token=token)  # a resend of the same submission changes nothing
    assert Response.objects.filter(campaign=campaign).count() == 1
    result = results.campaign_result(campaign)
    assert (result["complete"], result["partial"], result["index"]["value"]) == (1, 0, D("100.00"))


def test_partial_responses_never_count_in_the_index(cast: Any) -> None:
    campaign = make_campaign(cast)
    answer(campaign, 4)
    answer(campaign, 1, complete=False)
    result = results.campaign_result(campaign)
    assert result["index"]["value"] == D("100.00") and result["response_rate"] == 50.0


@pytest.mark.parametrize(("values", "message"), [
    ({"persyaratan": 5}, "di luar pilihan"),
    ({"persyaratan": "0"}, "di luar pilihan"),
    ({"persyaratan": "x"}, "di luar pilihan"),
    ({"persyaratan": True}, "di luar pilihan"),
    ({"tidak_ada": 3}, "Unsur tidak dikenal"),
])
def test_out_of_range_answers_are_refused_and_nothing_is_written(cast: Any, values: dict[str, Any],
                                                                 message: str) -> None:
    campaign = make_campaign(cast)
    with pytest.raises(ValidationError) as caught:
        answer(campaign, {**dict.fromkeys(SKM_CODES, 3), **values})
    assert message in str(caught.value)
    assert not Response.objects.exists() and not Tally.objects.filter(campaign=campaign).exists()


def test_bad_profile_and_service_outside_the_campaign_are_refused(cast: Any) -> None:
    campaign = make_campaign(cast)
    for profile in ({"layanan": cast.pbg.pk}, {"usia": "200"}, {"jenis_kelamin": "X"}, {"rahasia": "1"}):
        with pytest.raises(ValidationError):
            answer(campaign, 3, **profile)
    assert not Response.objects.exists()


def test_a_campaign_not_open_takes_no_public_response(cast: Any) -> None:
    campaign = make_campaign(cast, state=Campaign.State.DRAFT)
    with pytest.raises(services.Rejected):
        answer(campaign, 3)
    with pytest.raises(ValidationError):
        answer(make_campaign(cast), 3, token="short")


def test_states_move_only_along_the_table_and_publishing_stores_the_result(cast: Any) -> None:
    campaign = make_campaign(cast)
    with pytest.raises(ValidationError):
        services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.PUBLISHED)
    campaign = services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.CLOSED)
    with pytest.raises(ValidationError, match="belum dapat dihitung"):  # no complete response yet
        services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.PUBLISHED)
    campaign = services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.OPEN)
    answer(campaign, 3)
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.CLOSED)
    campaign = services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign,
                                           state=Campaign.State.PUBLISHED)
    assert campaign.result["index"]["value"] == "75.00" and campaign.result["profile"] == "permenpanrb-14-2017"
    assert list(AuditEvent.objects.filter(object_id=str(campaign.pk), object_type="surveys.campaign")
                .values_list("event_type", flat=True).order_by("pk")) == [
        "campaign.created", "campaign.opened", "campaign.closed", "campaign.reopened", "campaign.closed",
        "campaign.published"]


def test_a_unit_outside_the_writers_scope_gets_no_campaign(cast: Any) -> None:
    version = services.builtin_version("skm-2017")
    data = {"title": "x", "period_start": None, "period_end": None}
    with pytest.raises(ValidationError):
        services.campaign_create(actor=cast.admin_barsel, unit=cast.dukcapil, version=version, data=data)
    with pytest.raises(ValidationError) as caught:
        services.campaign_create(actor=cast.admin_tabalong, unit=cast.dukcapil, version=version,
                                 data={"title": "", "period_start": None, "period_end": None, "population": 0})
    assert set(caught.value.message_dict) == {"title", "period_start", "period_end", "population"}
    with pytest.raises(ValidationError, match="bukan milik"):
        import datetime as dt

        services.campaign_create(actor=cast.admin_tabalong, unit=cast.dukcapil, version=version, data={
            "title": "x", "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 2, 1)},
            services=[(cast.barsel_ktp.pk, None)])
    assert not Campaign.objects.exists()


def test_perception_score_is_the_share_of_answers_reporting_no_maladministration(cast: Any) -> None:
    campaign = make_campaign(cast, slug="persepsi-maladministrasi")
    codes = [q.code for q in campaign.version.parsed.elements]
    answer(campaign, {code: 2 for code in codes})  # all "Tidak": clean
    answer(campaign, {codes[0]: 1, codes[1]: 3, **{c: 2 for c in codes[2:]}})  # one "Ya", one "Tidak tahu"
    result = results.campaign_result(campaign)
    answered = len(codes) * 2 - 1
    assert result["index"]["value"] == (D(100 * (answered - 1)) / D(answered)).quantize(D("0.01"))


def _compare(campaign: Campaign) -> None:
    slots = len(campaign.version.parsed.elements)
    kept = {key: tallies.comparable(t, slots) for key, t in tallies.current(campaign).items()}
    rebuilt = {key: tallies.comparable(v, slots) for key, v in tallies.scan(campaign).items()
               if v["complete"] or v["partial"]}
    assert kept == rebuilt


def _weighted(cast: Any) -> Campaign:
    """A unit's adaptation of the SKM with weights of its own (unequal: the scan's weighted score)."""
    import copy

    from pantau.surveys import questionnaires

    document = copy.deepcopy(questionnaires.to_document(services.builtin_version("skm-2017").parsed))
    document["id"] = "skm-berbobot"
    for i, element in enumerate(document["elements"]):
        element["weight"] = "0.2" if i == 0 else "0.1"
    version = services.version_save(actor=cast.admin_tabalong, unit=cast.dukcapil, document=document)
    campaign = services.campaign_create(
        actor=cast.admin_tabalong, unit=cast.dukcapil, version=version,
        data={"title": "SKM berbobot", "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31),
              "population": 500}, services=[(cast.ktp.pk, 300)])
    return services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.OPEN)


STEPS = st.lists(st.tuples(st.integers(0, 5), st.booleans(),
                           st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=9, max_size=10),
                           st.sampled_from(["", "Laki-laki", "Perempuan"]), st.one_of(st.none(), st.integers(10, 90))),
                 min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["skm-2017", "weighted", "persepsi-maladministrasi"]), STEPS)
def test_kept_tallies_equal_a_rebuild_after_any_sequence_of_writes(cast: Any, which: str, steps: list[Any]) -> None:
    """Equal weights (the scan's plain mean), unequal weights and the perception survey (answers
    3 = "Tidak tahu" not counted): the kept tallies equal one scan of the responses."""
    campaign = _weighted(cast) if which == "weighted" else make_campaign(cast, slug=which)
    Response.objects.filter(campaign=campaign).delete()
    Tally.objects.filter(campaign=campaign).delete()
    parsed = campaign.version.parsed
    codes = [q.code for q in parsed.elements]
    fields = {f.code for f in parsed.fields}
    for token_no, complete, values, sex, age in steps:
        answers = {c: (min(v, len(q.choices)) if v else v) for c, q, v in zip(codes, parsed.elements, values,
                                                                                strict=False)}
        if complete and all(answers.get(c) is None for c in codes):
            answers[codes[0]] = 3
        if complete and which == "persepsi-maladministrasi" and not any(answers.get(c) in (1, 2) for c in codes):
            answers[codes[0]] = 2
        profile: dict[str, Any] = {"jenis_kelamin": sex, "usia": age}
        profile = {k: v for k, v in profile.items() if k in fields and v is not None}
        answer(campaign, answers, complete=complete, token=f"token-{token_no:04d}", **profile)
    _compare(campaign)
    tallies.rebuild(campaign)
    _compare(campaign)


def test_a_batch_rebuild_equals_one_rebuild_per_campaign(cast: Any) -> None:
    """``rebuild_many`` (the command and the bench: one scan per version and chunk) writes what
    the campaigns' own rebuilds write; another campaign's responses never leak into a cell."""
    first, second, weighted = make_campaign(cast), make_campaign(cast), _weighted(cast)
    for i, value in enumerate((1, 2, 3, 4, 4)):
        answer(first, value, usia=20 + 10 * i, jenis_kelamin="Perempuan")
        answer(second, 5 - value, layanan=cast.ktp.pk)
        answer(weighted, {c: value for c in [q.code for q in weighted.version.parsed.elements]})
    answer(second, {SKM_CODES[0]: 2}, complete=False)
    one_by_one = {}
    for campaign in (first, second, weighted):
        tallies.rebuild(campaign)
        one_by_one[campaign.pk] = {k: tallies.comparable(t, 9) for k, t in tallies.current(campaign).items()}
    Tally.objects.all().delete()
    written = tallies.rebuild_many([first, second, weighted])
    assert written == sum(len(v) for v in one_by_one.values())
    for campaign in (first, second, weighted):
        assert {k: tallies.comparable(t, 9) for k, t in tallies.current(campaign).items()} == one_by_one[campaign.pk]
    assert one_by_one[first.pk][("all", "-")][:2] == (5, 0) and one_by_one[second.pk][("all", "-")][:2] == (5, 1)


def test_the_rebuild_command_repairs_tallies(cast: Any) -> None:
    import io

    from django.core.management import call_command

    campaign = make_campaign(cast)
    answer(campaign, 3)
    answer(campaign, 4)
    Tally.objects.filter(campaign=campaign, dimension="all").update(complete=7, s1=1)  # damaged
    out = io.StringIO()
    call_command("rebuild_survey_tallies", "--check", stdout=out)
    assert f"campaign {campaign.pk}: tallies differ" in out.getvalue()
    assert Tally.objects.get(campaign=campaign, dimension="all").complete == 7  # --check changed nothing
    call_command("rebuild_survey_tallies", stdout=io.StringIO())
    assert results.campaign_result(campaign)["index"]["value"] == D("87.50")
    out = io.StringIO()
    call_command("rebuild_survey_tallies", "--check", stdout=out)
    assert "0 differed" in out.getvalue()
