"""Bad input: hostile complaints input through the real entry points, as an attacker would send it.

The citizen's form (``/lapor/``) and tracking page, the forms of the staff case page, the staff entry and the
complaints API get empty and whitespace-only fields, 100 000-character fields, NUL and control characters,
right-to-left overrides, emoji, SQL/HTML/script injection, impossible dates, huge, negative and foreign ids,
forged transitions, tampered tracking tokens, disguised files, double submits and CSRF-less posts. Each case
asserts a 4xx with a message a person can act on (never 500: the test client re-raises), nothing half-written
(the rows of every complaint table and of the audit log, before and after), what was typed still in the
re-rendered web form, and no reporter identity in an answer to a user who may not see it.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from PIL import Image

from pantau.complaints import services
from pantau.complaints.models import Attachment, Case, Demand, Event, Reporter, Timer
from pantau.complaints.tests.helpers import REPORTER, add_staff, file_report, to_examination, to_lahp
from pantau.core.models import AuditEvent
from pantau.registry.tests.api_helpers import Api
from tests.cast import client_for

pytestmark = pytest.mark.django_db

HUGE_TEXT = "Petugas meminta uang. " * 4546  # 100 012 characters
NUL = "Petugas\x00meminta uang"
CONTROL = "Petugas\x07\x1b[31m meminta\x08 uang\x7f"
RTL = "Nomor rekening \u202egnasab\u202c pungli \u2066x\u2069"
EMOJI = "KTP belum terbit 😡🙏🏽 👨‍👩‍👧"
SQL = "x'); DROP TABLE complaints_case; -- \" OR 1=1"
SCRIPT = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
ACCEPTED = [EMOJI, RTL, SQL, SCRIPT]
SECRETS = (REPORTER["nik"], REPORTER["email"], REPORTER["phone"], REPORTER["full_name"])
HUGE_ID = "99999999999999999999"
INVALID, EMPTY, NULL = "pilihan yang valid", "tidak boleh kosong", "null"  # Django's Indonesian messages
MODELS = (Case, Event, Attachment, Demand, Reporter, Timer, AuditEvent)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2026-11-02 09:00 +07:00", tick=False):
        yield


@pytest.fixture
def c(cast: Any, settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {**settings.STORAGES, "complaints": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.COMPLAINT_SUBMIT_LIMIT = settings.COMPLAINT_MESSAGE_LIMIT = 10_000
    cast.storage_dir = tmp_path
    return add_staff(cast)


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def stored_files(c: Any) -> list[Any]:
    return [p for p in c.storage_dir.rglob("*") if p.is_file()]


def kept(body: str, typed: str) -> bool:
    """The typed text is in the page as the browser shows it back (escaped once, not executed)."""
    return escape(typed) in body or escape(typed.replace("\r\n", "\n")) in body


def shown(body: str) -> list[str]:  # the messages of a page, for a failing assertion
    return re.findall(r'class="visually-hidden">[^<]*</span>\s*([^<]*)</li>|class="msg error"[^>]*>([^<]*)', body)


def refused(response: Any, message: str, *typed: str, status: int = 422) -> str:
    """A refusal with ``message``, every ``typed`` text still in the page; the page."""
    body = response.content.decode()
    assert response.status_code == status, (response.status_code, shown(body))
    assert message.lower() in body.lower(), (message, shown(body))
    lost = [t[:40] for t in typed if t.strip() and "\x00" not in t and not kept(body, t)]
    assert lost == [], f"typed text lost: {lost}"
    return body


def no_identity(body: str) -> None:
    leaked = [secret for secret in SECRETS if secret in body]
    assert leaked == [], f"identity in an answer to a user who may not see it: {leaked}"


def png(name: str = "foto.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


DISGUISED: dict[str, tuple[str, bytes, str]] = {  # what: (name, bytes, content type the browser claims)
    "an exe named .jpg": ("foto.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg"),
    "HTML named .jpg": ("foto.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
    "a PDF named .png": ("bukti.png", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "image/png"),
    "a zip bomb named .xlsx": ("data.xlsx", zip_bomb(),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "a 0-byte file": ("kosong.pdf", b"", "application/pdf"),
    "an 11 MB PDF": ("besar.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "application/pdf"),
}


def upload(what: str) -> SimpleUploadedFile:
    name, data, content_type = DISGUISED[what]
    return SimpleUploadedFile(name, data, content_type=content_type)


def public_api() -> Api:
    return Api(prefix="/api/complaints")


def staff_api(user: Any) -> Api:
    api = Api.as_user(user)  # a token is created (and audited): make it before counting rows
    api.prefix = "/api/complaints"
    return api


# --- the citizen's form /lapor/ -------------------------------------------------------------------------------


def report_data(c: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "token": uuid.uuid4().hex, "aksi": "kirim", "pilih": f"p{c.ktp.pk}", "unit": "", "terlapor_lain": "",
        "tujuan": "ombudsman", "judul": "Pungutan liar KTP-el", "kronologi": "Petugas loket meminta Rp 150.000.",
        "tanggal_peristiwa": "2026-08-03", "harapan": "KTP-el terbit.", "sudah_mengadu": "silent",
        "tanggal_pengaduan": "2026-09-01", "saluran_pengaduan": "Loket", "jawaban_instansi": "",
        "kerahasiaan": "confidential", "nama": REPORTER["full_name"], "nik": REPORTER["nik"], "pekerjaan": "",
        "alamat": REPORTER["address"], "email": REPORTER["email"], "telepon": REPORTER["phone"],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("field", "value", "message"), [
    ("kronologi", "", "Ceritakan apa yang terjadi"), ("kronologi", " \t\r\n  ", "Ceritakan apa yang terjadi"),
    ("kronologi", HUGE_TEXT, "Paling banyak"), ("judul", HUGE_TEXT, "Pastikan"), ("nama", HUGE_TEXT, "Pastikan"),
    ("kronologi", NUL, NULL), ("tanggal_peristiwa", "2026-02-30", "Tanggal tidak dikenali"),
    ("tanggal_peristiwa", "31/04/2026", "Tanggal tidak dikenali"), ("tanggal_peristiwa", "0001-01-01", "tahunnya"),
    ("tanggal_peristiwa", "9999-12-31", "tidak boleh sesudah hari ini"),
    ("tanggal_peristiwa", "2026-11-03", "tidak boleh sesudah hari ini"),
    ("tanggal_pengaduan", "2026-07-01", "lebih awal dari tanggal peristiwa"),
    ("nik", "63090145069000<b>", "16 angka"), ("email", "siti@@contoh", "tidak lengkap"),
    ("telepon", "0812'; DROP TABLE x", "8–15 angka"), ("pilih", f"p{HUGE_ID}", "tidak ditemukan"),
    ("pilih", "p1 OR 1=1", "tidak ditemukan"), ("unit", "-5", "Pastikan"), ("unit", HUGE_ID, "Pastikan"),
    ("unit", "abc", "Pilih unit dari daftar"), ("unit", "{barsel_unit}", "bukan bagian dari instansi"),
    ("tujuan", "<script>", INVALID), ("kerahasiaan", "semua_orang", INVALID),
])
def test_the_public_form_refuses_hostile_input_keeps_what_was_typed_and_writes_nothing(
    c: Any, field: str, value: str, message: str
) -> None:
    value = value.format(barsel_unit=c.barsel_dukcapil.pk) if value.startswith("{") else value
    before = rows()
    data = report_data(c, **{field: value})
    typed = [data[name] for name in ("judul", "kronologi", "saluran_pengaduan", "alamat") if name != field]
    if field in ("kronologi", "judul", "nama", "tanggal_peristiwa", "email", "telepon"):
        typed.append(value)
    refused(Client().post("/lapor/", data), message, *typed)
    assert rows() == before


@pytest.mark.parametrize("value", [*ACCEPTED, CONTROL])
def test_odd_but_harmless_text_is_stored_as_typed_and_shown_escaped(c: Any, value: str) -> None:
    client, staff = Client(), client_for(c.intake_kalsel)
    response = client.post("/lapor/", report_data(c, judul=value[:200], kronologi=f"Awal. {value} Akhir."))
    assert response.status_code == 302, shown(response.content.decode())
    case = Case.objects.get()
    assert value.strip()[:30] in case.chronology  # stored as data, never run as SQL
    token = client.get(response["Location"]).content.decode().split("/lapor/lacak/")[1].split("/")[0]
    staff_page = staff.get(f"/kelola/laporan/{case.pk}/").content.decode()
    for page in (client.get(f"/lapor/lacak/{token}/").content.decode(), staff_page,
                 staff.get("/kelola/laporan/").content.decode()):
        assert "<script>alert" not in page and "<img src=x" not in page
    assert value not in (SCRIPT, SQL) or kept(staff_page, value)


@pytest.mark.parametrize("what", [*DISGUISED, "six files"])
def test_a_bad_file_on_the_public_form_is_refused_naming_it_and_nothing_is_kept(c: Any, what: str) -> None:
    before = rows()
    data = report_data(c, kronologi="Bukti terlampir.")
    files = [png(f"foto{i}.png") for i in range(6)] if what == "six files" else [png(), upload(what)]
    name = "Paling banyak 5 lampiran" if what == "six files" else escape(DISGUISED[what][0])
    body = refused(Client().post("/lapor/", {**data, "lampiran": files}), name, data["kronologi"], data["judul"])
    assert "pilih lagi berkasnya" in body
    assert rows() == before and stored_files(c) == []


def test_a_double_submit_with_the_same_token_files_once(c: Any) -> None:
    data, client = report_data(c), Client()
    first, second = client.post("/lapor/", data), client.post("/lapor/", data)
    assert first.status_code == second.status_code == 302
    assert (Case.objects.count(), Reporter.objects.count(), Event.objects.filter(action="open").count()) == (1, 1, 1)


def test_a_csrf_less_post_is_refused_with_a_page_that_says_what_to_do(c: Any) -> None:
    opened = file_report(c)
    client, staff = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    staff.force_login(c.intake_kalsel)
    before = rows()
    response = client.post("/lapor/", report_data(c))
    assert response.status_code == 403 and "<html" in response.content.decode().lower()
    assert client.post(f"/lapor/lacak/{opened.token}/", {"catatan": "tambahan"}).status_code == 403
    assert staff.post(f"/kelola/laporan/{opened.case.pk}/aksi/close/", {"reason": "DICABUT_PELAPOR"}).status_code == 403
    assert staff.post("/kelola/laporan/baru/", {"title": "x"}).status_code == 403
    assert rows() == before


# --- the tracking page --------------------------------------------------------------------------------------


def tampered(token: str) -> list[str]:
    swapped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    return [swapped, token[:-1], token[:10], "x" * 10_000, "../" + token, "..%2F..%2Fadmin", "%2e%2e%2f" + token,
            token + "%00", token.swapcase(), "' OR 1=1 --", "0179%2FLM%2FVI%2F2026"]


def test_a_tampered_tracking_token_opens_nothing(c: Any) -> None:
    opened = file_report(c)
    client = Client()
    assert client.get(f"/lapor/lacak/{opened.token}/").status_code == 200
    before = rows()
    for bad in tampered(opened.token):
        assert client.get(f"/lapor/lacak/{bad}/").status_code == 404, bad
        assert client.post(f"/lapor/lacak/{bad}/", {"catatan": "halo"}).status_code == 404, bad
        assert public_api().get(f"/track/{bad}").status_code == 404, bad
        assert public_api().post(f"/track/{bad}/messages", {"note": "halo"}).status_code == 404, bad
    assert rows() == before


@pytest.mark.parametrize(("value", "message"), [
    ("", "Tuliskan informasi"), ("   \r\n\t ", "Tuliskan informasi"), (HUGE_TEXT, "Paling banyak"), (NUL, NULL),
])
def test_the_tracking_message_refuses_bad_text_and_keeps_it_the_api_too(c: Any, value: str, message: str) -> None:
    opened = file_report(c)
    before = rows()
    refused(Client().post(f"/lapor/lacak/{opened.token}/", {"catatan": value}), message, value)
    assert public_api().post(f"/track/{opened.token}/messages", {"note": value}).status_code == 422
    assert public_api().post(f"/track/{opened.token}/messages", {"note": "x", "extra": 1}).status_code == 422
    assert rows() == before


@pytest.mark.parametrize("what", [*DISGUISED, "six files"])
def test_a_tracking_message_with_a_bad_file_keeps_nothing_but_the_typed_text(c: Any, what: str) -> None:
    opened = file_report(c)
    before = rows()
    files = [png(f"f{i}.png") for i in range(6)] if what == "six files" else [upload(what)]
    refused(Client().post(f"/lapor/lacak/{opened.token}/", {"catatan": "Ini buktinya.", "lampiran": files}),
            "pilih lagi berkasnya", "Ini buktinya.")
    assert rows() == before and stored_files(c) == []


@pytest.mark.parametrize("value", ACCEPTED)
def test_a_tracking_message_with_markup_is_kept_as_text(c: Any, value: str) -> None:
    opened, client = file_report(c), Client()
    assert client.post(f"/lapor/lacak/{opened.token}/", {"catatan": value}).status_code == 302
    page = client.get(f"/lapor/lacak/{opened.token}/").content.decode()
    assert "<script>alert" not in page and kept(page, value)
    assert Event.objects.get(action="reporter_message").note == value


def test_a_message_to_a_closed_report_is_refused(c: Any) -> None:
    opened = file_report(c)
    services.case_transition(actor=c.intake_kalsel, case=opened.case, action="close", reason="DICABUT_PELAPOR")
    before = rows()
    refused(Client().post(f"/lapor/lacak/{opened.token}/", {"catatan": "Masih ada kuitansi."}), "sudah ditutup",
            "Masih ada kuitansi.")
    assert rows() == before


# --- the staff case page ------------------------------------------------------------------------------------


def url(case: Case, tail: str) -> str:
    return f"/kelola/laporan/{case.pk}/{tail}"


def test_a_forged_transition_answers_404_and_changes_nothing(c: Any) -> None:
    case, client = file_report(c).case, client_for(c.intake_kalsel)
    before = rows()
    for action in ("issue_lahp", "expire_completeness", "CLOSE", "close_", "x" * 200, "drop-table", "tutup",
                   "start-formal-verification", "start_formal_verification%00", "../close", "close/../../1"):
        assert client.post(url(case, f"aksi/{action}/"), {"reason": "DICABUT_PELAPOR"}).status_code == 404, action
    assert rows() == before


STAFF_FORMS: list[tuple[str, str, dict[str, Any], str]] = [
    # (who, path, data, message): the head of office may not see a confidential identity
    ("head_kalsel", "aksi/close/", {"reason": "", "note": SCRIPT}, EMPTY),
    ("head_kalsel", "aksi/close/", {"reason": "REKOMENDASI_DILAKSANAKAN", "note": SCRIPT}, INVALID),  # not now
    ("head_kalsel", "aksi/close/", {"reason": "' OR 1=1 --", "note": SQL}, INVALID),
    ("head_kalsel", "aksi/close/", {"reason": "DICABUT_PELAPOR\x00", "note": RTL}, INVALID),
    ("examiner_kalsel", "aksi/request_written_clarification/", {"note": NUL}, NULL),
    ("examiner_kalsel", "aksi/request_written_clarification/", {"note": HUGE_TEXT}, "Pastikan"),
    ("head_kalsel", "klasifikasi/", {"substance": "'; DROP TABLE x --", "alleged": ["<script>"]}, INVALID),
    ("head_kalsel", "klasifikasi/", {"complexity": "\x00", "reporter_type": "robot"}, INVALID),
    ("examiner_kalsel", "kesimpulan/", {"conclusion": "found"}, "Pilih sedikitnya satu bentuk"),
    ("examiner_kalsel", "kesimpulan/", {"conclusion": "bogus", "found": ["DISKRIMINASI"]}, INVALID),
    *[("head_kalsel", "penugasan/", {"examiner": v}, INVALID) for v in ("-1", HUGE_ID, "abc", "{examiner_kalteng}")],
    ("head_kalsel", "penugasan/", {"examiner": ""}, EMPTY),
    *[("head_kalsel", "pelimpahan/", {"office": v, "note": "Pindah."}, INVALID) for v in (HUGE_ID, "-3", "{kalsel}")],
    ("head_kalsel", "pelimpahan/", {"office": "{kalteng}", "note": "   "}, EMPTY),
    ("head_kalsel", "pelimpahan/", {"office": "{kalteng}", "note": HUGE_TEXT}, "Pastikan"),
    ("head_kalsel", "kerahasiaan/", {"visibility": "<script>"}, INVALID),
    ("head_kalsel", "kerahasiaan/", {"visibility": "public"}, "persetujuan pelapor"),
]


@pytest.mark.parametrize(("who", "path", "data", "message"), STAFF_FORMS)
def test_a_case_page_form_refuses_hostile_input_with_its_message_and_keeps_the_note(
    c: Any, who: str, path: str, data: dict[str, Any], message: str
) -> None:
    case = to_examination(c, file_report(c).case)
    ids = {"examiner_kalteng": c.examiner_kalteng.pk, "kalteng": c.kalteng.pk, "kalsel": c.kalsel.pk}
    data = {k: v.format(**ids) if isinstance(v, str) and v.startswith("{") else v for k, v in data.items()}
    before = rows()
    body = refused(client_for(c.users[who]).post(url(case, path), data), message, data.get("note", ""))
    assert "<script>alert" not in body
    if who != "examiner_kalsel":
        no_identity(body)
    assert rows() == before


@pytest.mark.parametrize("tail", ["", "aksi/close/", "verifikasi/", "kesimpulan/", "klasifikasi/", "penugasan/",
                                  "pelimpahan/", "kerahasiaan/", "identitas/"])
def test_another_offices_case_or_an_odd_id_answers_404_on_every_form(c: Any, tail: str) -> None:
    case = to_examination(c, file_report(c).case)
    before = rows()
    for who in ("intake_kalteng", "examiner_kalteng", "admin_barsel", "outsider"):
        client = client_for(c.users[who])
        response = client.post(url(case, tail), {"reason": "DICABUT_PELAPOR", "note": "x", "examiner": "1",
                                                 "formal_complete": "on"}) if tail else client.get(url(case, tail))
        assert response.status_code == 404, (who, tail, response.status_code)
    for pk in (HUGE_ID, "-1", "0", "abc", "1e3"):
        response = client_for(c.head_kalsel).post(f"/kelola/laporan/{pk}/{tail}", {"note": "x"})
        assert response.status_code in (404, 405), (pk, tail)  # 405: the case page itself takes no POST
    assert rows() == before


def corrective(c: Any) -> tuple[Case, Demand]:
    case = to_lahp(c, to_examination(c, file_report(c).case))
    case = services.case_transition(actor=c.examiner_kalsel, case=case, action="open_corrective_actions",
                                    payload={"demands": ["Terbitkan KTP-el pelapor"]})
    return case, Demand.objects.get(case=case)


def test_a_demand_of_another_case_or_institution_answers_404(c: Any) -> None:
    (case, demand), (other, _other_demand) = corrective(c), corrective(c)
    barsel_api, provider, examiner = staff_api(c.admin_barsel), client_for(c.admin_tabalong), client_for(
        c.examiner_kalsel)
    before = rows()
    assert provider.post(url(other, f"tuntutan/{demand.pk}/jawab/"), {"answer": "x"}).status_code == 404
    assert client_for(c.admin_barsel).post(url(case, f"tuntutan/{demand.pk}/jawab/"),
                                           {"answer": "x"}).status_code == 404
    assert examiner.post(url(other, f"tuntutan/{demand.pk}/nilai/"), {"outcome": "implemented"}).status_code == 404
    for pk in (HUGE_ID, "-1", "0"):
        assert provider.post(url(case, f"tuntutan/{pk}/jawab/"), {"answer": "x"}).status_code == 404
        assert examiner.post(url(case, f"tuntutan/{pk}/nilai/"), {"outcome": "implemented"}).status_code == 404
    assert barsel_api.post(f"/demands/{demand.pk}/answer", {"answer": "x"}).status_code == 404
    assert rows() == before


@pytest.mark.parametrize(("answer", "files", "message"), [
    ("  \n ", [], EMPTY), (HUGE_TEXT, [], "Pastikan"), (NUL, [], NULL),
    ("Sudah dikerjakan.", ["an exe named .jpg"], "perlu dipilih lagi"),
    ("Sudah dikerjakan.", ["a zip bomb named .xlsx"], "perlu dipilih lagi"),
    ("Sudah dikerjakan.", ["six"], "Paling banyak 5"),
])
def test_a_bad_provider_answer_keeps_the_text_and_nothing_else(c: Any, answer: str, files: list[str],
                                                               message: str) -> None:
    case, demand = corrective(c)
    before = rows()
    uploads = [png(f"b{i}.png") for i in range(6)] if files == ["six"] else [upload(w) for w in files]
    no_identity(refused(client_for(c.admin_tabalong).post(url(case, f"tuntutan/{demand.pk}/jawab/"), {
        "answer": answer, "evidence": uploads}), message, answer))
    assert rows() == before and stored_files(c) == []
    demand.refresh_from_db()
    assert demand.answer == ""


@pytest.mark.parametrize("outcome", ["pending", "", "IMPLEMENTED", "<b>", HUGE_TEXT])
def test_a_forged_assessment_is_refused(c: Any, outcome: str) -> None:
    case, demand = corrective(c)
    before = rows()
    response = client_for(c.head_kalsel).post(url(case, f"tuntutan/{demand.pk}/nilai/"), {"outcome": outcome})
    no_identity(refused(response, INVALID if outcome else EMPTY))
    assert rows() == before


# --- the staff entry /kelola/laporan/baru/ ---------------------------------------------------------------------


def intake_data(c: Any, **overrides: Any) -> dict[str, Any]:
    data = {"kind": "public_report", "channel": "walk_in", "office": str(c.kalsel.pk), "title": "Pungli KTP-el",
            "chronology": "Pelapor datang ke kantor.", "event_date": "2026-08-03", "visibility": "confidential",
            "place": f"p:{c.ktp.pk}", "client_token": uuid.uuid4().hex, "full_name": "Budi", "nik": REPORTER["nik"]}
    data.update(overrides)
    return data


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "   ", EMPTY), ("chronology", "", EMPTY), ("chronology", HUGE_TEXT, "Pastikan"),
    ("chronology", NUL, NULL),
    ("event_date", "2026-02-30", "tanggal"), ("event_date", "31/04/2026", "tanggal"),
    ("event_date", "0001-01-01", "tidak masuk akal"), ("event_date", "9999-12-31", "tidak masuk akal"),
    ("event_date", "2026-12-01", "sesudah hari ini"), ("birth_date", "2026-13-01", "tanggal"),
    ("nik", "12345", "16 angka"), ("phone", "<script>", "angka"), ("email", "a@b@c", "e-mail"),
    ("kind", "provider_complaint", INVALID), ("channel", "telepati", INVALID), ("visibility", "'--", INVALID),
    ("office", "{kalteng}", INVALID), ("office", HUGE_ID, INVALID), ("office", "abc", INVALID),
    ("place", f"p:{HUGE_ID}", "tidak ditemukan"), ("place", "x:1", "tidak ditemukan"),
    ("place", "p:-1", "tidak ditemukan"),
])
def test_the_staff_entry_refuses_hostile_input_and_keeps_it(c: Any, field: str, value: str, message: str) -> None:
    value = value.format(kalteng=c.kalteng.pk) if value.startswith("{") else value
    before = rows()
    data = intake_data(c, **{field: value})
    typed = [data[name] for name in ("title", "chronology") if name != field]
    refused(client_for(c.intake_kalsel).post("/kelola/laporan/baru/", data), message, *typed,
            *([value] if field in ("chronology", "event_date", "email") else []))
    assert rows() == before


def test_the_staff_entry_files_once_for_one_client_token_and_escapes_markup(c: Any) -> None:
    client = client_for(c.intake_kalsel)
    data = intake_data(c, title=SCRIPT, chronology=RTL + EMOJI)
    assert client.post("/kelola/laporan/baru/", data).status_code == 200
    again = client.post("/kelola/laporan/baru/", data)
    assert again.status_code == 200 and "<script>alert" not in again.content.decode()
    assert Case.objects.count() == 1 and Case.objects.get().chronology == RTL + EMOJI


# --- the API ---------------------------------------------------------------------------------------------------


def api_report(c: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"client_token": uuid.uuid4().hex, "title": "Pungli KTP-el",
                            "chronology": "Petugas meminta uang.", "reporter": {"nik": REPORTER["nik"]},
                            "institution_id": c.tabalong.pk, "event_date": "2026-08-03"}
    data.update(overrides)
    return data


@pytest.mark.parametrize(("change", "detail"), [
    ({"title": ""}, "title"), ({"title": "  \t "}, "title"), ({"chronology": " \n "}, "chronology"),
    ({"chronology": HUGE_TEXT}, "chronology"), ({"chronology": NUL}, "chronology"),
    ({"reporter": {"full_name": NUL}}, "full_name"), ({"reporter": {"nik": "6309' OR 1=1"}}, "nik"),
    ({"event_date": "2026-02-30"}, "event_date"), ({"event_date": "31/04/2026"}, "event_date"),
    ({"event_date": "0001-01-01"}, "event_date"), ({"event_date": "9999-12-31"}, "event_date"),
    ({"event_date": "2026-11-03"}, "event_date"), ({"prior_complaint_date": "0202-10-01"}, "prior_complaint_date"),
    ({"reporter": {"birth_date": "0001-01-01"}}, "birth_date"), ({"institution_id": int(HUGE_ID)}, "institution_id"),
    ({"institution_id": -1}, "institution_id"), ({"institution_id": "1"}, "institution_id"),
    ({"institution_id": 987654}, "institution_id"), ({"unit_id": 0}, "unit_id"),
    ({"kind": "own_initiative"}, "kind"), ({"visibility": "<script>"}, "visibility"),
    ({"client_token": "../../etc"}, "client_token"), ({"client_token": "x" * 10_000}, "client_token"),
    ({"state": "closed"}, "state"), ({"in_court": "yes"}, "in_court"),
])
def test_the_report_api_refuses_hostile_input_naming_the_field(c: Any, change: dict[str, Any], detail: str) -> None:
    before = rows()
    response = public_api().post("/reports", api_report(c, **change))
    assert response.status_code == 422, (change, response.status_code)
    assert detail in json.dumps(response.json()), response.json()
    assert rows() == before


def test_the_report_api_files_once_per_client_token_and_keeps_markup_as_text(c: Any) -> None:
    data = api_report(c, title=SCRIPT[:200], chronology=SQL + RTL + EMOJI)
    first, second = public_api().post("/reports", data), public_api().post("/reports", data)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["token"] == "" and first.json()["number"] == second.json()["number"]
    assert Case.objects.count() == 1 and Case.objects.get().chronology == SQL + RTL + EMOJI


@pytest.mark.parametrize(("body", "status"), [
    ({"action": "issue_lahp"}, 404), ({"action": "nonsense"}, 404), ({"action": "CLOSE"}, 422),
    ({"action": "close; DROP"}, 422), ({"action": "x" * 10_000}, 422), ({"action": ""}, 422),
    ({"action": "close"}, 422), ({"action": "close", "reason": "REKOMENDASI_DILAKSANAKAN"}, 422),
    ({"action": "close", "reason": "dicabut_pelapor"}, 422), ({"action": "close", "reason": "' OR 1=1"}, 422),
    ({"action": "close", "reason": "DICABUT_PELAPOR", "note": NUL}, 422),
    ({"action": "close", "reason": "DICABUT_PELAPOR", "note": HUGE_TEXT}, 422),
    ({"action": "close", "reason": "DICABUT_PELAPOR", "state": "closed"}, 422),
    ({"action": "start_formal_verification", "examiner_id": int(HUGE_ID)}, 422),
    ({"action": "start_formal_verification", "demands": ["x"] * 21}, 422),
])
def test_a_forged_or_invalid_transition_in_the_api_writes_nothing(c: Any, body: dict[str, Any], status: int) -> None:
    case, api = file_report(c).case, staff_api(c.intake_kalsel)
    before = rows()
    response = api.post(f"/cases/{case.pk}/transitions", body)
    assert response.status_code == status, (body, response.status_code, response.content[:300])
    assert rows() == before and Case.objects.get(pk=case.pk).state == "received"


@pytest.mark.parametrize(("body", "detail"), [
    ({"demands": ["Terbitkan KTP-el\x00"]}, "NUL"), ({"demands": []}, "demands"), ({"demands": [""]}, "demands"),
    ({"demands": ["x" * 100_001]}, "demands"), ({"demands": "Terbitkan KTP-el"}, "demands"),
    ({"demands": ["Terbitkan"], "examiner_id": "1"}, "examiner_id"),
])
def test_corrective_actions_through_the_api_refuse_bad_texts(c: Any, body: dict[str, Any], detail: str) -> None:
    case = to_lahp(c, to_examination(c, file_report(c).case))
    api = staff_api(c.examiner_kalsel)
    before = rows()
    response = api.post(f"/cases/{case.pk}/transitions", {"action": "open_corrective_actions", **body})
    assert response.status_code == 422, response.content[:300]
    assert detail.lower() in response.content.decode().lower()
    assert rows() == before


def test_the_transition_api_answers_404_outside_scope_and_for_odd_ids(c: Any) -> None:
    case = file_report(c).case
    apis = {who: staff_api(c.users[who]) for who in ("intake_kalteng", "admin_barsel", "admin_tabalong",
                                                      "intake_kalsel")}
    before = rows()
    body = {"action": "close", "reason": "DICABUT_PELAPOR"}
    for who in ("intake_kalteng", "admin_barsel", "admin_tabalong"):
        assert apis[who].post(f"/cases/{case.pk}/transitions", body).status_code == 404, who
    for pk in (HUGE_ID, "-1", "0", "abc", "1.5"):
        assert apis["intake_kalsel"].post(f"/cases/{pk}/transitions", body).status_code in (404, 422), pk
    assert public_api().post(f"/cases/{case.pk}/transitions", body).status_code == 401
    assert rows() == before


def test_hostile_filters_queries_and_bodies_answer_4xx_never_500(c: Any) -> None:
    file_report(c)
    client, api = client_for(c.intake_kalsel), staff_api(c.intake_kalsel)
    for query in (f"q={HUGE_TEXT[:5000]}", "tahap=<script>", "jenis=' OR 1=1", "tenggat=kemarin", "urut=-pk",
                  f"sesudah={HUGE_ID}", "sesudah=%00", "tab=semua&tab=tugas", "q=%00"):
        response = client.get(f"/kelola/laporan/?{query}")
        assert response.status_code in (200, 400), query
        assert "<script>" not in response.content.decode().split("</header>", 1)[-1]
    for query in ("state=bogus", "kind=<b>", "due=later", f"offset={HUGE_ID}", "limit=-1", "cursor=%27--",
                  "cursor=" + "A" * 10_000, "mine=perhaps"):
        assert api.get(f"/cases?{query}").status_code in (200, 400, 422), query
    for query in (f"cari={HUGE_TEXT}", "layanan=-1", f"unit={HUGE_ID}", "instansi=abc"):
        assert Client().get(f"/lapor/?{query}").status_code == 200, query
    assert Client().post("/lapor/lacak/", {"tautan": "x" * 10_000}).status_code == 422
    for raw in (b"{", b"\xff\xfe", b"[]", b"null", b'{"title": "x"' + b" " * 100):
        response = public_api().client.post("/api/complaints/reports", raw, content_type="application/json")
        assert response.status_code in (400, 422), raw
    assert Case.objects.count() == 1


# --- the identity -----------------------------------------------------------------------------------------------


def test_no_answer_to_a_user_who_may_not_see_the_identity_carries_it(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    services.reporter_message(case=case, note=f"Hubungi saya: {REPORTER['email']} / {REPORTER['phone']}")
    for who in ("head_kalsel", "examiner2_kalsel", "national_admin", "admin_tabalong", "operator_dukcapil"):
        client, api = client_for(c.users[who]), staff_api(c.users[who])
        for response in (client.get(url(case, "")), client.get("/kelola/laporan/"),
                         client.post(url(case, "klasifikasi/"), {"substance": "bogus"}),
                         client.post(url(case, "aksi/close/"), {"reason": "bogus"}),
                         client.post(url(case, "identitas/"), {"purpose": "ingin tahu"}),
                         api.get(f"/cases/{case.pk}"), api.get("/cases"), api.get(f"/cases/{case.pk}/actions"),
                         api.post(f"/cases/{case.pk}/transitions", {"action": "close", "reason": "bogus"})):
            no_identity(response.content.decode())


def test_no_log_line_or_audit_row_carries_the_identity(c: Any, caplog: Any) -> None:
    caplog.set_level("DEBUG")
    client = Client()
    client.post("/lapor/", report_data(c, kronologi=""))
    client.post("/lapor/", report_data(c, tanggal_peristiwa="2026-02-30"))
    assert client.post("/lapor/", report_data(c)).status_code == 302
    staff, case = client_for(c.intake_kalsel), Case.objects.get()
    staff.post(url(case, "identitas/"), {"purpose": "telepon balik"})
    staff.post(url(case, "aksi/close/"), {"reason": "bogus", "note": "x"})
    public_api().post("/reports", api_report(c, reporter={**REPORTER, "nik": "bad"}))
    assert [s for s in SECRETS if s in caplog.text] == []
    audit = json.dumps(list(AuditEvent.objects.values("before", "after", "reason")), default=str)
    assert [s for s in SECRETS if s in audit] == []
