"""Forms of the staff and provider screens of a case (issue 10, task B). They only check input; every write
goes through ``pantau.complaints.services``."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pantau.complaints import deadlines, lists, workflow
from pantau.complaints.messages import translate_lazy as tr
from pantau.complaints.models import NOTE_LIMIT, TEXT_LIMIT, Channel, Outcome, PriorComplaint, Visibility
from pantau.complaints.services import STAFF_CHANNELS
from pantau.complaints.stats import AGE_BUCKETS
from pantau.complaints.vocab import (
    DEFAULT_AGENCY_GROUPS,
    Complexity,
    Conclusion,
    Maladministration,
    RecordKind,
    ReporterType,
    State,
)

BLANK = [("", "—")]
DEADLINE_CHOICES = [("", _("Semua")), ("due_soon", _("Hampir jatuh tempo")), ("overdue", _("Terlambat")),
                    ("very_overdue", _("Sangat terlambat"))]
ORDER_CHOICES = [("baru", _("Terbaru")), ("tenggat", _("Tenggat terdekat (hanya yang bertenggat)")),
                 ("relevan", _("Paling cocok dengan pencarian"))]
TAB_CHOICES = [("semua", _("Semua laporan")), ("tugas", _("Tugas saya"))]
STATUS_CHOICES = [("", _("Semua")), ("terbuka", _("Belum ditutup")), ("ditutup", _("Sudah ditutup"))]
MONTH = r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$"  # YYYY-MM
FORMS = [(m.value, tr(m.label)) for m in Maladministration]
MAX_DEMANDS = 20
MAX_EVIDENCE = 5


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- the queue ------------------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(label=_("Tampilkan"), choices=TAB_CHOICES, required=False)
    tahap = forms.ChoiceField(label=_("Tahap"), required=False,
                              choices=[("", _("Semua"))] + [(s.value, tr(s.label)) for s in State])
    jenis = forms.ChoiceField(label=_("Jenis"), required=False,
                              choices=[("", _("Semua"))] + [(k.value, tr(k.label)) for k in RecordKind])
    tenggat = forms.ChoiceField(label=_("Tenggat"), choices=DEADLINE_CHOICES, required=False)
    q = forms.CharField(label=_("Cari (nomor, pokok laporan, isi, terlapor)"), max_length=100, required=False)
    urut = forms.ChoiceField(label=_("Urutan"), choices=ORDER_CHOICES, required=False)
    # The filters behind the numbers of the SLA dashboard (``stats``): open or closed, age, and, as hidden
    # fields kept when the filter is applied again, the office, the examiner and the month received or closed.
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    umur = forms.ChoiceField(label=_("Umur laporan terbuka"), required=False,
                             choices=[("", _("Semua"))] + [(code, label) for code, label, *_r in AGE_BUCKETS])
    kantor = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False, widget=forms.HiddenInput)
    pemeriksa = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False, widget=forms.HiddenInput)
    diterima = forms.RegexField(regex=MONTH, required=False, widget=forms.HiddenInput)
    ditutup = forms.RegexField(regex=MONTH, required=False, widget=forms.HiddenInput)

    def value(self, name: str) -> str:
        """The cleaned value of ``name``, empty when it is missing or was refused."""
        if not self.is_valid() and name in self.errors:
            return ""
        return str(self.cleaned_data.get(name) or "")


# --- the case page --------------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """The input a transition needs: a closure reason, a note, the examiner, the demands (one per line)."""

    note = forms.CharField(label=_("Catatan"), max_length=NOTE_LIMIT, required=False, widget=_textarea(3))

    def __init__(self, *args: Any, transition: workflow.Transition, reasons: list[tuple[str, str]],
                 examiners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.auto_id = f"id_{transition.action}_%s"
        if transition.requires_reason:
            self.fields["reason"] = forms.ChoiceField(label=_("Alasan penutupan"), choices=BLANK + reasons)
        if "assign_examiner" in transition.effects:
            self.fields["examiner"] = forms.TypedChoiceField(
                label=_("Asisten pemeriksa"), coerce=int, choices=BLANK + [(str(k), v) for k, v in examiners],
                required=False, help_text=_("Wajib bila laporan belum punya asisten pemeriksa."))
        if {"open_corrective_actions", "send_recommendation"} & set(transition.effects):
            self.fields["demands"] = forms.CharField(
                label=_("Tindakan yang diminta dari terlapor (satu per baris)"), max_length=TEXT_LIMIT,
                widget=_textarea(5))

    def clean_demands(self) -> list[str]:
        lines = [line.strip() for line in str(self.cleaned_data.get("demands") or "").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ValidationError(_("Tuliskan sedikitnya satu tindakan, satu per baris."))
        if len(lines) > MAX_DEMANDS:
            raise ValidationError(_("Paling banyak %(n)d tindakan sekaligus.") % {"n": MAX_DEMANDS})
        return lines


class VerificationForm(forms.Form):
    formal_complete = forms.BooleanField(label=_("Syarat formil lengkap"), required=False)
    substantive_ok = forms.BooleanField(label=_("Syarat materiil terpenuhi"), required=False)
    rco_criterion = forms.BooleanField(label=_("Memenuhi kriteria Respons Cepat (RCO)"), required=False)
    in_court = forms.BooleanField(label=_("Sedang atau telah diperiksa pengadilan"), required=False)
    outside_authority = forms.BooleanField(label=_("Di luar kewenangan Ombudsman"), required=False)


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Kesimpulan pemeriksaan"), required=False, choices=BLANK + [
        (Conclusion.FOUND.value, _("Maladministrasi ditemukan")),
        (Conclusion.NOT_FOUND.value, _("Tidak ditemukan maladministrasi")),
        (Conclusion.STOPPED.value, _("Pemeriksaan dihentikan"))])
    found = forms.MultipleChoiceField(label=_("Bentuk maladministrasi yang ditemukan"), choices=FORMS,
                                      required=False, widget=forms.CheckboxSelectMultiple)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("found") and data.get("conclusion") != Conclusion.FOUND:
            self.add_error("found", _("Bentuk maladministrasi hanya diisi bila kesimpulannya maladministrasi "
                                      "ditemukan."))
        if data.get("conclusion") == Conclusion.FOUND and not data.get("found"):
            self.add_error("found", _("Pilih sedikitnya satu bentuk maladministrasi yang ditemukan."))
        return data


class ClassifyForm(forms.Form):
    substance = forms.ChoiceField(label=_("Substansi"), required=False)
    agency_group = forms.ChoiceField(label=_("Kelompok instansi terlapor"), required=False,
                                     choices=BLANK + [(g, tr(g)) for g in DEFAULT_AGENCY_GROUPS])
    alleged = forms.MultipleChoiceField(label=_("Dugaan maladministrasi"), choices=FORMS, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    complexity = forms.ChoiceField(label=_("Klasifikasi laporan"), required=False,
                                   choices=BLANK + [(c.value, tr(c.label)) for c in Complexity])
    reporter_type = forms.ChoiceField(label=_("Jenis pelapor"), required=False,
                                      choices=BLANK + [(t.value, tr(t.label)) for t in ReporterType])

    def __init__(self, *args: Any, keep: str = "", **kwargs: Any) -> None:
        """``keep``: the case's substance, offered even when the installation's list no longer has it."""
        super().__init__(*args, **kwargs)
        offered = lists.substances()
        extra = (keep,) if keep and keep not in offered else ()
        field = self.fields["substance"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = BLANK + [(s, tr(s)) for s in (*offered, *extra)]


class AssignForm(forms.Form):
    examiner = forms.TypedChoiceField(label=_("Asisten pemeriksa"), coerce=int)

    def __init__(self, *args: Any, examiners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "id_assign_%s"
        field = self.fields["examiner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = BLANK + [(str(k), v) for k, v in examiners]


class HandOverForm(forms.Form):
    office = forms.TypedChoiceField(label=_("Kantor tujuan"), coerce=int)
    note = forms.CharField(label=_("Alasan pelimpahan"), max_length=NOTE_LIMIT, widget=_textarea(3))

    def __init__(self, *args: Any, offices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "id_handover_%s"
        field = self.fields["office"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = BLANK + [(str(k), v) for k, v in offices]


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(label=_("Kerahasiaan"), choices=Visibility.choices)
    consent = forms.BooleanField(
        label=_("Pelapor menyetujui kerahasiaan dilonggarkan (persetujuan dicatat)"), required=False,
        help_text=_("Wajib bila laporan dibuat kurang rahasia daripada sekarang."))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > MAX_EVIDENCE:
            raise ValidationError(_("Paling banyak %(n)d berkas sekaligus.") % {"n": MAX_EVIDENCE})
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class DemandAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Jawaban: apa yang sudah dilaksanakan"), max_length=TEXT_LIMIT,
                             widget=_textarea(4))
    evidence = MultipleFileField(label=_("Bukti (berkas)"), required=False,
                                 help_text=_("PDF, gambar, atau dokumen kantor; paling banyak 5 berkas."))


class DemandAssessForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Penilaian Ombudsman"), choices=BLANK + [
        (o.value, o.label) for o in Outcome if o != Outcome.PENDING])


class IdentityForm(forms.Form):
    purpose = forms.CharField(label=_("Keperluan melihat identitas"), max_length=200, required=False)


# --- staff entry ----------------------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    """A report recorded by staff: the public form's fields plus the record kind and the channel."""

    kind = forms.ChoiceField(label=_("Jenis catatan"))
    channel = forms.ChoiceField(label=_("Saluran"), choices=[(c.value, c.label) for c in Channel
                                                             if c in STAFF_CHANNELS])
    office = forms.TypedChoiceField(label=_("Kantor"), coerce=int, required=False)
    title = forms.CharField(label=_("Pokok laporan"), max_length=200)
    chronology = forms.CharField(label=_("Kronologi"), max_length=TEXT_LIMIT, widget=_textarea(8))
    event_date = forms.DateField(label=_("Tanggal peristiwa"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    remedy = forms.CharField(label=_("Harapan pelapor"), max_length=TEXT_LIMIT, required=False, widget=_textarea(3))
    prior_complaint = forms.ChoiceField(label=_("Pengaduan kepada instansi terlapor"), required=False,
                                        choices=BLANK + list(PriorComplaint.choices))
    prior_complaint_date = forms.DateField(label=_("Tanggal mengadu kepada instansi"), required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}))
    prior_complaint_channel = forms.CharField(label=_("Melalui"), max_length=100, required=False)
    prior_complaint_answer = forms.CharField(label=_("Jawaban instansi"), max_length=NOTE_LIMIT, required=False,
                                             widget=_textarea(2))
    reported_other = forms.CharField(label=_("Instansi terlapor bila tidak ada di daftar"), max_length=200,
                                     required=False)
    in_court = forms.BooleanField(label=_("Perkara sedang atau telah diperiksa pengadilan"), required=False)
    outside_authority = forms.BooleanField(label=_("Kemungkinan di luar kewenangan Ombudsman"), required=False)
    visibility = forms.ChoiceField(label=_("Kerahasiaan yang dipilih pelapor"), choices=Visibility.choices,
                                   initial=Visibility.CONFIDENTIAL)
    full_name = forms.CharField(label=_("Nama lengkap pelapor"), max_length=150, required=False)
    nik = forms.RegexField(label=_("NIK"), regex=r"^\d{16}$", required=False,
                           error_messages={"invalid": _("NIK terdiri atas 16 angka.")})
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=100, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(label=_("Telepon / WhatsApp"), regex=r"^\+?[\d\s-]{6,30}$", required=False,
                             error_messages={"invalid": _("Tulis nomor telepon dengan angka, misalnya "
                                                          "0812 3456 7890.")})
    reporter_type = forms.ChoiceField(label=_("Jenis pelapor"), required=False,
                                      choices=BLANK + [(t.value, tr(t.label)) for t in ReporterType])
    acting_for = forms.CharField(label=_("Bertindak untuk (kuasa)"), max_length=150, required=False)
    place = forms.CharField(widget=forms.HiddenInput, required=False, max_length=30)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    REPORTER_FIELDS = ("full_name", "nik", "birth_place", "birth_date", "occupation", "address", "email", "phone",
                       "reporter_type", "acting_for")

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], offices: list[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kinds
        office = self.fields["office"]
        assert isinstance(office, forms.TypedChoiceField)
        office.choices = [(str(k), v) for k, v in offices]
        if len(offices) <= 1:
            office.widget = forms.HiddenInput()

    def clean_client_token(self) -> str:
        token = str(self.cleaned_data.get("client_token") or "")
        return token if re.fullmatch(r"[0-9a-f]{32}", token) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("event_date", "prior_complaint_date", "birth_date"):
            day = data.get(name)
            if day is not None and not 1900 <= day.year <= 2100:
                self.add_error(name, _("Tahun tanggal ini tidak masuk akal; periksa lagi."))
        if data.get("phone"):
            data["phone"] = "".join(ch for ch in data["phone"] if ch.isdigit() or ch == "+")
        return data

    def reporter(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.REPORTER_FIELDS if self.cleaned_data.get(name)}


def deadline_choices_valid() -> bool:
    """The queue's deadline filter names the statuses of ``deadlines`` (checked by a test)."""
    return {value for value, _label in DEADLINE_CHOICES if value} <= set(deadlines.STATUSES)
