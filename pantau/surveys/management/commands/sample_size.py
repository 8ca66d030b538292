import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.surveys import indices


class Command(BaseCommand):
    help = (
        "The minimum survey sample (Krejcie & Morgan, PermenPANRB 14/2017) for N service users of the "
        "previous period: s = 3.841·N·0.25 / (0.0025·(N−1) + 3.841·0.25), rounded to the nearest integer "
        "as the published table is. A bad N exits with status 2 and the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("population", metavar="N", help="service users in the previous period (1 or more)")
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = str(options["population"]).strip().replace(".", "").replace("_", "")  # 1.500 = 1500
        if not raw.isdigit():
            raise CommandError(f"N harus bilangan bulat (jumlah penerima layanan), bukan {options['population']!r}.",
                               returncode=2)
        try:
            sample = indices.sample_size(int(raw))
        except indices.SurveyError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps({"population": sample.population, "minimum": sample.minimum,
                                          "exact": f"{sample.exact:.4f}", "method": "krejcie-morgan-1970"}))
        else:
            self.stdout.write(f"N = {sample.population}: sampel minimum {sample.minimum} responden "
                              f"(Krejcie & Morgan: {sample.exact:.4f}, dibulatkan)")
