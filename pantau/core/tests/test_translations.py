"""The English catalogue (``pantau/locale/en``) is complete, compiled, in step with the source, and used.

The source strings are Indonesian (docs/decisions/0002-indonesian-source-strings.md). When a test
here fails after new UI strings were added, the fix is always the same: run ``make messages``,
translate the new entries in ``django.po`` (and clear any ``#, fuzzy``), run ``make messages``
again to compile, and commit both ``django.po`` and ``django.mo``.
"""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tokenize
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation.template import templatize

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
FIX = (f"Fix: run `make messages`, translate every new or '#, fuzzy' entry in {PO.relative_to(PACKAGE.parent)}, "
       "run `make messages` again to compile it, and commit both the .po and the .mo.")

Key = tuple[str | None, str, str | None]  # (msgctxt, msgid, msgid_plural)


# --- a small reader of the .po and .mo formats (no dependency needed) ------------------------------

@dataclass(frozen=True)
class Entry:
    line: int
    context: str | None
    msgid: str
    plural: str | None
    msgstrs: tuple[str, ...]
    flags: frozenset[str]

    @property
    def key(self) -> Key:
        return (self.context, self.msgid, self.plural)

    def __str__(self) -> str:
        where = f" (context {self.context!r})" if self.context else ""
        return f"line {self.line}: {self.msgid!r}{where}"


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file written by msgmerge (one blank line between entries); obsolete ones are left out."""
    entries: list[Entry] = []
    line_no = 1
    for block in text.split("\n\n"):
        fields: dict[str, list[str]] = {}
        flags: set[str] = set()
        current: list[str] | None = None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#"):
                current = None
            elif line.startswith('"') and current is not None:
                current.append(ast.literal_eval(line))
            elif line:
                name, _, literal = line.partition(" ")
                current = fields.setdefault(name, [])
                current.append(ast.literal_eval(literal))
        if "msgid" in fields:
            strs = [name for name in fields if name.startswith("msgstr")]
            first = next(i for i, ln in enumerate(block.splitlines()) if ln.startswith(("msgctxt", "msgid")))
            entries.append(Entry(
                line=line_no + first,
                context="".join(fields["msgctxt"]) if "msgctxt" in fields else None,
                msgid="".join(fields["msgid"]),
                plural="".join(fields["msgid_plural"]) if "msgid_plural" in fields else None,
                msgstrs=tuple("".join(fields[name]) for name in sorted(strs)),
                flags=frozenset(flags),
            ))
        line_no += block.count("\n") + 2
    return entries


def read_mo(data: bytes) -> dict[str, str]:
    """The (original → translation) table of a GNU .mo file, as msgfmt wrote it."""
    order = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    table: dict[str, str] = {}
    for i in range(count):
        o_len, o_at = struct.unpack(order + "2I", data[originals + 8 * i:originals + 8 * i + 8])
        t_len, t_at = struct.unpack(order + "2I", data[translations + 8 * i:translations + 8 * i + 8])
        table[data[o_at:o_at + o_len].decode()] = data[t_at:t_at + t_len].decode()
    return table


PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")


def problems(entries: list[Entry]) -> list[str]:
    """What keeps a catalogue from being finished: fuzzy flags, empty translations, changed placeholders."""
    found: list[str] = []
    for e in entries:
        if "fuzzy" in e.flags:
            found.append(f"{e} is marked fuzzy")
        if not e.msgid:
            continue  # the header
        if not e.msgstrs or any(not s.strip() for s in e.msgstrs):
            found.append(f"{e} has no translation")
            continue
        if "python-format" in e.flags:
            sources = [e.msgid] + [e.plural or e.msgid] * (len(e.msgstrs) - 1)
            for source, translation in zip(sources, e.msgstrs, strict=True):
                if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(translation)):
                    found.append(f"{e} changes its placeholders: {translation!r}")
    return found


def entries() -> list[Entry]:
    return parse_po(PO.read_text(encoding="utf-8"))


# --- (1) every entry is translated ------------------------------------------------------------------

def test_every_string_in_the_english_catalogue_is_translated_and_not_fuzzy() -> None:
    catalogue = entries()
    assert len(catalogue) > 250  # the parser really read the file
    found = problems(catalogue)
    assert not found, "Unfinished English translations:\n  " + "\n  ".join(found) + "\n" + FIX


def test_the_check_finds_fuzzy_empty_and_broken_entries() -> None:
    sample = '''msgid ""
msgstr "Language: en\\n"

#, fuzzy
msgid "Simpan"
msgstr "Save"

msgid "Belum"
msgstr ""

#, python-format
msgid "Halo %(n)s"
msgstr "Hello %(name)s"

#, python-format
msgid "%(n)s produk"
msgid_plural "%(n)s produk"
msgstr[0] "%(n)s product"
msgstr[1] ""

msgctxt "ctx"
msgid "Instansi"
msgstr "Institution"
'''
    parsed = parse_po(sample)
    assert [e.line for e in parsed] == [1, 5, 8, 12, 16, 21]
    assert parsed[4].key == (None, "%(n)s produk", "%(n)s produk") and parsed[5].context == "ctx"
    found = problems(parsed)
    assert len(found) == 4
    assert "'Simpan'" in found[0] and "fuzzy" in found[0]
    assert "'Belum'" in found[1] and "'%(n)s produk'" in found[3]
    assert "placeholders" in found[2]


# --- (2) the committed .mo is the compiled .po ------------------------------------------------------

def compiled_form(catalogue: list[Entry]) -> dict[str, str]:
    """What msgfmt puts into the .mo for these entries.

    msgfmt leaves out fuzzy and untranslated entries, and the header's POT-Creation-Date.
    """
    table: dict[str, str] = {}
    for e in catalogue:
        if "fuzzy" in e.flags or not all(e.msgstrs):
            continue
        if not e.msgid:
            table[""] = "".join(ln for ln in e.msgstrs[0].splitlines(keepends=True)
                                if not ln.startswith("POT-Creation-Date:"))
            continue
        original = (f"{e.context}\x04" if e.context is not None else "") + e.msgid
        if e.plural is not None:
            original += "\x00" + e.plural
        table[original] = "\x00".join(e.msgstrs)
    return table


def test_the_committed_mo_file_is_the_compiled_po_file() -> None:
    assert MO.exists(), f"{MO.name} is missing. {FIX}"
    compiled, expected = read_mo(MO.read_bytes()), compiled_form(entries())
    stale = sorted(set(compiled.items()) ^ set(expected.items()))
    assert not stale, (f"django.mo is out of date with django.po for {len(stale)} entries, e.g. "
                       f"{[s[0] for s in stale[:5]]}. {FIX}")


# --- (3) pages in English ---------------------------------------------------------------------------

def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_english(body: str, english: list[str], indonesian: list[str]) -> None:
    assert '<html lang="en">' in body
    missing = [s for s in english if s not in body]
    left = [s for s in indonesian if s in body]
    assert not missing and not left, f"English text missing: {missing}; Indonesian left over: {left}"


@pytest.mark.django_db
def test_the_home_page_is_english_with_the_language_cookie() -> None:
    body = english_client().get(reverse("public:home")).content.decode()
    assert_english(body, ["Find public service standards", "Find a service", "Skip to content", "Sign in",
                          "Service, unit or institution", "All provinces", "Bahasa Indonesia"],
                   ["Cari standar pelayanan publik", "Cari layanan", "Langsung ke isi", "Semua provinsi", "Masuk"])


def test_search_results_use_english_plurals(cast: Any) -> None:
    client = english_client()
    body = client.get(reverse("public:search"), {"q": "KTP"}).content.decode()
    assert_english(body, ["2 services found.", "Penerbitan KTP-el"], ["layanan ditemukan"])
    body = client.get(reverse("public:search"), {"q": "bangunan"}).content.decode()
    assert "1 service found." in body
    body = client.get(reverse("public:search"), {"q": "tidak-ada-layanan-ini"}).content.decode()
    assert_english(body, ["0 services found.", "No matching services."], ["Tidak ada layanan"])


def test_the_product_page_tells_a_citizen_the_standard_in_english(cast: Any) -> None:
    body = english_client().get(reverse("public:product", args=[cast.ktp.pk])).content.decode()
    assert_english(body, ["Requirements", "Procedure", "Completion time", "Cost", "Free", "How to complain",
                          "SP4N-LAPOR!", "illegal levy", "Service pledge (maklumat pelayanan)", "Service output",
                          "Service management components", "in effect since 2 January 2025"],
                   ["Persyaratan", "Prosedur", "Cara mengadu", "Gratis", "pungutan liar", "berlaku sejak",
                    "Komponen pengelolaan", "Januari"])
    assert "Fotokopi Kartu Keluarga" in body  # the provider's own content stays as published


def test_the_login_page_is_english_when_english_was_chosen(db: Any) -> None:
    body = english_client().get(reverse("accounts:login")).content.decode()
    assert_english(body, ["Sign in to Pantau", "Username", "Password", "Forgot your password?"],
                   ["Nama pengguna", "Kata sandi", "Lupa kata sandi"])


def test_the_language_switch_turns_the_site_english_and_back(cast: Any) -> None:
    client, url = Client(), reverse("public:product", args=[cast.ktp.pk])
    assert "Persyaratan" in client.get(url).content.decode()  # Indonesian by default
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Requirements" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": url})
    body = client.get(url).content.decode()
    assert '<html lang="id">' in body and "Persyaratan" in body and "Requirements" not in body


# --- (4) the catalogue holds every string marked in the source --------------------------------------

# xgettext's keywords as Django's makemessages passes them: name → (context, singular, plural) positions.
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None), "gettext": (None, 0, None), "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None), "ngettext": (None, 0, 1), "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None), "pgettext_lazy": (0, 1, None), "npgettext": (0, 1, 2), "npgettext_lazy": (0, 1, 2),
}


def marked_strings(source: str) -> Iterator[Key]:
    """Calls of the gettext family with literal arguments, as xgettext finds them in Python code."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)]
    for i, tok in enumerate(tokens[:-1]):
        if tok.type != tokenize.NAME or tok.string not in KEYWORDS or tokens[i + 1].string != "(":
            continue
        if i and tokens[i - 1].string == "def":
            continue
        args: list[str] = []
        j = i + 2
        while j < len(tokens) and tokens[j].type == tokenize.STRING:
            parts = []
            while tokens[j].type == tokenize.STRING:  # adjacent literals are one string
                value = ast.literal_eval(tokens[j].string) if tokens[j].string[0] in "'\"rRuU" else None
                if not isinstance(value, str):  # an f-string or bytes: not a literal for xgettext either
                    break
                parts.append(value)
                j += 1
            else:
                args.append("".join(parts))
                if tokens[j].string == ",":
                    j += 1
                    continue
            break
        ctx, one, many = KEYWORDS[tok.string]
        needed = max(p for p in (ctx, one, many) if p is not None)
        if len(args) > needed and args[one]:
            yield (args[ctx] if ctx is not None else None, args[one], args[many] if many is not None else None)


def templatized(path: Path) -> str:
    """A template as makemessages hands it to xgettext (Django's templatize), without line indents."""
    src = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    return "\n".join(line.lstrip() for line in src.splitlines())


def source_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if path.suffix in {".py", ".html", ".txt"} and "locale" not in parts and not any(
                p.startswith(".") or p == "__pycache__" for p in parts):
            yield path


def extract(root: Path) -> set[Key]:
    """The msgids makemessages would put in the catalogue, found without GNU gettext.

    Limitations (xgettext does these and this does not): translator comments, ``dgettext`` and
    other domain-taking calls, and `{% blocktranslate asvar %}` edge cases are not looked at; a
    Python call whose arguments are not all literals is skipped, as xgettext skips it.
    """
    found: set[Key] = set()
    for path in source_files(root):
        source = path.read_text(encoding="utf-8") if path.suffix == ".py" else templatized(path)
        found.update(marked_strings(source))
    return found


def makemessages_keys(tmp_path: Path) -> set[Key]:
    """Run the real ``makemessages`` over a copy of the package (the repository's catalogue is not touched)."""
    copy = tmp_path / "pantau"
    for path in source_files(PACKAGE):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (copy / "locale").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # no settings: ./locale is used
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
                   cwd=copy, env=env, check=True, capture_output=True, timeout=120)
    return {e.key for e in parse_po((copy / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
            if e.msgid}


def describe(keys: set[Key]) -> str:
    return "\n  ".join(f"{msgid!r}" + (f" (context {ctx!r})" if ctx else "") for ctx, msgid, _ in sorted(
        keys, key=lambda k: (k[1], k[0] or "")))


def test_every_string_marked_for_translation_is_in_the_english_catalogue(tmp_path: Path) -> None:
    in_source = extract(PACKAGE)
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        by_makemessages = makemessages_keys(tmp_path)
        assert in_source == by_makemessages, (  # keeps the gettext-free extractor honest where gettext exists
            f"extract() and makemessages disagree:\n  only extract():\n  {describe(in_source - by_makemessages)}"
            f"\n  only makemessages:\n  {describe(by_makemessages - in_source)}")
        in_source = by_makemessages
    elif os.environ.get("CI"):
        pytest.fail("GNU gettext (xgettext, msgmerge) is missing, so makemessages cannot cross-check the "
                    "extractor: `scripts/system-packages test` installs it (Debian: apt-get install gettext).")
    in_catalogue = {e.key for e in entries() if e.msgid}
    missing, obsolete = in_source - in_catalogue, in_catalogue - in_source
    assert not missing, (f"{len(missing)} string(s) marked for translation are not in {PO.name} yet:\n  "
                         f"{describe(missing)}\n{FIX}")
    assert not obsolete, (f"{len(obsolete)} string(s) in {PO.name} are no longer in the source:\n  "
                          f"{describe(obsolete)}\n{FIX}")


def test_the_extractor_finds_python_and_template_strings(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(
        'from django.utils.translation import gettext as _, ngettext, pgettext_lazy\n'
        'A = _("Satu")\nB = ngettext("%(n)s buku", "%(n)s buku", 2)\n'
        'C = pgettext_lazy("menu",\n    "Dua" " kata")\nD = _(nama)\nE = _("")\n', encoding="utf-8")
    (tmp_path / "page.html").write_text(
        '{% load i18n %}<h1>{% translate "Judul" %}</h1>\n  <p>{% translate \'Isi\' context "p" %}</p>\n'
        '{% blocktranslate count n=k %}{{ n }} unit, 5%{% plural %}{{ n }} unit{% endblocktranslate %}\n'
        '{{ x|default:_("Kosong") }}\n', encoding="utf-8")
    assert extract(tmp_path) == {
        (None, "Satu", None), (None, "%(n)s buku", "%(n)s buku"), ("menu", "Dua kata", None),
        (None, "Judul", None), ("p", "Isi", None), (None, "%(n)s unit, 5%%", "%(n)s unit"), (None, "Kosong", None),
    }
