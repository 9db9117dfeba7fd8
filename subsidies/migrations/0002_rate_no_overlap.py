"""PostgreSQL only: rates of one type and tier may never overlap (btree_gist exclusion)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE subsidies_subsidyrate ADD CONSTRAINT subsidyrate_no_overlap
    EXCLUDE USING gist (
        type WITH =,
        tier WITH =,
        daterange(effective_from, effective_to, '[]') WITH &&
    );
"""
DROP = "ALTER TABLE subsidies_subsidyrate DROP CONSTRAINT IF EXISTS subsidyrate_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
