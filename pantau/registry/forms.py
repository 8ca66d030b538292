from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pantau.registry import components as comp
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit, UnitEvent


class InstitutionForm(forms.ModelForm[Institution]):
    website = forms.URLField(label=_("Situs web"), required=False, assume_scheme="https")

    class Meta:
        model = Institution
        fields = ["name", "kind", "province", "regency", "office", "website"]
        labels = {"name": _("Nama instansi"), "kind": _("Jenis"), "province": _("Provinsi"),
                  "regency": _("Kabupaten/kota"), "office": _("Kantor Ombudsman pengawas"),
                  "website": _("Situs web")}


class UnitForm(forms.ModelForm[ServiceUnit]):
    class Meta:
        model = ServiceUnit
        fields = ["name", "kind", "address", "phone", "maklumat", "maklumat_date", "vulnerable_facilities"]
        labels = {"name": _("Nama unit"), "kind": _("Jenis unit"), "address": _("Alamat"),
                  "phone": _("Telepon/WA pengaduan"), "maklumat": _("Maklumat pelayanan"),
                  "maklumat_date": _("Tanggal maklumat"),
                  "vulnerable_facilities": _("Pelayanan khusus kelompok rentan")}
        widgets = {"maklumat_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ProductForm(forms.ModelForm[ServiceProduct]):
    class Meta:
        model = ServiceProduct
        fields = ["name", "category", "description", "is_active"]
        labels = {"name": _("Nama produk layanan"), "category": _("Kategori"),
                  "description": _("Keterangan"), "is_active": _("Aktif")}


class StandardForm(forms.ModelForm[ServiceStandard]):
    class Meta:
        model = ServiceStandard
        fields = ["effective_date", "is_free", "completion_days", *comp.STANDARD_FIELDS]
        widgets = {"effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "completion_time": forms.TextInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for c in comp.COMPONENTS:
            field = self.fields[c.field]
            field.label = f"{c.pasal21}. {c.label}"
            field.help_text = str(c.help)
        self.fields["effective_date"].label = _("Tanggal berlaku")
        self.fields["is_free"].label = _("Gratis (tidak dipungut biaya)")
        self.fields["completion_days"].label = _("Jangka waktu (hari kerja, angka)")


class UnitEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis perubahan"), choices=UnitEvent.Kind.choices)
    date = forms.DateField(label=_("Tanggal berlaku"), widget=forms.DateInput(attrs={"type": "date"}))
    units = forms.ModelMultipleChoiceField(label=_("Unit yang berubah"), queryset=ServiceUnit.objects.none())
    new_names = forms.CharField(
        label=_("Nama baru"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ganti nama dan penggabungan: satu nama. Pemecahan: satu nama per baris."),
    )
    legal_basis = forms.CharField(label=_("Dasar hukum"), required=False, max_length=255)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX"),
        help_text=_("Templat Pantau yang sudah diisi, atau hasil ekspor yang sudah diubah."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        error_messages={"required": _("Pilih berkas XLSX yang akan diimpor."),
                        "empty": _("Berkas kosong. Pilih berkas XLSX yang berisi data.")},
    )
