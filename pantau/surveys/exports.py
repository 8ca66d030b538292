"""The raw responses of a campaign: one row per response, answer values (1–4; perception 1 Ya,
2 Tidak, 3 Tidak tahu) not labels, columns named by element code, read in batches by key (memory
stays flat whatever the number of responses); text made formula-safe. As CSV streamed in the
request, or as XLSX (with a codebook sheet) written by a background job."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import IO, Any

from pantau.reports import xlsx
from pantau.reports.cells import csv_cell
from pantau.surveys.models import Campaign, Response

BATCH = 2000
FIXED = ("response_id", "submitted_at", "channel", "complete", "service_id", "sex", "age", "education",
         "occupation")
TEXT_COLUMNS = {"sex", "education", "occupation", "suggestion", "extra"}


def header(campaign: Campaign) -> list[str]:
    codes = [q.code for q in campaign.version.parsed.elements]
    return [*FIXED, *codes, "suggestion", "extra"]


def rows(campaign: Campaign, progress: Any = None) -> Iterator[list[Any]]:
    """The responses as lists of plain values, in id order (``header``'s columns)."""
    slots = [f"a{i}" for i in range(1, len(campaign.version.parsed.elements) + 1)]
    columns = ("pk", "submitted_at", "channel", "complete", "product_id", "sex", "age", "education", "occupation",
               *slots, "suggestion", "extra")
    last, done = 0, 0
    while True:
        batch = list(Response.objects.filter(campaign=campaign, pk__gt=last).order_by("pk")
                     .values_list(*columns)[:BATCH])
        if not batch:
            return
        for row in batch:
            (pk, submitted, channel, complete, product, sex, age, education, occupation) = row[:9]
            yield [pk, submitted.isoformat() if submitted else "", channel, int(complete), product or "", sex,
                   "" if age is None else age, education, occupation,
                   *("" if a is None else a for a in row[9:9 + len(slots)]), row[-2],
                   json.dumps(row[-1], ensure_ascii=False) if row[-1] else ""]
        last = batch[-1][0]
        done += len(batch)
        if progress is not None:
            progress.progress(written=done)


def csv_rows(campaign: Campaign) -> Iterator[bytes]:
    names = header(campaign)
    text_at = [i for i, name in enumerate(names) if name in TEXT_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # spreadsheets read UTF-8 with the mark
    writer.writerow(names)
    yield buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows(campaign), start=1):
        for i in text_at:
            row[i] = csv_cell(row[i])
        writer.writerow(row)
        if count % BATCH == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_xlsx(campaign: Campaign, out: IO[bytes], progress: Any = None) -> None:
    """The responses sheet and a codebook (each element's question and what each value means)."""
    parsed = campaign.version.parsed
    book = xlsx.new_workbook()
    sheet = xlsx.Sheet("jawaban", tuple(xlsx.Column(name, name) for name in header(campaign)))
    xlsx.add_sheet(book, sheet, rows(campaign, progress))
    codebook = xlsx.Sheet("kodebook", (xlsx.Column("kolom", "column"), xlsx.Column("pertanyaan", "text", width=60),
                                       xlsx.Column("nilai", "values", width=60)))
    entries = [[q.code, q.text, "; ".join(f"{i} = {label}" for i, label in enumerate(q.choices, start=1))]
               for q in parsed.elements]
    entries += [[f.code, f.text, "; ".join(f"{n} = {label}" for n, label in f.options())]
                for f in parsed.fields if f.type != "note"]
    xlsx.add_sheet(book, codebook, entries)
    xlsx.save(book, out)
