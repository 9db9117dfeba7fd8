"""The layers hold: import-linter's contracts (pyproject.toml, ``[tool.importlinter]``) run with
the suite, so a broken contract fails ``make test`` and CI, not only ``make lint``."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_contracts_are_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_fails(tmp_path):
    """The same tool on a two-package tree where core imports an app: the run fails."""
    (tmp_path / "demoproj" / "core").mkdir(parents=True)
    (tmp_path / "demoproj" / "people").mkdir()
    (tmp_path / "demoproj" / "__init__.py").write_text("")
    (tmp_path / "demoproj" / "people" / "__init__.py").write_text("")
    (tmp_path / "demoproj" / "core" / "__init__.py").write_text("import demoproj.people\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = demoproj\n\n"
        "[importlinter:contract:core]\nname = core imports no app\ntype = forbidden\n"
        "source_modules = demoproj.core\nforbidden_modules = demoproj.people\n"
    )
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


# --- Templates decide nothing from a status string ----------------------------------------------

STATUS_TEST = re.compile(r"\bstatus\s*[!=]=")


def template_files() -> list[Path]:
    skip = {".venv", "node_modules", ".git", "e2e"}
    return [
        path
        for path in ROOT.rglob("*.html")
        if "templates" in path.parts and not skip.intersection(path.parts)
    ]


def test_no_template_tests_a_status():
    """Which steps a user may take come from ``available_actions`` (the transition map); what a
    page shows in a state from a model property (``is_open``) or ``status_colour``."""
    assert len(template_files()) > 50
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in template_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STATUS_TEST.search(line)
    ]
    assert offenders == []


def test_the_status_check_finds_one():
    assert STATUS_TEST.search('{% if batch.status == "draft" %}')
    assert STATUS_TEST.search("{% if p.status != 'paid' %}")
    assert not STATUS_TEST.search("{% if batch.has_bank_results %}")
