import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.assessments import csvinput, methodology
from pantau.reports.cells import csv_cell


class Command(BaseCommand):
    help = (
        "Score a CSV file under a methodology (shared/docs/methodology.md §8) without the database: "
        "dimension points per unit or institution (columns institution, [unit], input, proses, output, "
        "pengaduan), a single score column to classify, or item rows (institution, unit, product, item, "
        "value[, reason]). Prints one record per institution and per unit: institution, unit, score "
        "(text, 2 decimals, rounded half-up), category, zone. A bad file: a message naming the row and "
        "column on stderr, exit status 2, nothing on stdout."
    )
    requires_system_checks: list[str] = []  # reads no model: runs without a database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--methodology", required=True,
                            help="a shipped id (ombudsman-2016, ombudsman-2022, self-assessment) or the path "
                                 "of a methodology file (.toml or .json), e.g. an edited self-assessment copy")
        parser.add_argument("--input", required=True, help="the CSV file (UTF-8, comma or semicolon separated)")
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument("--explain", action="store_true",
                            help="print how every number was made (the breakdown) instead of the records")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = load_methodology(options["methodology"])
        try:
            card = csvinput.score_file(chosen, Path(options["input"]))
        except csvinput.InputError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["explain"]:
            for result in card.institutions:
                self.stdout.write("\n".join(result.step.lines()))
            return
        records = card.records()
        if options["format"] == "json":
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        fields = ("institution", "unit", "score", "category", "zone")
        writer.writerow(fields)
        writer.writerows([csv_cell(r[f]) for f in fields] for r in records)


def load_methodology(name: str) -> methodology.Methodology:
    known = methodology.shipped()
    try:
        if name in known:
            return methodology.load(known[name])
        if name.endswith((".toml", ".json")) and Path(name).is_file():
            return methodology.load(name)
    except methodology.MethodologyError as exc:
        raise CommandError(f"the methodology file is not usable:\n{exc}", returncode=2) from exc
    raise CommandError(f"unknown methodology {name!r}; known: {', '.join(known)} (or the path of a .toml/.json "
                       "methodology file)", returncode=2)
