"""Triage suggestions (``triage.py``): trained by ``pantau complaints_triage_train`` from the cases staff
classified, stored without pickle, shown on the case page to the intake officer and the head of office with
their confidence and measured accuracy, never applied without the officer; nothing without history."""

from __future__ import annotations

import datetime as dt
import io
import random
import time
import zipfile
from collections.abc import Iterator
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pantau.complaints import triage
from pantau.complaints.models import Case, TriageModel
from pantau.complaints.templatetags import complaint_triage
from pantau.complaints.tests.helpers import file_report, to_examination
from pantau.complaints.views_case import Viewer
from pantau.core.models import AuditEvent
from tests.cast import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]

# Words that tell the substance, the forms and the place (the institution), as reporters write them.
SUBJECTS = {
    "Administrasi kependudukan": ("KTP-el belum terbit", "akta kelahiran anak tidak dicetak",
                                  "kartu keluarga salah nama"),
    "Agraria/pertanahan": ("sertifikat tanah tertahan", "pengukuran bidang tanah ditunda",
                           "balik nama sertifikat hak milik"),
    "Kesehatan": ("pasien ditolak rumah sakit", "obat di puskesmas kosong", "rujukan pasien BPJS dipersulit"),
    "Pendidikan": ("pungutan sekolah tanpa dasar", "ijazah siswa ditahan sekolah", "penerimaan siswa baru zonasi"),
}
FORM_WORDS = {"PERMINTAAN_IMBALAN": "Petugas meminta uang pelicin Rp 200.000 supaya cepat.",
              "PENUNDAAN_BERLARUT": "Sudah berbulan-bulan berkas tidak selesai tanpa kepastian waktu."}
FILLER = ("saya", "sudah", "datang", "kantor", "loket", "pagi", "kembali", "kemarin", "petugas", "berkas",
          "mohon", "bantuan", "kami", "warga", "layanan")


@pytest.fixture(autouse=True)
def fresh_models() -> Iterator[None]:
    triage.forget()
    yield
    triage.forget()


def text_for(rng: random.Random, substance: str, forms: list[str], place: str) -> tuple[str, str]:
    subject = rng.choice(SUBJECTS[substance])
    filler = " ".join(rng.sample(FILLER, 5))
    summary = f"{filler} {subject} di {place}. " + " ".join(FORM_WORDS[f] for f in forms)
    return subject.capitalize(), summary


def history(c: Any, office: Any, count: int, *, seed: int = 7, start: dt.date = dt.date(2025, 1, 2)) -> list[Case]:
    """``count`` classified cases of ``office``, one a day from ``start``: the words tell the substance, the
    forms and the place; the institution is the place's."""
    rng = random.Random(seed)
    places = [(c.tabalong, "Tabalong"), (c.banjarmasin, "Banjarmasin")] if office == c.kalsel \
        else [(c.barsel, "Barito Selatan")]
    rows = []
    for n in range(count):
        substance = rng.choice(sorted(SUBJECTS))
        forms = sorted(rng.sample(sorted(FORM_WORDS), rng.randint(1, 2)))
        institution, place = rng.choice(places)
        title, summary = text_for(rng, substance, forms, place)
        rows.append(Case(number=f"H{office.pk}-{seed}-{n}", kind="public_report", state="closed", office=office,
                         title=title, chronology=summary, public_summary=summary, received_on=start + dt.timedelta(n),
                         rule_set="test", substance=substance, alleged=forms, institution=institution))
    return Case.objects.bulk_create(rows)


def train(*args: str) -> str:
    out = StringIO()
    call_command("complaints_triage_train", *args, stdout=out)
    return out.getvalue()


def page(user: Any, case: Case) -> str:
    response = client_for(user).get(f"/kelola/laporan/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def new_case(c: Any, title: str, chronology: str) -> Case:
    return file_report(c, title=title, chronology=chronology).case


def test_with_zero_history_there_is_no_suggestion_and_nothing_is_stored(c: Any) -> None:
    out = train()
    assert "riwayat belum cukup" in out.lower() and TriageModel.objects.count() == 0
    case = new_case(c, "Sertifikat tanah tertahan", "Sertifikat tanah saya tertahan di kantor.")
    assert triage.suggest(case) is None
    html = page(c.intake_kalsel, case)
    assert "Saran klasifikasi" in html and "Belum ada saran" in html and "keyakinan" not in html
    assert not AuditEvent.objects.filter(event_type=triage.EVENT_TYPE).exists()


def test_words_that_tell_the_substance_give_an_accurate_model_and_a_right_suggestion(
        c: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triage, "OFFICE_MINIMUM", 150)
    history(c, c.kalsel, 240)
    out = train("--holdout", "0.25")
    assert "nasional: 240 laporan, 60 disisihkan" in out and "substansi top-1" in out
    stored = TriageModel.objects.get(office=c.kalsel)
    assert stored.cases == 240 and stored.held_back == 60 and stored.version == 1
    # Four substances: chance is 25 %; the words tell them apart.
    assert stored.accuracy["substance"]["top1"] > 0.8 and stored.accuracy["substance"]["top3"] >= \
        stored.accuracy["substance"]["top1"]
    assert stored.accuracy["forms"]["micro_f1"] > 0.7 and stored.accuracy["institution"]["top1"] > 0.8
    assert AuditEvent.objects.filter(event_type=triage.EVENT_TYPE, object_id=str(stored.pk)).exists()
    case = new_case(c, "Sertifikat tanah belum juga terbit", "Balik nama sertifikat hak milik di Banjarmasin "
                    "tertahan. Petugas meminta uang pelicin supaya cepat.")
    suggestion = triage.suggest(case)
    assert suggestion is not None and suggestion.stored.office_id == c.kalsel.pk
    assert suggestion.substances[0].label == "Agraria/pertanahan" and suggestion.substances[0].confidence > 0.5
    assert "PERMINTAAN_IMBALAN" in suggestion.form_codes
    institution = suggestion.prediction.institution
    assert institution is not None and institution.label == str(c.banjarmasin.pk)
    html = page(c.intake_kalsel, case)
    assert "Agraria/pertanahan" in html and "keyakinan" in html and "Model kantor ini" in html
    assert "240 laporan" in html and "Pemerintah Kota Banjarmasin" in html
    # Shown, never applied: the case is still unclassified after the page.
    case.refresh_from_db()
    assert case.substance == "" and case.alleged == []


def test_the_officer_applies_the_suggestion_through_the_classification_form(
        c: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triage, "OFFICE_MINIMUM", 100)
    history(c, c.kalsel, 120)
    train()
    case = new_case(c, "Pasien ditolak rumah sakit", "Pasien ditolak rumah sakit di Tabalong.")
    html = page(c.intake_kalsel, case)
    assert 'name="substance" value="Kesehatan"' in html
    response = client_for(c.intake_kalsel).post(f"/kelola/laporan/{case.pk}/klasifikasi/",
                                                {"substance": "Kesehatan", "alleged": ["PENUNDAAN_BERLARUT"]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.substance == "Kesehatan" and case.alleged == ["PENUNDAAN_BERLARUT"]


def test_the_office_model_serves_an_office_with_enough_history_else_the_national_one(
        c: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triage, "OFFICE_MINIMUM", 100)
    history(c, c.kalsel, 120)
    history(c, c.kalteng, 30, seed=8)
    out = train()
    assert "riwayat belum cukup (30 laporan yang sudah diklasifikasi, perlu 100)" in out
    assert set(TriageModel.objects.values_list("office_id", flat=True)) == {None, c.kalsel.pk}
    kalsel, kalteng = triage.model_for(c.kalsel.pk), triage.model_for(c.kalteng.pk)
    assert kalsel is not None and kalsel.office_id == c.kalsel.pk
    assert kalteng is not None and kalteng.national and kalteng.cases == 150
    # Trained again: a new version is read (after the recheck interval), the old one stays up to KEEP.
    train("--office", "")
    monkeypatch.setattr(triage, "RECHECK_SECONDS", 0.0)
    newer = triage.model_for(c.kalsel.pk)
    assert newer is not None and newer.version == 2
    assert TriageModel.objects.filter(office=c.kalsel).count() == 2


def test_zero_history_keeps_the_working_model(c: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triage, "OFFICE_MINIMUM", 100)
    history(c, c.kalsel, 120)
    train()
    before = set(TriageModel.objects.values_list("pk", flat=True))
    c.kalteng.code = "PLK"
    c.kalteng.save()
    out = train("--office", "plk")
    assert "PLK: riwayat belum cukup" in out and "tidak ada model yang disimpan atau dihapus" in out
    assert set(TriageModel.objects.values_list("pk", flat=True)) == before


def test_bad_options_are_refused_with_a_message_and_store_nothing(c: Any) -> None:
    history(c, c.kalsel, 60)
    with pytest.raises(CommandError, match="--holdout"):
        train("--holdout", "0.9")
    with pytest.raises(CommandError, match="XYZ"):
        train("--office", "XYZ")
    assert TriageModel.objects.count() == 0


def test_the_stored_model_holds_no_pickle_and_a_tampered_one_is_refused(c: Any) -> None:
    history(c, c.kalsel, 80)
    train()
    stored = TriageModel.objects.get(office__isnull=True)
    blob = bytes(stored.data)
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
        assert all(arrays[name].dtype.kind in "fiU" for name in arrays.files)
    # An archive with an object array (a pickle inside), garbage, mismatched shapes: refused, nothing shown.
    tampered = io.BytesIO()
    np.savez(tampered, terms=np.array([{"x": 1}], dtype=object), idf=np.ones(1, dtype=np.float32))
    shapes = io.BytesIO()
    np.savez(shapes, terms=np.array(["a", "b"]), idf=np.ones(3, dtype=np.float32))
    for bad in (tampered.getvalue(), b"not an archive", shapes.getvalue()):
        with pytest.raises(triage.TriageError):
            triage.Loaded.from_bytes(bad)
    TriageModel.objects.filter(pk=stored.pk).update(data=tampered.getvalue())
    triage.forget()
    case = new_case(c, "KTP-el belum terbit", "KTP-el belum terbit di Tabalong.")
    assert triage.suggest(case) is None
    assert "Belum ada saran" in page(c.head_kalsel, case)


def test_the_numpy_vector_is_the_fitted_tfidf_vector(c: Any) -> None:
    rng = random.Random(3)
    docs = [triage.terms(*text_for(rng, s, ["PENUNDAAN_BERLARUT"], "Tabalong")) for s in sorted(SUBJECTS) * 5]
    vectorizer = triage.make_vectorizer(len(docs))
    matrix = vectorizer.fit_transform(docs)
    model = triage.Loaded.from_arrays({
        "terms": np.asarray(vectorizer.get_feature_names_out(), dtype=str),
        "idf": np.asarray(vectorizer.idf_, dtype=np.float32),
        "substance_weights": np.zeros((2, matrix.shape[1]), dtype=np.float32),
        "substance_bias": np.zeros(2, dtype=np.float32), "substance_labels": np.asarray(["a", "b"])})
    for row, doc in enumerate(docs):
        cols, values = model.vector(doc)
        expected = matrix[row].toarray().ravel()
        got = np.zeros_like(expected)
        got[cols] = values
        assert np.allclose(got, expected, atol=1e-6)


def test_one_prediction_takes_well_under_a_second(c: Any) -> None:
    history(c, c.kalsel, 80)
    train()
    case = new_case(c, "Ijazah ditahan", "Ijazah siswa ditahan sekolah karena belum membayar pungutan.")
    triage.suggest(case)  # loads the model (once per process)
    started = time.perf_counter()
    suggestion = triage.suggest(case)
    assert suggestion is not None and time.perf_counter() - started < 1.0


def test_providers_other_offices_and_examiners_never_see_suggestions(c: Any) -> None:
    history(c, c.kalsel, 80)
    train()
    case = new_case(c, "KTP-el belum terbit", "KTP-el belum terbit di Tabalong.")
    assert client_for(c.intake_kalteng).get(f"/kelola/laporan/{case.pk}/").status_code == 404
    assert client_for(c.admin_tabalong).get(f"/kelola/laporan/{case.pk}/").status_code == 404
    assert not complaint_triage.shown_to(case, Viewer(c.admin_tabalong, case))
    assert not complaint_triage.shown_to(case, Viewer(c.examiner_kalsel, case))
    assert "Saran klasifikasi" in page(c.head_kalsel, case)
    examined = to_examination(c, new_case(c, "Sertifikat tanah", "Sertifikat tanah tertahan."))
    for user in (c.admin_tabalong, c.head_kalsel, c.examiner_kalsel):
        assert "Saran klasifikasi" not in page(user, examined)


def test_the_suggestion_adds_at_most_one_query_to_the_case_page(c: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    history(c, c.kalsel, 80)
    train()
    case = new_case(c, "KTP-el belum terbit", "KTP-el belum terbit di Tabalong.")
    client = client_for(c.intake_kalsel)
    url = f"/kelola/laporan/{case.pk}/"
    client.get(url)  # the model is loaded once per process

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    warm = count()
    monkeypatch.setattr(triage, "RECHECK_SECONDS", 0.0)
    rechecked = count()
    monkeypatch.setattr(complaint_triage, "shown_to", lambda case, viewer: False)
    without = count()
    assert warm == without and rechecked == without + 1
