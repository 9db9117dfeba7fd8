"""The shape every ``manage.py import_<name>`` command shares: a file, ``--dry-run`` and
``--user``; the report's lines on stdout; exit 0 (written, or a clean dry run), 1 (row errors,
nothing written) or 2 (the file cannot be read, or a usage error)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dfed.imports.registry import importer_get


class ImportCommand(BaseCommand):
    importer = ""  # the registry key

    def add_arguments(self, parser):
        parser.add_argument("path", help="文件路径（.xlsx、.xls 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", metavar="USERNAME", help="记录为操作人的用户名")

    def options_for(self, options) -> dict:
        """Importer-specific keyword arguments from the command's options."""
        return {}

    def handle(self, *args, path, dry_run, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"用户不存在：{user}", returncode=2)
        report = importer_get(self.importer).run(
            source=str(file),
            filename=file.name,
            by=by,
            dry_run=dry_run,
            **self.options_for(options),
        )
        if report.file_error:
            raise CommandError(report.file_error, returncode=2)
        for line in [*report.error_lines(), *report.warnings, *report.skipped_lines()]:
            self.stdout.write(line)
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(f"有 {report.rejected} 行错误，未写入任何数据。", returncode=1)
