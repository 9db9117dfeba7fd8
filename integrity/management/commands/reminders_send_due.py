from datetime import date

from django.core.management.base import BaseCommand, CommandError

from integrity.services import reminder_campaigns_send_due


class Command(BaseCommand):
    help = (
        "节日廉洁提醒每日检查（与 Celery beat 每日任务相同）：重算未发送的提醒，"
        "发送发送日已到的提醒。可重复运行，不会重复发送。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="按这一天运行（YYYY-MM-DD，默认今天），用于补发或演练", default=None
        )

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}", returncode=2) from None
        result = reminder_campaigns_send_due(today=today)
        if not result:
            self.stdout.write("今天没有到期的节日提醒。")
        for name, queued in result.items():
            self.stdout.write(f"{name}：已排队 {queued} 条短信")


def _parse(value: str) -> date:
    return date.fromisoformat(value)
