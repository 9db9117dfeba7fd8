"""Entitlement.sort_key ("<town code> <name>"), filled from each person, then indexed."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0010_history_date_index"),
        ("subsidies", "0013_merge_20261201_0538"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="entitlement",
            options={
                "ordering": ["sort_key", "type", "pk"],
                "permissions": [("review_entitlement", "补贴年审")],
                "verbose_name": "补贴享受资格",
                "verbose_name_plural": "补贴享受资格",
            },
        ),
        migrations.AddField(
            model_name="entitlement",
            name="sort_key",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=80, verbose_name="排序键"
            ),
        ),
        migrations.RunSQL(
            "UPDATE subsidies_entitlement SET sort_key = (SELECT a.code || ' ' || p.name"
            " FROM people_person p JOIN people_area a ON a.id = p.town_id"
            " WHERE p.id = subsidies_entitlement.person_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="entitlement",
            index=models.Index(fields=["sort_key", "type", "id"], name="entitlement_sort_idx"),
        ),
    ]
