"""The citizen's forms: the public report (laporan masyarakat, UU 37/2008 Pasal 24) and the message added
through the secret tracking link. Only what a person can fix is refused here (an impossible date, a field
too long, a choice that does not exist); what the law asks for but is missing is filed anyway and listed on
the confirmation page (``services.formal_missing``)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pantau.complaints import clock
from pantau.complaints.models import NOTE_LIMIT, TEXT_LIMIT, PriorComplaint, Visibility
from pantau.complaints.vocab import RecordKind
from pantau.core import cachegen
from pantau.core.fields import TextareaField
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit
from pantau.registry.selectors import LISTS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
CHOICE = re.compile(r"^([piu])([1-9][0-9]{0,17})$")  # p<product> / u<unit> / i<institution>
TOKEN = re.compile(r"^[0-9a-f]{32}$")
PHONE = re.compile(r"^\+?[0-9 ()\-.]{8,30}$")
TO_OMBUDSMAN, TO_PROVIDER = "ombudsman", "penyelenggara"
IDENTITY_FIELDS = {"nama": "full_name", "nik": "nik", "pekerjaan": "occupation", "alamat": "address",
                   "email": "email", "telepon": "phone"}


def _too_long(limit: int) -> str:
    return _("Paling banyak %(limit)s karakter (sekarang %%(show_value)d); persingkat, atau kirim sisanya sebagai "
             "lampiran. Teks Anda tetap ada di kolom ini.") % {
        "limit": f"{limit:,}".replace(",", ".")}


class _Text(TextareaField):
    """A textarea whose "too long" message says how long it may be and how long it is (the text stays)."""

    def __init__(self, *, limit: int, rows: int = 4, **kwargs: Any) -> None:
        super().__init__(max_length=limit, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)
        self.error_messages["max_length"] = _too_long(limit)


def _date(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=DATE_FORMATS, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": _lazy("Tanggal tidak dikenali. Tulis seperti 31/12/2025.")})


@dataclass(frozen=True)
class Place:
    """What the reporter chose from the registry (all ``None`` when nothing or "not listed")."""

    institution: Institution | None = None
    unit: ServiceUnit | None = None
    product: ServiceProduct | None = None

    def label(self) -> str:
        parts = [p.name for p in (self.product, self.unit, self.institution) if p is not None]
        return " — ".join(parts)


INSTITUTION_COLUMNS = ("name", "kind", "province_id", "regency_id", "office_id", "office__name", "office__code",
                       "office__is_national")
UNIT_COLUMNS = ("name", "institution_id", "regency_id", "is_active",
                *(f"institution__{c}" for c in INSTITUTION_COLUMNS))
PRODUCT_COLUMNS = ("name", "unit_id", "is_active", *(f"unit__{c}" for c in UNIT_COLUMNS))


def active_products() -> Any:
    return ServiceProduct.objects.filter(is_active=True, unit__is_active=True)


def resolve_choice(value: str) -> Place | None:
    """The registry object of ``p12`` / ``u5`` / ``i3``; ``None`` when it does not exist (or is inactive).

    Kept in the cache under the registry lists' generation for ``PUBLIC_STAMP_SECONDS``, as the public product
    page's stamp is (``registry.selectors.public_product_stamp``): the public form resolves one on every report,
    and every registry write forgets the generation (another process with its own cache sees it at most that
    many seconds later)."""
    match = CHOICE.match(value or "")
    if match is None:
        return None
    seconds = settings.PUBLIC_STAMP_SECONDS
    if seconds <= 0:
        return _read_choice(match.group(1), int(match.group(2)))
    _generation, kept = cachegen.kept(f"complaints:place:{value}", LISTS, seconds,
                                      lambda: _read_choice(match.group(1), int(match.group(2))) or NOT_FOUND)
    return None if kept == NOT_FOUND else kept


NOT_FOUND = "-"


def _read_choice(kind: str, pk: int) -> Place | None:
    # Only the columns a case takes from them (names, ids, the institution's place and office), one row by
    # key without a sort: the public form resolves one on every report.
    if kind == "p":
        product = next(iter(active_products().select_related("unit__institution__office").only(*PRODUCT_COLUMNS)
                            .filter(pk=pk).order_by()[:1]), None)
        return None if product is None else Place(product.unit.institution, product.unit, product)
    if kind == "u":
        unit = next(iter(ServiceUnit.objects.select_related("institution__office").only(*UNIT_COLUMNS)
                         .filter(pk=pk, is_active=True).order_by()[:1]), None)
        return None if unit is None else Place(unit.institution, unit)
    institution = next(iter(Institution.objects.select_related("office").only(*INSTITUTION_COLUMNS)
                            .filter(pk=pk).order_by()[:1]), None)
    return None if institution is None else Place(institution)


class _Shared(dict[str, forms.Field]):
    """The fields of a bound :class:`ReportForm`, shared instead of copied. Django deep-copies every field of
    a form (``copy.deepcopy(base_fields)``) so that an instance may change its own; this form never changes
    them (the ``maxlength`` attributes are removed once, from the class), and neither validating nor
    rendering a field changes it. A report sent builds one bound form, most never shown again: the deep copy
    of its 23 fields and widgets was a tenth of the request. The page (an unbound form) is copied as usual."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


class ReportForm(forms.Form):
    """The public report. Field names are Indonesian (they appear in the address bar of a GET search and
    in the device's saved draft); the view maps them to ``services.case_open``'s arguments."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Who is reported.
    cari = forms.CharField(label=_lazy("Cari instansi, unit, atau layanan"), required=False, max_length=100,
                           help_text=_lazy("Contoh: KTP Tabalong, RSUD Ulin, Samsat. Tekan Cari lalu pilih dari "
                                           "hasilnya."))
    pilih = forms.CharField(required=False, max_length=20)
    unit = forms.IntegerField(label=_lazy("Unit layanan (jika tahu)"), required=False, min_value=1,
                              max_value=10**18, error_messages={"invalid": _lazy("Pilih unit dari daftar.")})
    terlapor_lain = forms.CharField(
        label=_lazy("Tidak ada di daftar? Tulis nama instansi, unit, atau petugas yang dilaporkan"),
        required=False, max_length=200)
    tujuan = forms.ChoiceField(
        label=_lazy("Laporan ditujukan kepada"), widget=forms.RadioSelect, initial=TO_OMBUDSMAN,
        choices=[(TO_OMBUDSMAN, _lazy("Ombudsman RI (pengawas pelayanan publik)")),
                 (TO_PROVIDER, _lazy("Langsung kepada penyelenggara layanan yang dipilih (pengaduan menurut "
                                     "UU 25/2009); Ombudsman tidak menanganinya kecuali Anda melapor lagi"))])
    # What happened.
    judul = forms.CharField(label=_lazy("Pokok laporan (satu kalimat)"), required=False, max_length=200,
                            help_text=_lazy("Contoh: KTP-el tidak terbit sejak tiga bulan."))
    kronologi = _Text(label=_lazy("Apa yang terjadi? (kronologi)"), limit=TEXT_LIMIT, rows=8,
                      help_text=_lazy("Urutkan kejadiannya: kapan, di mana, siapa yang melayani, apa yang "
                                      "diminta atau ditolak."),
                      error_messages={"required": _lazy("Ceritakan apa yang terjadi; tanpa kronologi laporan "
                                                        "tidak dapat diperiksa.")})
    tanggal_peristiwa = _date(_lazy("Tanggal peristiwa"), _lazy("Kira-kira pun boleh. Peristiwa lebih dari dua "
                                                                "tahun lalu tetap diterima dan dinilai petugas."))
    harapan = _Text(label=_lazy("Apa yang Anda harapkan?"), limit=TEXT_LIMIT, rows=3, required=False,
                    help_text=_lazy("Contoh: KTP-el diterbitkan tanpa biaya tambahan."))
    # The prior complaint to the provider (Pasal 24 ayat (1) huruf c).
    sudah_mengadu = forms.ChoiceField(label=_lazy("Sudahkah Anda mengadu kepada instansi tersebut?"),
                                      widget=forms.RadioSelect, required=False, choices=PriorComplaint.choices)
    tanggal_pengaduan = _date(_lazy("Tanggal Anda mengadu"))
    saluran_pengaduan = forms.CharField(label=_lazy("Lewat mana Anda mengadu?"), required=False, max_length=100,
                                        help_text=_lazy("Contoh: loket pengaduan, surat, SP4N-LAPOR!, WhatsApp "
                                                        "instansi."))
    jawaban_instansi = _Text(label=_lazy("Jawaban instansi (jika ada)"), limit=NOTE_LIMIT, rows=3, required=False)
    di_pengadilan = forms.BooleanField(label=_lazy("Masalah ini sedang atau pernah diperiksa pengadilan"),
                                       required=False)
    bukan_pelayanan_publik = forms.BooleanField(
        label=_lazy("Yang saya laporkan perorangan atau perusahaan swasta yang tidak menjalankan pelayanan publik"),
        required=False)
    # Confidentiality and identity.
    kerahasiaan = forms.ChoiceField(
        label=_lazy("Kerahasiaan"), widget=forms.RadioSelect, initial=Visibility.CONFIDENTIAL,
        choices=[(Visibility.CONFIDENTIAL.value, _lazy("Rahasia — tidak ada yang diumumkan; identitas Anda hanya "
                                                       "dilihat petugas penerima dan pemeriksa laporan.")),
                 (Visibility.ANONYMOUS.value, _lazy("Anonim — isi laporan boleh diumumkan tanpa nama dan kontak "
                                                    "Anda; identitas tetap dirahasiakan.")),
                 (Visibility.PUBLIC.value, _lazy("Terbuka — isi laporan boleh diumumkan; e-mail, nomor telepon, "
                                                 "dan NIK tetap dihapus dari teks yang diumumkan."))])
    nama = forms.CharField(label=_lazy("Nama lengkap"), required=False, max_length=150, widget=forms.TextInput(
        attrs={"autocomplete": "name"}))
    nik = forms.CharField(label=_lazy("NIK (tidak wajib)"), required=False, max_length=16,
                          widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                          help_text=_lazy("16 angka pada KTP-el."))
    pekerjaan = forms.CharField(label=_lazy("Pekerjaan"), required=False, max_length=100)
    alamat = forms.CharField(label=_lazy("Alamat"), required=False, max_length=300,
                             widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    email = forms.EmailField(label=_lazy("E-mail"), required=False, max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_lazy("Untuk kabar perkembangan laporan."),
                             error_messages={"invalid": _lazy("Alamat e-mail tidak lengkap, contoh: nama@contoh.id.")})
    telepon = forms.CharField(label=_lazy("Nomor telepon / WhatsApp"), required=False, max_length=30,
                              widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            self.base_fields = _Shared(type(self).base_fields)  # type: ignore[misc]
        super().__init__(data, *args, **kwargs)
        self.place = Place()

    def clean_token(self) -> str:
        value = str(self.cleaned_data.get("token") or "")
        return value if TOKEN.match(value) else uuid.uuid4().hex

    def clean_nik(self) -> str:
        value = re.sub(r"[\s.\-]", "", self.cleaned_data.get("nik") or "")
        if value and not re.fullmatch(r"[0-9]{16}", value):
            raise forms.ValidationError(_("NIK terdiri atas 16 angka (Anda menulis %(n)d). Kosongkan bila ragu.")
                                        % {"n": len(value)})
        return value

    def clean_telepon(self) -> str:
        value = (self.cleaned_data.get("telepon") or "").strip()
        digits = re.sub(r"\D", "", value)
        if value and (not PHONE.match(value) or not 8 <= len(digits) <= 15):
            raise forms.ValidationError(_("Nomor telepon berisi 8–15 angka, contoh: 0812 3456 7890."))
        return value

    def _not_future(self, name: str, label: str) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get(name)
        if value is not None and value > clock.today():
            self.add_error(name, _("%(what)s tidak boleh sesudah hari ini.") % {"what": label})
            return None
        if value is not None and value.year < 1945:
            self.add_error(name, _("Periksa tahunnya: %(year)d.") % {"year": value.year})
            return None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        event = self._not_future("tanggal_peristiwa", _("Tanggal peristiwa"))
        prior = self._not_future("tanggal_pengaduan", _("Tanggal pengaduan"))
        if event and prior and prior < event:
            self.add_error("tanggal_pengaduan", _("Tanggal pengaduan lebih awal dari tanggal peristiwa; periksa "
                                                  "kedua tanggal itu."))
        self._clean_place(data)
        return data

    def _clean_place(self, data: dict[str, Any]) -> None:
        choice = (data.get("pilih") or "").strip()
        if choice:
            place = resolve_choice(choice)
            if place is None:
                self.add_error("cari", _("Instansi atau layanan yang dipilih tidak ditemukan (mungkin sudah tidak "
                                         "aktif). Cari lagi, atau tulis namanya di kolom 'tidak ada di daftar'."))
                return
            self.place = place
        unit_id = data.get("unit")
        if unit_id:
            unit = ServiceUnit.objects.select_related("institution").filter(pk=unit_id, is_active=True).first()
            if unit is None or (self.place.institution is not None
                                and unit.institution_id != self.place.institution.pk):
                self.add_error("unit", _("Unit ini bukan bagian dari instansi yang dipilih. Pilih unit dari daftar "
                                         "atau kosongkan."))
                return
            if self.place.unit is not None and self.place.unit.pk != unit.pk:
                self.add_error("unit", _("Layanan yang dipilih bukan layanan unit ini. Pilih salah satu saja."))
                return
            self.place = Place(unit.institution, unit, self.place.product)
        if data.get("tujuan") == TO_PROVIDER and self.place.institution is None:
            self.add_error("tujuan", _("Pengaduan langsung kepada penyelenggara hanya bisa bila instansinya dipilih "
                                       "dari daftar. Cari instansinya, atau tujukan laporan kepada Ombudsman."))

    @property
    def kind(self) -> RecordKind:
        to_provider = self.cleaned_data.get("tujuan") == TO_PROVIDER
        return RecordKind.PROVIDER_COMPLAINT if to_provider else RecordKind.PUBLIC_REPORT

    def reporter(self) -> dict[str, str]:
        return {target: str(self.cleaned_data.get(name) or "").strip() for name, target in IDENTITY_FIELDS.items()}


for _field in ReportForm.base_fields.values():  # the browser must not refuse before the server explains
    _field.widget.attrs.pop("maxlength", None)


class MessageForm(forms.Form):
    """What the reporter adds through the tracking link (the files come with it)."""

    catatan = _Text(label=_lazy("Informasi tambahan"), limit=TEXT_LIMIT, rows=5,
                    help_text=_lazy("Jelaskan juga berkas yang Anda lampirkan. Di tahap tanggapan atas hasil "
                                    "pemeriksaan, tulis tanggapan Anda di sini."),
                    error_messages={"required": _lazy("Tuliskan informasi yang ingin Anda tambahkan (untuk "
                                                      "berkas: tulis keterangan singkatnya).")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["catatan"].widget.attrs.pop("maxlength", None)


class TrackLinkForm(forms.Form):
    """The secret tracking link pasted on the help page (sent by POST so it never sits in an address)."""

    tautan = forms.CharField(label=_lazy("Tempel tautan pelacakan Anda"), max_length=500,
                             error_messages={"required": _lazy("Tempel tautan yang Anda simpan saat melapor.")})

    def clean_tautan(self) -> str:
        value = str(self.cleaned_data.get("tautan") or "").strip()
        match = re.search(r"lacak/([A-Za-z0-9_\-]{20,100})", value) or re.fullmatch(r"([A-Za-z0-9_\-]{20,100})", value)
        if match is None:
            raise forms.ValidationError(_("Ini bukan tautan pelacakan. Tautan itu berbentuk …/lapor/lacak/… dan "
                                          "ditampilkan sekali saat laporan terkirim; nomor laporan saja tidak "
                                          "membuka apa pun."))
        return match.group(1)
