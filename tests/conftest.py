"""Shared test helpers: copies of the valid fixture that a test may break."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
REPO = Path(__file__).parent.parent


def today() -> str:
    """Today's date (UTC), read when asked: a constant taken at import goes stale if a run crosses midnight."""
    return dt.datetime.now(dt.UTC).date().isoformat()


def load_script(relative: str, name: str) -> ModuleType:
    """A script of the repository (benchmarks/, scripts/), imported as module ``name`` for its tests."""
    spec = importlib.util.spec_from_file_location(name, REPO / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def copy_valid(dest: Path) -> Path:
    shutil.copytree(VALID, dest)
    return dest


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A fresh, writable copy of the valid fixture dataset."""
    return copy_valid(tmp_path / "dataset")


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(root: Path, table: str, line: int, column: str, value: str) -> None:
    """Set one cell, addressed by physical line (header = 1) and column name."""
    path = root / "records" / f"{table}.csv"
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def copy_row(root: Path, table: str, line: int, **values: str) -> int:
    """Append a copy of the row at physical ``line`` with ``values`` changed; the new row's line."""
    path = root / "records" / f"{table}.csv"
    rows = read_rows(path)
    row = list(rows[line - 1])
    for column, value in values.items():
        row[rows[0].index(column)] = value
    write_rows(path, [*rows, row])
    return len(rows) + 1


def line_of(root: Path, table: str, key: str) -> int:
    """Physical line of the row whose first cell is ``key``."""
    for number, row in enumerate(read_rows(root / "records" / f"{table}.csv"), start=1):
        if row and row[0] == key:
            return number
    raise KeyError(key)


Mutation = Callable[[Path], None]
