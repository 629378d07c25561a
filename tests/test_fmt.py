"""`belarus-data fmt`: canonical form, values untouched, idempotent, atomic."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, VALID, read_rows, write_rows

from belarus_data import load_table, validate
from belarus_data.cli import main
from belarus_data.storage import atomic
from belarus_data.storage.csvfile import parse_rows
from belarus_data.storage.formatting import format_dataset
from belarus_data.storage.tables import TABLES, table


def messy_claims(root: Path) -> bytes:
    """claims.csv with the rows reversed, the columns shuffled, every cell quoted, CRLF, a BOM and NFD text."""
    rows = read_rows(root / "records" / "claims.csv")
    header, body = rows[0], rows[1:]
    order = list(reversed(range(len(header))))
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([header[i] for i in order])
    for row in reversed(body):
        writer.writerow([unicodedata.normalize("NFD", row[i]) for i in order])
    data = b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
    return data.removesuffix(b"\r\n")  # and no final newline


def values(data: bytes, name: str) -> dict[tuple[str | None, ...], dict[str, str | None]]:
    """Rows by key with NFC values: what the records *say*, independent of form."""
    nfc = {}
    for key, row in parse_rows(data, table(name)).items():
        nfc[key] = {k: (unicodedata.normalize("NFC", v) if v is not None else None) for k, v in row.values.items()}
    return nfc


def test_repository_is_in_canonical_form() -> None:
    result = format_dataset(REPO, check=True)
    assert result.ok, [p.as_text() for p in result.problems]
    assert result.changed == []


def test_valid_fixture_is_in_canonical_form() -> None:
    result = format_dataset(VALID, check=True)
    assert result.ok and result.changed == []


def test_fmt_canonicalises_form_and_keeps_values(root: Path) -> None:
    path = root / "records" / "claims.csv"
    canonical_bytes = path.read_bytes()
    path.write_bytes(messy_claims(root))
    before = values(path.read_bytes(), "claims")
    result = format_dataset(root)
    assert result.ok and result.changed == ["records/claims.csv"]
    after = path.read_bytes()
    assert after == canonical_bytes  # schema order, sorted, minimal quotes, NFC, LF, final newline
    assert values(after, "claims") == before
    assert validate(root).ok


def test_fmt_sorts_rows_and_the_loaded_table_is_unchanged(root: Path) -> None:
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0], *reversed(rows[1:])])
    before = load_table("actors", root).sort_values("id").reset_index(drop=True)
    format_dataset(root)
    after = load_table("actors", root)
    assert list(after["id"]) == sorted(after["id"])
    assert after.reset_index(drop=True).equals(before)


def test_fmt_is_idempotent(root: Path) -> None:
    (root / "records" / "claims.csv").write_bytes(messy_claims(root))
    assert format_dataset(root).changed == ["records/claims.csv"]
    snapshot = {t.path: (root / t.path).read_bytes() for t in TABLES}
    second = format_dataset(root)
    assert second.ok and second.changed == []
    assert {t.path: (root / t.path).read_bytes() for t in TABLES} == snapshot


def test_fmt_regenerates_datapackage(root: Path) -> None:
    descriptor = root / "datapackage.json"
    original = descriptor.read_bytes()
    stale = json.loads(original)
    stale["resources"] = stale["resources"][:1]
    descriptor.write_text(json.dumps(stale), encoding="utf-8")
    assert "datapackage.json" in format_dataset(root, check=True).changed
    assert "datapackage.json" in format_dataset(root).changed
    assert descriptor.read_bytes() == original


def test_check_lists_files_and_exits_1_without_writing(root: Path) -> None:
    path = root / "records" / "claims.csv"
    messy = messy_claims(root)
    path.write_bytes(messy)
    result = CliRunner().invoke(main, ["fmt", "--check", "--root", str(root)])
    assert result.exit_code == 1
    assert "records/claims.csv: not in canonical form" in result.output
    assert path.read_bytes() == messy
    assert CliRunner().invoke(main, ["fmt", "--root", str(root)]).exit_code == 0
    ok = CliRunner().invoke(main, ["fmt", "--check", "--root", str(root)])
    assert ok.exit_code == 0 and "canonical form" in ok.output


def test_fmt_leaves_a_file_with_unknown_columns_alone(root: Path) -> None:
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    rows[0][1] = "nmae"
    write_rows(path, [rows[0], *reversed(rows[1:])])
    broken = path.read_bytes()
    result = CliRunner().invoke(main, ["fmt", "--root", str(root)])
    assert result.exit_code == 1
    assert "records/actors.csv:1: [header-columns]" in result.output
    assert path.read_bytes() == broken


def test_fmt_leaves_a_file_with_a_short_row_alone(root: Path) -> None:
    path = root / "records" / "actors.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("act-short,Short\n")
    broken = path.read_bytes()
    result = format_dataset(root)
    assert [(p.file, p.line, p.code) for p in result.problems] == [("records/actors.csv", 8, "row-columns")]
    assert path.read_bytes() == broken


def test_fmt_write_is_atomic(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = root / "records" / "claims.csv"
    messy = messy_claims(root)
    path.write_bytes(messy)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        format_dataset(root)
    assert path.read_bytes() == messy  # the old file is intact ...
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []  # ... and no temp file left


def test_fmt_normalises_text_to_nfc(root: Path) -> None:
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    column = rows[0].index("description")
    rows[1][column] = unicodedata.normalize("NFD", "Рэспубліка Беларусь, café")
    write_rows(path, rows)
    assert "text-not-nfc" in validate(root).codes()
    before = values(path.read_bytes(), "actors")
    assert format_dataset(root).changed == ["records/actors.csv"]
    assert read_rows(path)[1][column] == unicodedata.normalize("NFC", "Рэспубліка Беларусь, café")
    assert values(path.read_bytes(), "actors") == before
    assert validate(root).ok
