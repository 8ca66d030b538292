"""The import writes in bulk (``pantau.registry.bulk``) exactly what the services write row by row:
the same records and the same audit events; and its queries do not grow with the rows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pantau.core.models import AuditEvent
from pantau.registry import bulk, services
from pantau.registry.importer import import_registry
from pantau.registry.models import ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.tests.workbooks import STANDARD, xlsx_bytes

pytestmark = pytest.mark.django_db

TABALONG = "Pemerintah Kabupaten Tabalong"
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"


class ServiceWriter:
    """The importer's writer as it was: every row through the registry services."""

    def __init__(self, actor: Any) -> None:
        self.written = 0

    def load_in_force(self, products: Any) -> None:
        pass

    def unit_save(self, **kwargs: Any) -> Any:
        return services.unit_save(**kwargs)

    def product_save(self, **kwargs: Any) -> Any:
        return services.product_save(**kwargs)

    def standard_save_draft(self, *, latest: Any, **kwargs: Any) -> Any:
        return services.standard_save_draft(**kwargs)

    def standard_publish(self, **kwargs: Any) -> Any:
        return services.standard_publish(**kwargs)

    def flush(self) -> None:
        pass


def changes(cast: Any) -> bytes:
    """Units, products and standards created and updated, renamed by ID, drafted and published."""
    services.standard_save_draft(actor=cast.national_admin, product=cast.pbg, data={"completion_time": "3 hari"})
    return xlsx_bytes({
        "Unit": [
            {"Instansi": TABALONG, "Nama unit": DUKCAPIL, "Jenis": "dinas", "Telepon": "0526 123",
             "Maklumat pelayanan": "Kami sanggup melayani sesuai standar.", "Tanggal maklumat": "2025-01-02"},
            {"Instansi": TABALONG, "Nama unit": "Kecamatan  Tanjung", "Jenis": "kecamatan", "Lintang": -2.1},
            {"Instansi": TABALONG, "Nama unit": "DPMPTSP Tabalong", "Jenis": "dinas", "ID unit": cast.dpmptsp.pk},
        ],
        "Produk": [
            {"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": "Penerbitan KTP-el", "Kategori": "adminduk",
             "Keterangan": "KTP elektronik"},
            {"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": "Akta Kelahiran", "Kategori": "adminduk"},
            {"Instansi": TABALONG, "Unit": "Kecamatan Tanjung", "Nama produk": "Surat Pindah"},
            {"Instansi": TABALONG, "Unit": "DPMPTSP Tabalong", "Nama produk": "PBG", "Kategori": "perizinan",
             "ID produk": cast.pbg.pk, "Aktif": "tidak"},
        ],
        "Standar": [
            {"Instansi": TABALONG, "Unit": DUKCAPIL, "Produk": "Penerbitan KTP-el", **STANDARD,
             "Jangka waktu (hari kerja)": 2, "Terbitkan": "ya"},
            {"Instansi": TABALONG, "Unit": DUKCAPIL, "Produk": "Akta Kelahiran", **STANDARD, "Terbitkan": "ya",
             "Tanggal berlaku": "2025-02-01"},
            {"Instansi": TABALONG, "Unit": "Kecamatan Tanjung", "Produk": "Surat Pindah", **STANDARD},
            {"Instansi": TABALONG, "Unit": "DPMPTSP Tabalong", "Produk": "PBG", **STANDARD, "Terbitkan": "ya"},
        ],
    })


EVENT_FIELDS = ("actor_id", "actor_name", "request_id", "event_type", "object_type", "object_repr",
                "institution_id", "province_id", "prior_province_id", "before", "after", "reason")


def run(actor: Any, data: bytes) -> tuple[list[dict[str, Any]], list[Any]]:
    """Import ``data`` and roll it back: the audit events written and the registry as it was then."""
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        result = import_registry(actor=actor, upload=io.BytesIO(data), size=len(data))
        assert result.ok, result.problems
        events = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
        for event in events:  # every event names its record
            model = {"registry.serviceunit": ServiceUnit, "registry.serviceproduct": ServiceProduct,
                     "registry.servicestandard": ServiceStandard}[event.object_type]
            assert str(model.objects.get(pk=int(event.object_id))) == event.object_repr
        rows = [{f: getattr(e, f) for f in EVENT_FIELDS} for e in events]
        state = [
            sorted(ServiceUnit.objects.values_list("name", "name_key", "kind", "phone", "lat", "maklumat")),
            sorted(ServiceProduct.objects.values_list("name", "name_key", "category", "description", "is_active",
                                                      "current_standard__version")),
            sorted(ServiceStandard.objects.values_list(
                "product__name", "version", "status", "effective_date", "present_count", "requirements",
                "completion_days", "is_free", "published_by")),
        ]
        transaction.set_rollback(True)
    return rows, state


def test_the_bulk_import_writes_what_the_services_write_with_the_same_audit_events(
        cast: Any, monkeypatch: Any) -> None:
    data = changes(cast)
    bulk_events, bulk_state = run(cast.admin_tabalong, data)
    monkeypatch.setattr(bulk, "Writer", ServiceWriter)
    service_events, service_state = run(cast.admin_tabalong, data)
    assert [e["event_type"] for e in bulk_events].count("standard.published") == 3
    assert len(bulk_events) == len(service_events) == 3 + 4 + 4 + 3
    assert bulk_events == service_events
    assert bulk_state == service_state


def products_file(n: int) -> bytes:
    return xlsx_bytes({
        "Produk": [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": f"Layanan {i}"} for i in range(n)],
        "Standar": [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Produk": f"Layanan {i}", **STANDARD,
                     "Terbitkan": "ya"} for i in range(n)],
    })


def test_the_import_takes_a_few_queries_per_hundred_rows_whatever_the_size(cast: Any) -> None:
    counts = []
    for n in (300, 600):
        data = products_file(n)
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            result = import_registry(actor=cast.admin_tabalong, upload=io.BytesIO(data), size=len(data))
            assert result.ok, result.problems[:3]
            assert result.counts["Standar"].published == n
            transaction.set_rollback(True)
        counts.append(len(ctx.captured_queries))
    # Twice the rows: only the extra batches (products, standards, current standards, audit events),
    # so the queries per row do not grow (SQLite's batches are smaller: 999 parameters per query).
    per_row = [counts[0] / 600, counts[1] / 1200]
    assert per_row[1] <= per_row[0], counts
    assert per_row[1] <= 0.2, counts
