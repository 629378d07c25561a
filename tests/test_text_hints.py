"""Problems about a source's text file say how to fix them (the hint), not only what is wrong."""

from __future__ import annotations

from pathlib import Path

from conftest import line_of, set_cell

from belarus_data import validate

TEXT = "records/texts/fixture-note.txt"


def test_an_edited_text_says_to_restore_it_or_supersede_the_source(root: Path) -> None:
    path = root / TEXT
    path.write_bytes(path.read_bytes() + b" More.")
    found = [p for p in validate(root).problems if p.code == "text-changed"]
    assert [(p.file, p.line, p.field) for p in found] == [(TEXT, None, None)]
    assert "git checkout -- <file>" in found[0].hint and "supersedes" in found[0].hint


def test_a_text_path_the_file_system_cannot_look_up_is_missing_with_a_hint(root: Path) -> None:
    line = line_of(root, "sources", "src-fixture-note")
    set_cell(root, "sources", line, "text_path", "texts/" + "n" * 300 + ".txt")  # over NAME_MAX (255)
    found = [
        p for p in validate(root).problems if (p.file, p.line, p.field) == ("records/sources.csv", line, "text_path")
    ]
    missing = [p for p in found if p.code == "text-missing"]  # besides the cell's own too-long
    assert len(missing) == 1, [p.as_text() for p in found]
    assert "cannot be looked up" in missing[0].message
    assert missing[0].hint == "store the text as records/texts/<name>.txt, with a short plain name"
