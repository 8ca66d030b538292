"""Attachments against real files made here: photos with GPS EXIF, an Excel workbook with hidden sheets,
rows and columns, disguised files, an endless upload, decompression and zip bombs, and fuzzed bytes."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, PngImagePlugin

from pantau.complaints import attachments as at
from pantau.complaints.attachments import AttachmentRefused, Limits, check_report, safe_name, sanitise, sniff

SECRET = b"RAHASIA-LOKASI"  # written into every piece of metadata; must not survive


def photo(fmt: str = "JPEG", size: tuple[int, int] = (40, 20), mode: str = "RGB", orientation: int = 6) -> bytes:
    """A photo as a phone sends it: GPS position, camera, orientation, XMP and a comment."""
    image = Image.new(mode, size, "red" if mode != "RGBA" else (255, 0, 0, 128))
    image.paste("blue" if mode != "RGBA" else (0, 0, 255, 255), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.5), 3: "E", 4: (106.0, 49.0, 12.25), 18: SECRET.decode()}
    out = io.BytesIO()
    extra: dict[str, Any] = {"exif": exif.tobytes(), "xmp": b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"}
    if fmt == "JPEG":
        extra["comment"] = SECRET
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", SECRET.decode())
        extra["pnginfo"] = info
    image.save(out, fmt, **extra)
    return out.getvalue()


def clean(data: bytes, name: str, limits: Limits = at.LIMITS, **kwargs: Any) -> at.Clean:
    return sanitise(io.BytesIO(data), name, limits, **kwargs)


def refused(data: bytes, name: str, limits: Limits = at.LIMITS, **kwargs: Any) -> AttachmentRefused:
    with pytest.raises(AttachmentRefused) as info:
        clean(data, name, limits, **kwargs)
    return info.value


# --- images -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "name", "mode"), [("JPEG", "IMG_2024.jpg", "RGB"), ("PNG", "layar.png", "RGBA"),
                                                   ("WEBP", "foto.webp", "RGB")])
def test_photo_metadata_is_gone_and_orientation_applied(fmt: str, name: str, mode: str) -> None:
    original = photo(fmt, mode=mode)
    with Image.open(io.BytesIO(original)) as check:  # the test file really carries what must go
        assert check.getexif().get_ifd(0x8825) and SECRET in original
    result = clean(original, name)
    assert result.kind == fmt.lower().replace("jpeg", "jpeg") and result.flags == ()
    assert SECRET not in result.data and b"KameraRahasia" not in result.data and b"Exif\x00\x00" not in result.data
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.format == fmt
        assert dict(image.getexif()) == {}
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "Author", "icc_profile"} & set(image.info)
        assert image.size == (20, 40)  # orientation 6 turned the 40 × 20 picture upright
        image = image.convert("RGBA")
        assert image.getpixel((10, 2))[:3] == pytest.approx((0, 0, 255), abs=40)  # blue half now on top
        if mode == "RGBA":
            assert image.getpixel((10, 30))[3] == 128  # transparency kept
    assert result.size == len(result.data) and result.original_size == len(original)
    assert result.sha256 != result.original_sha256


def test_icc_profile_is_converted_and_dropped() -> None:
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "JPEG", icc_profile=icc)
    result = clean(out.getvalue(), "warna.jpg")
    with Image.open(io.BytesIO(result.data)) as image:
        assert "icc_profile" not in image.info


def test_cmyk_jpeg_becomes_rgb() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 255, 255, 0)).save(out, "JPEG")
    with Image.open(io.BytesIO(clean(out.getvalue(), "cetak.jpg").data)) as image:
        assert image.mode == "RGB"


def test_animated_png_keeps_its_first_frame_and_is_flagged() -> None:
    out = io.BytesIO()
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "green")]
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])
    result = clean(out.getvalue(), "animasi.png")
    assert result.flags == ("Gambar bergerak: hanya bingkai pertama yang disimpan",)
    with Image.open(io.BytesIO(result.data)) as image:
        assert getattr(image, "n_frames", 1) == 1


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in a few bytes (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [7_000, 10_000, 20_000, 60_000])  # 49 MP, beyond Pillow's warning, its error
def test_decompression_bomb_is_refused_before_decoding(side: int) -> None:
    error = refused(png_header(side, side), "bom.png")
    assert error.code == "too_many_pixels" and "\"bom.png\"" in error.message and "40 juta piksel" in error.message


def test_real_large_image_over_a_lower_limit() -> None:
    out = io.BytesIO()
    Image.new("1", (3_000, 2_000)).save(out, "PNG")
    assert clean(out.getvalue(), "a.png", Limits(max_pixels=6_000_000)).kind == "png"
    assert refused(out.getvalue(), "a.png", Limits(max_pixels=5_999_999)).code == "too_many_pixels"


@pytest.mark.parametrize("lenient", [False, True])  # True: as after `import weasyprint`, which sets it
def test_truncated_and_corrupt_images_are_refused(lenient: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)
    original = photo("JPEG", size=(400, 300))
    for cut in (len(original) // 2, len(original) - 2):
        error = refused(original[:cut], "terpotong.jpg")
        assert error.code == "corrupt" and "\"terpotong.jpg\" rusak atau terpotong" in error.message
    png = photo("PNG", size=(400, 300))
    assert refused(png[: png.index(b"IDAT") + 12], "terpotong.png").code == "corrupt"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is lenient  # put back as it was
    assert refused(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "x.png").code == "corrupt"
    assert refused(b"RIFF\0\0\0\0WEBPVP8 " + b"\xff" * 50, "x.webp").code == "corrupt"


# --- type and name ------------------------------------------------------------------------------------------

def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Sheet1"
    for row in range(1, 11):
        first.append([f"r{row}c{col}" for col in range(1, 6)])
    for row in (4, 7, 8):
        first.row_dimensions[row].hidden = True
    first.column_dimensions["C"].hidden = True
    book.create_sheet("Sheet2").sheet_state = "hidden"
    book.create_sheet("Data Pelapor").sheet_state = "veryHidden"
    book.create_sheet("Rekap")["A1"] = "ok"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sniff_reads_content_not_names() -> None:
    assert sniff(photo("JPEG")) == "jpeg" and sniff(photo("PNG")) == "png" and sniff(photo("WEBP")) == "webp"
    assert sniff(b"%PDF-1.7\n") == "pdf" and sniff(b"MZ\x90\x00") == "exe" and sniff(b"GIF89a") == "gif"
    assert sniff(b"  <!DOCTYPE html><html>") == "html" and sniff(b"<?xml version='1.0'?><svg>") == "svg"
    assert sniff(b"\0\0\0\x18ftypheic") == "heic" and sniff(b"hello") is None
    assert sniff(xlsx_bytes()) == "xlsx" and sniff(xlsx_bytes()[:64]) == "zip"


@pytest.mark.parametrize(("data", "name", "code", "words"), [
    (b"MZ\x90\x00" + b"\0" * 200, "foto.jpg", "type", "program Windows"),
    (b"<html><script>alert(1)</script></html>", "foto.jpg", "type", "halaman web (HTML)"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "peta.png", "type", "gambar SVG"),
    (b"%PDF-1.4\n%%EOF", "scan.png", "disguised", "dokumen PDF, tetapi namanya berakhiran .png"),
    (b"GIF89a" + b"\0" * 20, "a.gif", "type", "gambar GIF"),
    (b"\0\0\0\x18ftypheic" + b"\0" * 20, "IMG_0001.HEIC", "type", "Paling Kompatibel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "data.xls", "type", "berkas Office lama"),
    (b"just some text", "catatan.txt", "type", "jenis yang tidak dikenal"),
])
def test_disguised_and_unaccepted_files_are_refused_by_name(data: bytes, name: str, code: str, words: str) -> None:
    error = refused(data, name)
    assert error.code == code and f"\"{name}\"" in error.message and words in error.message
    assert isinstance(error, ValueError) and str(error) == error.message


def test_names_and_declared_types_must_agree_with_content() -> None:
    jpeg = photo("JPEG")
    assert refused(jpeg, "foto.png").code == "disguised"
    assert refused(jpeg, "foto").code == "disguised"
    assert "namanya berakhiran .png" in refused(jpeg, "C:\\foto.jpg\\gambar.png").message
    assert refused(xlsx_bytes(), "laporan.pdf").code == "disguised"
    assert refused(jpeg, "foto.jpg", content_type="application/pdf").code == "disguised"
    for declared in (None, "", "image/jpeg", "image/pjpeg", "application/octet-stream", "IMAGE/JPEG; x=1"):
        assert clean(jpeg, "foto.JPEG", content_type=declared).content_type == "image/jpeg"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "x")
    assert "arsip ZIP" in refused(plain_zip.getvalue(), "data.xlsx").message


def test_a_kind_left_out_of_the_limits_is_refused() -> None:
    error = refused(photo("PNG"), "a.png", Limits(kinds=frozenset({"jpeg", "pdf"})))
    assert error.code == "type" and "Yang diterima: foto JPEG atau dokumen PDF." in error.message
    with pytest.raises(ValueError, match="gif"):
        Limits(kinds=frozenset({"gif"}))


@pytest.mark.parametrize(("name", "ext", "expected"), [
    ("C:\\fakepath\\Foto KTP (1).JPEG", "jpg", "Foto KTP (1).jpg"),
    ("../../etc/passwd.jpg", "jpg", "passwd.jpg"),
    ("<script>alert(1)</script>.pdf", "pdf", "script.pdf"),  # "/" ends a folder
    ("<laporan>?*:|\"surat\".pdf", "pdf", "laporan_surat.pdf"),
    ("laporan\u202egpj.exe.xlsx", "xlsx", "laporangpj.exe.xlsx"),
    ("...", "pdf", "lampiran.pdf"),
    ("CON.jpg", "jpg", "lampiran_CON.jpg"),
    (".htaccess", "png", "htaccess.png"),
    ("Bukti transfer Rp 150.000.png", "png", "Bukti transfer Rp 150.000.png"),
])
def test_safe_name(name: str, ext: str, expected: str) -> None:
    assert safe_name(name, ext) == expected


def test_safe_name_is_bounded() -> None:
    name = safe_name("a" * 500 + ".jpeg", "jpg")
    assert len(name) == at.NAME_CHARS and name.endswith("a.jpg")
    assert clean(photo(), "/home/budi/" + "é" * 300 + ".jpg").name == "é" * 96 + ".jpg"


# --- reading and per-report limits -------------------------------------------------------------------------

class Endless:
    """An upload that never ends; counts what was read."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "an unbounded read"
        self.read_bytes += size
        return b"\xff\xd8\xff" + b"\0" * (size - 3) if size >= 3 else b"\0" * size


def test_an_oversized_stream_is_refused_after_reading_just_past_the_limit() -> None:
    stream = Endless()
    with pytest.raises(AttachmentRefused) as info:
        sanitise(stream, "video.jpg", Limits(max_bytes=1_000_000))
    assert info.value.code == "too_large" and "paling besar 976 KB per berkas" in info.value.message
    assert stream.read_bytes == 1_000_001
    assert refused(b"\xff" * (10 * at.MB + 1), "besar.jpg").message.startswith(
        "Berkas \"besar.jpg\" terlalu besar: paling besar 10 MB per berkas.")


def test_exactly_the_limit_is_read_whole() -> None:
    data = photo()
    assert clean(data, "a.jpg", Limits(max_bytes=len(data))).original_size == len(data)
    assert refused(data, "a.jpg", Limits(max_bytes=len(data) - 1)).code == "too_large"
    assert refused(b"", "kosong.pdf").code == "empty"


def test_report_count_and_total() -> None:
    check_report([at.MB] * 5)
    assert "Paling banyak 5 lampiran" in pytest.raises(AttachmentRefused, check_report, [1] * 6).value.message
    with pytest.raises(AttachmentRefused) as info:
        check_report([10 * at.MB, 10 * at.MB, 6 * at.MB])
    assert info.value.code == "total_too_large" and "25 MB (dengan berkas ini: 26 MB)" in info.value.message


# --- spreadsheets and documents ------------------------------------------------------------------------------

def test_xlsx_hidden_sheets_rows_and_columns_are_flagged_and_bytes_kept() -> None:
    data = xlsx_bytes()
    result = clean(data, "rekap pengaduan.xlsx")
    assert result.data == data and result.sha256 == result.original_sha256
    assert result.flags == (
        "Lembar tersembunyi: Sheet2",
        "Lembar tersembunyi: Data Pelapor (sangat tersembunyi)",
        "Baris tersembunyi di Sheet1: 4, 7–8",
        "Kolom tersembunyi di Sheet1: C",
    )
    assert result.content_type.endswith("spreadsheetml.sheet") and result.name == "rekap pengaduan.xlsx"


def test_a_plain_xlsx_has_no_flags() -> None:
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    assert clean(out.getvalue(), "a.xlsx").flags == ()


def rezip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """``data`` (a ZIP) with parts replaced, added or (None) removed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in changes:
                target.writestr(info.filename, source.read(info))
        for name, body in changes.items():
            if body is not None:
                target.writestr(name, body)
    return out.getvalue()


def test_zero_height_rows_zero_width_columns_and_rows_hidden_by_default() -> None:
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/><cols><col min="27" max="28" width="0"/></cols>'
             b'<sheetData><row r="2" ht="0" customHeight="1"/><row r="3"/></sheetData></worksheet>')
    data = rezip(xlsx_bytes(), {"xl/worksheets/sheet4.xml": sheet})
    flags = clean(data, "a.xlsx").flags
    assert flags[-3:] == ("Baris tersembunyi di Rekap: 2", "Baris tersembunyi di Rekap: semua baris kosong "
                          "disembunyikan", "Kolom tersembunyi di Rekap: AA–AB")


def test_zip_bomb_named_xlsx_is_refused() -> None:
    bomb = rezip(xlsx_bytes(), {"xl/worksheets/sheet1.xml": b"<a>" + b" " * (51 * at.MB) + b"</a>"})
    assert len(bomb) < at.MB
    error = refused(bomb, "data.xlsx")
    assert error.code == "zip_bomb" and "lebih dari 50 MB" in error.message
    many = rezip(xlsx_bytes(), {f"xl/media/{i}.txt": b"" for i in range(2_001)})
    assert refused(many, "data.xlsx").code == "zip_bomb"


def test_zip_bomb_that_lies_about_its_sizes_is_stopped_at_the_stated_size() -> None:
    big = b"<worksheet>" + b" " * (60 * at.MB) + b"</worksheet>"
    data = bytearray(rezip(xlsx_bytes(), {"xl/worksheets/sheet1.xml": big}))
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):  # central directory, local header
        name_at = {b"PK\x01\x02": 46, b"PK\x03\x04": 30}[signature]
        entry = next(i for i in range(len(data)) if data.startswith(signature, i)
                     and data[i + name_at:i + name_at + len(name)] == name)
        data[entry + size_at:entry + size_at + 4] = struct.pack("<I", 1_000)  # "1 000 bytes when inflated"
    error = refused(bytes(data), "data.xlsx")
    assert error.code == "corrupt"  # zipfile stops at 1 000 bytes and finds the CRC wrong


def test_entities_and_doctype_are_refused() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b'<workbook><sheets><sheet name="&lol2;" sheetId="1"/></sheets></workbook>')
    error = refused(rezip(xlsx_bytes(), {"xl/workbook.xml": laughs}), "data.xlsx")
    assert error.code == "corrupt" and "Simpan ulang" in error.message
    external = b'<?xml version="1.0"?><!DOCTYPE workbook SYSTEM "http://contoh.invalid/a.dtd"><workbook/>'
    assert refused(rezip(xlsx_bytes(), {"xl/workbook.xml": external}), "data.xlsx").code == "corrupt"


def test_macro_workbook_and_broken_parts_are_refused() -> None:
    macro = rezip(xlsx_bytes(), {"xl/vbaProject.bin": b"\0" * 10})
    assert "makro" in refused(macro, "data.xlsx").message
    broken = rezip(xlsx_bytes(), {"xl/worksheets/sheet1.xml": b"<worksheet><row"})
    assert refused(broken, "data.xlsx").code == "corrupt"


def docx_bytes(body: bytes, comments: bool = False) -> bytes:
    ns = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document " + ns + b"><w:body>" + body + b"</w:body></w:document>")
        if comments:
            archive.writestr("word/comments.xml", b"<w:comments " + ns + b"/>")
    return out.getvalue()


def test_docx_hidden_text_changes_and_comments_are_flagged() -> None:
    plain = docx_bytes(b"<w:p><w:r><w:t>Kronologi</w:t></w:r></w:p>")
    assert clean(plain, "kronologi.docx").flags == ()
    hidden = docx_bytes(b"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>NIK</w:t></w:r><w:del/></w:p>", comments=True)
    assert clean(hidden, "kronologi.docx").flags == ("Teks tersembunyi di dokumen", "Dokumen berisi perubahan "
                                                     "terlacak (track changes)", "Dokumen berisi komentar")


# --- PDF ----------------------------------------------------------------------------------------------------

def test_pdf_is_kept_and_scripts_are_flagged() -> None:
    plain = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    result = clean(plain, "surat.pdf")
    assert result.data == plain and result.flags == () and result.content_type == "application/pdf"
    script = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> /Launch 2 0 R >> endobj"
    assert clean(script, "surat.pdf").flags == ("PDF berisi JavaScript", "PDF berisi perintah menjalankan program")
    assert clean(b"%PDF-1.7 /Encrypt 5 0 R /EmbeddedFiles /Type /EmbeddedFile", "a.pdf").flags == (
        "PDF dilindungi kata sandi atau enkripsi", "PDF berisi berkas tersemat")
    assert clean(b"%PDF-1.7 /JSON /Launcher /JavaScripts", "a.pdf").flags == ()  # whole names only


def test_html_before_the_pdf_signature_is_not_a_pdf() -> None:
    assert refused(b"<html>%PDF-1.4", "surat.pdf").code == "type"


# --- anything else -----------------------------------------------------------------------------------------

SEEDS = [photo("JPEG"), photo("PNG"), photo("WEBP"), xlsx_bytes(), b"%PDF-1.4 /JS"]


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(SEEDS))), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)),
                                                     max_size=8), st.integers(0, 10**6), st.binary(max_size=64))
def test_mutated_files_give_a_clean_file_or_a_refusal(seed: int, flips: list[tuple[int, int]], cut: int,
                                                       junk: bytes) -> None:
    data = bytearray(SEEDS[seed])
    for at_, value in flips:
        data[at_ % len(data)] = value
    data = data[: max(1, cut % (len(data) + 1))] + junk
    name = ("a.jpg", "a.png", "a.webp", "a.xlsx", "a.pdf")[seed]
    try:
        result = clean(bytes(data), name)
    except AttachmentRefused as error:
        assert error.message and "\"a." in error.message
        return
    assert result.size == len(result.data) and result.kind in at.KINDS
    if result.kind in ("jpeg", "png", "webp"):
        assert SECRET not in result.data
