from django.db import migrations

SERVICE_TYPES = [
    ("care", "生活照料", 1),
    ("rehab", "康复训练", 2),
    ("skills", "技能培训", 3),
    ("recreation", "文体活动", 4),
    ("work", "工疗/辅助性就业", 5),
]


def create(apps, schema_editor):
    ServiceType = apps.get_model("homes", "ServiceType")
    for code, name, order in SERVICE_TYPES:
        ServiceType.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("homes", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
