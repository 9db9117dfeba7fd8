from django.core.management.base import BaseCommand

from subsidies.models import Finding
from subsidies.services import finding_compare


class Command(BaseCommand):
    help = "将残疾人登记和补贴与外部名单（民政、死亡、迁移、证件、服刑）比对，生成比对发现。"

    def handle(self, *args, **options):
        counts = finding_compare()
        for rule, label in Finding.Rule.choices:
            self.stdout.write(f"{label}：{counts.get(rule, 0)}")
        self.stdout.write(f"已消除：{counts['resolved']}")
        open_count = Finding.objects.filter(status=Finding.Status.OPEN).count()
        self.stdout.write(f"待处理发现共 {open_count} 条")
