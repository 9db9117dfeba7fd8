from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dfed.core.months import month_label
from subsidies.importing import default_paid_through, parse_paid_through, recipient_import


class Command(BaseCommand):
    help = (
        "导入补贴对象花名册（xlsx/xls/csv）：全部正确才写入。"
        "退出码 0 成功（或预检无误），1 有行错误（未写入），2 文件无法读取或用法错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="花名册文件路径（.xlsx、.xls 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--paid-through",
            metavar="YYYY-MM",
            help="原发放方式已发放至的月份（默认：导入当月的上一个月）",
        )
        parser.add_argument("--user", metavar="USERNAME", help="记录为操作人的用户名")

    def handle(self, *args, path, dry_run, paid_through, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            month = parse_paid_through(paid_through) if paid_through else default_paid_through()
        except ValidationError as exc:
            raise CommandError(f"--paid-through {exc.messages[0]}", returncode=2) from None
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"用户不存在：{user}", returncode=2)
        report = recipient_import(
            source=str(file), filename=file.name, paid_through=month, by=by, dry_run=dry_run
        )
        if report.file_error:
            raise CommandError(report.file_error, returncode=2)
        for line in report.error_lines():
            self.stdout.write(line)
        for line in report.warnings:
            self.stdout.write(line)
        for line in report.skipped_lines():
            self.stdout.write(line)
        self.stdout.write(report.summary())
        self.stdout.write(f"已发放至：{month_label(month)}")
        if report.errors:
            raise CommandError(f"有 {report.rejected} 行错误，未写入任何数据。", returncode=1)
