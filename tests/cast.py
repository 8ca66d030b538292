"""A fixed cast for tests: two provinces with their offices, three providers, one user per role.

Kalimantan Selatan (63, office ``kalsel``): Pemkab Tabalong (units Disdukcapil, DPMPTSP) and
Pemkot Banjarmasin. Kalimantan Tengah (62, office ``kalteng``): Pemkab Barito Selatan. Every
product has a published standard. ``outsider`` has an account and no role at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from pantau.accounts.models import Membership, Role, User
from pantau.registry import services
from pantau.registry.models import Institution, Office, Province, Regency, ServiceProduct, ServiceStandard, ServiceUnit

PASSWORD = "sandi-uji-yang-panjang-1"  # noqa: S105

FULL_STANDARD: dict[str, Any] = {
    "requirements": "Fotokopi Kartu Keluarga\nSurat pengantar RT/RW",
    "procedure": "Ambil nomor antrean\nSerahkan berkas\nTerima dokumen",
    "completion_time": "1 hari kerja",
    "completion_days": 1,
    "is_free": True,
    "cost": "",
    "output": "KTP-el",
    "complaints": "Loket pengaduan dan SP4N-LAPOR!",
    "legal_basis": "UU 25/2009",
    "facilities": "Ruang tunggu, toilet difabel",
    "competence": "Memahami standar pelayanan",
    "supervision": "Kepala dinas",
    "staff_count": "3 petugas",
    "guarantee": "Sesuai standar",
    "safety": "APAR dan CCTV",
    "evaluation": "Setiap 6 bulan",
}


@dataclass
class Cast:
    kalsel_province: Province
    kalteng_province: Province
    kalsel: Office
    kalteng: Office
    tabalong: Institution
    banjarmasin: Institution
    barsel: Institution
    dukcapil: ServiceUnit
    dpmptsp: ServiceUnit
    barsel_dukcapil: ServiceUnit
    ktp: ServiceProduct
    pbg: ServiceProduct
    barsel_ktp: ServiceProduct
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def client_for(user: Any) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def make_user(username: str, role: str | None = None, **where: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@uji.local",
                                    full_name=username.replace("_", " ").title())
    if role is not None:
        Membership.objects.create(user=user, role=role, **where)
    return user


def publish(actor: User, product: ServiceProduct, effective: dt.date | None = None,
            **overrides: Any) -> ServiceStandard:
    draft = services.standard_save_draft(actor=actor, product=product, data={**FULL_STANDARD, **overrides})
    return services.standard_publish(actor=actor, standard=draft,
                                     effective_date=effective or dt.date(2025, 1, 2))


def build_cast() -> Cast:
    p63 = Province.objects.create(code="63", name="Kalimantan Selatan")
    p62 = Province.objects.create(code="62", name="Kalimantan Tengah")
    r_tab = Regency.objects.create(code="63.09", province=p63, name="Kabupaten Tabalong", kind="kabupaten")
    r_bjm = Regency.objects.create(code="63.71", province=p63, name="Kota Banjarmasin", kind="kota")
    r_bs = Regency.objects.create(code="62.04", province=p62, name="Kabupaten Barito Selatan", kind="kabupaten")
    national = Office.objects.create(name="Ombudsman RI Pusat", is_national=True)
    kalsel = Office.objects.create(name="Ombudsman RI Perwakilan Kalimantan Selatan")
    kalsel.provinces.add(p63)
    kalteng = Office.objects.create(name="Ombudsman RI Perwakilan Kalimantan Tengah")
    kalteng.provinces.add(p62)
    admin = make_user("national_admin", Role.NATIONAL_ADMIN)

    def inst(name: str, kind: str, prov: Province, reg: Regency, office: Office) -> Institution:
        return services.institution_save(actor=admin, data={
            "name": name, "kind": kind, "province_id": prov.pk, "regency_id": reg.pk, "office_id": office.pk})

    tabalong = inst("Pemerintah Kabupaten Tabalong", "pemkab", p63, r_tab, kalsel)
    banjarmasin = inst("Pemerintah Kota Banjarmasin", "pemkot", p63, r_bjm, kalsel)
    barsel = inst("Pemerintah Kabupaten Barito Selatan", "pemkab", p62, r_bs, kalteng)
    dukcapil = services.unit_save(actor=admin, institution=tabalong, data={
        "name": "Dinas Kependudukan dan Pencatatan Sipil", "kind": "dinas",
        "maklumat": "Kami sanggup melayani sesuai standar.", "maklumat_date": dt.date(2025, 1, 2)})
    dpmptsp = services.unit_save(actor=admin, institution=tabalong, data={
        "name": "DPMPTSP", "kind": "dinas"})
    barsel_dukcapil = services.unit_save(actor=admin, institution=barsel, data={
        "name": "Dinas Kependudukan dan Pencatatan Sipil", "kind": "dinas"})
    ktp = services.product_save(actor=admin, unit=dukcapil, data={"name": "Penerbitan KTP-el", "category": "adminduk"})
    pbg = services.product_save(actor=admin, unit=dpmptsp, data={
        "name": "Persetujuan Bangunan Gedung", "category": "perizinan"})
    barsel_ktp = services.product_save(actor=admin, unit=barsel_dukcapil, data={
        "name": "Penerbitan KTP-el", "category": "adminduk"})
    for product in (ktp, pbg, barsel_ktp):
        publish(admin, product)
    cast = Cast(p63, p62, kalsel, kalteng, tabalong, banjarmasin, barsel, dukcapil, dpmptsp, barsel_dukcapil,
                ktp, pbg, barsel_ktp)
    cast.users = {
        "national_admin": admin,
        "national_assessor": make_user("national_assessor", Role.ASSESSOR, office=national),
        "head_kalsel": make_user("head_kalsel", Role.HEAD_OF_OFFICE, office=kalsel),
        "assessor_kalsel": make_user("assessor_kalsel", Role.ASSESSOR, office=kalsel),
        "intake_kalsel": make_user("intake_kalsel", Role.INTAKE_OFFICER, office=kalsel),
        "examiner_kalsel": make_user("examiner_kalsel", Role.EXAMINER, office=kalsel),
        "assessor_kalteng": make_user("assessor_kalteng", Role.ASSESSOR, office=kalteng),
        "admin_tabalong": make_user("admin_tabalong", Role.INSTITUTION_ADMIN, institution=tabalong),
        "operator_dukcapil": make_user("operator_dukcapil", Role.UNIT_OPERATOR, unit=dukcapil),
        "admin_barsel": make_user("admin_barsel", Role.INSTITUTION_ADMIN, institution=barsel),
        "outsider": make_user("outsider"),
    }
    return cast


def in_english(client: Any) -> Any:
    """The client with English chosen (the language switch's cookie): the only way to get English."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
