"""Public results pages: the periods, a period's table, an institution's result, the rapor PDF
(issue 8, "Results"). Only published official results are shown; bad filters answer 400."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from pantau.assessments import services_answers, services_results
from pantau.assessments.models import Answer
from pantau.assessments.tests.cycle_helpers import approved_everywhere, sampled
from pantau.assessments.tests.results_helpers import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(cast: Any, time_machine: Any) -> Any:
    return published(cast, time_machine)


def test_the_index_lists_published_periods_only(cast: Any, time_machine: Any, client: Client) -> None:
    draft = approved_everywhere(cast, time_machine)  # in review: not public
    assert draft.title not in client.get("/penilaian/").content.decode()
    assert client.get(f"/penilaian/{draft.year}/").status_code == 404
    assert client.get(f"/penilaian/{draft.year}/instansi/{cast.tabalong.pk}/").status_code == 404
    assert client.get(f"/penilaian/{draft.year}/instansi/{cast.tabalong.pk}/rapor.pdf").status_code == 404


def test_the_period_page_ranks_institutions_with_their_zone_written_out(period: Any, cast: Any,
                                                                        client: Client) -> None:
    body = client.get(f"/penilaian/{period.year}/").content.decode()
    assert cast.tabalong.name in body and "95,45" in body
    assert 'class="zone zone-green">Hijau' in body  # the zone in words, not only a colour
    assert "Sebaran zona" in body and "100,00%" in body or "100.00%" in body
    assert 'id="zone-map-data"' in body and "Kalimantan Selatan" in body
    assert client.get(f"/penilaian/{period.year}/?jenis=pemkab&provinsi=63").status_code == 200
    empty = client.get(f"/penilaian/{period.year}/?jenis=kementerian").content.decode()
    assert "Tidak ada instansi dengan filter ini" in empty


def test_choosing_a_province_maps_its_regencies_and_cities(period: Any, cast: Any, client: Client) -> None:
    import json
    import re

    body = client.get(f"/penilaian/{period.year}/?provinsi=63").content.decode()
    assert "Peta zona per kabupaten/kota" in body and 'data-geo="/peta/provinsi/63.json"' in body
    rows = json.loads(re.search(r'id="zone-map-data"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert [(r["code"], r["name"], r["count"], r["zone"]) for r in rows] == [
        (cast.tabalong.regency.code, cast.tabalong.regency.name, 1, "green")]
    national = client.get(f"/penilaian/{period.year}/").content.decode()
    assert "Peta zona per provinsi" in national and 'data-geo="/peta/provinsi.json"' in national


@pytest.mark.parametrize("query, message", [
    ("jenis=planet", "Jenis instansi"), ("provinsi=99", "Kode provinsi"), ("halaman=0", "Halaman harus"),
    ("halaman=abc", "Halaman harus"), ("halaman=9", "Halaman 9 tidak ada"),
])
def test_bad_filters_answer_400_with_what_is_wrong(period: Any, client: Client, query: str, message: str) -> None:
    response = client.get(f"/penilaian/{period.year}/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_years_and_institutions_answer_404(period: Any, cast: Any, client: Client) -> None:
    assert client.get("/penilaian/1999/").status_code == 404
    assert client.get("/penilaian/99999/").status_code == 404
    assert client.get(f"/penilaian/{period.year}/instansi/{cast.barsel.pk}/").status_code == 404
    assert client.get(f"/penilaian/{period.year}/instansi/{cast.barsel.pk}/rapor.pdf").status_code == 404


def test_the_institution_page_explains_each_number(period: Any, cast: Any, client: Client) -> None:
    body = client.get(f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/").content.decode()
    assert cast.tabalong.name in body and cast.dukcapil.name in body and cast.ktp.name in body
    assert "<details" in body and "Kepatuhan standar pelayanan" in body  # down to the dimensions
    assert f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/rapor.pdf" in body
    assert "Era 2016-2021" in body  # the trend, labelled by era
    # Each unit's page goes down to every item: click a score, see how it was made.
    dukcapil = sampled(period, cast.dukcapil)
    link = f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/unit/{dukcapil.pk}/"
    assert link in body and "item sp_biaya" not in body  # the institution page stays light
    unit = client.get(link).content.decode()
    assert cast.dukcapil.name in unit and cast.ktp.name in unit and cast.tabalong.name in unit
    assert "<details" in unit and "item sp_biaya" in unit and "(0 − 0) / (1 − 0)" in unit
    other = sampled(period, cast.dpmptsp)
    assert client.get(f"/penilaian/{period.year}/instansi/{cast.barsel.pk}/unit/{other.pk}/").status_code == 404
    assert client.get(f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/unit/999999/").status_code == 404


def test_a_correction_shows_dikoreksi_with_the_reason_and_the_previous_version(period: Any, cast: Any,
                                                                               client: Client) -> None:
    unit = sampled(period, cast.dpmptsp)
    answer = Answer.objects.get(sampled_unit=unit, item="mk_maklumat")
    services_answers.answer_save(actor=cast.head_kalsel, sampled_unit=unit, item="mk_maklumat", value=Decimal(0),
                                 revision=answer.revision, change_reason="Maklumat tidak dipajang")
    before = client.get(f"/penilaian/{period.year}/").content.decode()
    assert "dikoreksi" not in before
    services_results.result_correct(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk,
                                    reason="Koreksi maklumat DPMPTSP")
    after = client.get(f"/penilaian/{period.year}/").content.decode()  # the stamp changed: not the cached page
    assert "dikoreksi" in after and "Koreksi maklumat DPMPTSP" in after and "sebelumnya 95,45" in after
    page = client.get(f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/").content.decode()
    assert "Dikoreksi" in page and "Versi 1: nilai 95,45" in page


def test_the_rapor_lists_the_unmet_items_with_where_to_fix_them(period: Any, cast: Any, client: Client) -> None:
    response = client.get(f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/rapor.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert cast.tabalong.name in flat and "95,45" in flat or "95.45" in flat
    assert "sp_biaya" in flat and cast.dukcapil.name in flat and cast.dpmptsp.name in flat
    assert "Penuhi:" in flat


def test_pages_cost_the_same_number_of_queries_whatever_the_size(period: Any, cast: Any, client: Client,
                                                                 django_assert_max_num_queries: Any) -> None:
    unit = sampled(period, cast.dukcapil)
    urls = [f"/penilaian/{period.year}/", f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/",
            f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/unit/{unit.pk}/",
            f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/rapor.pdf", "/penilaian/"]
    for url in urls:  # rendered once (a miss), then from the cache
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
    for url in urls[:3]:
        with django_assert_max_num_queries(1):  # the stamp only
            assert client.get(url)["X-Pantau-Cache"] == "hit"


def test_across_eras_ranks_are_not_compared_and_the_trend_keeps_each_era_apart(cast: Any, client: Client) -> None:
    import re

    from pantau.assessments.tests.results_helpers import published_in

    def top(item: Any) -> Decimal:
        return item.maximum

    def no_fee(item: Any) -> Decimal:
        return item.minimum if item.code == "p_biaya" else item.maximum

    published_in(cast, 2021)  # ombudsman-2016
    published_in(cast, 2022, "ombudsman-2022", value=top)
    published_in(cast, 2023, "ombudsman-2022", value=no_fee)

    def tabalong_row(year: int) -> str:
        body = client.get(f"/penilaian/{year}/").content.decode()
        found = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(cast.tabalong.name)}(?:(?!</tr>).)*</tr>", body, re.S)
        assert found, body
        return found.group(0)

    assert "tidak sebanding" in tabalong_row(2022)  # 2021 was scored by another methodology
    assert "tidak sebanding" not in tabalong_row(2023) and "tetap" in tabalong_row(2023)

    page = client.get(f"/penilaian/2023/instansi/{cast.tabalong.pk}/").content.decode()
    trend = page[page.index('id="h-trend"'):]
    captions = re.findall(r"<caption>(.*?)</caption>", trend, re.S)
    assert len(captions) == 2 and "2016-2021" in captions[0] and "2022" in captions[1], captions
    tables = trend.split("<caption>")[1:]
    years = [re.findall(r'<th scope="row"><a [^>]*>(\d{4})</a>', t) for t in tables]
    assert years == [["2021"], ["2022", "2023"]]  # one line per era, never mixed


def test_the_rapor_is_made_once_per_publication_and_language(period: Any, cast: Any, client: Client) -> None:
    url = f"/penilaian/{period.year}/instansi/{cast.tabalong.pk}/rapor.pdf"
    first, again, english = client.get(url), client.get(url), client.get(url + "?bahasa=en")
    assert (first["X-Pantau-Cache"], again["X-Pantau-Cache"], english["X-Pantau-Cache"]) == ("miss", "hit", "miss")
    assert first.content == again.content != english.content
    unit = sampled(period, cast.dpmptsp)
    answer = Answer.objects.get(sampled_unit=unit, item="mk_maklumat")
    services_answers.answer_save(actor=cast.head_kalsel, sampled_unit=unit, item="mk_maklumat", value=Decimal(0),
                                 revision=answer.revision, change_reason="Maklumat tidak dipajang")
    services_results.result_correct(actor=cast.head_kalsel, period=period, institution_id=cast.tabalong.pk,
                                    reason="Koreksi maklumat DPMPTSP")
    corrected = client.get(url)
    assert corrected["X-Pantau-Cache"] == "miss" and corrected.content != first.content
