"""`belarus_data.validate` on the valid fixture, the real data and one broken fixture per check."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import REPO, VALID, line_of, read_rows, set_cell, write_rows

from belarus_data import validate
from belarus_data.problems import Problem


def only(problems: list[Problem], code: str) -> list[Problem]:
    return [p for p in problems if p.code == code]


def assert_problem(root: Path, code: str, file: str, line: int | None, field: str | None) -> Problem:
    report = validate(root)
    assert not report.ok
    matches = [p for p in report.errors if p.code == code]
    assert matches, f"expected {code}, got {[p.as_text() for p in report.errors]}"
    assert any(p.file == file and p.line == line and p.field == field for p in matches), [p.as_text() for p in matches]
    return matches[0]


def test_valid_fixture_is_valid() -> None:
    report = validate(VALID)
    assert report.ok, [p.as_text() for p in report.errors]
    assert report.rows["claims"] == 3


def test_repository_data_is_valid() -> None:
    report = validate(REPO)
    assert report.ok, [p.as_text() for p in report.errors]
    assert report.rows["claims"] > 0 and report.rows["events"] > 0


def test_both_engines_accept_the_valid_fixture() -> None:
    assert validate(VALID, engine="rows").ok


@pytest.mark.parametrize(
    ("table", "key", "column", "value", "code"),
    [
        ("claims", "clm-fx1a2b3c", "claim_type", "reprot", "vocab"),
        ("claims", "clm-fx1a2b3c", "id", "clm-FX1", "pattern"),
        ("claims", "clm-fx1a2b3c", "start", "-3", "not-integer"),
        ("claims", "clm-fx1a2b3c", "start", "3.5", "not-integer"),
        ("claims", "clm-fx1a2b3c", "statement", "", "required"),
        ("claims", "clm-fx1a2b3c", "statement", "=HYPERLINK(1)", "text-formula-lead"),
        ("claims", "clm-fx1a2b3c", "statement", "Belarus\u202eexercise", "text-invisible-char"),
        ("claims", "clm-fx1a2b3c", "statement", "Cafe\u0301 talk", "text-not-nfc"),
        ("claims", "clm-fx1a2b3c", "time_edtf", "2022-13", "edtf"),
        ("claims", "clm-fx1a2b3c", "created", "2026-02-30", "not-date"),
        ("claims", "clm-fx1a2b3c", "record_status", "retracted", "lifecycle-reason"),
        ("claims", "clm-fx1a2b3c", "version", "0", "out-of-range"),
        ("claims", "clm-fx7g8h9i", "resolution", "", "prediction-resolution"),
        ("actors", "act-blr", "country", "BLX", "country"),
        ("actors", "act-blr", "parent_id", "act-blr", "actor-parent-self"),
        ("sources", "src-fixture-note", "language", "xx", "language"),
        ("sources", "src-fixture-note", "published_basis", "", "source-published-basis"),
        ("events", "evt-fx2q7k9m", "event_status", "occured", "vocab"),
    ],
)
def test_cell_and_row_rules(root: Path, table: str, key: str, column: str, value: str, code: str) -> None:
    line = line_of(root, table, key)
    set_cell(root, table, line, column, value)
    field = "updated" if code == "lifecycle-version" else column
    if code == "lifecycle-reason":
        field = "status_reason"
    if code == "prediction-resolution":
        field = "resolution"
    if code == "source-published-basis":
        field = "published_basis"
    assert_problem(root, code, f"records/{table}.csv", line, field)


def test_vocab_typo_suggests_nearest(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx1a2b3c")
    set_cell(root, "claims", line, "claim_type", "predicton")
    problem = assert_problem(root, "vocab", "records/claims.csv", line, "claim_type")
    assert "did you mean 'prediction'" in problem.hint


def test_lookalike_cyrillic_letter_in_id(root: Path) -> None:
    line = line_of(root, "actors", "act-blr")
    set_cell(root, "actors", line, "id", "act-blr-gоv")  # Cyrillic о
    assert_problem(root, "pattern", "records/actors.csv", line, "id")


def test_duplicate_id(root: Path) -> None:
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    rows.append(list(rows[1]))
    write_rows(path, rows)
    problem = assert_problem(root, "duplicate-key", "records/actors.csv", len(rows), "id")
    assert "line 2" in problem.message


@pytest.mark.parametrize(
    ("table", "key", "column", "value"),
    [
        ("claims", "clm-fx1a2b3c", "source_id", "src-nowhere"),
        ("claims", "clm-fx1a2b3c", "asserted_by", "act-nobody"),
        ("claims", "clm-fx1a2b3c", "event_id", "evt-missing1"),
        ("actors", "act-blr-gov", "parent_id", "act-blx"),
        ("sources", "src-fixture-note", "outlet_actor_id", "act-nobody"),
    ],
)
def test_dangling_foreign_keys(root: Path, table: str, key: str, column: str, value: str) -> None:
    line = line_of(root, table, key)
    set_cell(root, table, line, column, value)
    assert_problem(root, "foreign-key", f"records/{table}.csv", line, column)


def test_dangling_foreign_key_in_link_tables(root: Path) -> None:
    set_cell(root, "event_participants", 2, "actor_id", "act-ghost")
    set_cell(root, "actor_aliases", 2, "actor_id", "act-ghost")
    assert_problem(root, "foreign-key", "records/event_participants.csv", 2, "actor_id")
    assert_problem(root, "foreign-key", "records/actor_aliases.csv", 2, "actor_id")


def test_reference_to_retracted_record(root: Path) -> None:
    line = line_of(root, "events", "evt-fx2q7k9m")
    set_cell(root, "events", line, "record_status", "retracted")
    set_cell(root, "events", line, "status_reason", "Duplicate of nothing; test.")
    claim_line = line_of(root, "claims", "clm-fx1a2b3c")
    assert_problem(root, "reference-withdrawn", "records/claims.csv", claim_line, "event_id")


def test_quote_mismatch_and_offsets(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx4d5e6f")
    set_cell(root, "claims", line, "quote", "Russian aircraft used Belarusian airfieldz")
    problem = assert_problem(root, "quote-mismatch", "records/claims.csv", line, "quote")
    assert "does not occur" in problem.hint


def test_quote_hint_gives_right_offsets(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx4d5e6f")
    rows = read_rows(root / "records" / "claims.csv")
    header = rows[0]
    start, end = int(rows[line - 1][header.index("start")]), int(rows[line - 1][header.index("end")])
    set_cell(root, "claims", line, "start", str(start + 1))
    set_cell(root, "claims", line, "end", str(end + 1))
    problem = assert_problem(root, "quote-mismatch", "records/claims.csv", line, "quote")
    assert f"set start to {start} and end to {end}" in problem.hint


def test_offsets_past_end_reversed_and_wrong_length(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx4d5e6f")
    quote_len = len("Russian aircraft used Belarusian airfields")
    set_cell(root, "claims", line, "start", "100000")
    set_cell(root, "claims", line, "end", str(100000 + quote_len))
    assert_problem(root, "offsets-range", "records/claims.csv", line, "end")
    set_cell(root, "claims", line, "start", "50")
    set_cell(root, "claims", line, "end", "10")
    assert_problem(root, "offsets-order", "records/claims.csv", line, "end")
    set_cell(root, "claims", line, "end", "51")
    # The quote's length does not fit the offsets, but the text can be read: one problem, the quote's,
    # with the offsets where it occurs (not a separate "set end to …", which would make it worse).
    problem = assert_problem(root, "quote-mismatch", "records/claims.csv", line, "quote")
    assert "set start to 87 and end to 129" in problem.hint
    assert "offsets-length" not in validate(root).codes()
    (root / "records" / "texts" / "fixture-note.txt").unlink()  # no text to compare with: the row rule says it
    assert_problem(root, "offsets-length", "records/claims.csv", line, "end")


def test_prefix_must_match_text(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx4d5e6f")
    set_cell(root, "claims", line, "prefix", "Something else said ")
    assert_problem(root, "prefix-mismatch", "records/claims.csv", line, "prefix")


def test_source_text_changed(root: Path) -> None:
    text = root / "records" / "texts" / "fixture-note.txt"
    text.write_text(text.read_text(encoding="utf-8") + " Appended.", encoding="utf-8")
    assert_problem(root, "text-sha256", "records/sources.csv", 2, "text_sha256")
    assert_problem(root, "text-length", "records/sources.csv", 2, "text_length")


@pytest.mark.parametrize("path", ["texts/../../../etc/passwd.txt", "/etc/passwd", "texts/sub/../../x.txt"])
def test_text_path_escaping_is_refused(root: Path, path: str) -> None:
    set_cell(root, "sources", 2, "text_path", path)
    report = validate(root)
    assert any(
        p.field == "text_path" and p.line == 2 and p.code in {"pattern", "text-path-unsafe"} for p in report.errors
    )


def test_text_path_symlink_outside_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    original = root / "records" / "texts" / "fixture-note.txt"
    outside.write_bytes(original.read_bytes())
    original.unlink()
    os.symlink(outside, original)
    assert_problem(root, "text-path-unsafe", "records/sources.csv", 2, "text_path")


def test_past_event_dated_after_its_source(root: Path) -> None:
    line = line_of(root, "events", "evt-fx2q7k9m")
    set_cell(root, "events", line, "date_edtf", "2023-06-10/2023-06-20")
    assert_problem(root, "date-after-source", "records/events.csv", line, "date_edtf")


def test_structure_problems_are_located(root: Path) -> None:
    path = root / "records" / "actors.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"\n", b"\r\n"))
    assert_problem(root, "line-ending", "records/actors.csv", 1, None)
    path.write_bytes(b"\xef\xbb\xbf" + data)
    assert_problem(root, "encoding-bom", "records/actors.csv", 1, None)
    path.write_bytes(data.replace(b"Belarus", "Belarus".encode("utf-16-le"), 1))
    assert_problem(root, "nul-byte", "records/actors.csv", 2, None)
    path.write_bytes(b"")
    assert_problem(root, "file-empty", "records/actors.csv", 1, None)


def test_header_problems(root: Path) -> None:
    path = root / "records" / "events.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("mode")] = "modus"
    write_rows(path, rows)
    report = validate(root)
    assert {("header-unknown", "modus"), ("header-missing", "mode")} <= {(p.code, p.field) for p in report.errors}


def test_all_problems_reported_in_one_run(root: Path) -> None:
    set_cell(root, "claims", line_of(root, "claims", "clm-fx1a2b3c"), "claim_type", "bogus")
    set_cell(root, "actors", line_of(root, "actors", "act-rus"), "country", "XXX")
    text = root / "records" / "texts" / "fixture-note.txt"
    text.write_bytes(text.read_bytes() + b"!")
    assert {"vocab", "country", "text-sha256"} <= validate(root).codes()


def test_sha_of_fixture_text_is_recorded() -> None:
    data = (VALID / "records" / "texts" / "fixture-note.txt").read_bytes()
    rows = read_rows(VALID / "records" / "sources.csv")
    assert rows[1][rows[0].index("text_sha256")] == hashlib.sha256(data).hexdigest()
