"""`fmt` decides "already canonical" a block at a time, and never says so of a file `canonical` would change.

At 2M claims reading a file whole into Python strings to compare it with its
canonical form took 17 GB; ``formatting.canonical_verdict`` judges a regular
file in bounded memory. Its verdict is held to the whole-file rule on the real
fixture, a generated dataset, and files broken in every way the canonical form
forbids: True only if ``canonical`` gives the file's own bytes, False only if it
gives other bytes without a problem, None (the whole-file path decides) only
for files that are not regular.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import read_rows, write_rows
from test_generate import load_generator

from belarus_data.storage import formatting
from belarus_data.storage.formatting import canonical, canonical_verdict, format_dataset
from belarus_data.storage.tables import TABLES, table


def whole_file_truth(path: Path, name: str) -> bool | None:
    """What the whole-file rule says: True canonical, False formattable but changed, None not formattable."""
    data = path.read_bytes()
    problems: list[object] = []
    formatted = canonical(data, table(name), table(name).path, problems)  # type: ignore[arg-type]
    if formatted is None:
        return None
    return formatted == data


def assert_sound(path: Path, name: str) -> bool | None:
    verdict = canonical_verdict(path, table(name))
    truth = whole_file_truth(path, name)
    if verdict is not None:
        assert verdict == truth, f"{path.name}: streamed {verdict}, whole file {truth}"
    return verdict


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_generator().generate(400, tmp_path_factory.mktemp("gen") / "data", seed=5)  # type: ignore[no-any-return]


def test_real_and_generated_files_are_judged_without_reading_them_whole(root: Path, generated: Path) -> None:
    """The real fixture is canonical; the generated files (claims grouped by source) are regular: either way, a verdict."""
    for spec in TABLES:
        assert assert_sound(root / spec.path, spec.name) is True
        assert assert_sound(generated / spec.path, spec.name) is not None


Edit = Callable[[Path], None]


def _bytes_edit(old: bytes, new: bytes, count: int = 1) -> Edit:
    def edit(path: Path) -> None:
        data = path.read_bytes()
        assert old in data
        path.write_bytes(data.replace(old, new, count))

    return edit


def _rows_edit(change: Callable[[list[list[str]]], None]) -> Edit:
    def edit(path: Path) -> None:
        rows = read_rows(path)
        change(rows)
        write_rows(path, rows)

    return edit


def _swap_rows(rows: list[list[str]]) -> None:
    rows[1], rows[2] = rows[2], rows[1]


def _decompose(rows: list[list[str]]) -> None:
    at = rows[0].index("statement")
    rows[1][at] = rows[1][at] + " cafe\u0301"


def _reverse_contexts(rows: list[list[str]]) -> None:
    at = rows[0].index("context")
    for row in rows[1:]:
        items = row[at].split(";")
        if len(items) > 1:
            row[at] = ";".join(reversed(sorted(items)))
            return
    rows[1][at] = "zz_a;aa_b"  # invalid codes, but the order is what is judged


def _with_comma(rows: list[list[str]]) -> None:
    at = rows[0].index("statement")
    rows[1][at] = 'He said "no", twice.'  # needs quoting and doubled quotes: written canonically


# (table, edit, verdict the streamed check must reach; None = the whole-file path decides)
CASES: list[tuple[str, str, Edit, bool | None]] = [
    ("claims", "rows out of key order", _rows_edit(_swap_rows), False),
    ("claims", "a cell not in NFC", _rows_edit(_decompose), False),
    ("claims", "a cell that needs quotes, written canonically", _rows_edit(_with_comma), True),
    ("events", "context items out of order", _rows_edit(_reverse_contexts), False),
    ("claims", "an ID quoted without need", _bytes_edit(b"\nclm-", b'\n"clm-', 1), None),
    ("claims", "the header quoted", _bytes_edit(b"id,source_id", b'"id",source_id'), False),
    ("claims", "CRLF line endings", _bytes_edit(b"\n", b"\r\n", -1), None),
    ("claims", "a byte-order mark", lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()), None),
    ("claims", "a blank line", _bytes_edit(b"\nclm-", b"\n\nclm-", 1), None),
    ("claims", "no final newline", lambda p: p.write_bytes(p.read_bytes().rstrip(b"\n")), None),
    ("claims", "text after a closing quote", _bytes_edit(b",active,", b',"active"x,', 1), None),
]


@pytest.mark.parametrize(("name", "what", "edit", "expected"), CASES, ids=[c[1] for c in CASES])
def test_each_departure_from_canonical_form(
    root: Path, tmp_path: Path, name: str, what: str, edit: Edit, expected: bool | None
) -> None:
    copy = tmp_path / "data"
    shutil.copytree(root, copy)
    path = copy / table(name).path
    edit(path)
    verdict = assert_sound(path, name)
    if expected is not None:
        assert verdict is expected, what


def test_quoting_without_need_is_caught_by_size(root: Path, tmp_path: Path) -> None:
    """A cell quoted without need (a regular file otherwise) is longer than its canonical form: False."""
    copy = tmp_path / "data"
    shutil.copytree(root, copy)
    path = copy / "records" / "claims.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b",active,", b',"active",', 1))
    assert canonical_verdict(path, table("claims")) is False
    assert whole_file_truth(path, "claims") is False


def test_fmt_check_does_not_read_a_regular_file_whole(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`fmt --check` decides regular files by the streamed verdict: the whole-file reader is not called."""
    copy = tmp_path / "data"
    shutil.copytree(generated, copy)
    format_dataset(copy)  # canonical first (the generator groups claims by source)
    rows = read_rows(copy / "records" / "claims.csv")
    _swap_rows(rows)
    write_rows(copy / "records" / "claims.csv", rows)

    def whole(*_: object) -> None:
        raise AssertionError("a regular file was read whole")

    monkeypatch.setattr(formatting, "read_bytes", whole)
    result = format_dataset(copy, check=True)
    assert result.changed == ["records/claims.csv"] and result.ok
    monkeypatch.undo()
    written = format_dataset(copy)  # writing still sorts it (the whole-file path)
    assert written.changed[:1] == ["records/claims.csv"]
    assert format_dataset(copy, check=True).changed == []
