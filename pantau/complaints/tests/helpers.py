"""Complaint test helpers: more staff for the cast of ``tests/cast.py`` and a report taken to a stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pantau.accounts.models import Role
from pantau.complaints import services
from pantau.complaints.models import Case, PriorComplaint, Visibility
from tests.cast import make_user

REPORTER = {"full_name": "Siti Rahmawati", "nik": "6309014506900002", "address": "Jl. Tanjung No. 5, Tabalong",
            "email": "siti.rahma@contoh.id", "phone": "081234567890", "occupation": "Pedagang"}
CHRONOLOGY = ("Saya mengurus KTP-el sejak Januari. Petugas meminta uang Rp 150.000 agar cepat selesai, dan "
              "sampai sekarang KTP belum terbit. Hubungi saya di 081234567890 atau siti.rahma@contoh.id.")


def add_staff(cast: Any) -> Any:
    """A second examiner in Kalsel and an intake officer and examiner in Kalteng."""
    cast.users.update({
        "examiner2_kalsel": make_user("examiner2_kalsel", Role.EXAMINER, office=cast.kalsel),
        "intake_kalteng": make_user("intake_kalteng", Role.INTAKE_OFFICER, office=cast.kalteng),
        "examiner_kalteng": make_user("examiner_kalteng", Role.EXAMINER, office=cast.kalteng),
    })
    return cast


def file_report(cast: Any, *, visibility: str = Visibility.CONFIDENTIAL, client_token: str | None = None,
                **overrides: Any) -> services.Opened:
    data: dict[str, Any] = {
        "actor": None, "kind": "public_report", "channel": "web", "title": "Pungutan liar pembuatan KTP-el",
        "chronology": CHRONOLOGY, "visibility": visibility, "reporter": REPORTER, "institution": cast.tabalong,
        "unit": cast.dukcapil, "product": cast.ktp, "event_date": dt.date(2026, 10, 1),
        "remedy": "KTP-el segera diterbitkan tanpa biaya.", "prior_complaint": PriorComplaint.SILENT,
        "prior_complaint_date": dt.date(2026, 10, 15), "prior_complaint_channel": "Loket pengaduan",
        "client_token": client_token,
    }
    data.update(overrides)
    return services.case_open(**data)


def to_examination(cast: Any, case: Case) -> Case:
    """An LM from received to examination, assigned to ``examiner_kalsel``, complexity light."""
    intake, head = cast.intake_kalsel, cast.head_kalsel
    case = services.case_transition(actor=intake, case=case, action="start_formal_verification")
    case = services.case_update_checks(actor=intake, case=case, formal_complete=True)
    case = services.case_transition(actor=intake, case=case, action="pass_formal_verification")
    case = services.case_update_checks(actor=intake, case=case, substantive_ok=True)
    case = services.case_transition(actor=intake, case=case, action="submit_to_plenary")
    case = services.case_classify(actor=head, case=case, substance="Administrasi kependudukan",
                                  agency_group="Pemerintah Daerah", alleged=["PERMINTAAN_IMBALAN"],
                                  complexity="light", reporter_type="individual")
    return services.case_transition(actor=head, case=case, action="decide_examination",
                                    payload={"examiner": cast.examiner_kalsel})


def to_lahp(cast: Any, case: Case, conclusion: str = "found") -> Case:
    """From examination to an issued LAHP (the reporter answers the draft)."""
    examiner, head = cast.examiner_kalsel, cast.head_kalsel
    case = services.case_transition(actor=examiner, case=case, action="request_written_clarification",
                                    note="Surat klarifikasi kepada Kepala Dinas.")
    case = services.case_update_checks(actor=examiner, case=case, conclusion=conclusion,
                                       found=["PERMINTAAN_IMBALAN"] if conclusion == "found" else [])
    case = services.case_transition(actor=examiner, case=case, action="draft_lahp")
    case = services.case_transition(actor=examiner, case=case, action="send_draft_to_reporter")
    services.reporter_message(case=case, note="Saya setuju dengan hasil pemeriksaan.")
    case.refresh_from_db()
    return services.case_transition(actor=head, case=case, action="issue_lahp")
