"""The strict reader cuts a file into pieces read by two threads: it must give what one piece gives.

Each fault is put far into a file of a few hundred lines, then the file is read with pieces of a few
hundred bytes (dozens of pieces, the fault in one of the later ones) and with one piece. The problems
(file, line, field, code) and the rows kept must be the same, and equal to the line the fault is on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from belarus_data.problems import Problem
from belarus_data.storage import csvfile
from belarus_data.storage.tables import table

SPEC = table("actor_aliases")
ROW = "act-blr,Belarus,name,en,Latn,1,2026-11-20,2026-11-20,active,\n"
FAULT_LINE = 301  # physical line of the faulty row (line 1 is the header)

FAULTS: dict[str, tuple[str, str | None]] = {
    # name: (the faulty line, the code it must get; None: read as a regular row)
    "stray quote": (ROW.replace("Belarus", 'Bela"rus'), "csv-syntax"),
    "text after closing quote": (ROW.replace("Belarus", '"Bela"rus'), "csv-syntax"),
    "invalid UTF-8": (ROW.replace("Belarus", "Bela\udcffrus"), "encoding"),
    "carriage return": (ROW.replace("\n", "\r\n"), "line-ending"),
    "NUL byte": (ROW.replace("Belarus", "Bela\x00rus"), "nul-byte"),
    "blank line": ("\n", "blank-line"),
    # Kept as rows (whose cells the cell rules then report), read the slow way in pieces as in one.
    "row of empty cells": ("," * (len(SPEC.columns) - 1) + "\n", None),
    "row of quoted empty cells": (",".join(['""'] * len(SPEC.columns)) + "\n", None),
    "quoted line break": (ROW.replace("Belarus", '"Bela\nrus"'), "cell-newline"),
    "too few cells": (ROW.replace("Belarus,", ""), "row-columns"),
    "quoted cell, well formed": (ROW.replace("Belarus", '"Bela,""rus"""'), None),
    "cell over the limit": (ROW.replace("Belarus", "B" * (csvfile.MAX_CELL_CHARS + 1)), "cell-too-large"),
    "line over the limit, cells within it": (ROW.replace("Belarus", "B" * (csvfile.MAX_CELL_CHARS - 20)), None),
}


def _write(path: Path, faulty: str) -> None:
    lines = [",".join(SPEC.columns) + "\n"] + [ROW] * 600
    lines[FAULT_LINE - 1] = faulty
    path.write_bytes("".join(lines).encode("utf-8", "surrogateescape"))


def _read(path: Path, piece_bytes: int, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[object, ...]], list[int]]:
    monkeypatch.setattr(csvfile, "PIECE_BYTES", piece_bytes)
    problems: list[Problem] = []
    parsed = csvfile.read_table(path, "records/actor_aliases.csv", SPEC.columns, problems)
    # None: no row can be read (a file that is not UTF-8 is reported once, as a whole).
    return [(p.file, p.line, p.field, p.code) for p in problems], [] if parsed is None else parsed.lines.tolist()


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_fault_in_a_late_piece_is_found_as_in_one_piece(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faulty, code = FAULTS[name]
    path = tmp_path / "actor_aliases.csv"
    _write(path, faulty)
    assert path.stat().st_size > 30 * 500  # dozens of pieces below
    in_pieces = _read(path, 500, monkeypatch)
    whole = _read(path, 1 << 30, monkeypatch)
    assert in_pieces == whole
    problems, lines = in_pieces
    if code is None:
        assert problems == [] and len(lines) == 600
    else:
        assert code in {c for _, _, _, c in problems}, problems
        assert any(line is not None and FAULT_LINE <= line <= FAULT_LINE + 1 for _, line, _, c in problems if c == code)


def test_pieces_keep_every_row_in_order_with_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a fault: every row once, in file order, row k on line k + 2, whatever the piece size."""
    path = tmp_path / "actor_aliases.csv"
    rows = [ROW.replace("Belarus", f"Belarus {k}") for k in range(997)]
    path.write_text(",".join(SPEC.columns) + "\n" + "".join(rows), encoding="utf-8")
    for piece_bytes in (1, 64, 333, 4096, 1 << 30):  # 1: a piece per line
        monkeypatch.setattr(csvfile, "PIECE_BYTES", piece_bytes)
        problems: list[Problem] = []
        parsed = csvfile.read_table(path, "records/actor_aliases.csv", SPEC.columns, problems)
        assert problems == [] and parsed is not None
        assert parsed.data.column("alias").to_pylist() == [f"Belarus {k}" for k in range(997)]
        assert parsed.lines.tolist() == list(range(2, 999))


def test_a_piece_that_fails_leaves_the_file_to_the_reader_that_words_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast read gives up (None) on an irregular piece; it never returns the rows of the pieces before it."""
    path = tmp_path / "actor_aliases.csv"
    _write(path, ROW.replace("Belarus", "Bela\udcffrus"))
    monkeypatch.setattr(csvfile, "PIECE_BYTES", 500)
    assert csvfile.read_regular(path, SPEC.columns) is None
    _write(path, ROW)
    regular = csvfile.read_regular(path, SPEC.columns)
    assert regular is not None and regular[0].num_rows == 600 and regular[1] == []
