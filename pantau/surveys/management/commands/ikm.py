import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.surveys import indices, responses_csv


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def to_json(value: Any) -> str:
    """JSON text in which a Decimal is a number written exactly as it stands (91.48, 100.00, never
    91.47999…): the schema here is small, so plain recursion beats patching ``json``."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def report(tally: responses_csv.Tally, result: indices.IndexResult) -> dict[str, Any]:
    """The JSON object: the IKM and each element's converted value with the profile's decimals (2, or
    3 for kepmenpan-25-2004-w0071, whose published reports keep 3), NRR with 4, the CI with 2."""
    places = max(2, tally.profile.ikm_decimals)
    return {
        "n": result.respondents,
        "ikm": rounded(result.ikm, places),
        "grade": result.mutu,
        "label": result.label,
        "ci": [rounded(result.ci[0], 2), rounded(result.ci[1], 2)] if result.ci else None,
        "profile": result.profile,
        "skipped_empty_rows": tally.skipped,
        "elements": [{"code": column, "element": row.code, "n": row.answered, "nrr": rounded(row.nrr, 4),
                      "converted": rounded(row.ikm, places), "grade": row.mutu}
                     for column, row in zip(tally.columns, result.elements, strict=True)],
    }


class Command(BaseCommand):
    help = (
        "The IKM (PermenPANRB 14/2017) of the answers in a CSV file: one questionnaire per row, columns "
        "U1…U9 (U1…U14 for the kepmenpan-25-2004 profiles) holding 1–4, blank when not answered; other "
        "columns are ignored; UTF-8 (or cp1252), comma or semicolon separated. A bad file, an unknown "
        "profile or a bad N exits with status 2, each problem on its own line (line and column)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--responses", required=True, metavar="FILE",
                            help="the CSV file of answers (- reads standard input)")
        parser.add_argument("--profile", default=indices.DEFAULT_PROFILE.name,
                            help=f"how to compute and round: {', '.join(indices.PROFILES)}")
        parser.add_argument("--population", metavar="N",
                            help="service users of the period, for the interval's finite-population correction")
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(options["profile"]).strip()
        profile = indices.PROFILES.get(name)
        if profile is None:
            raise CommandError(f'profil tidak dikenal: "{name}"; pilihan: {", ".join(indices.PROFILES)}',
                               returncode=2)
        population = self.population(options.get("population"))
        path = str(options["responses"])
        shown = "masukan standar" if path == "-" else path
        try:
            tally = responses_csv.read(sys.stdin.buffer if path == "-" else path, profile)
        except responses_csv.ResponsesError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            more = f"; berhenti setelah {len(exc.problems)} masalah pertama" if exc.stopped else ""
            raise CommandError(f"{shown}: berkas ditolak ({len(exc.problems)} masalah{more}), tidak ada hasil.",
                               returncode=2) from exc
        if population is not None and population < tally.respondents:
            raise CommandError(f"N ({population}) lebih kecil dari jumlah responden ({tally.respondents}).",
                               returncode=2)
        try:
            result = tally.result(population)
        except indices.SurveyError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        data = report(tally, result)
        if options["format"] == "json":
            self.stdout.write(to_json(data))
        else:
            self.stdout.write(self.text(shown, tally, result, data, population))

    @staticmethod
    def population(raw: Any) -> int | None:
        if raw is None:
            return None
        text = str(raw).strip().replace(".", "").replace("_", "")  # 1.500 = 1500
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise CommandError(f"N harus bilangan bulat 1 atau lebih (jumlah penerima layanan), bukan {raw!r}.",
                               returncode=2)
        return int(text)

    @staticmethod
    def text(path: str, tally: responses_csv.Tally, result: indices.IndexResult, data: dict[str, Any],
             population: int | None) -> str:
        column = {e.code: c for e, c in zip(tally.elements, tally.columns, strict=True)}
        width = max(len("Unsur"), *(len(e.code) for e in tally.elements))
        lines = [f"Indeks Kepuasan Masyarakat dari {path} (profil {result.profile})",
                 f"Responden: {result.respondents}; baris tanpa jawaban dilewati: {tally.skipped}", "",
                 f"{'Kolom':<6} {'Unsur':<{width}} {'n':>7} {'NRR':>7} {'Nilai konversi':>15}  Mutu"]
        for row in data["elements"]:
            lines.append(f"{row['code']:<6} {row['element']:<{width}} {row['n']:>7} {row['nrr']:>7} "
                         f"{row['converted']:>15}  {row['grade']}")
        if data["ci"]:
            low, high = data["ci"]
            fpc = f", dengan koreksi populasi N = {population}" if population else ""
            ci = f"selang kepercayaan 95 %: {low}–{high}{fpc}"
        else:
            ci = "selang kepercayaan 95 %: tidak dihitung (kurang dari 2 responden)"
        lines += ["", f"IKM {data['ikm']} — mutu {result.mutu} ({result.label}); {ci}",
                  "Unsur terlemah: " + ", ".join(f"{code} ({column[code]})" for code in result.weakest)]
        if tally.encoding != "utf-8":
            lines.append(f"Catatan: sebagian baris bukan UTF-8 dan dibaca sebagai {tally.encoding}.")
        return "\n".join(lines)
