import pytest
from django.core.management import call_command

from dfed.people.models import Area

GOOD = """code,name,parent_code
330199000000,示范区,
330199001000,城关街道,330199000000
330199001001,和平社区,330199001000
330199002000,西山镇,330199000000
330199002001,光明村,330199002000
"""


def run(tmp_path, text, capsys):
    path = tmp_path / "areas.csv"
    path.write_text(text, encoding="utf-8")
    try:
        call_command("import_areas", str(path))
        code = 0
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.django_db
def test_import_areas_creates_tree_with_levels(tmp_path, capsys):
    code, out, _err = run(tmp_path, GOOD, capsys)
    assert code == 0
    assert "新增 5" in out
    assert Area.objects.get(code="330199000000").level == "district"
    assert Area.objects.get(code="330199001000").level == "town"
    community = Area.objects.get(code="330199001001")
    assert community.level == "community"
    assert community.parent.code == "330199001000"


@pytest.mark.django_db
def test_import_areas_rerun_changes_nothing(tmp_path, capsys):
    run(tmp_path, GOOD, capsys)
    code, out, _err = run(tmp_path, GOOD, capsys)
    assert code == 0
    assert "新增 0，更新 0，未变 5" in out


@pytest.mark.django_db
def test_import_areas_lists_every_error_and_writes_nothing(tmp_path, capsys):
    bad = """code,name,parent_code
330199000000,示范区,
33019900100,短代码,330199000000
330199002000,,330199000000
330199002000,重复,330199000000
330199003000,孤儿,330199999000
330199004000,甲,330199005000
330199005000,乙,330199004000
"""
    code, _out, err = run(tmp_path, bad, capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[:-1] == [
        "第3行 code 行政区划代码应为12位数字：33019900100",
        "第4行 name 名称不能为空",
        "第5行 code 代码重复（与第4行相同）：330199002000",
        "第6行 parent_code 上级代码不存在：330199999000",
        "第7行 parent_code 上下级关系成环",
        "第8行 parent_code 上下级关系成环",
    ]
    assert "未写入任何数据" in lines[-1]
    assert Area.objects.count() == 0


@pytest.mark.django_db
def test_import_areas_missing_file_exit_2(tmp_path, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("import_areas", str(tmp_path / "nope.csv"))
    assert exc.value.returncode == 2
