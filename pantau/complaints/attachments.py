"""One uploaded attachment of a report, checked by its content and made safe to keep (issue 10, "Attachments").
Pure: standard library, Pillow and nothing of Django; the services store what :func:`sanitise` returns.

**Reading.** The upload is read in chunks of ``CHUNK`` bytes and refused as soon as it passes
``Limits.max_bytes``: nothing larger is ever held. :func:`check_report` bounds the count and the total
size of a report's attachments.

**Type.** :func:`sniff` tells the type from the bytes (magic numbers; for a ZIP, the parts inside:
``xl/workbook.xml`` is XLSX, ``word/document.xml`` DOCX). The name's extension, and the content type the
browser declared when it is specific, must agree with it: an EXE or a web page named ``.jpg``, a PDF
named ``.png`` or a ZIP named ``.xlsx`` is refused with a message naming the file and what it really is.
Accepted (``Limits.kinds``): JPEG, PNG, WebP, PDF, XLSX, DOCX. GIF, HEIC, SVG, HTML, old Office files,
macro-enabled Office files, archives and programs are refused.

**Images** are decoded by Pillow (only the decoder of the sniffed format) and written again: EXIF (GPS,
camera, time), XMP, comments and text chunks are gone; the EXIF orientation is applied first, an ICC
profile is converted to sRGB and dropped. JPEG stays JPEG (quality 85), PNG stays PNG, WebP stays WebP;
an animation keeps its first frame (flagged). A header of more than ``Limits.max_pixels`` pixels is refused
before any pixel is decoded (a decompression bomb); a truncated or corrupt image is refused.

**Office files** are kept byte for byte. Before anything is parsed the ZIP is bounded: at most
``max_members`` parts and ``max_unzipped`` bytes inflated (declared sizes, which ``zipfile`` never reads
past; the bytes read are counted too). The XML is parsed by expat, streaming, and a ``DOCTYPE`` or entity
declaration is refused. XLSX: hidden and very hidden sheets, hidden rows (``hidden="1"``, zero height, a
sheet whose rows are hidden by default) and hidden columns (``hidden="1"``, zero width) are flagged per
sheet. DOCX: hidden text, tracked changes and comments are flagged. Flags are Indonesian notes for the
staff who decide what is published.

**PDF** (``%PDF-`` at the start) is kept as is. JavaScript, launch actions, embedded files and encryption
are *flagged*, not refused: forms from government portals carry scripts, and attachments are only ever
downloaded through the permission check, never shown inline. Names are read with their ``#xx`` escapes
decoded; dictionaries inside compressed object streams are not seen (the flag is a hint, not a proof).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import posixpath
import re
import threading
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol
from xml.parsers import expat

from openpyxl.utils import get_column_letter
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from pantau.core.text import clean_name

MB = 1024 * 1024
CHUNK = 64 * 1024
NAME_CHARS = 100  # a stored file name, extension included


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class Kind:
    label: str  # in messages: "foto JPEG"
    content_type: str  # canonical, as stored and served
    extensions: tuple[str, ...]  # the first is canonical
    also_declared: tuple[str, ...] = ()  # other content types browsers send for it


KINDS = {
    "jpeg": Kind("foto JPEG", "image/jpeg", ("jpg", "jpeg", "jfif"), ("image/jpg", "image/pjpeg")),
    "png": Kind("gambar PNG", "image/png", ("png",), ("image/x-png",)),
    "webp": Kind("gambar WebP", "image/webp", ("webp",)),
    "pdf": Kind("dokumen PDF", "application/pdf", ("pdf",), ("application/x-pdf",)),
    "xlsx": Kind("lembar kerja Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ("xlsx",), ("application/vnd.ms-excel", "application/zip", "application/x-zip-compressed")),
    "docx": Kind("dokumen Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ("docx",), ("application/msword", "application/zip", "application/x-zip-compressed")),
}
# What sniff may also say, for the message (never accepted).
OTHER_LABELS = {
    "gif": "gambar GIF", "heic": "foto HEIC", "svg": "gambar SVG", "html": "halaman web (HTML)",
    "exe": "program Windows", "elf": "program", "script": "skrip", "ole": "berkas Office lama (.doc/.xls)",
    "zip": "arsip ZIP", "rar": "arsip RAR", "7z": "arsip 7z", "gzip": "arsip GZIP",
    "xlsm": "lembar kerja Excel bermakro", "docm": "dokumen Word bermakro",
}
IMAGE_FORMATS = {"jpeg": ("JPEG",), "png": ("PNG",), "webp": ("WEBP",)}
_GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * MB  # one file, as uploaded
    max_files: int = 5  # per report
    max_total: int = 25 * MB  # per report, as stored
    max_pixels: int = 40_000_000  # width × height of an image
    max_unzipped: int = 50 * MB  # an Office file's parts, inflated
    max_members: int = 2_000  # an Office file's parts
    kinds: frozenset[str] = frozenset(KINDS)

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unsupported attachment kinds: {sorted(unknown)}")


LIMITS = Limits()


class AttachmentRefused(ValueError):
    """An upload that is not kept; ``message`` (Indonesian) says which file, why, and what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Clean:
    data: bytes  # what to store: re-encoded for images, as uploaded otherwise
    kind: str  # a KINDS key
    content_type: str
    extension: str  # canonical, without the dot
    name: str  # safe file name: no path, bounded, with the canonical extension
    sha256: str  # of data
    size: int  # len(data)
    original_size: int
    original_sha256: str
    flags: tuple[str, ...] = ()  # Indonesian notes for staff (hidden sheets, scripts …)


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n // 1024} KB"


def _allowed(limits: Limits) -> str:
    labels = [KINDS[k].label for k in KINDS if k in limits.kinds]
    return ", ".join(labels[:-1]) + f" atau {labels[-1]}" if len(labels) > 1 else "".join(labels)


def safe_name(name: str, extension: str) -> str:
    """``name`` without folders, control characters or unusual signs, at most ``NAME_CHARS`` long, ending in
    ``.extension`` ("C:\\fakepath\\Foto KTP (1).JPEG" → "Foto KTP (1).jpg"); "lampiran.ext" when nothing is left."""
    base = clean_name(re.split(r"[\\/]", name)[-1])
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = re.sub(r"[^\w\s().,-]+", "_", stem).strip(" ._-")
    stem = re.sub(r"_+", "_", stem)[: NAME_CHARS - len(extension) - 1].rstrip(" .")
    if not stem or stem.upper().split(".")[0] in ("CON", "PRN", "AUX", "NUL", "COM1", "LPT1"):
        stem = f"lampiran{'_' + stem if stem else ''}"
    return f"{stem}.{extension}"


def _shown(name: str) -> str:
    """The file name as it appears in a message: one line, cut at 60 characters."""
    shown = clean_name(re.split(r"[\\/]", name)[-1]) or "tanpa nama"
    return shown if len(shown) <= 60 else shown[:59] + "…"


def read_limited(fileobj: Readable, name: str, limit: int) -> bytes:
    """All bytes of ``fileobj``, read in chunks; refused as soon as more than ``limit`` arrive."""
    parts: list[bytes] = []
    size = 0
    while chunk := fileobj.read(min(CHUNK, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            raise AttachmentRefused("too_large", f"Berkas \"{_shown(name)}\" terlalu besar: paling besar "
                                                 f"{_mb(limit)} per berkas. Perkecil atau bagi berkasnya, lalu "
                                                 "unggah lagi.")
        parts.append(chunk)
    return b"".join(parts)


def check_report(sizes: Sequence[int], limits: Limits = LIMITS) -> None:
    """Refuses when a report's attachments (the new one included) are too many or too large together."""
    if len(sizes) > limits.max_files:
        raise AttachmentRefused("too_many", f"Paling banyak {limits.max_files} lampiran per laporan. Hapus lampiran "
                                            "yang tidak perlu atau gabungkan beberapa foto ke satu PDF.")
    if sum(sizes) > limits.max_total:
        raise AttachmentRefused("total_too_large", f"Ukuran semua lampiran satu laporan paling besar "
                                                   f"{_mb(limits.max_total)} (dengan berkas ini: {_mb(sum(sizes))}).")


# --- type -------------------------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"), (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"MZ", "exe"), (b"\x7fELF", "elf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"Rar!", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"), (b"#!", "script"),
)
_MARKUP = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|"
                     rb"script|iframe|svg|!doctype\s+svg)", re.IGNORECASE | re.DOTALL)


def sniff(data: bytes) -> str | None:
    """The real type of a file from its bytes: a ``KINDS`` or ``OTHER_LABELS`` key, ``None`` when unknown.
    Given only the head of a ZIP the answer is ``"zip"``; given the whole file, what the ZIP holds."""
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc", b"ftypavif"):
        return "heic"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    kind = next((k for magic, k in _MAGIC if data.startswith(magic)), None)
    if kind == "zip":
        return _zip_kind(data)
    if kind is None and (markup := _MARKUP.match(data[:4096])):
        return "svg" if b"svg" in markup.group(1).lower() else "html"
    return kind


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return "zip"
    if "[Content_Types].xml" not in names:
        return "zip"
    macro = any(n.lower().endswith("vbaproject.bin") for n in names)
    if "xl/workbook.xml" in names:
        return "xlsm" if macro else "xlsx"
    if "word/document.xml" in names:
        return "docm" if macro else "docx"
    return "zip"


def _check_type(data: bytes, name: str, content_type: str | None, limits: Limits) -> str:
    shown = _shown(name)
    kind = sniff(data)
    base = re.split(r"[\\/]", name)[-1]
    ext = clean_name(base.rsplit(".", 1)[-1]).lower()[:12] if "." in base else ""
    if kind not in KINDS or kind not in limits.kinds:
        what = (KINDS[kind].label if kind in KINDS else OTHER_LABELS[kind]) if kind else "jenis yang tidak dikenal"
        extra = (" Ubah fotonya ke JPEG (di iPhone: Pengaturan › Kamera › Format › Paling Kompatibel) lalu unggah "
                 "lagi." if kind == "heic" else " Simpan tanpa makro (.xlsx/.docx) lalu unggah lagi."
                 if kind in ("xlsm", "docm") else "")
        raise AttachmentRefused("type", f"Berkas \"{shown}\" berisi {what}, yang tidak diterima sebagai lampiran. "
                                        f"Yang diterima: {_allowed(limits)}.{extra}")
    spec = KINDS[kind]
    if ext not in spec.extensions:
        named = f"berakhiran .{ext}" if ext else "tanpa akhiran"
        raise AttachmentRefused("disguised", f"Isi berkas \"{shown}\" adalah {spec.label}, tetapi namanya {named}. "
                                             "Berkas yang isinya tidak sesuai dengan namanya tidak diterima; bila "
                                             f"berkas ini memang {spec.label}, ganti akhiran namanya menjadi "
                                             f".{spec.extensions[0]} lalu unggah lagi.")
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared not in _GENERIC_TYPES and declared not in (spec.content_type, *spec.also_declared):
        raise AttachmentRefused("disguised", f"Berkas \"{shown}\" dikirim sebagai {declared}, tetapi isinya "
                                             f"{spec.label}. Unggah berkas aslinya.")
    return kind


# --- images -----------------------------------------------------------------------------------------------

_STRICT = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Truncated images fail while inside: WeasyPrint sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES``
    on import, which would pad a cut photo with grey instead of refusing it."""
    with _STRICT, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        before, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _reencode(data: bytes, kind: str, name: str, limits: Limits) -> tuple[bytes, list[str]]:
    shown = _shown(name)
    broken = AttachmentRefused("corrupt", f"Gambar \"{shown}\" rusak atau terpotong dan tidak dapat dibaca. Unggah "
                                          "lagi berkas aslinya dari kamera atau galeri.")
    flags: list[str] = []
    try:
        # Pillow warns (UserWarning) about damaged metadata it skips; the metadata is dropped here anyway.
        with _strict_decoding(), warnings.catch_warnings(), contextlib.ExitStack() as stack:
            warnings.simplefilter("ignore", UserWarning)
            image = stack.enter_context(Image.open(io.BytesIO(data), formats=IMAGE_FORMATS[kind]))
            width, height = image.size
            if width <= 0 or height <= 0 or width * height > limits.max_pixels:
                raise _too_many_pixels(shown, width, height, limits)
            if kind != "jpeg" and getattr(image, "n_frames", 1) > 1:  # an MPO's second frame is a depth map
                flags.append("Gambar bergerak: hanya bingkai pertama yang disimpan")
            image.load()
            upright = ImageOps.exif_transpose(image)
            icc = image.info.get("icc_profile")
            out = _plain(upright, icc)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(shown, 0, 0, limits) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, zlib.error) as exc:
        if isinstance(exc, AttachmentRefused):
            raise
        raise broken from None
    buffer = io.BytesIO()
    if kind == "jpeg":
        out = out if out.mode in ("RGB", "L") else out.convert("RGB")
        out.save(buffer, "JPEG", quality=85, optimize=True)
    elif kind == "png":
        out.save(buffer, "PNG")
    else:
        out.save(buffer, "WEBP", quality=85)
    return buffer.getvalue(), flags


def _too_many_pixels(shown: str, width: int, height: int, limits: Limits) -> AttachmentRefused:
    size = f" ({width} × {height} piksel)" if width and height else ""
    return AttachmentRefused("too_many_pixels", f"Gambar \"{shown}\" terlalu besar{size}: paling banyak "
                                                f"{limits.max_pixels // 1_000_000} juta piksel. Perkecil ukurannya "
                                                "lalu unggah lagi.")


def _plain(image: Image.Image, icc: object) -> Image.Image:
    """A copy of the pixels with nothing else: colours converted to sRGB when a profile came with them."""
    if isinstance(icc, bytes) and icc and image.mode in ("RGB", "RGBA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"))
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the pixels are kept as they are
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    plain = image.copy()
    transparency = image.info.get("transparency")
    plain.info = {} if transparency is None else {"transparency": transparency}
    return plain


# --- Office files -----------------------------------------------------------------------------------------

class _Xml:
    """Streams one ZIP part through expat: ``on_start(local_name, attributes)`` per element."""

    def __init__(self, archive: zipfile.ZipFile, budget: list[int]) -> None:
        self.archive, self.budget = archive, budget

    def parse(self, member: str, on_start: Callable[[str, dict[str, str]], None]) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")

        def refuse(*_args: object) -> None:
            raise ValueError("DTD")

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.StartElementHandler = lambda tag, attrs: on_start(
            tag.rsplit(" ", 1)[-1], {k.rsplit(" ", 1)[-1]: v for k, v in attrs.items()})
        with self.archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                self.budget[0] -= len(chunk)
                if self.budget[0] < 0:
                    raise _Bomb
                parser.Parse(chunk, False)
            parser.Parse(b"", True)


class _Bomb(Exception):
    pass


def _ranges(numbers: Iterable[int], show: Callable[[int], str]) -> str:
    """4, 5, 6, 9 → "4–6, 9" (the first 20 runs, then how many more)."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(show(a) if a == b else f"{show(a)}–{show(b)}" for a, b in runs[:20])
    return text + (f" dan {len(runs) - 20} rentang lain" if len(runs) > 20 else "")


class _Sheet:
    """What one worksheet hides, gathered element by element (a row without ``r`` follows the previous)."""

    def __init__(self) -> None:
        self.rows: set[int] = set()
        self.cols: set[int] = set()
        self.row, self.all_rows = 0, False

    def __call__(self, tag: str, a: dict[str, str]) -> None:
        hidden = a.get("hidden") in ("1", "true")
        if tag == "row":
            self.row = int(a["r"]) if a.get("r", "").isdigit() else self.row + 1
            if (hidden or a.get("ht") in ("0", "0.0")) and len(self.rows) < 100_000:
                self.rows.add(self.row)
        elif tag == "col" and (hidden or a.get("width") in ("0", "0.0")):
            self.cols.update(range(max(int(a.get("min") or 1), 1), min(int(a.get("max") or 0), 16_384) + 1))
        elif tag == "sheetFormatPr" and a.get("zeroHeight") in ("1", "true"):
            self.all_rows = True


def _xlsx_flags(xml: _Xml, names: set[str]) -> list[str]:
    sheets: list[tuple[str, str, str]] = []  # name, state, relationship id
    targets: dict[str, str] = {}
    xml.parse("xl/workbook.xml", lambda tag, a: sheets.append((a.get("name", "?"), a.get("state", "visible"),
                                                               a.get("id", ""))) if tag == "sheet" else None)
    if "xl/_rels/workbook.xml.rels" in names:
        xml.parse("xl/_rels/workbook.xml.rels", lambda tag, a: targets.__setitem__(a.get("Id", ""), a.get(
            "Target", "")) if tag == "Relationship" else None)
    flags = [f"Lembar tersembunyi: {sheet}" + (" (sangat tersembunyi)" if state == "veryHidden" else "")
             for sheet, state, _rid in sheets if state in ("hidden", "veryHidden")]
    for sheet, _state, rid in sheets:
        target = targets.get(rid, "")
        path = posixpath.normpath(target[1:] if target.startswith("/") else f"xl/{target}")
        if path not in names:
            continue
        scan = _Sheet()
        xml.parse(path, scan)
        if scan.rows:
            flags.append(f"Baris tersembunyi di {sheet}: {_ranges(scan.rows, str)}")
        if scan.all_rows:
            flags.append(f"Baris tersembunyi di {sheet}: semua baris kosong disembunyikan")
        if scan.cols:
            flags.append(f"Kolom tersembunyi di {sheet}: {_ranges(scan.cols, get_column_letter)}")
    return flags


def _docx_flags(xml: _Xml, names: set[str]) -> list[str]:
    seen: set[str] = set()
    xml.parse("word/document.xml", lambda tag, _a: seen.add(tag) if tag in ("vanish", "ins", "del") else None)
    flags = ["Teks tersembunyi di dokumen"] if "vanish" in seen else []
    if seen & {"ins", "del"}:
        flags.append("Dokumen berisi perubahan terlacak (track changes)")
    if "word/comments.xml" in names:
        flags.append("Dokumen berisi komentar")
    return flags


def _office_flags(data: bytes, kind: str, name: str, limits: Limits) -> list[str]:
    shown = _shown(name)
    bomb = AttachmentRefused("zip_bomb", f"Berkas \"{shown}\" tidak dapat diperiksa: bila dibuka isinya lebih dari "
                                         f"{_mb(limits.max_unzipped)} atau lebih dari {limits.max_members} bagian. "
                                         "Bagi datanya ke beberapa berkas lalu unggah lagi.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_members or sum(i.file_size for i in infos) > limits.max_unzipped:
                raise bomb
            names = {i.filename for i in infos}
            xml = _Xml(archive, [limits.max_unzipped])
            return _xlsx_flags(xml, names) if kind == "xlsx" else _docx_flags(xml, names)
    except _Bomb:
        raise bomb from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError, zlib.error, RuntimeError,
            NotImplementedError, expat.ExpatError) as exc:
        if isinstance(exc, AttachmentRefused):
            raise
        raise AttachmentRefused("corrupt", f"Berkas \"{shown}\" rusak atau tidak dapat dibaca sebagai "
                                           f"{KINDS[kind].label}. Simpan ulang berkasnya lalu unggah lagi.") from None


# --- PDF --------------------------------------------------------------------------------------------------

_PDF_NAME = re.compile(rb"/(?:[A-Za-z0-9]|#[0-9A-Fa-f]{2})+")
_PDF_FLAGS = {b"/JavaScript": "PDF berisi JavaScript", b"/JS": "PDF berisi JavaScript",
              b"/Launch": "PDF berisi perintah menjalankan program", b"/EmbeddedFile": "PDF berisi berkas tersemat",
              b"/EmbeddedFiles": "PDF berisi berkas tersemat",
              b"/Encrypt": "PDF dilindungi kata sandi atau enkripsi"}


def _pdf_flags(data: bytes) -> list[str]:
    found: list[str] = []
    for match in _PDF_NAME.finditer(data):
        raw = match.group()
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw
        flag = _PDF_FLAGS.get(name)
        if flag and flag not in found:
            found.append(flag)
    return found


# --- the whole --------------------------------------------------------------------------------------------

def sanitise(fileobj: Readable, name: str, limits: Limits = LIMITS, *, content_type: str | None = None) -> Clean:
    """``fileobj`` read (bounded), checked and made safe; :class:`AttachmentRefused` says why not."""
    data = read_limited(fileobj, name, limits.max_bytes)
    if not data:
        raise AttachmentRefused("empty", f"Berkas \"{_shown(name)}\" kosong. Pilih berkasnya lagi lalu unggah.")
    kind = _check_type(data, name, content_type, limits)
    flags: list[str] = []
    stored = data
    if kind in IMAGE_FORMATS:
        stored, flags = _reencode(data, kind, name, limits)
    elif kind in ("xlsx", "docx"):
        flags = _office_flags(data, kind, name, limits)
    else:
        flags = _pdf_flags(data)
    spec = KINDS[kind]
    return Clean(data=stored, kind=kind, content_type=spec.content_type, extension=spec.extensions[0],
                 name=safe_name(name, spec.extensions[0]), sha256=hashlib.sha256(stored).hexdigest(),
                 size=len(stored), original_size=len(data), original_sha256=hashlib.sha256(data).hexdigest(),
                 flags=tuple(flags))
