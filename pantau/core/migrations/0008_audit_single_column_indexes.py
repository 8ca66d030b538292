"""The audit trail's single-column indexes on ``at``, ``institution_id``, ``province_id`` and
``prior_province_id`` go: each column begins one of the filter indexes of migration 0004 (which end
in the list's order), so these only cost every insert four more index writes.

The indexes are dropped by name (the names Django gave them on both engines) instead of through
``AlterField``, which on SQLite would copy the whole table to change nothing else."""

from django.db import migrations, models

DROPPED = {  # field: the index Django created for ``db_index=True``
    "at": "core_auditevent_at_3d5eb007",
    "institution_id": "core_auditevent_institution_id_b5d6168b",
    "province_id": "core_auditevent_province_id_b7e85e70",
    "prior_province_id": "core_auditevent_prior_province_id_80d51851",
}


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_search_kind_markers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="auditevent", name="at",
                                      field=models.DateTimeField(auto_now_add=True)),
                migrations.AlterField(model_name="auditevent", name="institution_id",
                                      field=models.BigIntegerField(blank=True, null=True)),
                migrations.AlterField(model_name="auditevent", name="prior_province_id",
                                      field=models.BigIntegerField(blank=True, null=True)),
                migrations.AlterField(model_name="auditevent", name="province_id",
                                      field=models.BigIntegerField(blank=True, null=True)),
            ],
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"',
                                  reverse_sql=f'CREATE INDEX "{name}" ON "core_auditevent" ("{field}")')
                for field, name in DROPPED.items()
            ],
        ),
    ]
