"""The package's layers hold (docs/architecture.md): import rules, private modules, a small public top level.

The rules are import-linter contracts in ``pyproject.toml``; here they run on
the real package, and on copies of it with one forbidden import added, to show
that each contract catches what it is for.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
PACKAGE = REPO / "belarus_data"
CONTRACTS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
LAYERS = next(c for c in CONTRACTS if c["type"] == "layers")["layers"]


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """Run the contracts on the package in ``tree`` (its pyproject.toml, its belarus_data/)."""
    # import-linter's own command, run by this interpreter (wherever its console script was installed).
    lint = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-c", lint, "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package and its contracts in which ``module`` (a path under belarus_data/) also has ``line``."""
    shutil.copytree(PACKAGE, tmp_path / "belarus_data", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "belarus_data" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return tmp_path


def test_the_import_contracts_hold_on_the_package() -> None:
    done = _lint(REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # storage importing the command line: a lower layer importing a higher one
        ("storage/csvfile.py", "from belarus_data.commands import output", "Layers"),
        # history importing the checks (the tangle the layout removed: incremental used checks.context)
        ("history/incremental.py", "from belarus_data.checks.context import Context", "Layers"),
        # two independent siblings of one layer
        ("loaders.py", "from belarus_data import validation", "Layers"),
        # a private module of dates reached from storage
        ("storage/tables.py", "from belarus_data.dates import _fast", "Private modules"),
        # pandas on the validation path, even imported lazily inside a function
        ("checks/dates.py", "def _late() -> None:\n    import pandas", "never imports pandas"),
    ],
)
def test_each_contract_catches_a_forbidden_import(tmp_path: Path, module: str, line: str, broken: str) -> None:
    done = _lint(_copy_with(tmp_path, module, line))
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 broken" in done.stdout
    broken_lines = [row for row in done.stdout.splitlines() if row.rstrip().endswith("BROKEN")]
    assert any(broken in row for row in broken_lines), done.stdout[-3000:]


def _top_level_modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "_version"))


def test_the_top_level_holds_only_the_public_face() -> None:
    # The public face and its entry point; everything else lives in a subpackage that says what it owns.
    assert len(_top_level_modules()) <= 8, _top_level_modules()


def _subpackages() -> list[str]:
    return sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))


def test_every_module_and_subpackage_has_a_place_in_the_layers() -> None:
    # A new module or subpackage left out of the layers would be checked by no contract.
    placed = {name.strip().removeprefix("belarus_data.") for layer in LAYERS for name in layer.split("|")}
    assert set(_top_level_modules()) | set(_subpackages()) | {"_version"} == placed


@pytest.mark.parametrize("package", _subpackages())
def test_each_subpackage_says_what_it_owns_and_may_import(package: str) -> None:
    docstring = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert docstring, f"belarus_data/{package}/__init__.py has no docstring"
    assert "may import" in " ".join(docstring.split()).lower(), docstring
