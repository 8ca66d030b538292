"""Demo complaint cases (issue 10) so ``make demo`` shows every screen: cases of the Kalsel and Kalteng offices
in every state, of every kind (a consultation converted into a report, copy letters, a fast response, an
own-initiative investigation, complaints handled by Disdukcapil Tabalong itself), public, anonymous and
confidential, on time, due soon, overdue and very overdue; corrective actions answered by the provider and one
overdue; Recommendations awaiting the provider's report and one monitored; a dozen closure reasons. Complaint
staff missing from the registry demo are added with its password; the step prints the staff's logins.

**Built through the services only** (``case_open``, ``case_transition``, ``case_update_checks``,
``case_classify``, ``reporter_message``, ``demand_answer``, ``demand_assess``): the state is never set.
**Demo-only backdating**: the services date their work ``clock.today()`` (time-machine is a test tool), so each
step runs today and :meth:`Story._backdate` then moves what it wrote to the step's day with plain UPDATEs:
``Event.at``; timers started (``started_on``, ``due_on`` recomputed by ``deadlines.due_date``) and stopped;
demands issued (due with their timer), answered, assessed; the case's ``closed_at``, ``next_due_on``,
``updated_at``. The next step's guards see the deadlines as they would have been. Notices are dated with their
event and marked sent (skipped without an e-mail address): the worker mails no one. Audit events keep the
moment the demo was built (append-only). Three cases get a known tracking token (hash set by an UPDATE).

People are fictional: reporters "… Contoh", NIK of the impossible form ``630900 000000 nnnn``, e-mail at
example.org, phones ``0812-0000-nnnn``. Idempotent: once the cases exist (``client_token`` starting with
:data:`DEMO_MARK`) nothing is written again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pantau.accounts.models import Membership, Role, User
from pantau.complaints import clock, deadlines, services
from pantau.complaints.models import Case, Demand, Event, Notice, Outcome, Reporter, Timer
from pantau.complaints.selectors import token_hash
from pantau.complaints.vocab import State
from pantau.registry.demo import DEMO_PASSWORD
from pantau.registry.models import Institution, Office, ServiceProduct, ServiceUnit

DEMO_MARK = "demo-pengaduan-"
KALSEL, KALTENG = "Ombudsman RI Perwakilan Kalimantan Selatan", "Ombudsman RI Perwakilan Kalimantan Tengah"
# (username, full name, role, office or institution name); e-mail outside @demo.pantau.local so the registry
# demo's login list (printed first) stays the same on a second run.
STAFF = (
    ("pemeriksa2.kalsel", "Yusuf Hamdani", Role.EXAMINER, KALSEL),
    ("kepala.kalteng", "Ratna Wulandari", Role.HEAD_OF_OFFICE, KALTENG),
    ("pvl.kalteng", "Dimas Saputra", Role.INTAKE_OFFICER, KALTENG),
    ("pemeriksa.kalteng", "Lia Anggraini", Role.EXAMINER, KALTENG),
    ("admin.barsel", "Admin Pemkab Barito Selatan", Role.INSTITUTION_ADMIN, "Pemerintah Kabupaten Barito Selatan"),
)
LOGINS = ("pvl.kalsel", "pemeriksa.kalsel", "pemeriksa2.kalsel", "kepala.kalsel", "pvl.kalteng", "pemeriksa.kalteng",
          "kepala.kalteng", "admin.tabalong", "operator.dukcapil.tabalong", "admin.barsel")
OFFICE_STAFF = {KALSEL: ("pvl.kalsel", "kepala.kalsel", "pemeriksa.kalsel"),
                KALTENG: ("pvl.kalteng", "kepala.kalteng", "pemeriksa.kalteng")}
PROVIDER_ADMINS = {"Pemerintah Kabupaten Tabalong": "admin.tabalong",
                   "Pemerintah Kabupaten Barito Selatan": "admin.barsel"}
INSTITUTIONS = {"tabalong": "Pemerintah Kabupaten Tabalong", "banjarmasin": "Pemerintah Kota Banjarmasin",
                "balangan": "Pemerintah Kabupaten Balangan", "hss": "Pemerintah Kabupaten Hulu Sungai Selatan",
                "barsel": "Pemerintah Kabupaten Barito Selatan", "bartim": "Pemerintah Kabupaten Barito Timur"}
TRACKING = (("Laporan baru diterima", "demo-lacak-diterima"), ("Menunggu kelengkapan", "demo-lacak-kelengkapan"),
            ("Menunggu tanggapan atas hasil pemeriksaan", "demo-lacak-tanggapan"))
# Fictional reporters: first names with the surname "Contoh"; NIK, e-mail and phone are made from the position.
FIRST = (
    "Rahmat", "Nur-Aini", "Masitah", "Fajar", "Siti-Aminah", "Gusti-Rizky", "Yuliana", "Jailani", "Dewi", "Hendra",
    "Yusran", "Lilis", "Bambang", "Markus", "Erna", "Yohanes", "Salmah", "Rusdi", "Fitriani", "Anang", "Mardiana",
    "Saprudin", "Halimah", "Irwan", "Noorhayati", "Taufik", "Yanti", "Darmansyah", "Rosita", "Agus", "Wahyuni",
    "Basri", "Helmina", "Rudy", "Suriani",
)
TOWNS = ("Tanjung", "Banjarmasin", "Kandangan", "Paringin", "Buntok", "Tamiang Layang")
JOBS = ("Petani karet", "Guru honorer", "Pedagang", "Karyawan swasta", "Ibu rumah tangga", "Wiraswasta", "Sopir")
PI, PB, PP, TMP = "PERMINTAAN_IMBALAN", "PENUNDAAN_BERLARUT", "PENYIMPANGAN_PROSEDUR", "TIDAK_MEMBERIKAN_PELAYANAN"


def person(i: int) -> dict[str, Any]:
    first = FIRST[i % len(FIRST)]
    return {"full_name": f"{first.replace('-', ' ')} Contoh", "nik": f"630900000000{i + 1:04d}",
            "email": f"{first.lower().replace('-', '.')}.contoh@example.org", "phone": f"0812-0000-{i + 1:04d}",
            "address": f"Jl. Contoh No. {i + 1}, {TOWNS[i % len(TOWNS)]}", "occupation": JOBS[i % len(JOBS)]}


@dataclass
class Demo:
    today: dt.date
    calendar: deadlines.Calendar
    users: dict[str, Any] = field(default_factory=dict)
    reporters: int = 0

    def day(self, ago: int) -> dt.date:
        """``ago`` days before today, moved back to a working day (no weekends, holidays, cuti bersama)."""
        day = self.today - dt.timedelta(days=ago)
        while not self.calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def user(self, name: str) -> Any:
        if name == "system":
            return services.SYSTEM
        if name not in self.users:
            self.users[name] = User.objects.get(username=name)
        return self.users[name]

    def where(self, inst: str, unit: str = "", product: str = "") -> dict[str, Any]:
        institution = Institution.objects.get(name=INSTITUTIONS[inst])
        place: dict[str, Any] = {"institution": institution}
        if unit:
            place["unit"] = ServiceUnit.objects.filter(institution=institution, name__startswith=unit).order_by(
                "pk").first()
        if product:
            place["product"] = ServiceProduct.objects.filter(unit=place["unit"], name=product).first()
        return place

    def open(self, n: int, ago: int, office: str, *, title: str, text: str, kind: str = "public_report",
             channel: str = "web", by: str = "", vis: str = "confidential",
             place: dict[str, Any] | None = None, event_ago: int | None = 30, prior: str = "answered",
             remedy: str = "", other: str = "", token: str = "") -> Story:
        on = self.day(ago)
        event_on = None if event_ago is None else on - dt.timedelta(days=event_ago)  # None: not given
        prior_on = event_on + dt.timedelta(days=5) if event_on and prior in ("answered", "silent") else None
        reporter = None
        if kind not in ("own_initiative", "copy_letter"):
            reporter, self.reporters = person(self.reporters), self.reporters + 1
        wall = timezone.now()
        opened = services.case_open(
            actor=self.user(by) if by else None, kind=kind, channel=channel, title=title, chronology=text,
            visibility=vis, reporter=reporter, office=Office.objects.get(name=office),
            event_date=event_on, remedy=remedy, prior_complaint=prior,
            prior_complaint_date=prior_on if prior_on and prior_on < on else None,
            prior_complaint_channel="Loket pengaduan" if prior_on else "", reported_other=other,
            client_token=f"{DEMO_MARK}{n:02d}", received_on=on, **(place or {}))
        story = Story(self, opened.case, OFFICE_STAFF.get(office, ("", "", "")), ago)
        story._backdate(on, wall, opening=True)
        if token:
            Case.objects.filter(pk=opened.case.pk).update(tracking_hash=token_hash(token))
        return story


class Story:
    """One demo case: each step runs through a service, then is moved to its day (module docstring)."""

    def __init__(self, demo: Demo, case: Case, staff: tuple[str, str, str], ago: int) -> None:
        self.demo, self.case, self.ago, self.tick, self.demands = demo, case, ago, 0, False
        self.intake, self.head, self.examiner = staff
        self.provider = PROVIDER_ADMINS.get(case.institution.name if case.institution else "", "")
        self.rules = clock.rule_set(case.rule_set)

    def who(self, name: str) -> Any:
        alias = {"intake": self.intake, "head": self.head, "exam": self.examiner, "prov": self.provider}
        return self.demo.user(alias.get(name, name))

    def at(self, ago: int, step: Callable[[], object]) -> Story:
        if ago > self.ago:
            raise ValueError(f"demo case {self.case.number}: step {ago} days ago after one {self.ago} days ago")
        self.ago = ago
        wall = timezone.now()
        result = step()
        if isinstance(result, Case):
            self.case = result
        else:
            self.case.refresh_from_db()
        self._backdate(self.demo.day(ago), wall)
        return self

    def _backdate(self, on: dt.date, wall: dt.datetime, opening: bool = False) -> None:
        """Move what the step just wrote (at or after ``wall``, or dated after ``on``) to ``on``."""
        self.tick += 1
        moment = min(wall, timezone.make_aware(dt.datetime.combine(on, dt.time(8, 0)) + dt.timedelta(
            minutes=min(self.tick * 13, 540))))  # never later than the step itself (a step of today)
        pk = self.case.pk
        Event.objects.filter(case_id=pk, at__gte=wall).update(at=moment)
        running: dict[str, dt.date] = {}
        for timer, step, started, due, stopped in Timer.objects.filter(case_id=pk).values_list(
                "pk", "step", "started_on", "due_on", "stopped_at"):
            if started > on:
                due = deadlines.due_date(self.rules, step, on, self.demo.calendar)
                Timer.objects.filter(pk=timer).update(started_on=on, due_on=due)
            if stopped is not None and stopped >= wall:
                Timer.objects.filter(pk=timer).update(stopped_at=moment)
            elif stopped is None:
                running[step] = due
        for demand in Demand.objects.filter(case_id=pk) if self.demands else ():
            changed: dict[str, Any] = {}
            if demand.issued_on > on:
                step = next((s for s in running if s.startswith("corrective_")), "") \
                    if demand.kind == Demand.Kind.CORRECTIVE else "recommendation_report"
                changed.update(issued_on=on, due_on=running.get(step, demand.due_on))
            if demand.answered_at is not None and demand.answered_at >= wall:
                changed["answered_at"] = moment
            if demand.assessed_on is not None and demand.assessed_on > on:
                changed["assessed_on"] = on
            if changed:
                Demand.objects.filter(pk=demand.pk).update(**changed)
        fields: dict[str, Any] = {"next_due_on": min(running.values(), default=None), "updated_at": moment}
        if self.case.closed_at is not None and self.case.closed_at >= wall:
            fields["closed_at"] = moment
        if opening:
            fields["created_at"] = moment
        Case.objects.filter(pk=pk).update(**fields)
        for name, value in fields.items():
            setattr(self.case, name, value)

    # --- the steps ---------------------------------------------------------------------------------------------

    def move(self, ago: int, who: str, action: str, reason: str | None = None, note: str = "",
             **payload: Any) -> Story:
        return self.at(ago, lambda: services.case_transition(actor=self.who(who), case=self.case, action=action,
                                                             reason=reason, note=note, payload=payload))

    def check(self, ago: int, who: str, **checks: Any) -> Story:
        return self.at(ago, lambda: services.case_update_checks(actor=self.who(who), case=self.case, **checks))

    def answer(self, ago: int, who: str, index: int, text: str) -> Story:
        demand, self.demands = self.case.demands.order_by("pk")[index], True
        return self.at(ago, lambda: services.demand_answer(actor=self.who(who), demand=demand, answer=text))

    def assess(self, ago: int, index: int, outcome: str = Outcome.IMPLEMENTED) -> Story:
        demand, self.demands = self.case.demands.order_by("pk")[index], True
        return self.at(ago, lambda: services.demand_assess(actor=self.who("exam"), demand=demand, outcome=outcome))

    def verify(self, start: int, passed: int, plenary: int) -> Story:
        """Formal and substantive verification by the intake officer, up to the plenary."""
        self.move(start, "intake", "start_formal_verification")
        if not self.case.formal_complete:
            self.check(passed, "intake", formal_complete=True)
        self.move(passed, "intake", "pass_formal_verification")
        self.check(plenary, "intake", substantive_ok=True)
        return self.move(plenary, "intake", "submit_to_plenary")

    def examine(self, ago: int, substance: str, group: str, alleged: list[str], complexity: str = "light",
                examiner: str = "") -> Story:
        """The plenary: classification and the examiner; the case goes to examination."""
        self.examiner = examiner or self.examiner
        self.at(ago, lambda: services.case_classify(
            actor=self.who("head"), case=self.case, substance=substance, agency_group=group, alleged=alleged,
            complexity=complexity, reporter_type="individual"))
        return self.move(ago, "head", "decide_examination", examiner=self.who("exam"))

    def lahp(self, draft: int, sent: int, answered: int | None, issued: int | None, found: list[str],
             conclusion: str = "found") -> Story:
        self.check(draft, "exam", conclusion=conclusion, found=found)
        self.move(draft, "exam", "draft_lahp", note="Draf LAHP disusun dan dibahas dalam bedah laporan.")
        self.move(sent, "exam", "send_draft_to_reporter")
        if answered is not None:
            self.at(answered, lambda: services.reporter_message(case=self.case, note="Saya menerima hasil "
                                                                "pemeriksaan. Terima kasih."))
        if issued is not None:
            self.move(issued, "head", "issue_lahp")
        return self

    def fast(self, ago: int, examiner: str, note: str) -> Story:
        """A fast response (RCO): the criterion checked, fast-tracked, coordinated by phone."""
        self.examiner = examiner
        self.check(ago, "intake", rco_criterion=True)
        self.move(ago, "intake", "fast_track", examiner=self.who("exam"))
        return self.move(ago, "exam", "hold_oral_clarification", note=note)

    def correct(self, ago: int, *demands: str) -> Story:
        self.demands = True
        return self.move(ago, "exam", "open_corrective_actions", demands=list(demands))

    def recommend(self, ago: int, *demands: str) -> Story:
        self.demands = True
        return self.move(ago, "head", "issue_recommendation", demands=list(demands))


Script = Callable[[Story], object]


def build(d: Demo) -> None:
    """The demo cases, opened in the order they were received (their numbers follow it)."""
    specs: list[tuple[int, str, dict[str, Any], Script | None]] = []

    def case(ago: int, office: str, title: str, text: str, script: Script | None = None, **kw: Any) -> None:
        specs.append((ago, office, {"title": title, "text": text, **kw}, script))

    ks, kt, adm, izin, pemda, kes = KALSEL, KALTENG, "Administrasi kependudukan", "Perizinan", "Pemerintah Daerah", \
        "Kesehatan"
    ktp, akta, kk = "Penerbitan KTP-el", "Penerbitan Akta Kelahiran", "Penerbitan Kartu Keluarga"
    pbg, dpm, dk, sktm = "Persetujuan Bangunan Gedung (PBG)", "Dinas Penanaman Modal", "Dinas Kependudukan", \
        "Surat Keterangan Tidak Mampu (SKTM)"
    written, start, close = "request_written_clarification", "start_formal_verification", "close"
    # --- Kalimantan Selatan: every stage, on time and late ------------------------------------------------------
    case(1, ks, "Pungutan liar perekaman KTP-el di Disdukcapil Tabalong", "Saat perekaman KTP-el petugas meminta "
         "Rp 100.000 agar KTP-el dicetak hari itu juga; tanpa uang itu saya diminta kembali dua bulan lagi karena "
         "blangko kosong. Hubungi saya di 0812-0000-0001 atau rahmat.contoh@example.org.", vis="public",
         place=d.where("tabalong", dk, ktp), token=TRACKING[0][1], remedy="KTP-el dicetak tanpa pungutan.")
    case(22, ks, "PBG rumah tinggal tidak terbit lebih dari empat bulan", "Berkas PBG rumah tinggal saya di SIMBG "
         "dinyatakan lengkap, tetapi empat bulan tidak ada penilaian teknis. Loket hanya menjawab tim ahli bangunan "
         "gedung belum rapat.", vis="anonymous", place=d.where("banjarmasin", dpm, pbg))
    case(45, ks, "Pasien BPJS diminta membeli obat sendiri di apotek luar RSUD", "Ibu saya peserta BPJS kelas III. "
         "Farmasi RSUD mengatakan obat habis dan meminta kami membelinya di apotek luar seharga Rp 850.000; "
         "pengaduan ke bagian pelayanan pelanggan tidak dijawab.", channel="walk_in", by="pvl.kalsel",
         prior="silent", place=d.where("tabalong", "RSUD", "Pendaftaran Rawat Jalan"),
         script=lambda s: s.move(44, "intake", start))
    case(12, ks, "SKTM untuk pendaftaran sekolah anak ditolak", "Petugas kecamatan menolak membuat SKTM untuk "
         "pendaftaran anak saya lewat jalur afirmasi, tanpa penjelasan tertulis, dan meminta surat kepala desa yang "
         "sudah saya bawa.", prior="not_yet", place=d.where("hss", "Kecamatan", sktm), token=TRACKING[1][1],
         script=lambda s: s.move(11, "intake", start).move(9, "intake", "request_completeness", note="Mohon "
                                                           "sampaikan bukti pengaduan Anda kepada Camat."))
    case(50, ks, "Anak tidak diterima SMP negeri jalur zonasi padahal rumah dekat sekolah", "Rumah kami 400 meter "
         "dari SMP negeri, tetapi anak kami tidak diterima jalur zonasi, sedangkan peserta yang rumahnya lebih jauh "
         "diterima. Kami menduga ada KK titipan.", prior="not_yet", event_ago=None, place=d.where("banjarmasin"),
         script=lambda s: s.move(49, "intake", start).move(47, "intake", "request_completeness", note="Mohon "
                                                           "lengkapi tanggal pengumuman PPDB dan bukti pengaduan."))
    case(9, ks, "Akta kelahiran anak belum terbit tiga bulan", "Berkas akta kelahiran anak kedua kami lengkap, "
         "tetapi tiga bulan akta belum terbit, padahal standar pelayanan menyebut 3 hari kerja. Jawabannya selalu: "
         "kepala dinas belum tanda tangan.", channel="letter", by="pvl.kalsel", vis="public",
         place=d.where("balangan", dk, akta),
         script=lambda s: s.move(8, "intake", start).move(6, "intake", "pass_formal_verification"))
    case(30, ks, "Izin praktik bidan tertahan karena syarat di luar standar pelayanan", "SIP Bidan saya tidak "
         "diproses karena diminta rekomendasi tambahan organisasi profesi provinsi yang tidak ada di standar "
         "pelayanan. Tanpa SIPB saya tidak dapat bekerja.", vis="anonymous",
         place=d.where("hss", dpm, "Surat Izin Praktik Bidan"), script=lambda s: s.verify(29, 25, 20))
    case(1, ks, "Pasien IGD diminta uang jaminan sebelum ditangani", "Ayah saya sesak napas berat di IGD. Petugas "
         "meminta uang jaminan Rp 2.000.000 sebelum pasien ditangani karena kartu BPJS belum aktif.", vis="public",
         place=d.where("banjarmasin", "RSUD", "Pelayanan Gawat Darurat (IGD)"),
         script=lambda s: s.fast(0, "pemeriksa2.kalsel", "Koordinasi dengan Direktur RSUD: pasien segera ditangani."))
    case(20, ks, "Pasien cuci darah ditolak dengan alasan mesin hemodialisis penuh", "Jadwal cuci darah suami saya "
         "dibatalkan sepihak karena mesin penuh; kami diminta mencari rumah sakit di Banjarmasin, 230 km jauhnya.",
         kind="fast_response", channel="phone", by="pvl.kalsel", place=d.where("tabalong", "RSUD"),
         script=lambda s: s.fast(20, "pemeriksa.kalsel", "Koordinasi dengan Direktur RSUD Tabalong.").move(
             17, "exam", close, reason="DISELESAIKAN_KLARIFIKASI", note="Jadwal hemodialisis dipulihkan."))
    case(70, ks, "Permintaan uang Rp 150.000 untuk percepatan pencetakan KTP-el", "Seorang petugas menawarkan "
         "percepatan cetak ulang KTP-el saya dengan biaya Rp 150.000; tanpa itu blangko disebut tidak ada. Tetangga "
         "yang membayar menerima KTP-el dalam sehari.", place=d.where("tabalong", dk, ktp),
         script=lambda s: s.verify(69, 66, 60).examine(55, adm, pemda, [PI, PB], "medium")
         .move(50, "exam", written, note="Permintaan klarifikasi kepada Kepala Disdukcapil Tabalong.")
         .move(35, "exam", "check_in_field", note="Pemeriksaan lapangan tanpa pemberitahuan di loket perekaman.")
         .move(20, "exam", "hold_oral_clarification", note="Klarifikasi lisan dengan Kepala Bidang Pendaftaran."))
    case(120, ks, "PBG ruko tidak diproses lima bulan dan diminta biaya koordinasi", "Lima bulan tidak ada jadwal "
         "konsultasi PBG dua ruko kami; seorang oknum menawarkan bantuan dengan biaya koordinasi Rp 5.000.000.",
         vis="anonymous", place=d.where("tabalong", dpm, pbg),
         script=lambda s: s.verify(118, 112, 105).examine(95, izin, pemda, [PB, PI], "medium", "pemeriksa2.kalsel")
         .move(85, "exam", written).move(60, "exam", "summon", note="Pemanggilan Kepala DPMPTSP.")
         .check(30, "exam", conclusion="found", found=[PB]).move(28, "exam", "draft_lahp"))
    case(100, ks, "Kartu Keluarga baru tidak terbit karena sistem disebut selalu offline", "Lima kali saya datang "
         "mengurus KK baru dan selalu dijawab SIAK offline. Tidak ada tanda terima berkas, jadi tanggal pengajuan "
         "tidak bisa saya buktikan.", vis="public", place=d.where("banjarmasin", dk, kk), token=TRACKING[2][1],
         script=lambda s: s.verify(98, 95, 90).examine(85, adm, pemda, [PB]).move(75, "exam", written).lahp(
             12, 4, None, None, [PB]))
    case(130, ks, "Staf kecamatan meminta imbalan untuk surat keterangan ahli waris", "Untuk balik nama sertifikat "
         "tanah warisan, staf kecamatan meminta uang tanda tangan Rp 500.000 per ahli waris, secara lisan di ruang "
         "pelayanan.", vis="anonymous", place=d.where("tabalong", "Kecamatan", "Surat Keterangan Ahli Waris"),
         script=lambda s: s.verify(128, 124, 118).examine(110, "Agraria/pertanahan", pemda, [PI])
         .move(100, "exam", "summon").lahp(20, 15, 8, 3, [PI]))
    case(150, ks, "Akta kematian tidak terbit karena diminta surat keterangan tambahan", "Petugas meminta surat "
         "keterangan rumah sakit untuk akta kematian ayah saya, padahal beliau meninggal di rumah dan surat kepala "
         "desa sudah ada sesuai standar pelayanan.", place=d.where("tabalong", dk, "Penerbitan Akta Kematian"),
         script=lambda s: s.verify(148, 145, 140).examine(130, adm, pemda, [PP, PB]).move(120, "exam", written)
         .lahp(60, 50, 45, 40, [PP])
         .correct(20, "Terbitkan akta kematian pelapor paling lambat 14 hari.",
                  "Sosialisasikan persyaratan akta kematian sesuai standar pelayanan kepada petugas loket.")
         .answer(12, "prov", 0, "Akta kematian sudah diterbitkan dan diserahkan (tanda terima terlampir).")
         .assess(10, 0).answer(5, "operator.dukcapil.tabalong", 1, "Sosialisasi dilaksanakan; daftar hadir terlampir."))
    case(160, ks, "Pengaduan di Mal Pelayanan Publik tidak pernah ditindaklanjuti", "Tiga kali saya mengadu "
         "tertulis di loket pengaduan MPP; tidak ada nomor registrasi maupun jawaban, dan loket sering kosong.",
         vis="public", place=d.where("tabalong", "Mal Pelayanan Publik", "Layanan Informasi dan Pengaduan Terpadu"),
         script=lambda s: s.verify(158, 154, 150).examine(140, izin, pemda, [TMP]).move(130, "exam", "check_in_field")
         .lahp(100, 95, 90, 85, [TMP]).correct(75, "Tetapkan petugas dan jam layanan loket pengaduan.",
                                                "Beri nomor registrasi setiap pengaduan dan jawab dalam 14 hari."))
    case(200, ks, "Penerbitan PBG gedung sekolah swasta ditunda lebih dari satu tahun", "Lebih dari setahun PBG "
         "ruang kelas baru yayasan kami tidak diputuskan, tanpa penolakan tertulis; siswa belajar di ruang pinjaman.",
         place=d.where("balangan", dpm, pbg),
         script=lambda s: s.verify(198, 195, 190).examine(180, izin, pemda, [PB]).move(170, "exam", written)
         .lahp(140, 135, 130, 125, [PB]).correct(115, "Putuskan permohonan PBG pelapor secara tertulis.")
         .recommend(50, "Bupati Balangan memerintahkan Kepala DPMPTSP memutuskan permohonan PBG pelapor dan "
                        "memeriksa pejabat yang menundanya."))
    case(230, ks, "Surat pindah ditahan dengan alasan tunggakan PBB", "Surat keterangan pindah keluarga kami "
         "ditahan karena disyaratkan bukti lunas PBB, syarat yang tidak ada di standar pelayanan maupun peraturan "
         "administrasi kependudukan.", vis="public", place=d.where("tabalong", dk, "Surat Keterangan Pindah"),
         script=lambda s: s.verify(228, 225, 220).examine(210, adm, pemda, [PP]).move(200, "exam", written)
         .lahp(180, 175, 172, 170, [PP]).correct(165, "Hapus syarat bukti lunas PBB dari layanan surat pindah.")
         .recommend(120, "Bupati Tabalong mencabut surat edaran yang mensyaratkan bukti lunas PBB untuk layanan "
                         "administrasi kependudukan.")
         .answer(75, "prov", 1, "Surat edaran telah dicabut; salinan terlampir.")
         .move(60, "exam", "start_recommendation_monitoring"))
    case(180, ks, "KIA dipungut biaya Rp 25.000 per anak", "Petugas meminta Rp 25.000 per Kartu Identitas Anak "
         "tanpa kuitansi untuk tiga anak kami, padahal layanan KIA gratis.", vis="anonymous",
         place=d.where("tabalong", dk, "Penerbitan Kartu Identitas Anak (KIA)"),
         script=lambda s: s.verify(178, 175, 170).examine(160, adm, pemda, [PI]).move(150, "exam", "check_in_field")
         .lahp(120, 115, 110, 105, [PI]).correct(100, "Kembalikan pungutan kepada para pemohon KIA.",
                                                 "Pasang pengumuman layanan KIA gratis di loket.")
         .answer(85, "prov", 0, "Pungutan dikembalikan kepada 41 pemohon; daftar terlampir.")
         .answer(84, "prov", 1, "Pengumuman dipasang; foto terlampir.").assess(80, 0).assess(80, 1)
         .move(79, "exam", close, reason="TINDAKAN_KOREKTIF_DILAKSANAKAN"))
    case(110, ks, "Rekomendasi izin apotek dianggap terlalu lama", "Rekomendasi izin apotek kami belum keluar "
         "setelah 20 hari kerja; kami menduga berkas ditahan agar kami memakai jasa pihak tertentu.", vis="public",
         place=d.where("banjarmasin", "Dinas Kesehatan", "Rekomendasi Izin Apotek"),
         script=lambda s: s.verify(108, 105, 100).examine(95, kes, pemda, [PB]).move(85, "exam", written)
         .lahp(50, 45, 42, 40, [], "not_found").move(38, "exam", close, reason="TIDAK_DITEMUKAN_MALADMINISTRASI"))
    case(40, ks, "SKTM untuk berobat tidak dilayani", "Tiga kali petugas kecamatan mengatakan blanko SKTM habis "
         "dan meminta saya kembali minggu depan, padahal ibu saya harus segera berobat.",
         place=d.where("banjarmasin", "Kecamatan", sktm),
         script=lambda s: s.move(39, "intake", start).move(37, "intake", "pass_formal_verification").move(
             15, "intake", close, reason="DICABUT_PELAPOR", note="Pelapor mencabut laporan: SKTM sudah terbit."))
    case(90, ks, "Sertifikat laik higiene rumah makan tidak kunjung terbit", "Rumah makan kami diperiksa petugas "
         "sanitasi dua bulan lalu, tetapi sertifikat belum terbit sehingga izin usaha tertahan.", prior="not_yet",
         place=d.where("tabalong", "Dinas Kesehatan", "Sertifikat Laik Higiene Sanitasi"),
         script=lambda s: s.move(89, "intake", start).move(88, "intake", "request_completeness").move(
             45, "system", "expire_completeness"))
    case(65, ks, "Tagihan rawat inap tiga tahun lalu dianggap tidak wajar", "Tiga tahun lalu saya ditagih tarif "
         "kamar kelas I padahal dirawat di kelas III; baru sekarang saya sempat melapor.", vis="public",
         event_ago=1200, place=d.where("banjarmasin", "RSUD", "Pendaftaran Rawat Jalan"),
         script=lambda s: s.move(64, "intake", start).move(60, "intake", close, reason="KADALUARSA_2_TAHUN"))
    case(35, ks, "Cara mengadu bila klaim BPJS Kesehatan ditolak", "Klaim perawatan anak saya ditolak karena "
         "dianggap bukan gawat darurat. Ke mana saya mengadu lebih dahulu, dan apakah Ombudsman dapat membantu?",
         kind="consultation", vis="public", other="BPJS Kesehatan Cabang Banjarmasin",
         script=lambda s: s.move(33, "intake", close, reason="KONSULTASI_SELESAI", note="Disarankan mengadu ke "
                                 "BPJS Kesehatan lebih dahulu, lalu kembali bila tidak ditanggapi."))
    case(60, ks, "Tembusan: keberatan warga atas tarif parkir RSUD Tabalong kepada Bupati", "Surat forum warga "
         "kepada Bupati Tabalong tentang kenaikan tarif parkir RSUD, ditembuskan kepada Ombudsman tanpa permintaan.",
         kind="copy_letter", channel="letter", by="pvl.kalsel", prior="", place=d.where("tabalong", "RSUD"),
         script=lambda s: s.move(58, "intake", close, reason="HANYA_TEMBUSAN"))
    case(3, ks, "Tembusan: surat DPRD Kota Banjarmasin kepada Disdukcapil tentang antrean KTP-el", "Komisi I DPRD "
         "meminta penjelasan Kepala Disdukcapil tentang antrean KTP-el, dengan tembusan kepada Ombudsman.",
         kind="copy_letter", channel="letter", by="pvl.kalsel", prior="", place=d.where("banjarmasin", dk))
    case(45, ks, "Antrean KTP-el mengular sejak subuh di Disdukcapil Banjarmasin (prakarsa sendiri)", "Media lokal "
         "memberitakan antrean KTP-el sejak pukul 04.00, kuota 50 nomor per hari dan calo yang menjual nomor "
         "antrean. Ombudsman memeriksa atas prakarsa sendiri.", kind="own_initiative", channel="social_media",
         by="kepala.kalsel", vis="public", prior="", place=d.where("banjarmasin", dk, ktp),
         script=lambda s: s.move(44, "head", "submit_to_plenary")
         .examine(40, adm, pemda, [TMP, PI], "heavy", "pemeriksa2.kalsel")
         .move(30, "exam", "check_in_field", note="Pemantauan antrean pukul 05.00–09.00.")
         .move(15, "exam", "summon", note="Pemanggilan Kepala Disdukcapil Kota Banjarmasin."))
    # --- complaints made to Disdukcapil Tabalong itself (UU 25/2009 Pasal 36) -----------------------------------
    op, adm_tab = "operator.dukcapil.tabalong", "admin.tabalong"
    case(2, ks, "Kuota antrean daring Disdukcapil selalu penuh dalam hitungan menit", "Kuota antrean daring dibuka "
         "pukul 07.00 dan lima menit kemudian penuh; dua minggu saya tidak mendapat nomor untuk mengurus KK.",
         kind="provider_complaint", vis="public", place=d.where("tabalong", dk, kk))
    case(8, ks, "Nama ibu salah ketik di Kartu Keluarga dan belum diperbaiki", "Nama ibu kandung saya keliru di KK "
         "yang baru terbit; permohonan perbaikan di loket belum ada kabarnya.", kind="provider_complaint",
         place=d.where("tabalong", dk, kk),
         script=lambda s: s.move(6, op, start).move(5, op, "accept_complaint"))
    case(25, ks, "Akta kelahiran dicetak dengan tanggal lahir keliru", "Tanggal lahir anak saya di akta tertulis "
         "12 Maret, seharusnya 21 Maret sesuai surat keterangan lahir dari bidan.", kind="provider_complaint",
         vis="public", place=d.where("tabalong", dk, akta),
         script=lambda s: s.move(24, adm_tab, start).move(23, adm_tab, "accept_complaint").move(
             20, adm_tab, close, reason="PENGADUAN_DITINDAKLANJUTI", note="Akta diperbaiki."))
    # --- Kalimantan Tengah --------------------------------------------------------------------------------------
    case(10, kt, "Sertifikat tanah program PTSL belum dibagikan dua tahun", "Tanah kami diukur dalam PTSL dua tahun "
         "lalu dan biaya persiapan sudah dibayar di desa, tetapi sertifikat belum dibagikan. Bisakah dilaporkan?",
         kind="consultation", other="Kantor Pertanahan Kabupaten Barito Selatan",
         script=lambda s: s.move(8, "intake", "convert_to_report", note="Pelapor memilih melanjutkan sebagai "
                                 "laporan.").move(7, "intake", start))
    case(40, kt, "Rujukan BPJS ditolak dan pasien disuruh mendaftar sebagai pasien umum", "Dengan rujukan "
         "puskesmas ibu saya ditolak di loket rawat jalan karena kuota BPJS penuh, lalu disuruh mendaftar sebagai "
         "pasien umum.", vis="anonymous", place=d.where("bartim", "RSUD", "Pendaftaran Rawat Jalan"))
    case(60, kt, "Pemisahan Kartu Keluarga ditolak karena belum lunas PBB", "Pemisahan KK saya setelah menikah "
         "ditolak karena orang tua belum melunasi PBB, syarat yang tidak ada di standar pelayanan.",
         place=d.where("barsel", dk, kk),
         script=lambda s: s.verify(58, 55, 50).examine(45, adm, pemda, [PP]).move(20, "exam", "summon").move(
             6, "exam", "mediate", note="Mediasi: disepakati KK diterbitkan tanpa syarat PBB."))
    case(110, kt, "Retribusi PBG ditagih dua kali", "Retribusi PBG rumah saya sudah dibayar lewat bank, tetapi "
         "ditagih lagi di loket karena pembayaran disebut belum masuk sistem.", vis="public",
         place=d.where("barsel", dpm, pbg),
         script=lambda s: s.verify(108, 105, 100).examine(95, izin, pemda, [PP, PI]).move(80, "exam", written).lahp(
             30, 25, None, None, [PP]))
    case(170, kt, "Uji sampel sertifikat laik higiene harus di laboratorium yang ditunjuk petugas", "Depot air "
         "minum kami wajib menguji sampel di satu laboratorium swasta pilihan petugas, dua kali lipat biaya "
         "laboratorium daerah.", place=d.where("barsel", "Dinas Kesehatan", "Sertifikat Laik Higiene Sanitasi"),
         script=lambda s: s.verify(168, 165, 160).examine(150, kes, pemda, ["KONFLIK_KEPENTINGAN"], "medium")
         .move(140, "exam", "check_in_field").lahp(90, 85, 80, 75, ["KONFLIK_KEPENTINGAN"])
         .correct(40, "Umumkan bahwa pemohon bebas memilih laboratorium terakreditasi.")
         .answer(15, "prov", 0, "Pengumuman dipasang di loket dan laman dinas; foto terlampir."))
    case(260, kt, "SKTM dipungut biaya Rp 50.000", "Staf kecamatan meminta Rp 50.000 tanpa kuitansi untuk SKTM "
         "beasiswa anak saya; warga lain mengalami hal yang sama.", vis="public", place=d.where("barsel", "Kecamatan",
                                                                                               sktm),
         script=lambda s: s.verify(258, 255, 250).examine(240, "Jaminan sosial", pemda, [PI])
         .move(230, "exam", "summon").lahp(200, 195, 190, 185, [PI])
         .correct(180, "Hentikan pungutan SKTM dan kembalikan kepada warga.")
         .recommend(90, "Bupati Barito Selatan menjatuhkan sanksi kepada pegawai yang memungut biaya SKTM dan "
                        "menerbitkan edaran layanan SKTM gratis."))
    case(30, kt, "Sengketa jual beli tanah dengan tetangga", "Tetangga menjual tanah yang menurut saya sebagian "
         "milik keluarga kami. Saya meminta Ombudsman membatalkan jual beli itu.", other="Perorangan (tetangga)",
         script=lambda s: s.move(29, "intake", start).move(27, "intake", close, reason="BUKAN_KEWENANGAN",
                                                            note="Sengketa perdata; diarahkan ke pengadilan negeri."))
    case(90, kt, "Akta kelahiran anak ditolak karena orang tua belum punya buku nikah", "Akta kelahiran anak kami "
         "ditolak karena kami belum memiliki buku nikah, padahal aturan membolehkan SPTJM.", vis="public",
         place=d.where("bartim", dk, akta),
         script=lambda s: s.verify(88, 85, 80).examine(75, adm, pemda, [PP, "DISKRIMINASI"])
         .move(60, "exam", "mediate", note="Mediasi: akta diterbitkan dengan SPTJM.")
         .move(55, "exam", close, reason="DISELESAIKAN_MEDIASI_KONSILIASI"))
    case(330, kt, "KTP-el warga desa terpencil tidak dicetak berbulan-bulan", "Delapan bulan sesudah perekaman di "
         "kecamatan belum ada warga desa kami yang menerima KTP-el; ke Buntok kami harus menyewa perahu.",
         vis="anonymous", place=d.where("barsel", dk, ktp),
         script=lambda s: s.verify(328, 325, 320).examine(310, adm, pemda, [PB]).move(300, "exam", "check_in_field")
         .lahp(270, 265, 262, 260, [PB]).correct(255, "Cetak KTP-el yang tertunda dan serahkan lewat kecamatan.")
         .recommend(200, "Bupati Barito Selatan menganggarkan layanan jemput bola KTP-el untuk desa terpencil.")
         .answer(150, "prov", 1, "Layanan jemput bola dianggarkan dan sudah dilaksanakan di 12 desa.")
         .move(140, "head", close, reason="REKOMENDASI_DILAKSANAKAN"))
    for n, (ago, office, kw, script) in enumerate(sorted(specs, key=lambda spec: -spec[0]), start=1):
        story = d.open(n, ago, office, **kw)
        if script is not None:
            script(story)
    _notices_sent()


def _notices_sent() -> None:
    """The demo's notices dated with their event and marked sent (skipped without an e-mail address), so the
    worker mails no one (demo-only)."""
    emailed = set(Reporter.objects.exclude(email="").values_list("case_id", flat=True))
    notices = list(Notice.objects.filter(case__client_token__startswith=DEMO_MARK).select_related("event"))
    for notice in notices:
        notice.created_at = notice.event.at if notice.event else notice.created_at
        notice.status = Notice.Status.SENT if notice.case_id in emailed else Notice.Status.SKIPPED
        notice.sent_at = notice.created_at if notice.case_id in emailed else None
    Notice.objects.bulk_update(notices, ["created_at", "status", "sent_at"], batch_size=200)


def _users() -> None:
    hashed = ""  # the demo password hashed once: PBKDF2 is slow on purpose, and it is the same password
    for username, full_name, role, where in STAFF:
        if User.objects.filter(username=username).exists():
            continue
        hashed = hashed or make_password(DEMO_PASSWORD)
        user = User.objects.create_user(username=username, password=None, full_name=full_name,
                                        email=f"{username}@pengaduan.demo.pantau.local")
        User.objects.filter(pk=user.pk).update(password=hashed)
        office = Office.objects.filter(name=where).first()
        Membership.objects.create(user=user, role=role, office=office,
                                  institution=None if office else Institution.objects.get(name=where))


def already_loaded() -> bool:
    return Case.objects.filter(client_token__startswith=DEMO_MARK).exists()


def load(today: dt.date | None = None, *, archive: bool = True) -> str:
    """Build the demo cases once; the summary and the complaint staff's logins either way. ``archive``: also
    the archive of decided cases and the triage model trained on it (``demo_history``)."""
    if not Office.objects.filter(name=KALSEL).exists() or not User.objects.filter(username="pvl.kalsel").exists():
        return "complaints demo: skipped (the registry demo is not loaded)"
    if not already_loaded():
        with transaction.atomic():
            _users()
            build(Demo(today or clock.today(), clock.calendar()))
            if archive:
                from pantau.complaints import demo_history  # the archive of decided cases, and the triage model

                demo_history.load_history(today or clock.today())
                demo_history.train()
    return summary(today or clock.today())


def summary(today: dt.date) -> str:
    calendar = clock.calendar()
    cases = list(Case.objects.filter(client_token__startswith=DEMO_MARK).values_list(
        "state", "next_due_on", "rule_set"))
    flags: dict[str, int] = {}
    for state, due, version in cases:
        if state != State.CLOSED and due is not None:
            rules = clock.rule_set(version)
            flag = deadlines.status(due, today, calendar, due_soon_within=rules.due_soon_within,
                                    very_overdue_after=rules.very_overdue_after)
            flags[flag] = flags.get(flag, 0) + 1
    states = {s for s, _due, _v in cases}
    lines = [f"complaints demo: {len(cases)} cases in {len(states)} of {len(State)} states; deadlines: "
             + ", ".join(f"{k} {v}" for k, v in sorted(flags.items()))]
    from pantau.complaints import demo_history

    lines.append(demo_history.summary_line())
    for label, token in TRACKING:
        try:
            url = reverse("complaints:track", kwargs={"token": token})
        except NoReverseMatch:
            url = f"token {token}"
        lines.append(f"Reporter tracking link (demo) — {label}: {url}")
    lines.append(f"Complaint staff logins (password for all: {DEMO_PASSWORD}):")
    members = Membership.objects.filter(user__username__in=LOGINS).select_related("user", "office", "institution",
                                                                                   "unit")
    order = {name: i for i, name in enumerate(LOGINS)}
    for m in sorted(members, key=lambda m: (order[m.user.username], m.pk)):
        where = m.office or m.institution or m.unit
        lines.append(f"  {m.user.username:<28} {m.get_role_display()} — "
                     f"{str(where).replace('Ombudsman RI Perwakilan ', 'Perwakilan ')}")
    return "\n".join(lines)
