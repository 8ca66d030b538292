"""Complaint data for ``bench/complaints.py``: offices, staff and cases (laporan masyarakat) with their
history, written with raw SQL in big batches (``bench.rawdb``: SQLite ``executemany`` in one transaction,
PostgreSQL ``COPY``), every derived column set as the services set it.

- Registry: the regions (``load_regions``) and the minimal institutions, units and products of the survey
  bench (``bench.surveys_data._registry``: one government per province and regency, then ministries).
- Offices: one Ombudsman office per province for the first 34 provinces (the newer provinces belong to the
  last one), each with a code for its tracking numbers, a head, two intake officers and ``examiners``
  examiners; a national office. Each province's institutions are supervised by its office.
- Cases over three years (2024-01-02 .. yesterday): kinds 85 % LM, 7 % consultation, 4 % RCO, 3 % copy
  letter, 1 % IAPS; about 25 % open, in every open state; the closed ones closed at every stage with a
  closure reason valid there (``vocab.CLOSURE_REASONS``). Each case follows the transition table's path
  (``workflow.TRANSITIONS``) to its state: the facts the guards read (formal and substantive checks,
  complexity, activities, conclusion and forms found, answers) are set as the services would have set
  them; examiners are assigned (skewed: the first examiner of an office is the busiest).
- Numbers ``NNNN/<code>/<roman month>/<year>/<office code>`` follow the received dates per office, year and
  kind; the ``Counter`` rows hold the last number given. ``tracking_hash`` is unique (the raw token of case
  ``pk`` is ``bench-<pk>``); a reporter for each case that has one (not IAPS, not copy letters).
- Events: every transition of the path (open, actions, activities, closing) plus reporter messages,
  assignment notes and internal notes, about ``events / cases`` per case; ids follow time within a case.
- Timers: the deadline steps the path started (``deadlines.due_date`` on the shipped calendar and rule
  set), stopped where the path stopped them; open cases keep theirs running, many overdue; ``next_due_on``
  is the earliest running one. Awaiting-completeness cases are as after yesterday's daily run (none
  expired before yesterday); reminders were never sent (``reminded_on`` empty: the first daily run after
  an import, the heaviest).
- Demands (corrective actions, Recommendations) for the cases that reached corrective monitoring.

Run inside the target database's environment (``python bench/complaints.py --child generate``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_VERSION = 2  # bump when the generated complaint data changes
CHUNK = 10_000  # cases written at a time (with their events, timers, reporters and demands)
START = dt.date(2024, 1, 2)  # the shipped holiday calendar covers 2024-2027
OFFICES = 34
SOURCES = ("bench/complaints_data.py", "bench/rawdb.py", "bench/surveys_data.py",
           "pantau/complaints/data/deadlines.toml", "pantau/complaints/models.py",
           "pantau/complaints/search_docs.py", "pantau/complaints/data/search_words.toml")
PASSWORD = "!bench-unusable"  # noqa: S105 - an unusable password hash: the bench signs in through sessions


@dataclass(frozen=True)
class Sizes:
    name: str
    cases: int
    events: int  # about; the paths decide the exact number
    units: int  # registry units (10 per institution)
    examiners: int = 10  # per office


SIZES = {
    "full": Sizes("full", 100_000, 1_000_000, 6000),
    "quick": Sizes("quick", 2000, 20_000, 600),
}


def data_hash() -> str:
    """The generator's sources, the complaint migrations' text and every migration's name."""
    digest = hashlib.sha256(str(DATA_VERSION).encode())
    for name in SOURCES:
        digest.update((ROOT / name).read_bytes())
    for path in sorted(ROOT.glob("pantau/complaints/migrations/0*.py")):
        digest.update(path.read_bytes())
    for path in sorted(ROOT.glob("pantau/*/migrations/0*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
    return digest.hexdigest()[:10]


# --- paths through the transition table ------------------------------------------------------------------

R, FV, AC, SV, AP = "received", "formal_verification", "awaiting_completeness", "substantive_verification", \
    "awaiting_plenary"
RR, EX, DL, ARR, LI = "rapid_response", "examination", "draft_lahp", "awaiting_reporter_response", "lahp_issued"
CM, REC, RM, CLOSED = "corrective_monitoring", "recommendation", "recommendation_monitoring", "closed"
INTAKE, EXAMINER, HEAD, REPORTER, SYSTEM, PROVIDER = ("intake_officer", "examiner", "head_of_office", "pelapor",
                                                     "sistem", "institution_admin")
# (action, source, target, actor, gap in days (lo, hi) since the step before)
LM_PATH = (
    ("start_formal_verification", R, FV, INTAKE, (0, 3)),
    ("pass_formal_verification", FV, SV, INTAKE, (1, 8)),
    ("submit_to_plenary", SV, AP, INTAKE, (2, 10)),
    ("decide_examination", AP, EX, HEAD, (3, 20)),
    ("request_written_clarification", EX, EX, EXAMINER, (3, 25)),
    ("draft_lahp", EX, DL, EXAMINER, (10, 60)),
    ("send_draft_to_reporter", DL, ARR, EXAMINER, (2, 10)),
    ("issue_lahp", ARR, LI, HEAD, (15, 25)),
    ("open_corrective_actions", LI, CM, EXAMINER, (2, 10)),
    ("issue_recommendation", CM, REC, HEAD, (35, 120)),
    ("start_recommendation_monitoring", REC, RM, EXAMINER, (40, 70)),
)
COMPLETENESS = ("request_completeness", FV, AC, INTAKE, (1, 7))
# Open LM states (share of open LM cases), the step whose timer runs there (None: no timer).
OPEN_LM = ((R, 6, "initial_processing"), (FV, 9, "initial_processing"), (AC, 6, "completeness"),
           (SV, 7, "initial_processing"), (AP, 6, None), (EX, 30, None), (DL, 7, None), (ARR, 5, "lahp_response"),
           (LI, 3, None), (CM, 14, "corrective"), (REC, 3, "recommendation_report"),
           (RM, 4, "recommendation_monitoring"))
# Closed LM: (state closed from, share, reason, actor).
CLOSED_LM = ((FV, 9, "BELUM_MENGADU_KE_INSTANSI", INTAKE), (AC, 11, "TIDAK_MELENGKAPI_30_HARI", SYSTEM),
             (SV, 10, "BUKAN_KEWENANGAN", INTAKE), (SV, 4, "KADALUARSA_2_TAHUN", INTAKE),
             (SV, 4, "SEDANG_DITANGANI_INSTANSI", INTAKE), (AP, 5, "DUPLIKAT_LAPORAN", HEAD),
             (EX, 28, "DISELESAIKAN_KLARIFIKASI", EXAMINER), (LI, 10, "TIDAK_DITEMUKAN_MALADMINISTRASI", EXAMINER),
             (LI, 3, "PEMERIKSAAN_DIHENTIKAN", HEAD), (CM, 12, "TINDAKAN_KOREKTIF_DILAKSANAKAN", EXAMINER),
             (RM, 2, "REKOMENDASI_DILAKSANAKAN", HEAD), (RM, 2, "REKOMENDASI_TIDAK_DILAKSANAKAN", HEAD))
KINDS = (("public_report", 85), ("consultation", 7), ("fast_response", 4), ("copy_letter", 3),
         ("own_initiative", 1))
OPEN_SHARE = 0.25
TIMER_STARTS = {"open": "initial_processing", "request_completeness": "completeness",
                "send_draft_to_reporter": "lahp_response", "open_corrective_actions": "corrective",
                "issue_recommendation": "recommendation_report",
                "start_recommendation_monitoring": "recommendation_monitoring"}
TIMER_STOPS = {"submit_to_plenary": "initial_processing", "fast_track": "initial_processing",
               "issue_lahp": "lahp_response", "issue_recommendation": "corrective",
               "start_recommendation_monitoring": "recommendation_report"}
CHANNELS = (("web", 55), ("walk_in", 15), ("letter", 8), ("email", 8), ("whatsapp", 8), ("phone", 4),
            ("social_media", 2))
VISIBILITY = (("confidential", 60), ("anonymous", 25), ("public", 15))
COMPLEXITY = (("light", 50), ("medium", 35), ("heavy", 15))
FIRST = ("Siti", "Budi", "Ahmad", "Dewi", "Rahmat", "Nur", "Agus", "Sri", "Muhammad", "Fitri", "Hendra", "Yuni",
         "Rizky", "Ani", "Joko", "Lestari", "Bambang", "Putri", "Andi", "Wahyu")
LAST = ("Rahmawati", "Santoso", "Hidayat", "Saputra", "Nasution", "Siregar", "Wijaya", "Lubis", "Kurniawan",
        "Hasibuan", "Pratama", "Susanti", "Harahap", "Setiawan", "Nugroho", "Panjaitan")
# What reporters write follows what the case is about, as in real intake (so that the triage suggestions of
# ``pantau/complaints/triage.py`` have something to learn): each substance (weight ≈ its share, §1.11) has its
# own titles; OFF_TOPIC of the titles come from another substance (the reporter's framing is not the office's
# classification) and VAGUE say nothing. The chronology tells each alleged form in the reporter's words
# (FORM_SENTENCES, each said with MENTION_FORM; with STRAY_FORM also one staff did not allege), names the
# place with MENTION_PLACE (the reported institution, "Kabupaten Tabalong"), and may end with a closing that
# holds an e-mail address.
SUBSTANCE_TITLES: dict[str, tuple[int, tuple[str, ...]]] = {
    "Agraria/pertanahan": (14, ("Sertifikat tanah tertahan bertahun-tahun", "Pengukuran bidang tanah tidak dilakukan",
                                "Balik nama sertifikat hak milik tidak diproses",
                                "Sengketa batas tanah tidak ditindaklanjuti kantor pertanahan")),
    "Kepegawaian": (8, ("Tunjangan kinerja pegawai tidak dibayarkan", "Kenaikan pangkat PNS tertunda",
                        "Hasil seleksi CPNS tidak diumumkan terbuka")),
    "Pendidikan": (10, ("Pungutan sekolah di luar ketentuan", "Ijazah ditahan sekolah karena tunggakan",
                        "Penerimaan peserta didik baru zonasi tidak transparan")),
    "Kepolisian": (9, ("Laporan polisi tidak ditindaklanjuti penyidik", "Pembuatan SIM dipungut biaya tambahan",
                       "SKCK dipersulit di polsek")),
    "Administrasi kependudukan": (10, ("KTP-el tidak terbit sejak tiga bulan", "Akta kelahiran anak belum dicetak",
                                       "Kartu keluarga salah data tidak diperbaiki",
                                       "Surat pindah domisili dipersulit")),
    "Ketenagakerjaan": (4, ("Pengaduan PHK tidak ditanggapi dinas tenaga kerja",
                            "Kartu kuning pencari kerja dipungut biaya")),
    "Pedesaan/desa": (6, ("Penggunaan dana desa tidak transparan", "Kepala desa tidak melayani surat keterangan",
                          "Bantuan langsung tunai desa tidak disalurkan")),
    "Perizinan": (6, ("Izin usaha tidak diproses tanpa alasan", "Persetujuan bangunan gedung tertunda",
                      "Izin lingkungan diminta syarat tambahan")),
    "Perbankan": (2, ("Kredit usaha rakyat ditolak bank tanpa penjelasan", "Agunan tidak dikembalikan setelah lunas")),
    "Asuransi": (1, ("Klaim asuransi kecelakaan lalu lintas tidak dibayar",)),
    "Perhubungan dan infrastruktur": (6, ("Jalan rusak tidak diperbaiki meski dijanjikan",
                                          "Uji KIR kendaraan dipungut di luar tarif", "Jembatan desa putus dibiarkan")),
    "Energi dan kelistrikan": (4, ("Listrik PLN padam berulang tanpa pemberitahuan",
                                   "Sambungan baru listrik tidak dipasang",
                                   "Tagihan listrik melonjak tanpa penjelasan")),
    "Air minum": (3, ("Air PDAM mati berminggu-minggu tanpa pemberitahuan", "Tagihan air PDAM tidak sesuai meteran")),
    "Kesehatan": (7, ("Pasien BPJS ditolak rumah sakit", "Pelayanan puskesmas tutup di jam layanan",
                      "Obat pasien tidak tersedia di rumah sakit")),
    "Jaminan sosial": (5, ("Bantuan sosial tidak disalurkan kepada yang berhak", "Kartu Indonesia Sehat dinonaktifkan",
                           "Program keluarga harapan dihentikan tanpa alasan")),
    "Hak sipil dan politik": (1, ("Warga tidak tercantum dalam daftar pemilih tetap",)),
    "Peradilan": (2, ("Salinan putusan pengadilan tidak diberikan", "Jadwal sidang ditunda berulang kali")),
    "Kejaksaan": (1, ("Barang bukti tidak dikembalikan kejaksaan",)),
    "Lembaga pemasyarakatan": (1, ("Kunjungan keluarga warga binaan lapas dipungut biaya",)),
    "TNI/pertahanan": (1, ("Tanah warga dipakai markas tanpa ganti rugi",)),
}
VAGUE_TITLES = ("Pelayanan tidak memuaskan", "Mohon bantuan penyelesaian masalah", "Keluhan atas pelayanan publik")
OFF_TOPIC, VAGUE, MENTION_FORM, MENTION_PLACE, STRAY_FORM = 0.10, 0.05, 0.8, 0.6, 0.1
FORM_SENTENCES: dict[str, tuple[str, ...]] = {
    "PENUNDAAN_BERLARUT": ("Saya mengurus {what} sejak awal tahun dan sampai sekarang belum selesai tanpa kepastian.",
                           "Berkas sudah lengkap dan diterima loket, tetapi setiap kali ditanya jawabannya masih "
                           "diproses; sudah berbulan-bulan."),
    "PENYIMPANGAN_PROSEDUR": ("Persyaratan yang diminta petugas berbeda dengan yang tertulis di papan standar "
                              "pelayanan.", "Prosedurnya tidak sesuai aturan; saya diminta kembali tiga kali dengan "
                              "syarat baru."),
    "TIDAK_MEMBERIKAN_PELAYANAN": ("Loket tutup pada jam layanan dan tidak ada petugas yang melayani.",
                                   "Permohonan saya ditolak begitu saja tanpa alasan dan tanpa jawaban tertulis."),
    "TIDAK_PATUT": ("Petugas membentak dan berkata kasar ketika saya bertanya.",
                    "Saya diperlakukan tidak sopan dan disuruh menunggu seharian tanpa kejelasan."),
    "PERMINTAAN_IMBALAN": ("Petugas meminta uang Rp 150.000 agar cepat selesai. Hubungi saya di 081234567890.",
                           "Ada pungutan liar di luar tarif resmi, tanpa kuitansi."),
    "TIDAK_KOMPETEN": ("Petugas tidak paham prosedurnya dan data saya salah ketik berulang kali.",
                       "Petugas tidak bisa menjelaskan syarat dan saya dilempar ke bagian lain."),
}
CLOSINGS = ("Saya sudah mengadu ke unit pengaduan instansi melalui surat dan WhatsApp, tetapi tidak ada jawaban. "
            "E-mail saya pelapor.bench@contoh.id bila perlu keterangan.",
            "Mohon Ombudsman membantu agar layanan diselesaikan.", "")
TITLES = tuple(t for _w, titles in SUBSTANCE_TITLES.values() for t in titles) + VAGUE_TITLES
NOTES = ("Surat permintaan klarifikasi dikirim kepada kepala instansi.", "Berkas diperiksa; dokumen pendukung cukup.",
         "Koordinasi melalui telepon dengan unit pengaduan terlapor.", "Jadwal klarifikasi lisan disepakati.",
         "Catatan rapat tim pemeriksaan.")
MESSAGES = ("Saya lampirkan bukti tanda terima berkas.", "Sampai hari ini belum ada perubahan.",
            "Terima kasih, petugas sudah menghubungi saya.", "Mohon kabar perkembangan laporan saya.")
FORMS = ("PENUNDAAN_BERLARUT", "PENYIMPANGAN_PROSEDUR", "TIDAK_MEMBERIKAN_PELAYANAN", "TIDAK_PATUT",
         "PERMINTAAN_IMBALAN", "TIDAK_KOMPETEN")


def _pick(rng: random.Random, table: tuple[tuple[Any, ...], ...], weight_at: int = 1) -> tuple[Any, ...]:
    return rng.choices(table, weights=[row[weight_at] for row in table])[0]


@dataclass
class Plan:
    """One case before it gets its id: the steps of its path with their days, and its facts."""

    kind: str
    office: int  # index of the office
    examiner: int  # index of the examiner within the office (-1: none)
    steps: list[tuple[str, str, str, str, dt.date, str]]  # (action, source, target, actor, day, reason)
    state: str
    facts: dict[str, Any] = field(default_factory=dict)
    received: dt.date = START
    sort_key: float = 0.0


class Planner:
    def __init__(self, rng: random.Random, today: dt.date, office_weights: list[float], examiners: int) -> None:
        from pantau.complaints import deadlines

        self.rng, self.today = rng, today
        self.office_weights = office_weights
        self.examiner_weights = [3.0, 2.0, 1.5] + [1.0] * max(0, examiners - 3)
        self.examiner_weights = self.examiner_weights[:examiners]
        self.rules = deadlines.default_rules()
        self.calendar = deadlines.default_calendar()
        self.deadlines = deadlines

    @lru_cache(maxsize=100_000)  # noqa: B019 - one planner per generation
    def due(self, step: str, start: dt.date) -> dt.date:
        rule_set = self.deadlines.rules_for(start, self.rules)
        day: dt.date = self.deadlines.due_date(rule_set, step, start, self.calendar)
        return day

    def step_days(self, step: str, start: dt.date) -> int:
        return (self.due(step, start) - start).days

    def plan(self) -> Plan:
        rng = self.rng
        kind = _pick(rng, KINDS)[0]
        office = rng.choices(range(len(self.office_weights)), weights=self.office_weights)[0]
        is_open = rng.random() < OPEN_SHARE
        plan = Plan(kind, office, -1, [], R)
        complexity = _pick(rng, COMPLEXITY)[0]
        facts = plan.facts
        if kind == "public_report":
            if is_open:
                state, _w, timer = _pick(rng, OPEN_LM)
                path = self._lm_prefix(state, rng.random() < 0.5)
                close = None
            else:
                closed_at, _w, reason, actor = _pick(rng, CLOSED_LM)
                path = self._lm_prefix(closed_at, True)
                close = ("expire_completeness" if reason == "TIDAK_MELENGKAPI_30_HARI" else "close", closed_at, CLOSED,
                         actor, (1, 40), reason)
                state, timer = CLOSED, None
        elif kind == "fast_response":
            path = [("fast_track", R, RR, INTAKE, (0, 2), ""),
                    ("hold_oral_clarification", RR, RR, EXAMINER, (0, 5), "")]
            state, timer = (RR, None) if is_open else (CLOSED, None)
            close = None if is_open else ("close", RR, CLOSED, EXAMINER, (1, 10), "DISELESAIKAN_KLARIFIKASI")
        elif kind == "own_initiative":
            path = [("submit_to_plenary", R, AP, EXAMINER, (1, 10), ""), *[(*s, "") for s in LM_PATH[3:6]],
                    ("issue_lahp", DL, LI, HEAD, (5, 20), "")]
            if is_open:
                path, state = path[:2], EX
            else:
                state = CLOSED
            close = None if is_open else ("close", LI, CLOSED, EXAMINER, (2, 20), "TIDAK_DITEMUKAN_MALADMINISTRASI")
            timer = None
        else:  # consultation, copy letter: answered or filed
            path = []
            state, timer = (R, None) if is_open else (CLOSED, None)
            reason = "KONSULTASI_SELESAI" if kind == "consultation" else "HANYA_TEMBUSAN"
            close = None if is_open else ("close", R, CLOSED, INTAKE, (0, 14), reason)
        if close is not None:
            path = [*path, close]
        plan.state = state
        self._date(plan, path, timer, is_open, complexity)
        reached = {step[0] for step in plan.steps}
        if "decide_examination" in reached or "fast_track" in reached or kind == "own_initiative":
            plan.examiner = rng.choices(range(len(self.examiner_weights)), weights=self.examiner_weights)[0]
        self._facts(plan, reached, complexity, facts)
        return plan

    def _lm_prefix(self, state: str, activity: bool) -> list[tuple[str, str, str, str, tuple[int, int], str]]:
        """The LM path up to ``state`` (in examination with or without an activity recorded)."""
        if state == R:
            return []
        if state == AC:
            return [(*LM_PATH[0], ""), (*COMPLETENESS, "")]
        out = []
        for step in LM_PATH:
            if state == EX and step[0] == "request_written_clarification" and not activity:
                break
            out.append((*step, ""))
            if step[2] == state and not (state == EX and step[0] == "decide_examination"):
                break
        return out

    def _date(self, plan: Plan, path: list[Any], timer: str | None, is_open: bool, complexity: str) -> None:
        """Days for the steps: closed cases forward from a received day, open ones back from the day they
        entered their state (chosen so that the running timer is due in the past or the future)."""
        rng, today = self.rng, self.today
        gaps = [rng.randint(*step[4]) for step in path]
        if is_open:
            if timer is None:
                entered = today - dt.timedelta(days=rng.randint(0, 90))
            else:
                step = f"corrective_{complexity}" if timer == "corrective" else timer
                entered = self._entered(step)
            # Still received: the running initial processing step starts on the day received.
            received = entered - dt.timedelta(days=sum(gaps)) if path else entered
        else:
            received = START + dt.timedelta(days=rng.randint(0, (today - START).days - 2))
        latest = (entered if is_open else today - dt.timedelta(days=1))
        total = sum(gaps)
        if is_open and received < START:
            received = START
        if received + dt.timedelta(days=total) > latest:  # squeeze the path into the time there is
            room = max(0, (latest - received).days)
            gaps = [g * room // max(1, total) for g in gaps]
        day = received
        plan.received = received
        plan.steps = [("open", "", R, REPORTER, received, "")]
        for step, gap in zip(path, gaps, strict=True):
            day += dt.timedelta(days=gap)
            plan.steps.append((step[0], step[1], step[2], step[3], day, step[5]))
        if is_open and path:  # the last step is the day it entered its state
            plan.steps[-1] = (*plan.steps[-1][:4], entered, plan.steps[-1][5])
        plan.sort_key = received.toordinal() + rng.random()

    def _entered(self, step: str) -> dt.date:
        """The day a case entered the state whose ``step`` runs: between twice the step's length ago and
        today; awaiting completeness only where yesterday's daily run would not have closed it yet."""
        rng, today = self.rng, self.today
        length = self.step_days(step, today - dt.timedelta(days=60))
        while True:
            entered = today - dt.timedelta(days=rng.randint(0, max(1, int(1.8 * length))))
            if step != "completeness" or self.due(step, entered) >= today - dt.timedelta(days=1):
                return entered

    def _facts(self, plan: Plan, reached: set[str], complexity: str, facts: dict[str, Any]) -> None:
        rng = self.rng
        reason = plan.steps[-1][5]
        lm_like = plan.kind in ("public_report", "own_initiative")
        facts["formal_complete"] = "pass_formal_verification" in reached or (
            plan.state == FV and rng.random() < 0.4)
        facts["substantive_ok"] = "submit_to_plenary" in reached and plan.kind == "public_report"
        facts["rco_criterion"] = plan.kind == "fast_response"
        facts["classified"] = "pass_formal_verification" in reached or plan.kind != "public_report"
        facts["complexity"] = complexity if "decide_examination" in reached else ""
        facts["provider_notified"] = bool(reached & {"decide_examination", "fast_track"})
        activities = []
        if "request_written_clarification" in reached:
            activities.append("written_clarification")
        if "hold_oral_clarification" in reached:
            activities.append("oral_clarification")
        facts["activities"] = activities
        conclusion, found = "", []
        if lm_like and "draft_lahp" in reached:
            if reason == "PEMERIKSAAN_DIHENTIKAN":
                conclusion = "stopped"
            elif reason == "TIDAK_MELENGKAPI_30_HARI" or reason == "TIDAK_DITEMUKAN_MALADMINISTRASI" or (
                    "open_corrective_actions" not in reached and rng.random() < 0.2 and plan.state != CLOSED):
                conclusion = "not_found"
            else:
                conclusion = "found"
                found = sorted(set(rng.sample(FORMS, rng.randint(1, 2))))
        facts["conclusion"], facts["found"] = conclusion, found
        facts["reporter_answered"] = "issue_lahp" in reached and plan.kind == "public_report"
        facts["implementation_reported"] = reason == "REKOMENDASI_DILAKSANAKAN"
        facts["demands"] = "open_corrective_actions" in reached
        facts["corrective_done"] = reason == "TINDAKAN_KOREKTIF_DILAKSANAKAN"


# --- writing -------------------------------------------------------------------------------------------------


def _code(name: str, taken: set[str]) -> str:
    words = [w for w in name.replace("-", " ").split() if w.isalpha()]
    base = (words[0][:2] + (words[1][0] if len(words) > 1 else words[0][2:3])).upper() if words else "ORI"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base[:2]}{n}"
    taken.add(code)
    return code


def _staff(w: Any, offices: list[tuple[int, str]], examiners: int) -> dict[str, Any]:
    """A head, two intake officers and the examiners of each office; returns their ids by office index."""
    from pantau.accounts.models import Membership, User

    next_user = w.next_id(User)
    users: list[tuple[Any, ...]] = []
    members: list[tuple[Any, ...]] = []
    by_office: dict[str, list[list[int]]] = {"head": [], "intake": [], "examiner": []}

    def add(username: str, full_name: str, role: str, office: int) -> int:
        pk = int(next_user) + len(users)
        users.append((pk, username, PASSWORD, full_name, f"{username}@ombudsman.bench"))
        members.append((pk, role, office))
        return pk

    for office_id, code in offices:
        low = code.lower()
        by_office["head"].append([add(f"kepala.{low}", f"Kepala Perwakilan {code}", "head_of_office", office_id)])
        by_office["intake"].append([add(f"pvl.{low}.{n}", f"Petugas PVL {code} {n}", "intake_officer", office_id)
                                    for n in (1, 2)])
        by_office["examiner"].append([add(f"pemeriksa.{low}.{n:02d}", f"Asisten Pemeriksa {code} {n:02d}",
                                          "examiner", office_id) for n in range(1, examiners + 1)])
    w.write(w.table(User, ["id", "username", "password", "full_name", "email"]), users)
    first = w.next_id(Membership)
    w.write(w.table(Membership, ["id", "user_id", "role", "office_id"]),
            ((first + n, *m) for n, m in enumerate(members)))
    return by_office


def _stamp(w: Any, rng: random.Random, day: dt.date) -> str:
    """A moment of office hours (08:00-16:00 WIB) on ``day``."""
    return str(w.ts(dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC)
                    + dt.timedelta(seconds=rng.randint(0, 8 * 3600))))


def generate(sizes: Sizes, seed: int = 2026) -> dict[str, Any]:  # noqa: PLR0915 - one linear script
    """Write the data into the configured database (migrated here); a summary."""
    import time

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from bench.pages import BENCH_USERNAME
    from bench.rawdb import Writer
    from bench.surveys_data import Sizes as RegistrySizes
    from bench.surveys_data import _registry
    from pantau.accounts.models import Membership, Role, User
    from pantau.complaints.models import Case, Counter, Demand, Event, Reporter, Timer
    from pantau.complaints.redact import redact
    from pantau.complaints.services import KIND_CODES, ROMAN
    from pantau.complaints.vocab import DEFAULT_AGENCY_GROUPS, DEFAULT_SUBSTANCES, RecordKind
    from pantau.registry.models import Institution, Office, Province

    t0 = time.monotonic()
    timings: dict[str, float] = {}
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_regions", verbosity=0)
    if not User.objects.filter(username=BENCH_USERNAME).exists():
        admin = User.objects.create_user(username=BENCH_USERNAME, password=None, full_name="Admin Nasional Bench")
        Membership.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
    national, _ = Office.objects.get_or_create(name="Ombudsman Republik Indonesia (Kantor Pusat)",
                                               defaults={"is_national": True, "code": "PST"})
    provinces = list(Province.objects.order_by("code"))
    taken: set[str] = {"PST"}
    offices: list[tuple[int, str]] = []
    province_office: dict[int, int] = {}
    for i, province in enumerate(provinces):
        if i < OFFICES:
            office, created = Office.objects.get_or_create(name=f"Ombudsman RI Perwakilan {province.name}")
            if created:
                office.provinces.add(province)
            office.code = _code(province.name, taken)
            office.save(update_fields=["code"])
            offices.append((office.pk, office.code))
        province_office[province.pk] = min(i, OFFICES - 1)
    rng = random.Random(seed)
    today = timezone.localdate()
    w = Writer()
    w.begin()
    try:
        with transaction.atomic():
            unit_ids, unit_inst, products = _registry(w, rng, RegistrySizes("complaints", 0, sizes.units, 0),
                                                      national.pk)
            for province_pk, index in province_office.items():
                Institution.objects.filter(province_id=province_pk).update(office_id=offices[index][0])
            inst_rows: dict[int, int | None] = dict(
                Institution.objects.filter(pk__in=set(unit_inst)).values_list("pk", "province_id"))
            staff = _staff(w, offices, sizes.examiners)
            timings["registry and staff"] = round(time.monotonic() - t0, 1)
            # Where each office's cases point: the units of its provinces' institutions, else any unit.
            units_of: list[list[int]] = [[] for _ in offices]
            national_units: list[int] = []
            for u, inst in enumerate(unit_inst):
                where = inst_rows.get(inst)
                (units_of[province_office[where]] if where else national_units).append(u)
            t = time.monotonic()
            weights = [rng.lognormvariate(0, 0.6) * (3 if k == 10 else 1) for k in range(len(offices))]
            planner = Planner(rng, today, weights, sizes.examiners)
            plans = [planner.plan() for _ in range(sizes.cases)]
            plans.sort(key=lambda p: p.sort_key)
            timings["plan"] = round(time.monotonic() - t, 1)
            # Redacted once per sentence (the place sentence holds no personal data).
            summaries = {text.format(what=title.lower()): redact(text.format(what=title.lower()))
                         for sentences in FORM_SENTENCES.values() for text in sentences for title in TITLES}
            summaries |= {text: redact(text) for text in CLOSINGS}
            places = {pk: f"Kejadiannya di {name.removeprefix('Pemerintah ')}." for pk, name in
                      Institution.objects.filter(pk__in=set(unit_inst)).values_list("pk", "name")}
            path_events = sum(len(p.steps) for p in plans)
            extra_mean = max(0.0, (sizes.events - path_events) / max(1, len(plans)))
            counters: dict[tuple[int, int, str], int] = {}
            tables = {
                "case": w.table(Case, [
                    "id", "number", "kind", "state", "office_id", "channel", "visibility", "title", "chronology",
                    "public_summary", "event_date", "remedy", "prior_complaint", "prior_complaint_date",
                    "institution_id", "unit_id", "product_id", "province_id", "substance", "agency_group",
                    "alleged", "found", "complexity", "reporter_type", "formal_complete", "documents_supplied",
                    "substantive_ok", "rco_criterion", "activities", "conclusion", "reporter_answered",
                    "implementation_reported", "received_on", "rule_set", "next_due_on", "closure_reason",
                    "closed_at", "intake_officer_id", "examiner_id", "provider_notified", "tracking_hash",
                    "created_at", "updated_at"]),
                "reporter": w.table(Reporter, ["id", "case_id", "full_name", "nik", "occupation", "address", "email",
                                               "phone", "reporter_type"]),
                "event": w.table(Event, ["id", "case_id", "at", "actor_id", "actor_label", "action", "source_state",
                                         "target_state", "note", "reason", "audience"]),
                "timer": w.table(Timer, ["id", "case_id", "step", "started_on", "due_on", "stopped_at"]),
                "demand": w.table(Demand, ["id", "case_id", "kind", "institution_id", "text", "issued_on", "due_on",
                                           "answer", "answered_at", "outcome", "assessed_on"]),
            }
            ids = {name: w.next_id(table.model) for name, table in tables.items()}
            written = dict.fromkeys(tables, 0)
            t = time.monotonic()
            for start in range(0, len(plans), CHUNK):
                rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in tables}
                for plan in plans[start:start + CHUNK]:
                    _case_rows(plan, rows, ids, w, rng, planner, staff, offices, units_of, national_units, unit_ids,
                               unit_inst, products, inst_rows, counters, (summaries, places), extra_mean,
                               KIND_CODES, ROMAN,
                               DEFAULT_SUBSTANCES, DEFAULT_AGENCY_GROUPS, RecordKind)
                for name, table in tables.items():
                    written[name] += w.write(table, rows[name])
            first_counter = w.next_id(Counter)
            w.write(w.table(Counter, ["id", "holder", "year", "code", "last"]),
                    ((first_counter + n, f"o{offices[o][0]}", year, code, last)
                     for n, ((o, year, code), last) in enumerate(sorted(counters.items()))))
            timings["cases"] = round(time.monotonic() - t, 1)
    finally:
        w.end()
    t = time.monotonic()
    indexed = _reindex()
    timings["search_reindex"] = round(time.monotonic() - t, 1)
    t = time.monotonic()
    w.analyze()
    timings["analyze"] = round(time.monotonic() - t, 1)
    states: dict[str, int] = {}
    for plan in plans:
        states[plan.state] = states.get(plan.state, 0) + 1
    return {"cases": written["case"], "events": written["event"], "timers": written["timer"],
            "reporters": written["reporter"], "demands": written["demand"], "counters": len(counters),
            "offices": len(offices), "open": sum(n for s, n in states.items() if s != CLOSED), "states": states,
            "indexed": indexed, "timings": timings, "generate_s": round(time.monotonic() - t0, 1)}


def _reindex() -> int | None:
    """The cases' search documents, as ``pantau search_reindex --kind complaint`` writes them (the rows above
    bypassed the services that keep them); None when there is no complaint search kind."""
    import io

    from django.core.management import call_command

    from pantau.core import hooks
    from pantau.core.search.models import SearchDocument

    if "complaint" not in hooks.search_sources():
        return None
    call_command("search_reindex", "--kind", "complaint", stdout=io.StringIO())
    return SearchDocument.objects.filter(kind="complaint").count()


def _case_rows(plan: Plan, rows: dict[str, list[tuple[Any, ...]]], ids: dict[str, int], w: Any,  # noqa: PLR0913, PLR0912, PLR0915
               rng: random.Random, planner: Planner, staff: dict[str, Any], offices: list[tuple[int, str]],
               units_of: list[list[int]], national_units: list[int], unit_ids: list[int], unit_inst: list[int],
               products: list[list[int]], inst_rows: dict[int, int | None], counters: dict[tuple[int, int, str], int],
               texts: tuple[dict[str, str], dict[int, str]], extra_mean: float, kind_codes: Any, roman: Any,
               substances: Any,
               groups: Any, record_kind: Any) -> None:
    """The rows of one case (its id is the next case id) into ``rows``."""
    pk = ids["case"]
    ids["case"] += 1
    facts, o, received = plan.facts, plan.office, plan.received
    office_id, office_code = offices[o]
    code = kind_codes[record_kind(plan.kind)]
    key = (o, received.year, code)
    counters[key] = counters.get(key, 0) + 1
    number = f"{counters[key]:04d}/{code}/{roman[received.month - 1]}/{received.year}/{office_code}"
    pool = units_of[o] if units_of[o] and rng.random() < 0.85 else (national_units or units_of[o])
    u = rng.choice(pool) if pool else rng.randrange(len(unit_ids))
    institution = unit_inst[u]
    product = rng.choice(products[u]) if rng.random() < 0.7 else None
    intake = rng.choice(staff["intake"][o])
    head = staff["head"][o][0]
    examiner = staff["examiner"][o][plan.examiner] if plan.examiner >= 0 else None
    actors = {"intake_officer": intake, "head_of_office": head, "examiner": examiner}
    substance, forms = _subject(rng)
    title, chronology, summary = _text(rng, substance, forms, institution, texts)
    has_reporter = plan.kind not in ("own_initiative", "copy_letter")
    channel = "letter" if plan.kind == "copy_letter" else (
        "walk_in" if plan.kind == "own_initiative" else _pick(rng, CHANNELS)[0])
    closed = plan.state == CLOSED
    last_day = plan.steps[-1][4]
    # Timers, from the path.
    complexity = facts["complexity"]
    running: dict[str, tuple[int, dt.date]] = {}
    timer_rows = rows["timer"]
    for action, _src, _tgt, _actor, day, _reason in plan.steps:
        if action in TIMER_STOPS and TIMER_STOPS[action] in running:
            step = TIMER_STOPS[action]
            index, _due = running.pop(step)
            timer_rows[index] = (*timer_rows[index][:5], _stamp(w, rng, day))
        if action in ("close", "expire_completeness"):
            for index, _due in running.values():
                timer_rows[index] = (*timer_rows[index][:5], _stamp(w, rng, day))
            running.clear()
        started = TIMER_STARTS.get(action)
        if started is None or (action == "open" and plan.kind not in ("public_report", "fast_response")):
            continue
        step = f"corrective_{complexity}" if started == "corrective" else started
        due = planner.due(step, day)
        running["corrective" if step.startswith("corrective_") else step] = (len(timer_rows), due)
        timer_rows.append((ids["timer"], pk, step, day.isoformat(), due.isoformat(), None))
        ids["timer"] += 1
    next_due = min((due for _i, due in running.values()), default=None)
    classified = facts["classified"] and plan.kind != "copy_letter"
    event_date = received - dt.timedelta(days=rng.randint(3, 120))
    rows["case"].append((
        pk, number, plan.kind, plan.state, office_id, channel, _pick(rng, VISIBILITY)[0] if has_reporter
        else "confidential", title, chronology, summary,
        event_date.isoformat(), "Layanan diselesaikan sesuai standar pelayanan tanpa biaya tambahan.",
        "silent" if plan.kind == "public_report" else "", (event_date + dt.timedelta(days=2)).isoformat()
        if plan.kind == "public_report" else None, institution, unit_ids[u], product,
        inst_rows.get(institution), substance if classified else "",
        rng.choice(groups) if classified else "",
        json.dumps(forms) if classified else "[]",
        json.dumps(facts["found"]), complexity, "individual" if classified and has_reporter else "",
        facts["formal_complete"], False, facts["substantive_ok"], facts["rco_criterion"],
        json.dumps(facts["activities"]), facts["conclusion"], facts["reporter_answered"],
        facts["implementation_reported"], received.isoformat(), planner.deadlines.rules_for(
            received, planner.rules).version, next_due.isoformat() if next_due else None,
        plan.steps[-1][5] if closed else "", _stamp(w, rng, last_day) if closed else None,
        intake if channel != "web" else None, examiner, facts["provider_notified"],
        hashlib.sha256(f"bench-{pk}".encode()).hexdigest() if has_reporter else None,
        _stamp(w, rng, received), _stamp(w, rng, last_day)))
    if has_reporter:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows["reporter"].append((ids["reporter"], pk, f"{first} {last}", f"{6300000000000000 + pk}",
                                 "Wiraswasta", f"Jl. Melati No. {pk % 200 + 1}", f"{first.lower()}.{pk}@contoh.id",
                                 f"08{1200000000 + pk}", "individual"))
        ids["reporter"] += 1
    # Events: the path, then messages and notes spread over the case's life, in time order.
    events: list[tuple[str, int | None, str, str, str, str, str, str, str]] = []
    for action, src, tgt, actor, day, reason in plan.steps:
        label = actor
        user = actors.get(actor)
        audience = "reporter" if action in ("open", "close", "expire_completeness", "request_completeness",
                                            "decide_examination", "send_draft_to_reporter", "issue_lahp",
                                            "fast_track") and has_reporter else "staff"
        note = rng.choice(NOTES) if action in ("request_written_clarification", "hold_oral_clarification") else ""
        events.append((_stamp(w, rng, day), user, label, action, src, tgt, note, reason, audience))
        if action == "open_corrective_actions" and facts["demands"]:
            _demands(plan, pk, institution, day, rows, ids, w, rng, planner, events)
    end = last_day if closed else planner.today
    extra = int(rng.uniform(0, 2 * extra_mean) + 0.5)
    span = max(0, (end - received).days)
    for _ in range(extra):
        day = received + dt.timedelta(days=rng.randint(0, span))
        roll = rng.random()
        if roll < 0.4 and has_reporter:
            events.append((_stamp(w, rng, day), None, REPORTER, "reporter_message", "", "", rng.choice(MESSAGES), "",
                           "reporter"))
        elif roll < 0.5 and examiner:
            events.append((_stamp(w, rng, day), head, HEAD, "assign", "", "", "Asisten pemeriksa ditetapkan.", "",
                           "staff"))
        else:
            events.append((_stamp(w, rng, day), examiner or intake, "petugas", "note", "", "", rng.choice(NOTES), "",
                           "staff"))
    events.sort(key=lambda e: e[0])
    for event in events:
        rows["event"].append((ids["event"], pk, *event))
        ids["event"] += 1


def _subject(rng: random.Random) -> tuple[str, list[str]]:
    """What a case is about (its substance, weighted) and the forms of maladministration alleged (1-2)."""
    substance = rng.choices(list(SUBSTANCE_TITLES), weights=[w for w, _t in SUBSTANCE_TITLES.values()])[0]
    return substance, sorted(set(rng.sample(FORMS, rng.randint(1, 2))))


def _text(rng: random.Random, substance: str, forms: list[str], institution: int,
          texts: tuple[dict[str, str], dict[int, str]]) -> tuple[str, str, str]:
    """(title, chronology, redacted chronology) in the reporter's words (see ``SUBSTANCE_TITLES``)."""
    summaries, places = texts
    roll = rng.random()
    if roll < VAGUE:
        title = rng.choice(VAGUE_TITLES)
    else:
        about = rng.choice(list(SUBSTANCE_TITLES)) if roll < VAGUE + OFF_TOPIC else substance
        title = rng.choice(SUBSTANCE_TITLES[about][1])
    told = [f for f in forms if rng.random() < MENTION_FORM] or forms[:1]
    if rng.random() < STRAY_FORM:
        told.append(rng.choice([f for f in FORMS if f not in forms]))
    parts = [rng.choice(FORM_SENTENCES[f]).format(what=title.lower()) for f in told]
    redacted = [summaries[p] for p in parts]
    if rng.random() < MENTION_PLACE and institution in places:
        parts.append(places[institution])
        redacted.append(places[institution])
    closing = rng.choice(CLOSINGS)
    if closing:
        parts.append(closing)
        redacted.append(summaries[closing])
    return title, " ".join(parts), " ".join(redacted)


def _demands(plan: Plan, pk: int, institution: int, day: dt.date, rows: dict[str, list[tuple[Any, ...]]],
             ids: dict[str, int], w: Any, rng: random.Random, planner: Planner, events: list[Any]) -> None:
    """Corrective actions issued on ``day``; a Recommendation when the path went on to one."""
    facts = plan.facts
    corrective_due = planner.due(f"corrective_{facts['complexity']}", day)
    reached = {s[0]: s[4] for s in plan.steps}
    done = facts["corrective_done"]
    for n in range(rng.randint(1, 3)):
        answered = done or (plan.state == CM and rng.random() < 0.3)
        when = min(corrective_due, planner.today) - dt.timedelta(days=rng.randint(0, 10))
        when = max(when, day)
        outcome = "implemented" if done else ("not_implemented" if "issue_recommendation" in reached else "pending")
        rows["demand"].append((ids["demand"], pk, "corrective", institution,
                               f"Tindakan korektif {n + 1}: selesaikan layanan pelapor dan perbaiki prosedur.",
                               day.isoformat(), corrective_due.isoformat(),
                               "Layanan sudah diselesaikan; bukti terlampir." if answered else "",
                               _stamp(w, rng, when) if answered else None, outcome,
                               when.isoformat() if outcome != "pending" else None))
        ids["demand"] += 1
        if answered:
            events.append((_stamp(w, rng, when), None, PROVIDER, "answer_corrective_action", CM, CM,
                           "Layanan sudah diselesaikan; bukti terlampir.", "", "provider"))
    if "issue_recommendation" in reached:
        issued = reached["issue_recommendation"]
        due = planner.due("recommendation_report", issued)
        reported = facts["implementation_reported"]
        rows["demand"].append((ids["demand"], pk, "recommendation", institution,
                               "Rekomendasi: jatuhkan sanksi administratif dan perbaiki standar pelayanan.",
                               issued.isoformat(), due.isoformat(), "Rekomendasi dilaksanakan." if reported else "",
                               _stamp(w, rng, issued) if reported else None,
                               "implemented" if reported else "pending", issued.isoformat() if reported else None))
        ids["demand"] += 1
