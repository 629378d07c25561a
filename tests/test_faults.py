"""Ordinary faults of the machine end a command with one located line and exit code 1, never exit 3.

Unreadable files and unsearchable directories: these tests run as root on CI containers, where
``chmod 000`` denies nothing, so the command then runs as the unprivileged user ``nobody`` (through
``setpriv``); as an ordinary user the permissions deny by themselves. The same faults are also raised
at the OS boundary in-process (``io.open``, ``os.fsync`` patched), so they are tested everywhere. A
full disk is a real tmpfs, filled up, where the tests run as root, and the patched write elsewhere; a
broken pipe and ``/dev/full`` are real.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPO, VALID, read_rows, write_rows
from gitrepo import git

from belarus_data.cli import main
from belarus_data.commands.safegroup import BROKEN_PIPE_EXIT, INTERNAL_ERROR_EXIT
from belarus_data.storage import atomic

NOBODY = 65534
SETPRIV = shutil.which("setpriv")
ROOT = os.geteuid() == 0


def unprivileged() -> list[str]:
    """The prefix that runs a command without the power to ignore permissions (or skip if there is none)."""
    if not ROOT:
        return []
    if SETPRIV is None:
        pytest.skip("running as root without setpriv: permissions cannot be denied")
    return [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.fixture
def shared() -> Iterator[Path]:
    """A copy of the valid fixture that the unprivileged user owns (in a directory it may enter)."""
    top = Path(tempfile.mkdtemp(prefix="belarus-data-faults-"))
    top.chmod(0o755)
    root = top / "dataset"
    shutil.copytree(VALID, root)
    if ROOT:
        for path in [top, *top.rglob("*")]:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
    try:
        yield root
    finally:
        for path in [top, *top.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
            elif path.is_file():
                path.chmod(0o644)
        shutil.rmtree(top)


def belarus_data(*args: str, prefix: list[str] | None = None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BELARUS_DATA_DEBUG"}
    env["PYTHONPATH"] = str(REPO)
    env["MPLCONFIGDIR"] = tempfile.gettempdir()
    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "belarus_data.cli", *args],
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
        check=False,
        **kwargs,
    )


def assert_fault(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 1 with one ``error: cannot …`` line naming the file, never an internal error or a traceback."""
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "internal error" not in output and "Traceback" not in output, output
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: cannot ")]
    assert errors, output
    for word in words:
        assert word in errors[0], (word, errors[0])


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp")]


def unsort(root: Path) -> None:
    """Reverse the claims' rows, so that `fmt` has to rewrite the file."""
    path = root / "records" / "claims.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0], *reversed(rows[1:])])


# --- unreadable files, unsearchable directories


@pytest.mark.parametrize(
    "args",
    [["validate", "--no-base"], ["fmt"], ["new", "actor", "--set", "name=X Ministry", "--set", "actor_type=ministry"]],
    ids=lambda a: a[0],
)
def test_an_unreadable_table_is_a_located_fault(shared: Path, args: list[str]) -> None:
    prefix = unprivileged()
    (shared / "records" / "claims.csv").chmod(0)
    done = belarus_data(*args, "--root", str(shared), prefix=prefix)
    assert_fault(done, "cannot read", "records/claims.csv", "permission denied", "chmod")


def test_an_unreadable_table_stops_an_export(shared: Path) -> None:
    prefix = unprivileged()
    (shared / "records" / "claims.csv").chmod(0)
    out = shared.parent / "out"
    done = belarus_data("export", "json", str(out), "--root", str(shared), prefix=prefix)
    assert_fault(done, "cannot read", "records/claims.csv")
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("directory", ["records/texts", "records"])
def test_an_unsearchable_directory_is_a_located_fault(shared: Path, directory: str) -> None:
    prefix = unprivileged()
    (shared / directory).chmod(0)
    done = belarus_data("validate", "--no-base", "--root", str(shared), prefix=prefix)
    assert_fault(done, "cannot read", directory, "permission denied")


def test_reading_is_refused_at_the_os_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # In-process, whoever runs the tests: every open of the claims file fails as chmod 000 would.
    root = shutil.copytree(VALID, tmp_path / "dataset")
    denied = str(root / "records" / "claims.csv")
    real_open = io.open

    def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == denied:
            raise PermissionError(errno.EACCES, "Permission denied", denied)
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def refusing_os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == denied:
            raise PermissionError(errno.EACCES, "Permission denied", denied)
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", refusing_open)
    monkeypatch.setattr(os, "open", refusing_os_open)  # the regular-file reader opens with os.open
    for args in (["validate", "--no-base"], ["fmt", "--check"]):
        result = CliRunner().invoke(main, [*args, "--root", str(root)])
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"error: cannot read {denied}: permission denied"), result.stderr


# --- read-only records/ and schema/


@pytest.mark.parametrize(
    "args",
    [["fmt"], ["new", "actor", "--set", "name=X Ministry", "--set", "actor_type=ministry"]],
    ids=lambda a: a[0],
)
def test_read_only_records_is_a_located_fault_and_changes_nothing(shared: Path, args: list[str]) -> None:
    prefix = unprivileged()
    unsort(shared)
    records = shared / "records"
    for path in records.glob("*.csv"):
        path.chmod(0o444)
    records.chmod(0o555)
    before = snapshot(shared)
    done = belarus_data(*args, "--root", str(shared), prefix=prefix)
    assert_fault(done, "cannot write", "records/", "permission denied")
    assert snapshot(shared) == before
    assert temp_files(shared) == []


def test_read_only_schema_is_a_located_fault(shared: Path) -> None:
    prefix = unprivileged()
    (shared / "schema" / "claims.schema.json").unlink()
    (shared / "schema").chmod(0o555)
    done = belarus_data("schema", "--root", str(shared), prefix=prefix)
    assert_fault(done, "cannot write", "schema/claims.schema.json", "permission denied")
    assert temp_files(shared) == []


def test_an_export_into_a_read_only_directory_is_a_located_fault(shared: Path) -> None:
    prefix = unprivileged()
    target = shared.parent / "read-only"
    target.mkdir()
    if ROOT:
        os.chown(target, NOBODY, NOBODY)
    target.chmod(0o555)
    for args in (["export", "json", str(target / "json")], ["export", "sqlite", str(target / "x.db")]):
        done = belarus_data(*args, "--root", str(shared), prefix=prefix)
        assert_fault(done, "cannot write", str(target))
    assert list(target.iterdir()) == []


# --- a full disk


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A directory on a file system that will be filled up: a 1 MiB tmpfs (needs root)."""
    if not ROOT:
        pytest.skip("mounting a tmpfs needs root; test_a_full_disk_at_the_os_boundary covers this")
    place = tmp_path / "tiny"
    place.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(place)], check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield place
    finally:
        subprocess.run(["umount", str(place)], check=False)


def fill(place: Path) -> None:
    with (place / "filler").open("wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 512)
        except OSError as err:
            assert err.errno == errno.ENOSPC


def test_a_full_disk_during_fmt_changes_nothing(full_disk: Path) -> None:
    root = full_disk / "dataset"
    (root / "records").mkdir(parents=True)
    for name in ("datapackage.json",):
        shutil.copy(VALID / name, root / name)
    for table in (VALID / "records").glob("*.csv"):
        shutil.copy(table, root / "records" / table.name)
    shutil.copytree(VALID / "records" / "texts", root / "records" / "texts")
    unsort(root)
    fill(full_disk)
    before = snapshot(root)
    done = belarus_data("fmt", "--root", str(root))
    assert_fault(done, "cannot write", "records/claims.csv", "the disk is full")
    assert snapshot(root) == before and temp_files(root) == []


def test_a_full_disk_during_an_export(full_disk: Path) -> None:
    fill(full_disk)
    for args in (["export", "json", str(full_disk / "json")], ["export", "sqlite", str(full_disk / "x.db")]):
        done = belarus_data(*args, "--root", str(VALID))
        assert_fault(done, "cannot write", str(full_disk), "the disk is full")
    assert temp_files(full_disk) == []


def test_a_full_disk_at_the_os_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = shutil.copytree(VALID, tmp_path / "dataset")
    unsort(root)
    before = snapshot(root)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    result = CliRunner().invoke(main, ["fmt", "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"error: cannot write {root / 'records' / 'claims.csv'}: the disk is full")
    assert snapshot(root) == before and temp_files(root) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_output_to_a_full_device_is_a_located_fault() -> None:
    with open("/dev/full", "w") as full:
        done = belarus_data("validate", "--no-base", "--root", str(VALID), stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == (
        "error: cannot write the output: the disk is full: free some space and run the command again "
        "(files already there were not changed)"
    )


def test_other_os_errors_stay_internal_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only ordinary faults are exit 1: an OSError no user can fix is still reported as a bug.
    from belarus_data import validation

    def refused(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")

    monkeypatch.delenv("BELARUS_DATA_DEBUG", raising=False)
    monkeypatch.setattr(validation, "validate", refused)
    result = CliRunner().invoke(main, ["validate", "--no-base", "--root", str(VALID)])
    assert result.exit_code == INTERNAL_ERROR_EXIT


# --- a reader that goes away


def test_a_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    root = shutil.copytree(VALID, tmp_path / "dataset")
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    rows += [[f"act-bulk-{i:05d}", *rows[1][1:2], "persn", *rows[1][3:]] for i in range(3000)]
    write_rows(path, rows)  # 3,000 problems: far more output than a pipe buffers
    env = {k: v for k, v in os.environ.items() if k != "BELARUS_DATA_DEBUG"}
    env["PYTHONPATH"] = str(REPO)
    process = subprocess.Popen(
        [sys.executable, "-m", "belarus_data.cli", "validate", "--no-base", "--max-problems", "0", "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == BROKEN_PIPE_EXIT == 128 + signal.SIGPIPE
    assert first.startswith(b"records/actors.csv:")
    assert stderr == ""  # no "internal error", no "Exception ignored … BrokenPipeError"


# --- temporary files of a killed run

KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from belarus_data.storage import atomic

def hang(src, dst):
    print("writing", flush=True)
    time.sleep(600)

os.replace = hang
atomic.write_bytes(Path(sys.argv[1]), b"half a table")
"""


def test_a_killed_runs_temp_file_is_noted_then_removed(tmp_path: Path) -> None:
    root = shutil.copytree(VALID, tmp_path / "dataset")
    target = root / "records" / "claims.csv"
    before = target.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    left = temp_files(root)
    assert [p.name.split(".")[3] for p in left] == [str(writer.pid)]  # .claims.csv.<pid>.<random>.tmp
    assert target.read_bytes() == before

    data = json.loads(
        CliRunner().invoke(main, ["validate", "--no-base", "--root", str(root), "--format", "json"]).stdout
    )
    notes = {note["code"]: note["message"] for note in data["notes"]}
    assert left[0].name in notes["leftover-temp-files"]
    check = CliRunner().invoke(main, ["fmt", "--check", "--root", str(root)])
    assert "left by a killed run" in check.stderr and temp_files(root) == left  # --check only reports
    done = CliRunner().invoke(main, ["fmt", "--root", str(root)])
    assert done.exit_code == 0 and "removed: left by a killed run" in done.stderr
    assert temp_files(root) == [] and target.read_bytes() == before


def test_a_running_writers_temp_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "claims.csv"
    mine = tmp_path / f".claims.csv.{os.getpid()}.abc.tmp"
    alive = tmp_path / ".claims.csv.1.abc.tmp"  # pid 1 always runs
    for path in (mine, alive):
        path.write_bytes(b"in progress")
    atomic.write_bytes(target, b"x\n")
    assert mine.exists() and alive.exists()


def test_temporary_files_are_ignored_by_git(tmp_path: Path) -> None:
    for name in ("records/.claims.csv.4242.k3j2h1.tmp", "export/.belarus.db.17.x.tmp", "notes.tmp"):
        ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q", name], check=False)
        assert ignored.returncode == 0, name


def test_atomic_names_its_target_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir-is-a-file" / "x.csv"
    (tmp_path / "missing-dir-is-a-file").write_bytes(b"")
    with pytest.raises(atomic.CannotWrite) as caught:
        atomic.write_bytes(target, b"x")
    assert caught.value.filename == str(target) and caught.value.errno in (errno.ENOTDIR, errno.EEXIST)


# --- scripts/checks.sh on a pull request without a base


def fake_tools(bin_dir: Path) -> None:
    bin_dir.mkdir()
    for tool in ("belarus-data", "ruff", "mypy", "python", "python3", "lint-imports"):
        script = bin_dir / tool
        script.write_text(f'#!/bin/sh\necho "{tool} $*"\nexit 0\n', encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize("event", ["pull_request", "push"])
def test_checks_fail_a_pull_request_whose_versioning_rules_cannot_run(tmp_path: Path, event: str) -> None:
    # A checkout without main (a shallow clone of the pull request's head alone).
    work = tmp_path / "work"
    (work / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "checks.sh", work / "scripts" / "checks.sh")
    git(work, "init", "-q", "-b", "feature")
    git(work, "commit", "-q", "--allow-empty", "-m", "head only")
    fake_tools(tmp_path / "bin")
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}", "SKIP_WHEEL": "1"}
    env.pop("BASE_REF", None)
    env.pop("GITHUB_STEP_SUMMARY", None)
    env["GITHUB_EVENT_NAME"] = event
    done = subprocess.run(
        ["bash", str(work / "scripts" / "checks.sh")], capture_output=True, text=True, env=env, check=False
    )
    if event == "pull_request":
        assert done.returncode == 1
        assert "belarus-data validate --format text --require-base" in done.stdout
        assert "::error title=versioning-skipped::" in done.stdout
        assert done.stdout.strip().splitlines()[-1] == "failed steps: validate --base"
    else:
        assert done.returncode == 0, done.stdout
        assert "belarus-data validate --format text --summary /dev/null" in done.stdout
