"""The raw responses of a campaign as CSV: one row per response, answer values (1–4; perception
1 Ya, 2 Tidak, 3 Tidak tahu) not labels, columns named by element code, streamed in batches read by
key (memory stays flat whatever the number of responses); text made formula-safe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from pantau.reports.cells import csv_cell
from pantau.surveys.models import Campaign, Response

BATCH = 2000
FIXED = ("response_id", "submitted_at", "channel", "complete", "service_id", "sex", "age", "education",
         "occupation")


def header(campaign: Campaign) -> list[str]:
    codes = [q.code for q in campaign.version.parsed.elements]
    return [*FIXED, *codes, "suggestion", "extra"]


def csv_rows(campaign: Campaign) -> Iterator[bytes]:
    codes = [q.code for q in campaign.version.parsed.elements]
    slots = [f"a{i}" for i in range(1, len(codes) + 1)]
    columns = ("pk", "submitted_at", "channel", "complete", "product_id", "sex", "age", "education", "occupation",
               *slots, "suggestion", "extra")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # spreadsheets read UTF-8 with the mark
    writer.writerow(header(campaign))
    yield buffer.getvalue().encode()
    last = 0
    while True:
        rows = list(Response.objects.filter(campaign=campaign, pk__gt=last).order_by("pk")
                    .values_list(*columns)[:BATCH])
        if not rows:
            return
        buffer.seek(0)
        buffer.truncate()
        for row in rows:
            (pk, submitted, channel, complete, product, sex, age, education, occupation) = row[:9]
            answers = row[9:9 + len(slots)]
            suggestion, extra = row[-2], row[-1]
            writer.writerow([pk, submitted.isoformat() if submitted else "", channel, int(complete), product or "",
                             csv_cell(sex), "" if age is None else age, csv_cell(education), csv_cell(occupation),
                             *("" if a is None else a for a in answers), csv_cell(suggestion),
                             csv_cell(json.dumps(extra, ensure_ascii=False)) if extra else ""])
        yield buffer.getvalue().encode()
        last = rows[-1][0]
