from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pantau.core import text
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


class ProductEditForm(forms.ModelForm[ServiceProduct]):
    """Rename or describe a product; (de)activation has its own form with a reason."""

    reason = forms.CharField(label=_("Alasan perubahan"), required=False, max_length=500,
                             help_text=_("Dicatat di riwayat produk layanan."))

    class Meta:
        model = ServiceProduct
        fields = ["name", "category", "description"]
        labels = {"name": _("Nama produk layanan"), "category": _("Kategori"), "description": _("Keterangan")}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Tulis alasannya.")})


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitEventForm(forms.Form):
    """Record a unit change. For a split or a dissolution the form asks, once the units are chosen,
    where each active product goes: a first submit lists the products with a choice each."""

    kind = forms.ChoiceField(label=_("Jenis perubahan"), choices=UnitEvent.Kind.choices)
    date = forms.DateField(label=_("Tanggal berlaku"), widget=DATE_WIDGET, help_text=_(
        "Perubahan berlaku pada tanggal ini. Sebelum tanggal itu unit lama dan layanannya tetap tampil."))
    units = forms.ModelMultipleChoiceField(label=_("Unit yang berubah"), queryset=ServiceUnit.objects.none())
    into = forms.ModelChoiceField(
        label=_("Gabung ke unit yang sudah ada"), queryset=ServiceUnit.objects.none(), required=False,
        help_text=_("Penggabungan: pilih unit tujuan, atau kosongkan dan tulis nama unit baru di bawah."))
    new_names = forms.CharField(
        label=_("Nama baru"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ganti nama dan penggabungan: satu nama. Pemecahan: satu nama per baris."),
    )
    legal_basis = forms.CharField(label=_("Dasar hukum"), required=False, max_length=255)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        self.fields["into"].queryset = units  # type: ignore[attr-defined]
        self.product_fields: dict[str, int] = {}
        self._add_product_fields(units)

    def _add_product_fields(self, units: Any) -> None:
        kind = self.data.get("kind")
        chosen = [v for v in (self.data.getlist("units") if hasattr(self.data, "getlist") else []) if v.isdigit()]
        if kind not in (UnitEvent.Kind.SPLIT, UnitEvent.Kind.DISSOLVE) or not chosen:
            return
        if kind == UnitEvent.Kind.SPLIT:
            names = [text.clean_name(n) for n in (self.data.get("new_names") or "").splitlines()]
            choices = [(f"new:{i}", n) for i, n in enumerate(n for n in names if n)]
            if len(choices) < 2:
                return  # the service explains that a split needs two names
        else:
            choices = [("", _("Dihentikan (tidak dilayani lagi)"))] + [
                (f"unit:{u.pk}", u.name) for u in units.exclude(pk__in=chosen)]
        products = ServiceProduct.objects.filter(unit__in=units.filter(pk__in=chosen), is_active=True)
        for product in products.select_related("unit").order_by("unit__name", "name", "pk"):
            key = f"product_{product.pk}"
            self.fields[key] = forms.ChoiceField(
                label=_("Produk “%(product)s” (%(unit)s) pindah ke") % {"product": product.name,
                                                                         "unit": product.unit.name},
                choices=choices, required=key in self.data and kind == UnitEvent.Kind.SPLIT)
            self.product_fields[key] = product.pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(key not in self.data for key in self.product_fields):
            raise ValidationError(_("Pilih ke mana tiap produk layanan pindah (di bawah), lalu tekan Simpan lagi."),
                                  code="choose_products")
        return cleaned

    def destinations(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(key) or "" for key, pk in self.product_fields.items()}


class UnitEventCorrectForm(forms.Form):
    date = forms.DateField(label=_("Tanggal berlaku"), widget=DATE_WIDGET)
    legal_basis = forms.CharField(label=_("Dasar hukum"), required=False, max_length=255)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Alasan koreksi"), required=False, max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX"),
        help_text=_("Templat Pantau yang sudah diisi, atau hasil ekspor yang sudah diubah."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        error_messages={"required": _("Pilih berkas XLSX yang akan diimpor."),
                        "empty": _("Berkas kosong. Pilih berkas XLSX yang berisi data.")},
    )
