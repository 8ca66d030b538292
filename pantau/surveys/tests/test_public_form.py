"""The public form: one response per submission token, the honeypot, the minimum fill time, the
rate limit, partial saves, closed and draft campaigns; a small page with no outside requests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pantau.surveys import services
from pantau.surveys.models import Campaign, Response
from pantau.surveys.tests.helpers import SKM_CODES, answer, make_campaign

pytestmark = pytest.mark.django_db


def _form(client: Client, campaign: Campaign, query: str = "") -> dict[str, str]:
    page = client.get(reverse("surveys:form", args=[campaign.public_token]) + query)
    assert page.status_code == 200
    html = page.content.decode()
    fields = dict(re.findall(r'name="(token|started|csrfmiddlewaretoken|src)" value="([^"]*)"', html))
    return fields


def _post(client: Client, campaign: Campaign, fields: dict[str, str], value: int = 3, **extra: str) -> Any:
    data = {**fields, **{f"q_{c}": str(value) for c in SKM_CODES}, **extra}
    return client.post(reverse("surveys:form", args=[campaign.public_token]), data)


@pytest.fixture
def quick(settings: Any) -> Any:
    settings.SURVEY_MIN_SECONDS = 0
    return settings


def test_the_page_is_small_and_asks_nothing_from_outside(cast: Any) -> None:
    campaign = make_campaign(cast)
    page = Client().get(reverse("surveys:form", args=[campaign.public_token]) + f"?src=qr&layanan={cast.ktp.pk}")
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < 30_000
    assert not re.search(r'(src|href)="(https?:)?//', html)  # no external request
    assert "htmx" not in html and 'lang="id"' in html
    assert f'value="{cast.ktp.pk}" checked' in html and 'name="src" value="qr"' in html
    assert html.count('type="radio" name="q_') == 36  # nine elements × four answers


def test_submitting_twice_stores_one_response(cast: Any, quick: Any) -> None:
    campaign = make_campaign(cast)
    client = Client()
    fields = _form(client, campaign)
    first = _post(client, campaign, fields, **{"p_layanan": str(cast.ktp.pk), "p_usia": "41"})
    assert first.status_code == 302 and first["Location"].endswith("/terima-kasih/")
    again = _post(client, campaign, fields, value=1)
    assert again.status_code == 302
    response = Response.objects.get()
    assert response.complete and response.a1 == 3 and response.age == 41 and response.product_id == cast.ktp.pk
    assert response.channel == "web"


def test_a_submission_reads_no_campaign_row_through_the_orm(cast: Any, quick: Any,
                                                            django_assert_num_queries: Any) -> None:
    """The kept campaign serves the form: a submission is the state check with the token probe, the
    insert and the tallies' one upsert (flat, whatever the campaign's size)."""
    campaign = make_campaign(cast)
    client = Client()
    fields = _form(client, campaign)
    with django_assert_num_queries(5):  # and the savepoint the test transaction turns BEGIN into, and its release
        assert _post(client, campaign, fields, **{"p_layanan": str(cast.ktp.pk)}).status_code == 302
    assert Response.objects.count() == 1


def test_missing_answers_keep_what_was_given(cast: Any, quick: Any) -> None:
    campaign = make_campaign(cast)
    client = Client()
    fields = _form(client, campaign)
    data = {**fields, "q_persyaratan": "4", "saran": "Antrean panjang"}
    page = client.post(reverse("surveys:form", args=[campaign.public_token]), data)
    html = page.content.decode()
    assert page.status_code == 422 and "8 belum dijawab" in html
    assert 'name="q_persyaratan" value="4" required checked' in html and "Antrean panjang" in html
    assert not Response.objects.exists()


def test_honeypot_fast_forged_and_flooded_submissions_are_refused(cast: Any, settings: Any) -> None:
    campaign = make_campaign(cast)
    client = Client()
    fields = _form(client, campaign)
    settings.SURVEY_MIN_SECONDS = 60
    too_fast = _post(client, campaign, fields)
    assert too_fast.status_code == 422 and "terlalu cepat" in too_fast.content.decode()
    settings.SURVEY_MIN_SECONDS = 0
    bot = _post(client, campaign, fields, website="http://spam.example")
    assert bot.status_code == 400 and "otomatis" in bot.content.decode()
    forged = _post(client, campaign, {**fields, "token": "a" * 32})
    assert forged.status_code == 400 and "kedaluwarsa" in forged.content.decode()
    assert not Response.objects.exists()
    settings.SURVEY_SUBMIT_LIMIT = 4  # every attempt past the honeypot counts: two so far
    codes = [_post(client, campaign, _form(client, campaign)).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2


def test_partial_saves_are_kept_and_completed_by_the_final_submit(cast: Any, quick: Any) -> None:
    campaign = make_campaign(cast)
    client = Client()
    fields = _form(client, campaign, "?src=qr")
    url = reverse("surveys:save_partial", args=[campaign.public_token])
    saved = client.post(url, {**fields, "q_persyaratan": "2"})
    assert saved.status_code == 200 and saved.json() == {"saved": True, "complete": False}
    assert Response.objects.get().complete is False
    bad = client.post(url, {**fields, "q_persyaratan": "9"})
    assert bad.status_code == 422 and "di luar pilihan" in bad.json()["detail"]
    assert client.post(url, {**fields, "token": "b" * 32}).status_code == 400
    assert _post(client, campaign, fields, value=4).status_code == 302
    response = Response.objects.get()
    assert response.complete and response.a1 == 4 and response.channel == "qr"


def test_closed_draft_and_unknown_campaigns(cast: Any, quick: Any) -> None:
    campaign = make_campaign(cast)
    client = Client()
    fields = _form(client, campaign)
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.CLOSED)
    assert client.get(reverse("surveys:form", args=[campaign.public_token])).status_code == 410
    assert _post(client, campaign, fields).status_code == 410
    draft = make_campaign(cast, state=Campaign.State.DRAFT)
    assert client.get(reverse("surveys:form", args=[draft.public_token])).status_code == 404
    assert client.get(reverse("surveys:form", args=["tidak-ada"])).status_code == 404
    assert not Response.objects.exists()


def test_a_campaign_closed_elsewhere_refuses_the_submission_its_kept_copy_would_take(cast: Any, quick: Any) -> None:
    """The form reads its campaign from the cache; the write reads the state again, so a campaign
    closed by another process (whose cache this one does not share) takes nothing more."""
    campaign = make_campaign(cast)
    client = Client()
    fields = _form(client, campaign)  # the open campaign is now kept
    Campaign.objects.filter(pk=campaign.pk).update(state=Campaign.State.CLOSED)  # no forget: "elsewhere"
    assert client.get(reverse("surveys:form", args=[campaign.public_token])).status_code == 200  # kept copy
    refused = _post(client, campaign, fields)
    assert refused.status_code == 410 and "tidak sedang menerima" in refused.content.decode()
    assert not Response.objects.exists()


def test_a_changed_campaign_is_seen_by_the_next_visit(cast: Any, quick: Any) -> None:
    campaign = make_campaign(cast)
    client = Client()
    _form(client, campaign)
    services.campaign_update(actor=cast.admin_tabalong, campaign=campaign,
                             data={"title": "Survei Kepuasan Baru", "period_start": campaign.period_start,
                                   "period_end": campaign.period_end, "population": campaign.population},
                             services=[])
    page = client.get(reverse("surveys:form", args=[campaign.public_token]))
    assert "Survei Kepuasan Baru" in page.content.decode()


def test_the_unit_results_page_shows_published_results_only(cast: Any) -> None:
    campaign = make_campaign(cast)
    for value in (4, 3, 4):
        answer(campaign, value)
    url = reverse("surveys:unit_results", args=[cast.dukcapil.pk])
    assert "IKM" not in Client().get(url).content.decode()
    campaign = services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.CLOSED)
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=campaign, state=Campaign.State.PUBLISHED)
    html = Client().get(url).content.decode()
    assert "IKM 91,67" in html and "3 responden" in html


def test_the_product_page_shows_the_open_survey_and_the_published_ikm(cast: Any) -> None:
    url = reverse("public:product", args=[cast.ktp.pk])
    assert "Survei kepuasan" not in Client().get(url).content.decode()
    published = make_campaign(cast)
    answer(published, 4)
    published = services.campaign_set_state(actor=cast.admin_tabalong, campaign=published, state="closed")
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=published, state="published")
    current = make_campaign(cast)
    html = Client().get(url).content.decode()  # a new state is a new cache key: shown at once
    assert "IKM 100,00" in html and f"/survei/{current.public_token}/?src=qr&amp;layanan={cast.ktp.pk}" in html
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=current, state="closed")
    assert current.public_token not in Client().get(url).content.decode()


def test_the_printed_board_gains_the_survey_qr_and_the_published_ikm(cast: Any) -> None:
    import io

    from pypdf import PdfReader

    def board_text() -> tuple[int, str]:
        reply = Client().get(reverse("public:board", args=[cast.ktp.pk]))
        reader = PdfReader(io.BytesIO(reply.content))
        return len(reader.pages), " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())

    pages, before = board_text()
    assert pages == 1 and "Beri penilaian" not in before
    published = make_campaign(cast)
    answer(published, 3)
    published = services.campaign_set_state(actor=cast.admin_tabalong, campaign=published, state="closed")
    services.campaign_set_state(actor=cast.admin_tabalong, campaign=published, state="published")
    current = make_campaign(cast)
    pages, after = board_text()  # a new survey state is a new board (its fingerprint)
    assert pages == 1 and "IKM 75,00 (C, 2026)" in after
    assert f"/survei/{current.public_token}/?src=qr&layanan={cast.ktp.pk}" in after
