"""Fill Facility.search_key for the facilities that existed before search keys (issue 5),
and index what the search reads on every request.

``facility_updated_at`` makes ``Max(updated_at)`` (the version check of the search's
in-memory index, run on every search) an index lookup instead of a table scan;
``facility_name_id`` serves the home page's first page (all facilities by name) without
sorting the table. Both are plain SQL (``IF NOT EXISTS``), not model state: the model does
not declare them yet.
"""

from django.db import migrations

INDEXES = [
    ("facility_updated_at", '"updated_at"', ""),
    ("facility_name_id", '"name", "id"', ""),
]


def fill_search_keys(apps, schema_editor):
    from shopfloor.search import search_key_for

    Facility = apps.get_model("shopfloor", "Facility")
    rows = Facility.objects.order_by("pk").only(
        "pk", "name", "name_km", "other_names", "os_id", "bfc_id", "country", "search_key")
    changed = []
    for facility in rows.iterator(chunk_size=2000):
        key = search_key_for(facility)
        if key != facility.search_key:
            facility.search_key = key
            changed.append(facility)
        if len(changed) >= 2000:
            Facility.objects.bulk_update(changed, ["search_key"])
            changed = []
    Facility.objects.bulk_update(changed, ["search_key"])


def create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    table = apps.get_model("shopfloor", "Facility")._meta.db_table
    for name, columns, where in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} "
                              f"ON {quote(table)} ({columns}){where}")


def drop_indexes(apps, schema_editor):
    for name, _columns, _where in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):

    dependencies = [
        ("shopfloor", "0004_search_key_api_tokens"),
    ]

    operations = [
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
