"""Nothing is lost: a write that fails midway leaves every previous file intact and no temporary file behind.

Every command that writes goes through a temporary file in the target's
directory and an ``os.replace``. Here each one is interrupted (the rename
fails, or the bytes stop halfway through) and the files are compared with
their state before the run and after an uninterrupted run in a twin copy:
each file is exactly one of the two, never a mixture, and no temporary file
remains.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import VALID, read_rows, write_rows

from belarus_data.cli import main
from belarus_data.storage import atomic

Snapshot = dict[str, bytes]


def snapshot(*dirs: Path) -> Snapshot:
    files: Snapshot = {}
    for base in dirs:
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    files[str(path.relative_to(base.parent))] = path.read_bytes()
        elif base.is_file():
            files[str(base.relative_to(base.parent.parent))] = base.read_bytes()
    return files


def temp_files(*dirs: Path) -> list[str]:
    return [str(p) for base in dirs if base.exists() for p in base.parent.rglob("*.tmp")]


class Interrupt(OSError):
    pass


def fail_on_call(number: int) -> Callable[..., Any]:
    """An ``os.replace`` that works until its ``number``-th call, which fails as a full disk would."""
    real = os.replace
    calls = {"n": 0}

    def replace(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if calls["n"] == number:
            raise Interrupt(28, "No space left on device (simulated)")
        real(src, dst)

    return replace


# --- belarus_data.storage.atomic itself


def test_failed_rename_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(b"old content\n")
    monkeypatch.setattr(os, "replace", fail_on_call(1))
    with pytest.raises(atomic.CannotWrite):
        atomic.write_bytes(path, b"new content\n")
    assert path.read_bytes() == b"old content\n"
    assert list(tmp_path.iterdir()) == [path]


def test_write_failing_halfway_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(b"old content\n")
    real_fdopen = os.fdopen

    class HalfWriter:
        """A file object that writes half of what it is given, then fails."""

        def __init__(self, f: Any) -> None:
            self.f = f

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.f.close()

        def write(self, data: bytes) -> int:
            self.f.write(data[: len(data) // 2])
            self.f.flush()
            raise Interrupt(5, "Input/output error (simulated)")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(atomic.CannotWrite):
        atomic.write_bytes(path, b"new content that is long enough to be cut in half\n")
    assert path.read_bytes() == b"old content\n"
    assert list(tmp_path.iterdir()) == [path]


def test_interrupted_first_write_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "replace", fail_on_call(1))
    with pytest.raises(atomic.CannotWrite):
        atomic.write_text(tmp_path / "new.json", "{}\n")
    assert list(tmp_path.iterdir()) == []


def test_keyboard_interrupt_during_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"old\n")

    def stop(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", stop)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_bytes(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert list(tmp_path.iterdir()) == [path]


# --- every command that writes


def _stale_generated(root: Path) -> None:
    for relative in ("datapackage.json", "schema/claims.schema.json", "schema/jsonschema/events.json"):
        path = root / relative
        path.write_bytes(path.read_bytes().replace(b'"', b"'", 2))


def _messy_records(root: Path) -> None:
    for table in ("actors", "claims"):
        path = root / "records" / f"{table}.csv"
        rows = read_rows(path)
        write_rows(path, [rows[0], *reversed(rows[1:])])  # fmt sorts them back


def _nothing(root: Path) -> None:
    pass


# name -> (prepare the dataset, arguments after --root ROOT given the output directory, what it writes)
COMMANDS: dict[str, tuple[Callable[[Path], None], Callable[[Path], list[str]]]] = {
    "schema": (_stale_generated, lambda out: ["schema"]),
    "fmt": (_messy_records, lambda out: ["fmt"]),
    "new": (
        _nothing,
        lambda out: ["new", "actor", "--set", "name=Interrupted Ministry", "--set", "actor_type=government"],
    ),
    "export json": (_nothing, lambda out: ["export", "json", str(out)]),
    "export parquet": (_nothing, lambda out: ["export", "parquet", str(out)]),
    "export sqlite": (_nothing, lambda out: ["export", "sqlite", str(out / "belarus.db")]),
    "timeline": (_nothing, lambda out: ["timeline", str(out / "timeline.svg")]),
}


def _invoke(name: str, root: Path, out: Path) -> Any:
    arguments = COMMANDS[name][1]
    args = arguments(out)
    command, rest = args[: 2 if args[0] == "export" else 1], args[2 if args[0] == "export" else 1 :]
    return CliRunner().invoke(main, [*command, "--root", str(root), *rest])


def _twin(tmp_path: Path, label: str, name: str) -> tuple[Path, Path]:
    root, out = tmp_path / label / "dataset", tmp_path / label / "out"
    shutil.copytree(VALID, root)
    COMMANDS[name][0](root)
    return root, out


def _seed_outputs(name: str, root: Path, out: Path) -> None:
    """Run the command once so that there are previous outputs to lose (exports); then make them differ."""
    if name.startswith("export"):
        seeded = _invoke(name, root, out)
        assert seeded.exit_code == 0, seeded.output
        for path in out.rglob("*"):
            if path.is_file():
                path.write_bytes(path.read_bytes() + b"\n")  # an older export, distinguishable from the new one


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("which", ["first", "last"])
def test_interrupted_command_loses_nothing(
    name: str, which: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The uninterrupted run, in a twin copy, gives each file's "after" state and the number of renames.
    root_a, out_a = _twin(tmp_path, "complete", name)
    _seed_outputs(name, root_a, out_a)
    real, renames = os.replace, []

    def counting(src: Any, dst: Any) -> None:
        renames.append(dst)
        real(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", counting)
        result = _invoke(name, root_a, out_a)
    assert result.exit_code == 0, result.output
    assert renames, f"{name} wrote nothing through os.replace"
    after = snapshot(root_a, out_a)
    failing_call = 1 if which == "first" else len(renames)

    root_b, out_b = _twin(tmp_path, "interrupted", name)
    _seed_outputs(name, root_b, out_b)
    before = snapshot(root_b, out_b)
    assert before != after, "the command must have something to write for this test to mean anything"
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", fail_on_call(failing_call))
        result = _invoke(name, root_b, out_b)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    now = snapshot(root_b, out_b)
    assert temp_files(root_b, out_b) == []
    assert set(now) <= set(before) | set(after)
    for file, content in now.items():
        assert content in (before.get(file), after.get(file)), f"{file} is neither its old nor its new self"
    if failing_call == 1:
        assert now == before, "the first write failed, so nothing may have changed"
