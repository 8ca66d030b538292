"""The vocabularies of a complaint case: pure, standard library only, no Django (issue 10;
``shared/docs/complaints.md`` §1.5, §1.10, §1.11, §2, §7.1, §7.5).

**Codes.** Where the research notes already give a code, that code is kept so statistics, letters and the
deadline rules (``data/deadlines.toml`` writes "(TIDAK_MELENGKAPI_30_HARI)") say the same thing: the closure
reasons of §1.5 (``DICABUT_PELAPOR`` …) and the ten forms of maladministration of §1.10
(``PENUNDAAN_BERLARUT`` …). Vocabularies the notes do not code get short English codes (record kinds,
complexity, reporter types). Python names are English throughout; labels are Indonesian, for the screens.

- **Record kinds** (§0.2, §7.1): the five Ombudsman products counted separately in the annual statistics
  (consultation, copy letter, public report LM, fast response RCO, own-initiative investigation IAPS) and,
  for the provider-side path, a complaint made to the service provider itself (UU 25/2009 Pasal 36 and 42,
  §2). IAPS has no external reporter; a copy letter's author is not a reporter either.
- **Complexity** (§1.4): *ringan / sedang / berat*; the codes are the suffixes of the deadline steps
  ``corrective_light`` / ``corrective_medium`` / ``corrective_heavy``.
- **Forms of maladministration** (§1.10, PO 26/2017 as amended by PO 48/2020): several per case, kept
  twice: *alleged* (dugaan, at intake) and *found* (ditemukan, in the LAHP). The found forms need not be a
  subset of the alleged ones: an examination may find another form.
- **States** (§1.3, §7.2): stable short English codes, Indonesian labels; the LAHP **conclusions**
  (PO 48/2020 Pasal 25 ayat (2)) and the examination **activities** (§1.3).
- **Closure reasons** (§1.5): the notes' suggested list, plus the grounds §1.5 also names (only a copy
  letter; no prior complaint to the Terlapor, UU 37/2008 Pasal 24 ayat (1) huruf c), a consultation answered
  (the "advice" closures of the 2020 annual report) and, for the provider-side path, acted on / not proven
  (UU 25/2009 Pasal 36) and complained more than 30 days after the service (Pasal 42). Each reason names
  its source, the kinds and stages it may close and the guards (of ``workflow.GUARDS``) it needs.
- **Reporter types** (§1.11, ORI 2020 annual report; §7.5).
- **Substances and reported-agency groups** (§1.11): no complete official list was found, so the lists
  below are defaults that an office may extend (the application stores its own list; :func:`check` takes
  it as an argument).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class RecordKind(StrEnum):
    CONSULTATION = "consultation"
    COPY_LETTER = "copy_letter"
    PUBLIC_REPORT = "public_report"
    FAST_RESPONSE = "fast_response"
    OWN_INITIATIVE = "own_initiative"
    PROVIDER_COMPLAINT = "provider_complaint"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[RecordKind, str] = {
    RecordKind.CONSULTATION: "Konsultasi non-laporan",
    RecordKind.COPY_LETTER: "Tembusan",
    RecordKind.PUBLIC_REPORT: "Laporan Masyarakat (LM)",
    RecordKind.FAST_RESPONSE: "Respons Cepat Ombudsman (RCO)",
    RecordKind.OWN_INITIATIVE: "Investigasi atas Prakarsa Sendiri (IAPS)",
    RecordKind.PROVIDER_COMPLAINT: "Pengaduan kepada penyelenggara (UU 25/2009)",
}
OMBUDSMAN_KINDS = frozenset(RecordKind) - {RecordKind.PROVIDER_COMPLAINT}
# No one to notify: IAPS is the Ombudsman's own initiative (§7.1); a copy letter (tembusan) is addressed to
# someone else and is only filed.
WITHOUT_REPORTER = frozenset({RecordKind.OWN_INITIATIVE, RecordKind.COPY_LETTER})


# --- states of a case (§1.3, §7.2) ---------------------------------------------------------------------------

class State(StrEnum):
    RECEIVED = "received"
    FORMAL_VERIFICATION = "formal_verification"
    AWAITING_COMPLETENESS = "awaiting_completeness"
    SUBSTANTIVE_VERIFICATION = "substantive_verification"
    AWAITING_PLENARY = "awaiting_plenary"
    RAPID_RESPONSE = "rapid_response"
    EXAMINATION = "examination"
    DRAFT_LAHP = "draft_lahp"
    AWAITING_REPORTER_RESPONSE = "awaiting_reporter_response"
    LAHP_ISSUED = "lahp_issued"
    CORRECTIVE_MONITORING = "corrective_monitoring"
    RECOMMENDATION = "recommendation"
    RECOMMENDATION_MONITORING = "recommendation_monitoring"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[State, str] = {
    State.RECEIVED: "Diterima",
    State.FORMAL_VERIFICATION: "Verifikasi formil",
    State.AWAITING_COMPLETENESS: "Menunggu kelengkapan dari pelapor",
    State.SUBSTANTIVE_VERIFICATION: "Verifikasi materiil",
    State.AWAITING_PLENARY: "Menunggu keputusan pleno",
    State.RAPID_RESPONSE: "Respons cepat (RCO)",
    State.EXAMINATION: "Pemeriksaan",
    State.DRAFT_LAHP: "Draf LAHP",
    State.AWAITING_REPORTER_RESPONSE: "Menunggu tanggapan pelapor atas hasil pemeriksaan",
    State.LAHP_ISSUED: "LAHP terbit",
    State.CORRECTIVE_MONITORING: "Monitoring tindakan korektif",
    State.RECOMMENDATION: "Rekomendasi (menunggu laporan pelaksanaan)",
    State.RECOMMENDATION_MONITORING: "Monitoring pelaksanaan Rekomendasi",
    State.CLOSED: "Ditutup",
}
OPEN_STATES = frozenset(State) - {State.CLOSED}


def state_label(state: State, kind: RecordKind) -> str:
    """The label of ``state`` for a case of ``kind`` (a provider handles a complaint, it does not examine)."""
    if kind is RecordKind.PROVIDER_COMPLAINT and state is State.EXAMINATION:
        return "Penanganan pengaduan"
    return state.label


class Conclusion(StrEnum):
    """The conclusion of an LAHP (PO 48/2020 Pasal 25 ayat (2))."""

    FOUND = "found"  # maladministrasi ditemukan
    NOT_FOUND = "not_found"  # tidak ditemukan maladministrasi
    STOPPED = "stopped"  # pemeriksaan dihentikan


class Activity(StrEnum):
    """Examination activities (§1.3, PO 26/2017 part 2; mediation/conciliation UU 25/2009 Pasal 46 ayat (5))."""

    WRITTEN_CLARIFICATION = "written_clarification"
    ORAL_CLARIFICATION = "oral_clarification"
    SUMMONS = "summons"
    FIELD_CHECK = "field_check"
    MEDIATION = "mediation"


class Complexity(StrEnum):
    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"

    @property
    def label(self) -> str:
        return {"light": "Ringan", "medium": "Sedang", "heavy": "Berat"}[self.value]


class Maladministration(StrEnum):
    """The ten forms (§1.10), in the order of their 2020 share."""

    UNDUE_DELAY = "PENUNDAAN_BERLARUT"
    PROCEDURAL_DEVIATION = "PENYIMPANGAN_PROSEDUR"
    FAILURE_TO_SERVE = "TIDAK_MEMBERIKAN_PELAYANAN"
    IMPROPER_CONDUCT = "TIDAK_PATUT"
    INCOMPETENCE = "TIDAK_KOMPETEN"
    ABUSE_OF_AUTHORITY = "PENYALAHGUNAAN_WEWENANG"
    SOLICITATION = "PERMINTAAN_IMBALAN"
    DISCRIMINATION = "DISKRIMINASI"
    CONFLICT_OF_INTEREST = "KONFLIK_KEPENTINGAN"
    PARTIALITY = "BERPIHAK"

    @property
    def label(self) -> str:
        return MALADMINISTRATION_LABELS[self]


MALADMINISTRATION_LABELS: dict[Maladministration, str] = {
    Maladministration.UNDUE_DELAY: "Penundaan berlarut",
    Maladministration.PROCEDURAL_DEVIATION: "Penyimpangan prosedur",
    Maladministration.FAILURE_TO_SERVE: "Tidak memberikan pelayanan",
    Maladministration.IMPROPER_CONDUCT: "Tidak patut",
    Maladministration.INCOMPETENCE: "Tidak kompeten",
    Maladministration.ABUSE_OF_AUTHORITY: "Penyalahgunaan wewenang",
    Maladministration.SOLICITATION: "Permintaan imbalan uang, barang dan jasa",
    Maladministration.DISCRIMINATION: "Diskriminasi",
    Maladministration.CONFLICT_OF_INTEREST: "Konflik kepentingan",
    Maladministration.PARTIALITY: "Berpihak",
}


class ReporterType(StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"
    LEGAL_COUNSEL = "legal_counsel"
    FAMILY = "family"
    COMMUNITY_GROUP = "community_group"

    @property
    def label(self) -> str:
        return REPORTER_TYPE_LABELS[self]


REPORTER_TYPE_LABELS: dict[ReporterType, str] = {
    ReporterType.INDIVIDUAL: "Perorangan",
    ReporterType.ORGANISATION: "Badan hukum / organisasi",
    ReporterType.LEGAL_COUNSEL: "Kuasa hukum",
    ReporterType.FAMILY: "Keluarga korban",
    ReporterType.COMMUNITY_GROUP: "Kelompok masyarakat",
}

# §1.11: substances seen in ORI's published statistics (about 27 were in use in 2023; no official list).
DEFAULT_SUBSTANCES: tuple[str, ...] = (
    "Agraria/pertanahan", "Kepegawaian", "Pendidikan", "Kepolisian", "Administrasi kependudukan",
    "Ketenagakerjaan", "Pedesaan/desa", "Perizinan", "Perbankan", "Asuransi",
    "Perhubungan dan infrastruktur", "Energi dan kelistrikan", "Air minum", "Kesehatan", "Jaminan sosial",
    "Hak sipil dan politik", "Peradilan", "Kejaksaan", "Lembaga pemasyarakatan", "TNI/pertahanan",
)
# §1.11: the reported-agency groups of ORI's 2017 statistics.
DEFAULT_AGENCY_GROUPS: tuple[str, ...] = (
    "Pemerintah Daerah", "Kepolisian", "Instansi Pemerintah/Kementerian", "Badan Pertanahan Nasional",
    "BUMN/BUMD", "Lembaga Pendidikan Negeri", "Lembaga Peradilan", "Perbankan", "Kejaksaan",
    "Komisi/Lembaga Negara", "Rumah Sakit Pemerintah", "Perguruan Tinggi Negeri",
    "Lembaga Pemerintah Non-Kementerian", "TNI", "DPR", "Lain-lain",
)


@dataclass(frozen=True)
class Classification:
    """How a case is classified (§7.5). Every field may still be empty while the case is at intake."""

    substance: str = ""
    agency_group: str = ""
    alleged: frozenset[Maladministration] = field(default_factory=frozenset)
    found: frozenset[Maladministration] = field(default_factory=frozenset)
    complexity: Complexity | None = None
    reporter_type: ReporterType | None = None


def check(classification: Classification, substances: Collection[str] = DEFAULT_SUBSTANCES,
          agency_groups: Collection[str] = DEFAULT_AGENCY_GROUPS) -> list[str]:
    """The problems of a classification, in Indonesian (empty when none): a substance or agency group not
    in the office's lists, a form of maladministration outside the ten (alleged or found)."""
    problems: list[str] = []
    if classification.substance and classification.substance not in substances:
        problems.append(f"Substansi '{classification.substance}' tidak ada di daftar substansi.")
    if classification.agency_group and classification.agency_group not in agency_groups:
        problems.append(f"Kelompok instansi terlapor '{classification.agency_group}' tidak dikenal.")
    for what, forms in (("dugaan", classification.alleged), ("temuan", classification.found)):
        if unknown := sorted(str(f) for f in forms if f not in set(Maladministration)):
            problems.append(f"Bentuk maladministrasi ({what}) tidak dikenal: {', '.join(unknown)}.")
    return problems


# --- closure reasons (§1.5) ------------------------------------------------------------------------------------

K = RecordKind
LM, RCO, IAPS = K.PUBLIC_REPORT, K.FAST_RESPONSE, K.OWN_INITIATIVE
INTAKE_STATES = frozenset({State.RECEIVED, State.FORMAL_VERIFICATION, State.AWAITING_COMPLETENESS,
                           State.SUBSTANTIVE_VERIFICATION})
BEFORE_LAHP = INTAKE_STATES | {State.AWAITING_PLENARY, State.RAPID_RESPONSE, State.EXAMINATION, State.DRAFT_LAHP}


@dataclass(frozen=True)
class ClosureReason:
    code: str  # the §1.5 code, as in statistics and data/deadlines.toml
    label: str
    source: str  # the legal source or the practice it rests on (§1.5)
    kinds: frozenset[RecordKind]
    states: frozenset[State] = OPEN_STATES  # where a case may be closed with it
    guards: tuple[str, ...] = ()
    by_system: bool = False  # recorded only by the system transition that names it


def _reason(code: str, label: str, source: str, kinds: Iterable[RecordKind], states: Iterable[State] = OPEN_STATES,
            guards: tuple[str, ...] = (), by_system: bool = False) -> ClosureReason:
    return ClosureReason(code, label, source, frozenset(kinds), frozenset(states), guards, by_system)


_ANNUAL = "Laporan Tahunan ORI 2020 (jenis penutupan laporan)"
_PVL = "Alur pelaporan ORI: kriteria laporan tidak ditindaklanjuti (§1.5)"
_WITH_REPORTER = (LM, RCO, K.CONSULTATION, K.PROVIDER_COMPLAINT)
CLOSURE_REASONS: dict[str, ClosureReason] = {r.code: r for r in (
    _reason("DICABUT_PELAPOR", "Dicabut atas permintaan pelapor", _ANNUAL, _WITH_REPORTER),
    _reason("TIDAK_MELENGKAPI_30_HARI", "Tidak dilengkapi dalam 30 hari (dianggap dicabut)",
            "PO 26/2017 sebagaimana diubah dengan PO 48/2020", (LM,), (State.AWAITING_COMPLETENESS,), by_system=True),
    _reason("BUKAN_KEWENANGAN", "Bukan kewenangan", f"UU 37/2008 Pasal 1 angka 1; {_PVL}",
            (LM, RCO, IAPS, K.CONSULTATION, K.PROVIDER_COMPLAINT), BEFORE_LAHP),
    _reason("SEDANG_PROSES_PERADILAN", "Sedang atau telah diperiksa pengadilan", _PVL,
            (LM, RCO, IAPS, K.PROVIDER_COMPLAINT), BEFORE_LAHP),
    _reason("SEDANG_DITANGANI_INSTANSI", "Masih ditangani instansi dalam tenggang waktu yang patut", _PVL,
            (LM, RCO, IAPS), BEFORE_LAHP),
    _reason("DUPLIKAT_LAPORAN", "Laporan yang sama sedang atau telah ditangani", _PVL,
            (LM, RCO, IAPS, K.PROVIDER_COMPLAINT), BEFORE_LAHP),
    _reason("KADALUARSA_2_TAHUN", "Peristiwa lebih dari 2 tahun sebelum laporan", "UU 37/2008 Pasal 24 ayat (3)",
            (LM, RCO), INTAKE_STATES),
    _reason("BELUM_MENGADU_KE_INSTANSI", "Pelapor belum mengadu kepada Terlapor atau atasannya",
            "UU 37/2008 Pasal 24 ayat (1) huruf c", (LM,), INTAKE_STATES),
    _reason("HANYA_TEMBUSAN", "Hanya tembusan surat kepada pihak lain (diarsipkan)",
            "Praktik penerimaan laporan ORI (§1.5)", (K.COPY_LETTER, LM), (State.RECEIVED, State.FORMAL_VERIFICATION)),
    _reason("KONSULTASI_SELESAI", "Konsultasi selesai (saran diberikan)", _ANNUAL, (K.CONSULTATION,)),
    _reason("DISELESAIKAN_KLARIFIKASI", "Diselesaikan melalui klarifikasi atau pemeriksaan lapangan", _ANNUAL,
            (LM, RCO, IAPS), (State.EXAMINATION, State.RAPID_RESPONSE), ("activity_recorded",)),
    _reason("DISELESAIKAN_MEDIASI_KONSILIASI", "Diselesaikan melalui mediasi atau konsiliasi",
            "UU 25/2009 Pasal 46 ayat (5)", (LM, RCO), (State.EXAMINATION, State.RAPID_RESPONSE), ("mediation_held",)),
    _reason("TIDAK_DITEMUKAN_MALADMINISTRASI", "Tidak ditemukan maladministrasi", "PO 48/2020 Pasal 25 ayat (2)",
            (LM, IAPS), (State.LAHP_ISSUED,), ("conclusion_not_found",)),
    _reason("PEMERIKSAAN_DIHENTIKAN", "Pemeriksaan dihentikan", "PO 48/2020 Pasal 25 ayat (2)",
            (LM, IAPS), (State.LAHP_ISSUED,), ("conclusion_stopped",)),
    _reason("TINDAKAN_KOREKTIF_DILAKSANAKAN", "Tindakan korektif dilaksanakan", "PO 48/2020 Pasal 25 ayat (2a)",
            (LM, IAPS), (State.CORRECTIVE_MONITORING,), ("corrective_actions_answered",)),
    _reason("REKOMENDASI_DILAKSANAKAN", "Rekomendasi dilaksanakan", "UU 37/2008 Pasal 38",
            (LM, IAPS), (State.RECOMMENDATION, State.RECOMMENDATION_MONITORING), ("implementation_reported",)),
    _reason("REKOMENDASI_DILAKSANAKAN_SEBAGIAN", "Rekomendasi dilaksanakan sebagian", "UU 37/2008 Pasal 38",
            (LM, IAPS), (State.RECOMMENDATION_MONITORING,), ("monitoring_expired",)),
    _reason("REKOMENDASI_TIDAK_DILAKSANAKAN", "Rekomendasi tidak dilaksanakan", "UU 37/2008 Pasal 38 ayat (4)",
            (LM, IAPS), (State.RECOMMENDATION_MONITORING,), ("monitoring_expired",)),
    _reason("PENGADUAN_DITINDAKLANJUTI", "Pengaduan ditindaklanjuti penyelenggara", "UU 25/2009 Pasal 36",
            (K.PROVIDER_COMPLAINT,), (State.EXAMINATION,)),
    _reason("PENGADUAN_TIDAK_TERBUKTI", "Pengaduan tidak terbukti", "UU 25/2009 Pasal 36",
            (K.PROVIDER_COMPLAINT,), (State.EXAMINATION,)),
    _reason("MELEWATI_30_HARI_LAYANAN", "Diadukan lebih dari 30 hari sesudah menerima pelayanan",
            "UU 25/2009 Pasal 42", (K.PROVIDER_COMPLAINT,), INTAKE_STATES),
)}
