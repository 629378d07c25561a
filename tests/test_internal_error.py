"""An unexpected exception in a command becomes one line and exit code 3, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, VALID

from belarus_data import validation
from belarus_data.cli import main
from belarus_data.commands.safegroup import INTERNAL_ERROR_EXIT


def _boom(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("simulated bug")


def test_internal_error_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BELARUS_DATA_DEBUG", raising=False)
    monkeypatch.setattr(validation, "validate", _boom)
    result = CliRunner().invoke(main, ["validate", "--root", str(VALID)])
    assert result.exit_code == INTERNAL_ERROR_EXIT == 3
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error" in lines[0] and "ZeroDivisionError: simulated bug" in lines[0]
    assert "report it" in lines[0]


def test_debug_variable_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BELARUS_DATA_DEBUG", "1")
    monkeypatch.setattr(validation, "validate", _boom)
    result = CliRunner().invoke(main, ["validate", "--root", str(VALID)])
    assert isinstance(result.exception, ZeroDivisionError)


def test_usage_errors_and_invalid_data_keep_their_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["validate", "--format", "yaml"]).exit_code == 2
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2
    assert runner.invoke(main, ["--help"]).exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    # No dataset at all is a usage error (issue 14); a dataset with its files missing is invalid data.
    assert runner.invoke(main, ["validate", "--root", str(empty)]).exit_code == 2
    (empty / "records").mkdir()
    assert runner.invoke(main, ["validate", "--root", str(empty)]).exit_code == 1


def test_real_process_internal_error_prints_no_traceback(tmp_path: Path) -> None:
    # A real process, crashing inside the command: the one-line message, exit 3.
    code = (
        "import sys\n"
        "from belarus_data import validation\n"
        "def boom(*a, **k): raise RecursionError('simulated')\n"
        "validation.validate = boom\n"
        "from belarus_data.cli import main\n"
        f"sys.argv = ['belarus-data', 'validate', '--root', {str(VALID)!r}]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "BELARUS_DATA_DEBUG"}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stdout + done.stderr
    assert "internal error (RecursionError: simulated)" in done.stderr
