"""Create the portal's role groups; their permissions are set by ``roles.sync_roles`` after
every migrate, once all apps' permissions exist."""

from django.db import migrations

ROLES = ["经办人", "乡镇审核人", "审核人", "领导", "纪检", "管理员"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
