"""Every search document's body gains its kind's marker ("zk" and the kind's letters and digits:
"zkproduct", "zkunit", "zkinstitution"), which searches now AND with their words so that the
full-text engine itself keeps the kind (ADR 0012, ``pantau.core.search.text.kind_marker``).

Done in SQL on the index's own rows, not with ``index.rebuild()``: the marker depends on the
``kind`` column alone, so nothing is read through the modules' sources (today's models against a
schema a later migration may still change) and no other term changes. The result equals what the
indexer writes now (the marker after the body's terms; kept where a body has it already), so the
next save of an object does not rewrite its document. On SQLite the FTS5 table (external content)
is then rebuilt from the rows in one pass; PostgreSQL's generated ``tsvector`` follows the update.
Minutes for a million documents; running it again changes nothing.

Backwards: nothing to undo. The older code ignores the marker (one more term in the body).
"""

import re

from django.db import migrations, models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Concat

_WORD = re.compile(r"[a-z0-9]+")


def marker(kind: str) -> str:
    """``text.kind_marker`` as of this migration (kinds are ASCII names: "product", "test.thing")."""
    return "zk" + "".join(_WORD.findall(kind.lower()))


def mark(documents, connection) -> int:
    """Append the marker to the body of every document of ``documents`` (a model) that lacks it;
    the number of documents changed."""
    changed = 0
    kinds = sorted(set(documents.objects.order_by().values_list("kind", flat=True).distinct()))
    for kind in kinds:
        word = marker(kind)
        has = (Q(body_terms=word) | Q(body_terms__startswith=f"{word} ") | Q(body_terms__endswith=f" {word}")
               | Q(body_terms__contains=f" {word} "))
        changed += documents.objects.filter(kind=kind).exclude(has).update(body_terms=Case(
            When(body_terms="", then=Value(word)), default=Concat("body_terms", Value(f" {word}")),
            output_field=models.TextField()))
    if changed and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_search_fts(core_search_fts) VALUES ('rebuild')")
    return changed


def forwards(apps, schema_editor):
    mark(apps.get_model("core", "SearchDocument"), schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_jobs"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
