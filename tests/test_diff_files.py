"""`diff` compares tables file to file: unchanged files are not parsed, a changed one only where it differs.

The answers must be those of comparing the two tables read whole
(:func:`compare_tables` on :func:`read_arrow`), whatever the edit.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from gitrepo import commit_all, git
from hypothesis import given, settings
from hypothesis import strategies as st
from test_generate import load_generator

from belarus_data.history import tablediff
from belarus_data.history.diffing import RecordChange, diff
from belarus_data.history.tablediff import TableChanges, compare_files, compare_tables
from belarus_data.storage.csvfile import LINE, read_arrow
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import table


def _append_claim(root: Path, new_id: str) -> int:
    """Append a copy of the last claim under ``new_id``; the line it is on."""
    path = root / "records" / "claims.csv"
    data = path.read_bytes()
    row = next(csv.reader([data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("utf-8")]))
    row[0] = new_id
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    path.write_bytes(data + out.getvalue().encode("utf-8"))
    return data.count(b"\n") + 1


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of the data every tolerant parse in tablediff is given; whole-table reads fail the test."""
    sizes: list[int] = []
    real = tablediff.read_arrow

    def counting(data: bytes | None, spec: Any) -> Any:
        if data is not None:  # None: the empty table, nothing to parse
            sizes.append(len(data))
        return real(data, spec)

    def whole(self: Snapshot, name: str) -> Any:
        raise AssertionError(f"{name} was read whole")

    monkeypatch.setattr(tablediff, "read_arrow", counting)
    monkeypatch.setattr(Snapshot, "table", whole)
    return sizes


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    root = load_generator().generate(20_000, tmp_path / "data")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "generated dataset")
    return root


def test_one_appended_claim_is_all_that_is_reported(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = _append_claim(generated, "clm-difftest1")
    sizes = _count_calls(monkeypatch)
    found = diff(generated, "HEAD")
    assert found.tables == {"claims": [RecordChange("clm-difftest1", "added", [], line)]}
    # Only the changed region of claims.csv was parsed (at each place: header + at most a line or two).
    assert len(sizes) == 2
    assert max(sizes) < 4096


def test_identical_tables_are_not_parsed(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = _count_calls(monkeypatch)
    assert diff(generated, "HEAD").empty
    assert sizes == []


def test_a_changed_middle_claim_is_read_alone(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = generated / "records" / "claims.csv"
    lines = path.read_bytes().split(b"\n")
    old = lines[5000]
    lines[5000] = old.replace(b",active,", b",retracted,", 1)
    assert lines[5000] != old
    path.write_bytes(b"\n".join(lines))
    sizes = _count_calls(monkeypatch)
    changes = diff(generated, "HEAD").tables["claims"]
    assert [(c.kind, c.line) for c in changes] == [("withdrawn", 5001)]
    assert [(f.field, f.old, f.new) for f in changes[0].fields if f.field == "record_status"] == [
        ("record_status", "active", "retracted")
    ]
    assert len(sizes) == 2 and max(sizes) < 8192


def test_an_edit_far_from_an_appended_claim_reads_two_lines(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = generated / "records" / "claims.csv"
    lines = path.read_bytes().split(b"\n")
    lines[100] = lines[100].replace(b",active,", b",retracted,", 1)
    path.write_bytes(b"\n".join(lines))
    appended = _append_claim(generated, "clm-difftest2")
    sizes = _count_calls(monkeypatch)
    changes = diff(generated, "HEAD").tables["claims"]
    assert [(c.kind, c.key, c.line) for c in changes] == [
        ("added", "clm-difftest2", appended),
        ("withdrawn", lines[100].split(b",", 1)[0].decode(), 101),
    ]
    # The lines between them are the same bytes at both places: only the two that are not are parsed.
    assert len(sizes) == 2 and max(sizes) < 8192


# File-level comparison against the whole-table one, on edits of every kind.

SPEC = table("actor_aliases")  # a composite key: (actor_id, alias)
HEADER = ",".join(SPEC.columns)


def _row(actor: str, alias: str, note: str = "x") -> str:
    return ",".join([actor, alias, *[note] * (len(SPEC.columns) - 2)])


BASE = [HEADER, *[_row(f"act-{i:04d}", f"name{i}") for i in range(200)]]


def _text(lines: list[str], ending: str = "\n") -> bytes:
    return ending.join(lines).encode("utf-8") + ending.encode("utf-8")


def _plain(changes: TableChanges, new: Any) -> tuple[object, ...]:
    lines = new.column(LINE).to_pylist()
    return (
        [lines[i] for i in changes.added],
        changes.deleted,
        [(lines[p.index], p.old_line, p.old, p.new) for p in changes.differing],
    )


def _both(tmp_path: Path, old: bytes, new: bytes) -> tuple[tuple[object, ...], bool]:
    """What comparing the two files whole gives, and whether compare_files gave the same without falling back."""
    (tmp_path / "old.csv").write_bytes(old)
    (tmp_path / "new.csv").write_bytes(new)
    new_table = read_arrow(new, SPEC)
    expected = _plain(compare_tables(SPEC, read_arrow(old, SPEC), new_table), new_table)
    found = compare_files(SPEC, tmp_path / "old.csv", tmp_path / "new.csv")
    if found is None:
        return expected, False
    assert _plain(found.changes, found.new) == expected
    return expected, True


EDITS: dict[str, tuple[list[str], bool]] = {
    # name: (the new file's lines, whether the region alone is enough)
    "appended": ([*BASE, _row("act-9999", "new")], True),
    "inserted at the top": ([HEADER, _row("act-9999", "new"), *BASE[1:]], True),
    "cell changed": ([*BASE[:50], _row("act-0049", "name49", "y"), *BASE[51:]], True),
    "row deleted": ([*BASE[:100], *BASE[101:]], True),
    "rows swapped": ([*BASE[:10], BASE[11], BASE[10], *BASE[12:]], True),
    "last row deleted": (BASE[:-1], True),
    "every row deleted": (BASE[:1], True),
    "key repeated far away": ([*BASE, _row("act-0003", "name3", "again")], False),
    "actor of the key elsewhere": ([*BASE, _row("act-0003", "other")], True),  # another alias: another key
    "line break taken out": ([*BASE[:10], BASE[10] + " " + BASE[11], *BASE[12:]], False),  # a broken row
    "line break put in": ([*BASE[:10], BASE[10][:5], BASE[10][5:], *BASE[11:]], False),  # two broken rows
    "header changed": ([HEADER.replace("alias_type", "kind"), *BASE[1:]], False),
    "quoted line break before": (
        [*BASE[:3], _row("act-0500", '"two\nlines"'), *BASE[3:], _row("act-9999", "new")],
        False,
    ),
}


@pytest.mark.parametrize("name", EDITS)
def test_file_comparison_agrees_with_whole_tables(tmp_path: Path, name: str) -> None:
    lines, regional = EDITS[name]
    old_lines = BASE if name != "quoted line break before" else lines[:-1]
    expected, used_region = _both(tmp_path, _text(old_lines), _text(lines))
    assert used_region == regional
    if name == "appended":
        assert expected[0] == [len(BASE) + 1]


def test_crlf_and_missing_final_line_break(tmp_path: Path) -> None:
    edited = [*BASE, _row("act-9999", "new")]
    _, used_region = _both(tmp_path, _text(BASE, "\r\n"), _text(edited, "\r\n"))
    assert not used_region  # a carriage return may end a line for one reader and not another
    _, used_region = _both(tmp_path, _text(BASE), _text(edited)[:-1])
    assert used_region


def test_missing_or_empty_files_are_read_whole(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "data.csv").write_bytes(_text(BASE))
    assert compare_files(SPEC, None, tmp_path / "data.csv") is None
    assert compare_files(SPEC, tmp_path / "data.csv", tmp_path / "gone.csv") is None
    assert compare_files(SPEC, tmp_path / "empty.csv", tmp_path / "data.csv") is None
    (tmp_path / "link.csv").symlink_to(tmp_path / "data.csv")
    assert compare_files(SPEC, tmp_path / "data.csv", tmp_path / "link.csv") is None
    same = compare_files(SPEC, tmp_path / "data.csv", tmp_path / "data.csv")
    assert same is not None and same.changes == TableChanges() and same.new.num_rows == 0


def test_quoted_cells_on_one_line_keep_the_region(tmp_path: Path) -> None:
    quoted = [*BASE[:3], _row("act-0500", '"a, ""b"""'), *BASE[3:]]
    expected, used_region = _both(tmp_path, _text(quoted), _text([*quoted, _row("act-9999", "new")]))
    assert used_region
    assert expected[0] == [len(quoted) + 1]


@given(
    st.lists(st.integers(0, 3), min_size=0, max_size=12),
    st.lists(
        st.tuples(st.sampled_from(["edit", "drop", "insert", "repeat", "join"]), st.integers(0, 30), st.integers(0, 3)),
        max_size=6,
    ),
)
@settings(max_examples=200, deadline=None)
def test_any_edit_agrees_with_whole_tables(
    tmp_path_factory: pytest.TempPathFactory, values: list[int], edits: list[tuple[str, int, int]]
) -> None:
    old_rows = [_row(f"act-{k:03d}", f"alias {k}", f"n{v}") for k, v in enumerate(values)]
    new_rows = list(old_rows)
    for fresh, (kind, at, value) in enumerate(edits, start=100):
        where = at % len(new_rows) if new_rows else 0
        if kind == "edit" and new_rows:
            new_rows[where] = new_rows[where].rsplit(",", 1)[0] + f",e{value}"
        elif kind == "drop" and new_rows:
            del new_rows[where]
        elif kind == "insert":
            new_rows.insert(where, _row(f"act-{fresh:03d}", "new", f"n{value}"))
        elif kind == "repeat" and new_rows:  # a key already there, once more
            new_rows.append(new_rows[where].rsplit(",", 1)[0] + f",r{value}")
        elif kind == "join" and len(new_rows) > where + 1:  # a line break taken out
            new_rows[where : where + 2] = [new_rows[where] + new_rows[where + 1]]
    _both(tmp_path_factory.mktemp("t"), _text([HEADER, *old_rows]), _text([HEADER, *new_rows]))
