"""The layers hold: import-linter's contracts (pyproject.toml, ``[tool.importlinter]``) run with
the suite, so a broken contract fails ``make test`` and CI, not only ``make lint``."""

import ast
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


# --- Public services and selectors say what they raise ------------------------------------------


def service_and_selector_modules() -> list[Path]:
    skip = {".venv", "migrations", "tests", "node_modules"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skip.intersection(path.relative_to(ROOT).parts)
        and any(part.startswith(("services", "selectors")) for part in path.relative_to(ROOT).parts)
    ]


def raising_functions_without_raises(tree: ast.Module) -> list[str]:
    """Public top-level functions that contain a ``raise`` or call ``require(...)`` and whose
    docstring does not say "Raises"."""
    missing = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name[0] == "_":
            continue
        raises = any(
            isinstance(sub, ast.Raise)
            or (
                isinstance(sub, ast.Call)
                and getattr(sub.func, "id", getattr(sub.func, "attr", None)) == "require"
            )
            for sub in ast.walk(node)
        )
        if raises and "Raises" not in (ast.get_docstring(node) or ""):
            missing.append(node.name)
    return missing


def test_public_services_and_selectors_say_what_they_raise():
    modules = service_and_selector_modules()
    assert len(modules) > 15
    missing = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in raising_functions_without_raises(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert missing == []


def test_the_raises_check_finds_one():
    source = (
        "def thing_do(*, by):\n    require(by, 'x.y')\n\n"
        "def thing_get(pk):\n    '''Raises: Http404.'''\n    raise Http404\n\n"
        "def _helper():\n    raise ValueError\n"
    )
    assert raising_functions_without_raises(ast.parse(source)) == ["thing_do"]


# --- Module size ---------------------------------------------------------------------------------

MAX_MODULE_LINES = 400
SKIPPED_DIRS = {"migrations", "tests", "node_modules", "__pycache__"}


def long_modules(root: Path = ROOT, limit: int = MAX_MODULE_LINES) -> dict[str, int]:
    """Python modules under ``root`` longer than ``limit`` lines (migrations, tests and hidden
    or virtualenv directories aside), as {relative path: lines}."""
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if any(p in SKIPPED_DIRS or p.startswith(".") for p in parts[:-1]):
            continue
        if parts[-1].startswith("test_") or parts[-1] == "conftest.py":
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found["/".join(parts)] = lines
    return found


def test_no_module_over_400_lines():
    """A module past ~400 lines becomes a package re-exporting the same names (STYLE.md)."""
    over = long_modules()
    assert over == {}, f"split into a package: {over}"


def test_long_module_check_finds_a_long_module(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "big.py").write_text("x = 1\n" * 401)
    (tmp_path / "app" / "small.py").write_text("x = 1\n" * 400)
    (tmp_path / "app" / "migrations").mkdir()
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 900)
    assert long_modules(tmp_path) == {"app/big.py": 401}
