from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dfed.people.services import area_import, area_rows_from_csv


class Command(BaseCommand):
    help = "导入行政区划（CSV：code,name,parent_code；上级为空即为区）。全部正确才写入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV 文件路径（UTF-8）")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = file.read_text(encoding="gb18030")
        try:
            result = area_import(rows=area_rows_from_csv(text))
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            self.stderr.write(f"共 {len(exc.messages)} 处错误，未写入任何数据。")
            raise SystemExit(1) from None
        self.stdout.write(
            f"导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}。"
        )
