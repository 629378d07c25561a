"""A --root that does not exist or holds no dataset is a usage error (exit 2, "no dataset at …") for every command.

The exit codes are documented in one table in README.md; the constants behind them are checked against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import REPO

from belarus_data.cli import main
from belarus_data.commands.faults import FAULT_EXIT
from belarus_data.commands.safegroup import BROKEN_PIPE_EXIT, INTERNAL_ERROR_EXIT, MISSING_EXTRA_EXIT

# Every command that takes --root, with the arguments it needs besides (OUT: a path in the test's directory).
# A new command with --root must be added here: test_every_root_command_is_listed fails until it is.
COMMANDS: dict[str, list[str]] = {
    "validate": [],
    "info": [],
    "info --json": ["--json"],
    "export sqlite": ["OUT/x.db"],
    "export parquet": ["OUT/p"],
    "export json": ["OUT/j"],
    "timeline": ["OUT/t.svg"],
    "diff": ["HEAD"],
    "fmt": [],
    "fmt --check": ["--check"],
    "schema": [],
    "schema --check": ["--check"],
    "new": ["claim", "--set", "statement=x"],
    "new --dry-run": ["actor", "--set", "name=X", "--dry-run"],
    "annotate": ["--no-browser", "src-x"],
}


def _root_commands(group: click.Group, prefix: str = "") -> Iterator[str]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _root_commands(command, f"{prefix}{name} ")
        elif any(param.name == "root" for param in command.params):
            yield f"{prefix}{name}"


def test_every_root_command_is_listed() -> None:
    listed = {name.split(" --")[0] for name in COMMANDS}
    assert set(_root_commands(main)) == listed


def _not_datasets(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty"
    empty.mkdir()
    unrelated = tmp_path / "unrelated"  # a directory of other things: none of datapackage.json, records/, schema/
    (unrelated / "docs").mkdir(parents=True)
    (unrelated / "README.md").write_text("# notes\n", encoding="utf-8")
    return {"missing": tmp_path / "no" / "such" / "dir", "empty": empty, "unrelated": unrelated}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_dataset_is_a_usage_error(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    words = command.split(" --")[0].split()
    args = [a.replace("OUT/", f"{out}/") for a in COMMANDS[command]]
    for kind, root in _not_datasets(tmp_path).items():
        before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
        result = CliRunner().invoke(main, [*words, *args, "--root", str(root)])
        assert result.exit_code == 2, (kind, result.output)
        assert f"no dataset at {root.resolve()}" in result.output, (kind, result.output)
        assert "Traceback" not in result.output
        # Nothing was written: no output, and nothing in the would-be root.
        assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, kind


def test_a_broken_dataset_is_still_a_dataset(tmp_path: Path) -> None:
    # Only a directory with no part of a dataset is "no dataset": a missing or foreign descriptor, or
    # records/ alone, is a dataset with problems, reported with their places (exit 1), as the gate needs.
    records_only = tmp_path / "records-only"
    (records_only / "records").mkdir(parents=True)
    result = CliRunner().invoke(main, ["validate", "--root", str(records_only), "--no-base"])
    assert result.exit_code == 1 and "datapackage.json" in result.output and "no dataset at" not in result.output


def test_info_on_an_empty_directory_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No --root: inside an empty directory outside any checkout the default is the installed data,
    # so --root is what points `info` at a directory with no dataset.
    result = CliRunner().invoke(main, ["info", "--root", str(tmp_path)])
    assert result.exit_code == 2 and "no dataset at" in result.output


def _readme_exit_codes() -> dict[int, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(\d+)` \| (.+?) \|$", section, flags=re.MULTILINE)
    return {int(code): meaning for code, meaning in rows}


def test_readme_lists_every_exit_code() -> None:
    codes = _readme_exit_codes()
    assert set(codes) == {0, 1, 2, 3, 4, 141}
    assert FAULT_EXIT == 1 and INTERNAL_ERROR_EXIT == 3 and MISSING_EXTRA_EXIT == 4 and BROKEN_PIPE_EXIT == 141
    assert "extra" in codes[MISSING_EXTRA_EXIT] and "no dataset at" in codes[2]
