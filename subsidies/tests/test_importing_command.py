"""manage.py import_recipients: exit codes 0 / 1 / 2, output lines, --dry-run, --paid-through."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dfed.core.importing.testing import xlsx_bytes
from dfed.people.models import Person
from subsidies.models import Entitlement

from .test_importing import clean_rows, messy_workbook


@pytest.fixture
def roster(tmp_path):
    def write(data: bytes, name: str = "roster.xlsx"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_recipients", *args, stdout=out)
    return out.getvalue()


def test_clean_file_imports_and_exits_0(areas, roster, admin_user):
    output = run(roster(xlsx_bytes(clean_rows())), "--paid-through", "2025-03", "--user", "admin")

    assert "共4行：新增4行，更新0行，未变化0行，有误0行。已全部写入。" in output
    assert "已发放至：2025年3月" in output
    assert {e.paid_through for e in Entitlement.objects.all()} == {date(2025, 3, 1)}
    assert Entitlement.objects.first().created_by == admin_user


def test_dry_run_writes_nothing(areas, roster):
    output = run(roster(xlsx_bytes(clean_rows())), "--dry-run")

    assert "预览，尚未写入" in output
    assert Person.objects.count() == 0


def test_row_errors_print_lines_and_exit_1(areas, roster):
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_recipients", roster(messy_workbook()), stdout=out)

    assert excinfo.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "第7行 公民身份号码 身份证号校验位错误"
    assert lines[15] == "第22行 银行卡号 银行账号应为12至30位数字"
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/roster.xlsx"], "找不到文件"),
        (["--paid-through", "2025-13"], "--paid-through 年月无效"),
        (["--user", "nobody"], "用户不存在：nobody"),
    ],
)
def test_wrong_usage_exits_2(areas, roster, args, message):
    if not args[0].startswith("/"):
        args = [roster(xlsx_bytes(clean_rows())), *args]
    with pytest.raises(CommandError, match=message) as excinfo:
        run(*args)
    assert excinfo.value.returncode == 2


def test_unreadable_file_exits_2(areas, roster):
    with pytest.raises(CommandError, match="不是 Excel 文件") as excinfo:
        run(roster(b"garbage", "roster.xls"))
    assert excinfo.value.returncode == 2


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_real_process_exit_codes(areas, roster):
    """The shell sees 0, 1 and 2 (call_command raises instead of exiting)."""
    import os
    import subprocess
    import sys

    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "dfed.settings.test",
    }

    def exit_code(*args):
        manage = Path(__file__).resolve().parents[2] / "manage.py"
        command = [sys.executable, str(manage), "import_recipients", *args]
        return subprocess.run(command, env=env, capture_output=True, check=False).returncode

    if connection.vendor != "postgresql":
        pytest.skip("the child process needs a shared database")
    assert exit_code(roster(xlsx_bytes(clean_rows())), "--dry-run") == 0
    assert exit_code(roster(messy_workbook())) == 1
    assert exit_code(roster(b"garbage", "x.xlsx")) == 2
    assert exit_code() == 2  # no PATH: argparse usage error
    assert Person.objects.count() == 0
