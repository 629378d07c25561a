"""A source text that is not what its record says is named at the text file itself (`text-changed`)."""

from __future__ import annotations

from pathlib import Path

from conftest import line_of, set_cell

from belarus_data import validate
from belarus_data.problems import Problem

TEXT = "records/texts/fixture-note.txt"
RECORDED = "c489666b75045b4a2b61bed1b467c66188cf0b8ae6bf88e809cb1c01cc73e4cd"


def changed(root: Path) -> list[Problem]:
    return [p for p in validate(root).problems if p.code == "text-changed"]


def test_an_edited_text_is_reported_at_the_file_with_recorded_and_actual_values(root: Path) -> None:
    path = root / TEXT
    path.write_bytes(path.read_bytes() + b" More.")
    found = changed(root)
    assert [(p.file, p.line, p.field) for p in found] == [(TEXT, None, None)]
    message = found[0].message
    assert (
        f"SHA-256 recorded {RECORDED}, actual " in message and "length recorded 185, actual 191 code points" in message
    )
    assert "src-fixture-note at records/sources.csv:2" in message


def test_a_wrong_length_in_the_record_is_not_a_changed_text(root: Path) -> None:
    set_cell(root, "sources", line_of(root, "sources", "src-fixture-note"), "text_length", "186")
    assert changed(root) == []  # the hash still matches: the record is wrong, not the text


def test_without_a_hash_a_wrong_length_names_the_file(root: Path) -> None:
    line = line_of(root, "sources", "src-fixture-note")
    set_cell(root, "sources", line, "text_sha256", "")
    set_cell(root, "sources", line, "text_length", "186")
    found = changed(root)
    assert (
        len(found) == 1 and "SHA-256 recorded (none)" in found[0].message and "length recorded 186" in found[0].message
    )


def test_a_text_no_longer_utf8_is_changed_and_says_so(root: Path) -> None:
    path = root / TEXT
    path.write_bytes(path.read_bytes() + b"\xff")
    found = changed(root)
    assert len(found) == 1 and "actual not UTF-8" in found[0].message
    assert "text-encoding" in {p.code for p in validate(root).problems}


def test_a_malformed_hash_in_the_record_does_not_blame_the_file(root: Path) -> None:
    set_cell(root, "sources", line_of(root, "sources", "src-fixture-note"), "text_sha256", "0")
    assert changed(root) == []
    assert "pattern" in {p.code for p in validate(root).problems}
