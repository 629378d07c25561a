"""Safe by construction: reading hostile data runs nothing, fetches nothing, writes nothing, leaves the root for nothing.

The strongest check uses Python's audit hooks (PEP 578), which see every
``open``, socket, subprocess, ``exec``/``compile`` and unpickling in the
process. A worker validates and loads every case of the hostile corpus twice:
the first pass imports whatever the code paths need, the second is watched,
and any event outside the case's own dataset root is a failure. Limits on what
is read (file, descriptor, text and cell sizes, row counts) are tested with
lowered bounds, each with its located error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from corpus import iter_cases

from belarus_data import validate
from belarus_data.checks import evidence, package
from belarus_data.loaders import load_table
from belarus_data.problems import DatasetError

WATCHER = r"""
import json, os, sys
from pathlib import Path

roots = [Path(line) for line in sys.stdin.read().splitlines()]
state = {"watching": False, "root": None}
events = []
FORBIDDEN = ("socket.", "urllib.", "http.", "ftplib.", "subprocess.", "os.system", "os.exec", "os.posix_spawn",
             "os.spawn", "os.fork", "pty.", "pickle.", "marshal.loads", "exec", "compile", "ctypes.",
             "import", "os.remove", "os.rename", "os.replace", "os.symlink", "os.link", "os.mkdir", "os.chmod",
             "shutil.", "webbrowser.")

def hook(event, args):
    if not state["watching"]:
        return
    if event == "open":
        path, mode = args[0], args[1]
        if isinstance(path, int):
            return
        resolved = os.path.realpath(os.fsdecode(path))
        inside = resolved == state["root"] or resolved.startswith(state["root"] + os.sep)
        if not inside or (mode and any(m in str(mode) for m in "wax+")):
            events.append((event, repr(args)[:300]))
    elif event.startswith(FORBIDDEN):
        events.append((event, repr(args)[:300]))

sys.addaudithook(hook)

from belarus_data import validate
from belarus_data.loaders import load_table
from belarus_data.problems import DatasetError
from belarus_data.storage.tables import TABLES

def run(root, every_table=False):
    report = validate(root)
    broken = {p.file for p in report.problems}
    for table in TABLES:
        if every_table or table.path in broken:
            try:
                load_table(table.name, root)
            except DatasetError:
                pass
    return report

# First pass, unwatched: every lazy import the code paths need happens here (the loaders'
# own paths on the first root; their error paths are validate's, warmed on every root).
for k, root in enumerate(roots):
    if k == 0:
        run(root, every_table=True)
    else:
        validate(root)
for k, root in enumerate(roots):
    state["root"] = os.path.realpath(root)
    state["watching"] = True
    run(root, every_table=k == 0)
    state["watching"] = False
print(json.dumps(events))
"""


def test_hostile_corpus_runs_nothing_and_touches_nothing_outside(tmp_path: Path) -> None:
    roots = [case.materialise(tmp_path / case.name) for case in iter_cases()]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", WATCHER],
        input="\n".join(str(r) for r in roots),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    events = json.loads(done.stdout.strip().splitlines()[-1])
    assert events == [], "\n".join(f"{event}: {args}" for event, args in events[:30])


def test_watcher_would_see_a_violation(tmp_path: Path) -> None:
    """The audit hook is not blind: opening a file outside the root while watching is reported."""
    outside = tmp_path / "outside.txt"
    outside.write_text("x", encoding="utf-8")
    probe = WATCHER.replace(
        '    run(root, every_table=k == 0)\n    state["watching"] = False',
        f'    run(root, every_table=k == 0)\n    open({str(outside)!r}).close()\n    state["watching"] = False',
    )
    assert probe != WATCHER
    root = iter_cases()[0].materialise(tmp_path / "case")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", probe], input=str(root), capture_output=True, text=True, env=env, check=False
    )
    events = json.loads(done.stdout.strip().splitlines()[-1])
    assert any(event == "open" and str(outside) in args for event, args in events)


# --- bounds on what is read, each with its located error


def _codes(root: Path) -> set[tuple[str, str, int | None]]:
    return {(p.code, p.file, p.line) for p in validate(root).errors}


def test_file_size_limit(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from belarus_data.storage import csvfile

    monkeypatch.setattr(csvfile, "MAX_FILE_BYTES", 500)
    assert ("file-too-large", "records/claims.csv", None) in _codes(root)
    with pytest.raises(DatasetError) as raised:
        load_table("claims", root)
    assert raised.value.problems[0].code == "file-too-large"


def test_row_count_limit(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from belarus_data.storage import csvfile

    monkeypatch.setattr(csvfile, "MAX_ROWS", 5)
    problems = [p for p in validate(root).errors if p.code == "too-many-rows"]
    assert [(p.file, p.line) for p in problems] == [("records/actors.csv", None)]  # 6 actors; other tables <= 5
    assert "6 rows, over the 5 limit" in problems[0].message


def test_row_count_limit_on_the_slow_path(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from belarus_data.storage import csvfile

    monkeypatch.setattr(csvfile, "MAX_ROWS", 5)
    path = root / "records" / "actors.csv"
    path.write_bytes(path.read_bytes() + b'"unbalanced\n')  # forces the pure-Python parser
    assert ("too-many-rows", "records/actors.csv", None) in _codes(root)


def test_source_text_size_limit(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_TEXT_BYTES", 100)
    assert ("text-too-large", "records/sources.csv", 2) in _codes(root)


def test_descriptor_size_limit(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_DESCRIPTOR_BYTES", 100)
    problems = [p for p in validate(root).errors if p.file == "datapackage.json"]
    assert [p.code for p in problems] == ["package-invalid"]
    assert "implausibly large" in problems[0].message


def test_a_fifo_in_place_of_a_file_is_not_read(root: Path) -> None:
    """A named pipe would block a reader forever; it is reported instead of opened."""
    path = root / "records" / "events.csv"
    path.unlink()
    os.mkfifo(path)
    assert ("file-not-regular", "records/events.csv", None) in _codes(root)
    text = root / "records" / "texts" / "fixture-note.txt"
    text.unlink()
    os.mkfifo(text)
    assert ("file-not-regular", "records/sources.csv", 2) in _codes(root)


def test_ci_gives_pull_requests_no_secrets() -> None:
    workflows = list((REPO / ".github" / "workflows").glob("*.yml"))
    assert workflows
    for workflow in workflows:
        text = workflow.read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert "secrets." not in code, f"{workflow.name} passes secrets to pull-request code"
        assert "pull_request_target" not in code, f"{workflow.name} runs fork code with write access"
        assert "permissions:" in code


FORMULAS = [
    "=1+1",
    '=HYPERLINK("https://example.org")',
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_no_column_accepts_a_spreadsheet_formula(formula: str) -> None:
    """Every exported value comes from a validated cell, so no export can carry a formula to a spreadsheet."""
    from pydantic_core import PydanticCustomError

    from belarus_data.models.columns import convert
    from belarus_data.storage.tables import TABLES

    for table in TABLES:
        for name, rule in table.rules.items():
            with pytest.raises(PydanticCustomError):
                convert(rule, formula)
                pytest.fail(f"{table.name}.{name} accepts {formula!r}")


@pytest.mark.parametrize(
    ("descriptor", "code"),
    [
        ('{"resources": ' + "[" * 50_000 + "]" * 50_000 + ', "name": "belarus-data"}', "package-too-deep"),
        ("[1, 2, 3]", "package-type"),
        ('{"name": "belarus-data", "resources": ', "package-invalid"),
    ],
)
def test_hostile_descriptor_is_reported_when_found_from_the_working_directory(
    root: Path, monkeypatch: pytest.MonkeyPatch, descriptor: str, code: str
) -> None:
    """`belarus-data validate` without --root (as CI runs it) finds the checkout even through a broken
    datapackage.json, and reports it, rather than crashing or quietly validating another root."""
    from click.testing import CliRunner

    from belarus_data.cli import main

    (root / "datapackage.json").write_text(descriptor, encoding="utf-8")
    monkeypatch.chdir(root / "records")
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["root"] == str(root.resolve())
    assert any(p["code"] == code and p["file"] == "datapackage.json" for p in report["errors"])


@pytest.mark.parametrize("command", ["schema", "fmt"])
def test_generators_never_write_through_a_link(root: Path, tmp_path: Path, command: str) -> None:
    """A pull request that turns schema/ into a link cannot make `schema` or `fmt` write outside the dataset."""
    from click.testing import CliRunner

    from belarus_data.cli import main

    outside = tmp_path / "outside-schema"
    (root / "schema").rename(outside)
    (root / "schema").symlink_to(outside, target_is_directory=True)
    stale = outside / "claims.schema.json"
    stale.write_text("{}\n", encoding="utf-8")  # stale, so the generator wants to rewrite it
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    result = CliRunner().invoke(main, [command, "--root", str(root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert "symbolic link 'schema'" in result.output
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before
