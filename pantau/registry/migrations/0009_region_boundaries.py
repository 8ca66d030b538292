"""Region boundaries move out of the Province and Regency rows into their own tables (ADR 0015)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _copy_out(apps: Any, schema_editor: Any) -> None:
    for model, target, key in (("Province", "ProvinceBoundary", "province_id"),
                               ("Regency", "RegencyBoundary", "regency_id")):
        rows = (apps.get_model("registry", model).objects.using(schema_editor.connection.alias)
                .exclude(boundary="").values_list("pk", "boundary"))
        boundary = apps.get_model("registry", target)
        batch = []
        for pk, geometry in rows.iterator(chunk_size=50):
            batch.append(boundary(**{key: pk, "geometry": geometry}))
            if len(batch) == 50:
                boundary.objects.using(schema_editor.connection.alias).bulk_create(batch)
                batch = []
        boundary.objects.using(schema_editor.connection.alias).bulk_create(batch)


def _copy_back(apps: Any, schema_editor: Any) -> None:
    for model, source, key in (("Province", "ProvinceBoundary", "province_id"),
                               ("Regency", "RegencyBoundary", "regency_id")):
        region = apps.get_model("registry", model).objects.using(schema_editor.connection.alias)
        rows = apps.get_model("registry", source).objects.using(schema_editor.connection.alias)
        for pk, geometry in rows.values_list(key, "geometry").iterator(chunk_size=50):
            region.filter(pk=pk).update(boundary=geometry)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0008_bounded_undo_reason"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProvinceBoundary",
            fields=[
                ("province", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                  related_name="+", serialize=False,
                                                  to="registry.province")),
                ("geometry", models.TextField(help_text="GeoJSON geometry (WGS84)")),
            ],
        ),
        migrations.CreateModel(
            name="RegencyBoundary",
            fields=[
                ("regency", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                 related_name="+", serialize=False,
                                                 to="registry.regency")),
                ("geometry", models.TextField(help_text="GeoJSON geometry (WGS84)")),
            ],
        ),
        migrations.RunPython(_copy_out, _copy_back),
        migrations.RemoveField(model_name="province", name="boundary"),
        migrations.RemoveField(model_name="regency", name="boundary"),
        # The reverse name takes the place of the removed column (not before: the names would clash).
        migrations.AlterField(
            model_name="provinceboundary", name="province",
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                       related_name="boundary", serialize=False, to="registry.province"),
        ),
        migrations.AlterField(
            model_name="regencyboundary", name="regency",
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                       related_name="boundary", serialize=False, to="registry.regency"),
        ),
    ]
