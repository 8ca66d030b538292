"""Forms of the period screens (``views_periods``): Indonesian labels, clear messages; the
services check everything again (a form only shapes the input)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pantau.assessments import methodology as mdoc
from pantau.assessments import services
from pantau.assessments.models import MethodologyVersion, Period
from pantau.assessments.models_cycle import COMMENT_CHARS, CONTEST_CHARS, EVIDENCE_CHARS, REASON_CHARS
from pantau.assessments.services_period import DATE_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Tulis tanggal seperti 2026-01-31."), "required": _("Isi tanggal ini.")}
DATE_LABELS = {
    "collection_start": _("Mulai pengumpulan data"), "collection_end": _("Akhir pengumpulan data"),
    "review_end": _("Akhir reviu"), "response_start": _("Mulai tanggapan penyelenggara"),
    "response_end": _("Akhir tanggapan penyelenggara"), "publication_date": _("Tanggal publikasi"),
}
SHIPPED = "shipped:"


def version_choices() -> list[tuple[str, str]]:
    """Stored versions (frozen or not) and the shipped files not stored yet (loaded on save)."""
    stored = list(MethodologyVersion.objects.select_related("methodology").order_by("methodology__slug", "pk"))
    choices = [(str(v.pk), f"{v.methodology.slug}@{v.version} — {v.title}"
                + ("" if v.official else str(_(" (salinan tidak resmi)")))) for v in stored]
    slugs = {v.methodology.slug for v in stored}
    shipped = str(_("dimuat dari berkas bawaan"))
    choices += [(f"{SHIPPED}{slug}", f"{slug} — {shipped}") for slug in sorted(mdoc.shipped()) if slug not in slugs]
    return choices


def chosen_version(value: str) -> MethodologyVersion:
    if value.startswith(SHIPPED):
        version, _created = services.load_version(services.SYSTEM_ACTOR, mdoc.load_shipped(value[len(SHIPPED):]))
        return version
    return MethodologyVersion.objects.get(pk=int(value))


class PeriodForm(forms.Form):
    """A new period. The institutions in scope: every institution the office covers, narrowed by
    province and kind, plus names typed one per line (each must match one institution)."""

    title = forms.CharField(label=_("Nama periode"), max_length=200,
                            error_messages={"required": _("Tulis nama periode.")})
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, error_messages={
        "required": _("Isi tahun penilaian."), "invalid": _("Tahun berupa angka, misalnya 2026."),
        "min_value": _("Tahun penilaian harus antara 2000 dan 2100."),
        "max_value": _("Tahun penilaian harus antara 2000 dan 2100.")})
    kind = forms.ChoiceField(label=_("Jenis penilaian"), choices=Period.Kind.choices)
    methodology = forms.ChoiceField(label=_("Metodologi"), error_messages={"required": _("Pilih metodologinya.")},
                                    help_text=_("Versi yang dipakai periode dibekukan: tidak dapat diubah lagi."))
    office = forms.ChoiceField(label=_("Kantor penyelenggara penilaian"), required=False)
    owner = forms.ChoiceField(label=_("Instansi (penilaian mandiri)"), required=False)
    scope = forms.ChoiceField(label=_("Instansi yang dinilai"), widget=forms.RadioSelect, initial="area", choices=[
        ("area", _("Semua instansi di wilayah kantor (dapat disaring provinsi dan jenis)")),
        ("names", _("Hanya instansi yang saya pilih atau tulis di bawah")),
    ])
    provinces = forms.MultipleChoiceField(label=_("Provinsi"), required=False,
                                          help_text=_("Kosongkan untuk semua provinsi wilayah kantor."))
    kinds = forms.MultipleChoiceField(label=_("Jenis instansi"), required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Kosongkan untuk semua jenis."))
    names = forms.CharField(label=_("Nama instansi tambahan"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
                            help_text=_("Satu nama per baris, persis seperti di daftar instansi."))

    def __init__(self, *args: Any, offices: list[tuple[str, str]], owners: list[tuple[str, str]],
                 provinces: list[tuple[str, str]], kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["methodology"].choices = [("", _("— pilih —")), *version_choices()]  # type: ignore[attr-defined]
        self.fields["office"].choices = offices  # type: ignore[attr-defined]
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        self.fields["provinces"].choices = provinces  # type: ignore[attr-defined]
        self.fields["kinds"].choices = kinds  # type: ignore[attr-defined]
        if not owners:
            self.fields["kind"].choices = [(Period.Kind.OFFICIAL, Period.Kind.OFFICIAL.label)]  # type: ignore[attr-defined]
            del self.fields["owner"]
        if not offices:
            self.fields["kind"].choices = [(Period.Kind.SELF, Period.Kind.SELF.label)]  # type: ignore[attr-defined]
            for name in ("office", "scope", "provinces", "kinds", "names"):
                del self.fields[name]
        for name in DATE_FIELDS:
            self.fields[name] = forms.DateField(label=DATE_LABELS[name], widget=DATE_WIDGET,
                                                error_messages=DATE_ERRORS)

    def clean_methodology(self) -> str:
        value: str = self.cleaned_data["methodology"]
        if not (value.startswith(SHIPPED) or value.isdigit()):
            raise forms.ValidationError(_("Pilih metodologi dari daftar."))
        return value


class RuleForm(forms.Form):
    rule = forms.ChoiceField(label=_("Aturan sampel"), widget=forms.RadioSelect, choices=[
        ("all", _("Semua unit dan produk aktif")), ("loci-2022", _("Lokus Pemda 2022–2023 (§2.6)")),
        ("first-n", _("N unit pertama tiap jenis unit")),
    ], error_messages={"required": _("Pilih aturan sampel.")})
    per_kind = forms.IntegerField(label=_("N (untuk “N unit pertama”)"), min_value=1, max_value=100, initial=1,
                                  required=False, error_messages={
                                      "min_value": _("N paling sedikit 1."), "max_value": _("N paling banyak 100."),
                                      "invalid": _("N berupa angka.")})


class AddForm(forms.Form):
    products = forms.MultipleChoiceField(label=_("Produk layanan"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, products: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].choices = [(str(pk), name) for pk, name in products]  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    assessor = forms.ChoiceField(label=_("Asisten penilai"), error_messages={"required": _("Pilih asisten penilai.")})

    def __init__(self, *args: Any, assessors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].choices = [("", _("— pilih —")),  # type: ignore[attr-defined]
                                           *((str(pk), name) for pk, name in assessors)]


class ReturnForm(forms.Form):
    """One checkbox and one comment per answered item."""

    def __init__(self, *args: Any, rows: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for key, label in rows:
            self.fields[f"r_{key}"] = forms.BooleanField(label=_("Kembalikan %(item)s") % {"item": label},
                                                         required=False)
            self.fields[f"c_{key}"] = forms.CharField(label=_("Catatan untuk %(item)s") % {"item": label},
                                                      required=False, max_length=COMMENT_CHARS,
                                                      widget=forms.Textarea(attrs={"rows": 2}))

    def chosen(self) -> list[tuple[str, str]]:
        return [(key, self.cleaned_data.get(f"c_{key}", "")) for key, _label in self.rows
                if self.cleaned_data.get(f"r_{key}")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, label in self.rows:
            if data.get(f"r_{key}") and not (data.get(f"c_{key}") or "").strip():
                self.add_error(f"c_{key}", _("Tulis catatan untuk item %(item)s.") % {"item": label})
        if not any(data.get(f"r_{key}") for key, _label in self.rows):
            raise forms.ValidationError(_("Pilih item yang dikembalikan beserta catatannya."))
        return data


class ContestForm(forms.Form):
    text = forms.CharField(label=_("Alasan keberatan"), max_length=CONTEST_CHARS,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": _("Tulis alasan keberatan Anda."),
                                           "max_length": _("Alasan keberatan paling banyak %(limit_value)d karakter.")})
    evidence = forms.CharField(label=_("Rujukan bukti"), max_length=EVIDENCE_CHARS, required=False,
                               help_text=_("Tautan, nomor surat atau nama berkas yang mendukung keberatan."),
                               error_messages={
                                   "max_length": _("Rujukan bukti paling banyak %(limit_value)d karakter.")})


class DecideForm(forms.Form):
    accept = forms.ChoiceField(label=_("Keputusan"), widget=forms.RadioSelect, choices=[
        ("yes", _("Diterima: jawaban diubah")), ("no", _("Ditolak: jawaban tetap"))],
        error_messages={"required": _("Pilih diterima atau ditolak.")})
    value = forms.DecimalField(label=_("Nilai baru (bila diterima)"), required=False, max_digits=9, decimal_places=4,
                               error_messages={"invalid": _("Nilai berupa angka, misalnya 1 atau 0,5."),
                                               "max_decimal_places": _("Nilai paling banyak 4 angka di belakang koma."),
                                               "max_digits": _("Nilai terlalu besar.")})
    na_reason = forms.CharField(label=_("Alasan “tidak berlaku” (bila nilai baru dikosongkan)"), required=False,
                                max_length=REASON_CHARS)
    decision = forms.CharField(label=_("Dasar keputusan"), max_length=REASON_CHARS,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": _("Tulis dasar keputusan.")})


class CorrectForm(forms.Form):
    institution = forms.ChoiceField(label=_("Instansi"), error_messages={"required": _("Pilih instansinya.")})
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=REASON_CHARS,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Tulis alasan koreksi.")})

    def __init__(self, *args: Any, institutions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", _("— pilih —")),  # type: ignore[attr-defined]
                                              *((str(pk), name) for pk, name in institutions)]
