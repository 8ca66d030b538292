"""The search index (ADR 0012): documents and vocabulary, and each engine's full-text structures
(PostgreSQL: pg_trgm, a generated tsvector column and GIN indexes; SQLite: FTS5 tables)."""

import pantau.core.search.models
from django.db import migrations, models


CREATE = {
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "ALTER TABLE core_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', body_terms), 'B')"
        ") STORED",
        "CREATE INDEX search_document_vector ON core_searchdocument USING gin (search_vector)",
        "CREATE INDEX search_word_trigram ON core_searchword USING gin (word gin_trgm_ops)",
    ],
    "sqlite": [
        "CREATE VIRTUAL TABLE core_search_fts USING fts5(title_terms, body_terms, content='core_searchdocument', "
        "content_rowid='id', detail='column')",
        "CREATE VIRTUAL TABLE core_search_word_fts USING fts5(word, content='core_searchword', content_rowid='id', "
        "tokenize='trigram')",
    ],
}
DROP = {
    "postgresql": [
        "DROP INDEX IF EXISTS search_word_trigram", "DROP INDEX IF EXISTS search_document_vector",
        "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS search_vector",
    ],
    "sqlite": ["DROP TABLE IF EXISTS core_search_fts", "DROP TABLE IF EXISTS core_search_word_fts"],
}


def create(apps, schema_editor):
    for sql in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_audit_filter_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=40, unique=True)),
                ('frequency', models.PositiveIntegerField(default=1)),
            ],
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', pantau.core.search.models.DocumentKey(primary_key=True, serialize=False)),
                ('kind', models.CharField(max_length=30)),
                ('object_id', models.BigIntegerField()),
                ('title', models.CharField(max_length=300)),
                ('sort_key', models.CharField(max_length=300)),
                ('title_terms', models.TextField()),
                ('body_terms', models.TextField()),
                ('is_public', models.BooleanField(default=False)),
                ('province_id', models.BigIntegerField(null=True)),
                ('regency_id', models.BigIntegerField(null=True)),
                ('institution_id', models.BigIntegerField(null=True)),
                ('unit_id', models.BigIntegerField(null=True)),
                ('office_id', models.BigIntegerField(null=True)),
            ],
            options={
                'indexes': [models.Index(fields=['sort_key', 'id'], name='search_document_sorted')],
                'constraints': [models.UniqueConstraint(fields=('object_id', 'kind'), name='search_document_unique')],
            },
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
