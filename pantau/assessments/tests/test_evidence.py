"""Evidence of field work: photos checked by content, re-encoded without EXIF (time and place kept
in the row), PDFs, URLs, notes, idempotent by client token, and required before a unit is submitted."""

from __future__ import annotations

import io
import struct
import zlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pantau.assessments import services_answers, services_evidence
from pantau.assessments.models import Evidence, SampledUnit
from pantau.assessments.tests.cycle_helpers import ready_for_collection, sampled
from pantau.core.errors import NotInScope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def photo_bytes(size: tuple[int, int] = (64, 48), gps: bool = True, fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0132] = "2026:06:15 10:20:30"
    exif[0x010F] = "KameraUji"
    if gps:
        exif.get_ifd(0x8825).update({1: "S", 2: (2.0, 10.0, 30.0), 3: "E", 4: (115.0, 30.0, 0.0)})
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def bomb_png(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header claims 3.6 billion pixels."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def upload(data: bytes, name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def unit(cast: Any, time_machine: Any) -> SampledUnit:
    period = ready_for_collection(cast, time_machine)
    return sampled(period, cast.dukcapil)


def add_photo(cast: Any, unit: SampledUnit, data: bytes, token: str = "t1", **kw: Any) -> Evidence:  # noqa: S107
    return services_evidence.evidence_add(actor=kw.pop("actor", cast.assessor_kalsel), sampled_unit=unit,
                                          item="sp_persyaratan", kind="photo", sampled_product=unit.products.get(),
                                          upload=upload(data, kw.pop("name", "foto.jpg")), client_token=token)


def test_a_photo_is_stored_without_exif_and_its_time_and_place_are_kept_in_the_row(cast: Any, unit: Any) -> None:
    row = add_photo(cast, unit, photo_bytes())
    assert (row.latitude, row.longitude) == (Decimal("-2.175000"), Decimal("115.500000"))
    assert row.taken_at is not None and row.taken_at.hour == 10 and row.taken_at.minute == 20
    with row.file.open("rb") as f, Image.open(f) as stored:
        assert stored.format == "JPEG"
        exif = stored.getexif()
        assert len(exif) == 0 and not exif.get_ifd(0x8825)
        assert "exif" not in stored.info
    assert row.content_type == "image/jpeg" and row.original_name == "foto.jpg"


def test_a_png_photo_is_re_encoded_as_jpeg(cast: Any, unit: Any) -> None:
    row = add_photo(cast, unit, photo_bytes(fmt="PNG", gps=False), name="layar.png")
    assert row.file.name.endswith(".jpg") and row.latitude is None


def test_the_same_client_token_returns_the_stored_photo_and_writes_nothing(cast: Any, unit: Any) -> None:
    first = add_photo(cast, unit, photo_bytes())
    again = add_photo(cast, unit, photo_bytes())
    assert again.pk == first.pk and Evidence.objects.count() == 1


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"%PDF-1.7\n...", "foto.jpg", "bukan foto"),
    (b"GIF89a" + b"\0" * 20, "foto.jpg", "bukan foto"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "foto.png", "bukan foto"),
])
def test_a_photo_is_checked_by_its_content_not_its_name(cast: Any, unit: Any, data: bytes, name: str,
                                                        message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        add_photo(cast, unit, data, name=name)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("side", [60_000, 8_000])  # Pillow's own bomb limit, and Pantau's lower one
def test_a_decompression_bomb_is_refused_before_it_is_decoded(cast: Any, unit: Any, side: int) -> None:
    with pytest.raises(ValidationError, match="juta piksel"):
        add_photo(cast, unit, bomb_png(side, side))


def test_a_photo_over_the_byte_limit_is_refused(cast: Any, unit: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(services_evidence, "PHOTO_MAX_BYTES", 1000)
    with pytest.raises(ValidationError, match="terlalu besar"):
        add_photo(cast, unit, photo_bytes(size=(400, 400)))


def test_a_document_must_be_a_pdf_by_content(cast: Any, unit: Any) -> None:
    def add(data: bytes, name: str, token: str) -> Evidence:
        return services_evidence.evidence_add(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                              kind="document", sampled_product=unit.products.get(),
                                              upload=upload(data, name), client_token=token)

    with pytest.raises(ValidationError, match="PDF"):
        add(b"MZ\x90\x00 not a pdf", "sk.pdf", "d1")
    row = add(b"%PDF-1.4\n%%EOF\n", "sk.bin", "d2")
    assert row.content_type == "application/pdf" and row.file.name.endswith(".pdf")


def test_urls_and_notes_are_bounded_and_checked(cast: Any, unit: Any) -> None:
    def add(kind: str, token: str, **kw: Any) -> Evidence:
        return services_evidence.evidence_add(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                              kind=kind, sampled_product=unit.products.get(), client_token=token, **kw)

    with pytest.raises(ValidationError, match="alamat web"):
        add("url", "u1", url="javascript:alert(1)")
    with pytest.raises(ValidationError, match="terlalu panjang"):
        add("url", "u2", url="https://contoh.go.id/" + "a" * 600)
    with pytest.raises(ValidationError, match="terlalu panjang"):
        add("note", "n1", note="x" * 1001)
    assert add("url", "u3", url="https://tabalongkab.go.id/layanan").kind == "url"
    assert add("note", "n2", note="Papan persyaratan ada di loket 2").note.startswith("Papan")


def test_an_assessor_of_another_office_cannot_attach_evidence(cast: Any, unit: Any) -> None:
    with pytest.raises(NotInScope):
        add_photo(cast, unit, photo_bytes(), actor=cast.assessor_kalteng)


def test_evidence_on_an_item_of_the_wrong_level_is_refused(cast: Any, unit: Any) -> None:
    with pytest.raises(ValidationError, match="per produk"):
        services_evidence.evidence_add(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                       kind="note", note="x", client_token="w1")


def test_a_unit_is_not_submitted_while_required_evidence_is_missing(cast: Any, unit: Any) -> None:
    document = unit.period.methodology_version
    from pantau.assessments import services

    items = services.document_of(document).items.values()
    for item in items:
        product = unit.products.get() if item.level == "product" else None
        services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=unit, item=item.code,
                                     value=item.maximum, sampled_product=product)
    with pytest.raises(ValidationError, match="Bukti wajib belum dilampirkan: at_identitas: foto; "):
        services_answers.unit_submit(actor=cast.assessor_kalsel, sampled_unit=unit)
    unit.refresh_from_db()
    assert unit.status == "open"
    from pantau.assessments.tests.cycle_helpers import supply_evidence

    supply_evidence(cast.assessor_kalsel, unit)
    assert services_answers.unit_submit(actor=cast.assessor_kalsel, sampled_unit=unit).status == "submitted"


def test_an_item_answered_not_applicable_needs_no_evidence(cast: Any, unit: Any) -> None:
    from pantau.assessments import services

    document = services.document_of(unit.period.methodology_version)
    na = [i for i in document.items.values() if i.na_allowed and i.evidence]
    if not na:
        pytest.skip("no N/A item with evidence in this methodology")
    item = na[0]
    product = unit.products.get() if item.level == "product" else None
    services_answers.answer_save(actor=cast.assessor_kalsel, sampled_unit=unit, item=item.code, value=None,
                                 reason="tidak ada", sampled_product=product)
    assert services_evidence.missing_evidence(unit, document) == []


@pytest.fixture
def storage(monkeypatch: Any, tmp_path: Any) -> Any:
    """The evidence field's storage in a folder of this test's own."""
    from django.core.files.storage import FileSystemStorage

    own = FileSystemStorage(location=tmp_path / "evidence-store")
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", own)
    return own


def stored_files(storage: Any) -> list[str]:
    root = storage.location
    import os

    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _s, fs in os.walk(root) for f in fs)


def test_the_uploader_removes_evidence_while_the_unit_is_open_and_the_file_goes_after_commit(
    cast: Any, unit: Any, storage: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from pantau.core.models import AuditEvent

    ev = services_evidence.evidence_add(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                        kind="photo", sampled_product=unit.products.get(), upload=upload(photo_bytes()))
    assert len(stored_files(storage)) == 1
    with pytest.raises(NotInScope):
        services_evidence.evidence_remove(actor=cast.outsider, evidence=ev)
    with django_capture_on_commit_callbacks(execute=True):
        services_evidence.evidence_remove(actor=cast.assessor_kalsel, evidence=ev)
    assert not Evidence.objects.exists() and stored_files(storage) == []
    event = AuditEvent.objects.get(event_type="evidence.removed")
    assert event.before["kind"] == "photo" and event.actor_id == cast.assessor_kalsel.pk


def test_evidence_of_a_submitted_unit_stays_for_the_assessor(cast: Any, unit: Any, storage: Any) -> None:
    ev = services_evidence.evidence_add(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                        kind="note", sampled_product=unit.products.get(), note="papan ada")
    SampledUnit.objects.filter(pk=unit.pk).update(status=SampledUnit.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="sedang direviu"):
        services_evidence.evidence_remove(actor=cast.assessor_kalsel, evidence=ev)
    assert Evidence.objects.filter(pk=ev.pk).exists()


def test_a_failure_after_the_file_was_written_leaves_no_file(cast: Any, unit: Any, storage: Any,
                                                             monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services_evidence.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services_evidence.evidence_add(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                       kind="photo", sampled_product=unit.products.get(), upload=upload(photo_bytes()))
    assert not Evidence.objects.exists() and stored_files(storage) == []


def test_the_sweep_deletes_only_old_files_no_row_names(cast: Any, unit: Any, storage: Any) -> None:
    import datetime as dt
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.management import call_command

    kept = services_evidence.evidence_add(actor=cast.assessor_kalsel, sampled_unit=unit, item="sp_persyaratan",
                                          kind="photo", sampled_product=unit.products.get(),
                                          upload=upload(photo_bytes()))
    old = storage.save("evidence/2026/01/orphan.jpg", ContentFile(b"x"))
    fresh = storage.save("evidence/2026/01/in-flight.jpg", ContentFile(b"x"))
    two_days_ago = time.time() - 2 * 86400
    for name in (old, kept.file.name):
        os.utime(storage.path(name), (two_days_ago, two_days_ago))
    assert services_evidence.sweep_orphans(dt.timedelta(hours=24), dry_run=True) == [old]
    assert len(stored_files(storage)) == 3
    out = io.StringIO()
    call_command("sweep_evidence", stdout=out)
    assert "1 orphan evidence file(s) deleted" in out.getvalue()
    assert sorted(stored_files(storage)) == sorted([fresh, kept.file.name])
