"""Installed data may lack the texts whose licence forbids redistribution; a checkout may not.

Copies of the real dataset laid out as the wheel installs it (``belarus_data/_data`` beside an
``__init__.py``, with the build's ``installed.json``) or as a checkout, validated in process.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, line_of, set_cell

from belarus_data.storage.paths import ReadOnlyRoot, is_installed_data, writable_root
from belarus_data.validation import validate

SOURCE = "src-minsk-compensate-defence-cooperation"
TEXT = "texts/minsk-compensate-defence-cooperation.txt"


def _copy(root: Path, *, manifest: bool, text: bool) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(REPO / "records", root / "records", ignore=shutil.ignore_patterns("texts") if not text else None)
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "datapackage.json", root / "datapackage.json")
    if manifest:
        (root / "installed.json").write_text(json.dumps({"texts_not_shipped": [TEXT]}), encoding="utf-8")
    return root


def _installed(tmp_path: Path, *, text: bool = False, manifest: bool = True) -> Path:
    package = tmp_path / "site-packages" / "belarus_data"
    root = _copy(package / "_data", manifest=manifest, text=text)
    (package / "__init__.py").write_text("", encoding="utf-8")
    return root


def _codes(root: Path) -> list[str]:
    return [p.code for p in validate(root).problems]


def test_installed_copy_without_the_text_is_valid_with_one_note(tmp_path: Path) -> None:
    root = _installed(tmp_path)
    assert is_installed_data(root)
    report = validate(root)
    assert report.ok, [p.as_text() for p in report.problems]
    notes = [n for n in report.notes if n.code == "texts-not-shipped"]
    assert len(notes) == 1
    assert SOURCE in notes[0].message and "44 quote(s)" in notes[0].message


def test_a_checkout_may_not_lack_the_text_even_with_a_manifest(tmp_path: Path) -> None:
    # A pull request adding installed.json cannot switch the text checks off: a checkout is no installed copy.
    root = _copy(tmp_path / "checkout", manifest=True, text=False)
    assert not is_installed_data(root)
    report = validate(root)
    assert "text-missing" in [p.code for p in report.problems]
    assert not [n for n in report.notes if n.code == "texts-not-shipped"]
    assert "check-skipped" not in [p.code for p in report.problems]


def test_a_copy_named_like_installed_data_needs_the_package_and_the_manifest(tmp_path: Path) -> None:
    assert "text-missing" in _codes(_installed(tmp_path / "a", manifest=False))
    lone = _copy(tmp_path / "b" / "belarus_data" / "_data", manifest=True, text=False)  # no __init__.py beside it
    assert "text-missing" in _codes(lone)


def test_installed_copy_must_ship_a_redistributable_text(tmp_path: Path) -> None:
    root = _installed(tmp_path)
    set_cell(root, "sources", line_of(root, "sources", SOURCE), "redistribution", "yes")
    assert "text-missing" in _codes(root)


def test_a_shipped_text_is_checked_in_the_installed_copy(tmp_path: Path) -> None:
    root = _installed(tmp_path, text=True)
    assert validate(root).ok
    assert not [n for n in validate(root).notes if n.code == "texts-not-shipped"]
    path = root / "records" / TEXT
    path.write_text(path.read_text(encoding="utf-8").replace("Belarus", "Belarus "), encoding="utf-8")
    assert {"text-sha256", "text-changed"} <= set(_codes(root))


def test_writable_root_refuses_only_installed_data(tmp_path: Path) -> None:
    installed = _installed(tmp_path / "i")
    with pytest.raises(ReadOnlyRoot) as refused:
        writable_root(installed)
    assert "git clone https://github.com/belarus-data/belarus-data.git" in str(refused.value)
    checkout = _copy(tmp_path / "c", manifest=True, text=True)
    assert writable_root(checkout) == checkout
    assert writable_root(REPO) == REPO


@pytest.mark.parametrize("kind", ["json", "parquet", "sqlite"])
def test_exports_carry_no_source_text(tmp_path: Path, kind: str) -> None:
    # Exports write the tables (quotes with their 32-character context), never the texts themselves.
    from click.testing import CliRunner

    from belarus_data.cli import main

    out = tmp_path / "out"
    target = out / "x.db" if kind == "sqlite" else out
    result = CliRunner().invoke(main, ["export", kind, str(target), "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    text = (REPO / "records" / TEXT).read_bytes()
    # The longest run of the text a quote carries with its context, plus one line: far below the text.
    paragraphs = [p for p in text.split(b"\n") if len(p) > 200]
    assert paragraphs
    written = [p for p in out.rglob("*") if p.is_file()]
    assert written
    for path in written:
        data = path.read_bytes()
        if path.suffix == ".parquet":  # compressed: compare the values themselves
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            data = b"\n".join(str(v).encode() for column in table.columns for v in column.to_pylist())
        assert text not in data, path
        assert not [p for p in paragraphs if p in data], path
