"""Every broken input of the corpus (tests/fixtures/invalid) is rejected with its located problem.

The real command runs in separate Python processes, as a contributor or CI
would run it: `belarus-data validate --root <case>` must exit 1, print no
traceback, and report the case's expected code at its file, line and field.
Starting Python and importing the package costs about two CPU-seconds, so
all cases go through a few worker processes, each calling the command's entry
point (the same `main` the console script calls) once per case with its own
output captured; a handful of cases also run as one process each, exactly as
typed in a shell. The loaders are then held to the same answers in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from corpus import iter_cases

from belarus_data import validate
from belarus_data.checks.rootcause import EXPLAINED_BY
from belarus_data.loaders import load_table
from belarus_data.problems import DatasetError
from belarus_data.storage.tables import TABLES

REPO = Path(__file__).parent.parent
CASES = iter_cases()
BY_NAME = {case.name: case for case in CASES}

# Codes a table's loader finds on its own (file structure, cells, rows), as opposed to
# checks across files (keys, links, texts, dates, the descriptor).
TABLE_LOCAL_CODES = {
    "file-empty",
    "file-missing",
    "file-symlink",
    "encoding",
    "encoding-bom",
    "nul-byte",
    "line-ending",
    "final-newline",
    "header-missing",
    "header-unknown",
    "header-duplicate",
    "header-order",
    "csv-syntax",
    "cell-newline",
    "cell-too-large",
    "row-columns",
    "blank-line",
    "text-invisible-char",
    "text-private-use-char",
    "text-unassigned-char",
    "text-not-nfc",
    "text-formula-lead",
    "too-long",
    "pattern",
    "vocab",
    "edtf",
    "not-date",
    "not-integer",
    "out-of-range",
    "offsets-order",
}

# Runs `belarus-data validate --root R --format json` for each root read from stdin (one per line),
# printing one JSON line per root with the exit code and everything the command wrote.
DRIVER = """
import contextlib, io, json, sys, traceback
from belarus_data.cli import main
for root in sys.stdin.read().splitlines():
    out, err = io.StringIO(), io.StringIO()
    code = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["validate", "--root", root, "--format", "json"], prog_name="belarus-data")
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:
            traceback.print_exc()
    print(json.dumps({"root": root, "exit": code, "stdout": out.getvalue(), "stderr": err.getvalue()}))
"""


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    env.pop("BELARUS_DATA_DEBUG", None)  # would let an internal error show its traceback
    return env


def _run_batch(roots: list[Path]) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input="\n".join(str(r) for r in roots),
        capture_output=True,
        text=True,
        cwd=roots[0].parent.parent,  # outside any checkout: --root alone decides what is validated
        env=_env(),
        timeout=600,
        check=False,
    )
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(roots), f"worker died (exit {done.returncode}):\n{done.stderr[-3000:]}"
    return results


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each case built once, under its own temporary directory."""
    return {case.name: case.materialise(tmp_path_factory.mktemp(case.name)) for case in CASES}


@pytest.fixture(scope="module")
def cli_runs(roots: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """The command run on every case, split over one worker process per CPU."""
    workers = max(1, min(4, os.cpu_count() or 1))
    names = list(roots)
    chunks = [names[k::workers] for k in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        batches = list(pool.map(lambda chunk: _run_batch([roots[n] for n in chunk]), chunks))
    return {
        name: result
        for chunk, batch in zip(chunks, batches, strict=True)
        for name, result in zip(chunk, batch, strict=True)
    }


def test_the_corpus_is_large_and_covers_the_issue() -> None:
    assert len(CASES) >= 40
    codes = {e.code for case in CASES for e in case.expected}
    required = {
        "final-newline",
        "file-empty",
        "encoding",
        "encoding-bom",
        "line-ending",
        "header-missing",
        "header-unknown",
        "header-duplicate",
        "header-order",
        "csv-syntax",
        "cell-newline",
        "nul-byte",
        "cell-too-large",
        "duplicate-key",
        "pattern",
        "text-invisible-char",
        "text-private-use-char",
        "text-unassigned-char",
        "name-mixed-script",
        "alias-script",
        "alias-confusable",
        "text-not-nfc",
        "text-formula-lead",
        "foreign-key",
        "reference-withdrawn",
        "out-of-range",
        "offsets-order",
        "offsets-range",
        "quote-mismatch",
        "text-sha256",
        "text-length",
        "text-path-unsafe",
        "package-path-unsafe",
        "package-unknown-key",
        "package-type",
        "package-too-deep",
        "edtf",
        "date-after-source",
        "vocab",
    }
    assert required <= codes, sorted(required - codes)
    # a dangling foreign key in every table that has one
    fk_files = {e.file for case in CASES for e in case.expected if e.code == "foreign-key"}
    assert {t.path for t in TABLES if t.foreign_keys} <= fk_files


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_cli_rejects_case_with_located_problem(name: str, cli_runs: dict[str, dict[str, Any]]) -> None:
    case, run = BY_NAME[name], cli_runs[name]
    assert "Traceback" not in run["stdout"] + run["stderr"], run["stderr"][-2000:]
    assert run["exit"] == 1, f"exit {run['exit']}\n{run['stderr'][-2000:]}"
    report = json.loads(run["stdout"])
    assert report["ok"] is False
    errors: list[dict[str, Any]] = report["errors"]
    for expected in case.expected:
        assert any(expected.matches(p) for p in errors), f"{case.description}\nexpected {expected}, got:\n" + "\n".join(
            f"{p['file']}:{p['line']} [{p['code']}] {p['field']}: {p['message']}" for p in errors
        )
    for problem in errors:  # every problem can be acted on: it names a file and says what is wrong and what is right
        assert problem["file"] and problem["message"] and problem["hint"], problem


EXPLAINED_BY_CODE = {
    reason: tuple(code for code, reasons in EXPLAINED_BY.items() if reason in reasons)
    for reason in {r for reasons in EXPLAINED_BY.values() for r in reasons}
}


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_loaders_raise_the_same_problems(name: str, roots: dict[str, Path]) -> None:
    """Each loader of a table with problems raises DatasetError with problems `validate` also reports.

    (That both engines agree on every case is tests/test_engines_agree.py's job.)
    """
    root = roots[name]
    reported = set(validate(root).errors)
    raised: dict[str, set[Any]] = {}
    for table in TABLES:
        if not any(p.file == table.path for p in reported):
            continue  # the loaders of clean tables are exercised by the rest of the suite
        try:
            load_table(table.name, root)
        except DatasetError as err:
            assert err.problems, "a DatasetError always carries its problems"
            # A loader reads no texts: a quote's row rule (offsets-length) is its sign of what `validate`
            # reports as the one quote problem of that row (see checks/rootcause.py).
            explained = {(p.file, p.line, code) for p in reported for code in EXPLAINED_BY_CODE.get(p.code, ())}
            unexplained = {p for p in err.problems if (p.file, p.line, p.code) not in explained}
            assert unexplained <= reported, unexplained - reported
            raised[table.path] = set(err.problems)
    table_files = {t.path for t in TABLES}
    for expected in BY_NAME[name].expected:
        if expected.code in TABLE_LOCAL_CODES and expected.file in table_files:
            problems = [p.as_dict() for p in raised.get(expected.file, set())]
            assert any(expected.matches(p) for p in problems), f"load_table did not raise {expected}"


# One process per run, exactly as typed in a shell, for the inputs most likely to break a process.
PER_PROCESS = ["package-deep-nesting", "multi-megabyte-cell", "records-dir-symlink-outside", "encoding-utf16-bom"]


@pytest.mark.parametrize("name", PER_PROCESS)
def test_console_command_in_its_own_process(name: str, roots: dict[str, Path]) -> None:
    root = roots[name]
    done = subprocess.run(
        [sys.executable, "-m", "belarus_data.cli", "validate", "--root", str(root)],
        capture_output=True,
        text=True,
        cwd=root.parent,
        env=_env(),
        timeout=300,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-2000:]
    assert done.returncode == 1
    for expected in BY_NAME[name].expected:
        where = expected.file + (f":{expected.line}" if expected.line is not None else "")
        assert f"{where}: [{expected.code}]" in done.stdout, done.stdout[-2000:]


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_every_command_survives_the_case(name: str, tmp_path: Path) -> None:
    """Not only validate: each command that reads the dataset answers a broken one with exit 0, 1 or 2, never a crash."""
    from click.testing import CliRunner

    from belarus_data.cli import main

    root = BY_NAME[name].materialise(tmp_path)
    commands = [
        ["fmt", "--check", "--root", str(root)],
        ["info", "--root", str(root)],
        ["export", "json", "--root", str(root), str(tmp_path / "out")],
        ["new", "actor", "--root", str(root), "--set", "name=Probe Ministry", "--set", "actor_type=government"],
        ["fmt", "--root", str(root)],  # last: it rewrites files
    ]
    for args in commands:
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1, 2), f"{' '.join(args[:2])}: exit {result.exit_code}: {result.output[-500:]}"
        assert "Traceback" not in result.output
