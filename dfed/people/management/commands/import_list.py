from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dfed.people.lists import external_list_import
from dfed.people.models import ExternalList


class Command(BaseCommand):
    help = (
        "导入外部比对名单（民政救助 assistance、死亡 death、户籍迁移 move、残疾人证 certificate、"
        "服刑 sentence）：全部正确才写入，写入后自动比对。"
        "退出码 0 成功（或预检无误），1 有行错误（未写入），2 文件无法读取或用法错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("type", choices=ExternalList.Kind.values, help="名单类型")
        parser.add_argument("path", help="名单文件路径（.xlsx、.xls 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", metavar="USERNAME", help="记录为导入人的用户名")

    def handle(self, *args, type, path, dry_run, user, **options):  # noqa: A002
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"用户不存在：{user}", returncode=2)
        report = external_list_import(
            kind=type, source=str(file), filename=file.name, by=by, dry_run=dry_run
        )
        if report.file_error:
            raise CommandError(report.file_error, returncode=2)
        for line in report.lines():
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"有 {report.rejected} 行错误，未写入任何数据。", returncode=1)
