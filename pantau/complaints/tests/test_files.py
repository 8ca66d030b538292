"""Attachments of a case: made safe on the way in, opened only by who may see them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from pantau.complaints import files
from pantau.complaints.models import Attachment
from pantau.complaints.tests.helpers import file_report, to_examination
from pantau.core.models import AuditEvent
from tests.cast import client_for

pytestmark = pytest.mark.django_db


def gps_photo() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = image.getexif()
    exif[0x010F] = "KameraUji"  # Make
    exif[0x8825] = {1: "S", 2: (2.0, 10.0, 5.0), 3: "E", 4: (115.0, 22.0, 1.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()



def attach(case: Any, *uploads: Any, source: str = "reporter", actor: Any = None) -> list[Attachment]:
    with transaction.atomic():
        return files.attach(case=case, uploads=uploads, source=source, actor=actor)


def test_a_photo_is_stored_without_its_gps_metadata(c: Any) -> None:
    raw = gps_photo()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    case = file_report(c).case
    [item] = attach(case, SimpleUploadedFile("IMG_0001.JPG", raw, content_type="image/jpeg"))
    stored = item.file.open("rb").read()
    assert item.name == "IMG_0001.jpg" and item.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"KameraUji" not in stored


def stored_paths() -> set[str]:
    return {path for path in files.sweep_orphans(dt.timedelta(0), dry_run=True)}


def test_a_disguised_file_is_refused_and_nothing_is_kept(c: Any) -> None:
    case = file_report(c).case
    before = stored_paths()
    good = SimpleUploadedFile("foto.jpg", gps_photo(), content_type="image/jpeg")
    fake = SimpleUploadedFile("foto2.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        attach(case, good, fake)
    assert "foto2.jpg" in str(refused.value)
    assert not Attachment.objects.exists()
    assert stored_paths() == before


def test_a_file_left_by_a_rolled_back_transaction_is_swept(c: Any) -> None:
    case = file_report(c).case
    before = stored_paths()
    with pytest.raises(RuntimeError), transaction.atomic():
        photo = SimpleUploadedFile("a.jpg", gps_photo(), content_type="image/jpeg")
        files.attach(case=case, uploads=[photo], source="reporter")
        raise RuntimeError("the caller fails after the file was written")
    [orphan] = stored_paths() - before
    assert orphan in files.sweep_orphans(dt.timedelta(0))
    assert orphan not in stored_paths()


def test_a_refusal_reads_in_english_when_english_is_chosen(c: Any) -> None:
    from django.utils import translation

    case = file_report(c)
    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    exe = SimpleUploadedFile("foto.jpg", gps_photo(), content_type="application/pdf")
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            attach(case.case, fake)
        assert 'The file "surat.pdf" contains Windows program, which is not accepted' in str(refused.value)
        assert "Accepted: JPEG photo, PNG image" in str(refused.value)
        with pytest.raises(ValidationError) as refused:
            attach(case.case, exe)
        assert 'was sent as application/pdf, but it contains a JPEG photo' in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        attach(case.case, SimpleUploadedFile("surat.pdf", b"MZ\x90\x00" + b"\x00" * 200,
                                             content_type="application/pdf"))
    assert "berisi program Windows" in str(refused.value)


def test_too_many_files_are_refused(c: Any) -> None:
    case = file_report(c).case
    photos = [SimpleUploadedFile(f"f{i}.jpg", gps_photo(), content_type="image/jpeg") for i in range(6)]
    with pytest.raises(ValidationError):
        attach(case, *photos)
    assert not Attachment.objects.exists()


def test_staff_download_is_scoped_and_audited(c: Any) -> None:
    case = to_examination(c, file_report(c).case)
    [reporter_file] = attach(case, SimpleUploadedFile("ktp.jpg", gps_photo(), content_type="image/jpeg"))
    [provider_file] = attach(case, SimpleUploadedFile("bukti.jpg", gps_photo(), content_type="image/jpeg"),
                             source="provider", actor=c.admin_tabalong)
    url = reverse("complaint_files:staff", args=[case.pk, reporter_file.pk])
    response = client_for(c.examiner_kalsel).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(event_type="case.attachment_downloaded").count() == 1
    assert client_for(c.admin_tabalong).get(url).status_code == 404  # the reporter's file: may show identity
    assert client_for(c.intake_kalteng).get(url).status_code == 404
    assert client_for(c.head_kalsel).get(url).status_code == 404  # a confidential reporter's identity documents
    assert client_for(c.examiner2_kalsel).get(url).status_code == 404  # not assigned
    provider_url = reverse("complaint_files:staff", args=[case.pk, provider_file.pk])
    assert client_for(c.admin_tabalong).get(provider_url).status_code == 200
    assert client_for(c.admin_barsel).get(provider_url).status_code == 404
    assert client_for(c.head_kalsel).get(provider_url).status_code == 200


def test_the_reporter_opens_their_own_files_through_the_link_only(c: Any) -> None:
    opened = file_report(c)
    [item] = attach(opened.case, SimpleUploadedFile("ktp.jpg", gps_photo(), content_type="image/jpeg"))
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(reverse("complaint_files:reporter", args=[opened.token, item.pk])).status_code == 200
    assert anonymous.get(reverse("complaint_files:reporter", args=[opened.token + "x", item.pk])).status_code == 404
    other = file_report(c)
    assert anonymous.get(reverse("complaint_files:reporter", args=[other.token, item.pk])).status_code == 404
