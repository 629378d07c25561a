"""A scratch copy of the dataset with draft rows written in, validated by ``validate`` itself.

The live check must give exactly the messages ``validate`` gives, so it does not re-implement any
rule: it writes the drafts into a copy (through the same canonical writer as ``new``) and runs the
full validation there, then keeps the problems located on the drafts' lines.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from belarus_data.commands.scaffold import write_record
from belarus_data.problems import Problem
from belarus_data.storage.atomic import write_bytes
from belarus_data.storage.formatting import canonical
from belarus_data.storage.tables import Table

Row = dict[str, str | None]


class RowNotFound(LookupError):
    """The record to replace is not in its table (it was removed or renamed meanwhile)."""


def _copy_tree(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target``; files are hard-linked where possible (texts can be large)."""

    def link_or_copy(src: str, dst: str) -> object:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
        return dst

    shutil.copytree(source, target, copy_function=link_or_copy, symlinks=True)


@contextmanager
def scratch_copy(root: Path) -> Iterator[Path]:
    """A temporary copy of the dataset under ``root``: records (texts linked), schemas and descriptor."""
    with tempfile.TemporaryDirectory(prefix="belarus-data-annotate-") as folder:
        copy = Path(folder) / "dataset"
        copy.mkdir()
        _copy_tree(root / "records", copy / "records")
        # The CSV files are rewritten in the copy: never through a link shared with the real file.
        for path in (copy / "records").glob("*.csv"):
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
        if (root / "schema").is_dir():
            _copy_tree(root / "schema", copy / "schema")
        shutil.copyfile(root / "datapackage.json", copy / "datapackage.json")
        yield copy


def key_of(spec: Table, row: Row) -> tuple[str, ...]:
    return tuple(str(row.get(name) or "") for name in spec.primary_key)


def replace_record(root: Path, spec: Table, row: Row, old_key: tuple[str, ...] | None = None) -> None:
    """Put ``row`` in place of the record with the same key (or ``old_key``), atomically, in canonical form."""
    path = root / spec.path
    text = path.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    wanted = old_key or key_of(spec, row)
    positions = [header.index(name) for name in spec.primary_key]
    replaced = False
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for cells in body:
        if not replaced and tuple(cells[i] if i < len(cells) else "" for i in positions) == wanted:
            writer.writerow([row.get(name) or "" for name in header])
            replaced = True
        else:
            writer.writerow(cells)
    if not replaced:
        raise RowNotFound(f"{', '.join(wanted)} is no longer in {spec.path}")
    problems: list[Problem] = []
    formatted = canonical(out.getvalue().encode("utf-8"), spec, spec.path, problems)
    if formatted is None:
        raise RowNotFound("; ".join(p.as_text() for p in problems))
    write_bytes(path, formatted)


def lines_of(root: Path, spec: Table, keys: set[tuple[str, ...]]) -> dict[int, tuple[str, ...]]:
    """The physical lines (header = 1) of the rows of ``spec`` whose key is in ``keys``."""
    rows = list(csv.reader(io.StringIO((root / spec.path).read_bytes().decode("utf-8"))))
    header = rows[0]
    positions = [header.index(name) for name in spec.primary_key]
    found = {}
    for number, cells in enumerate(rows[1:], start=2):
        key = tuple(cells[i] if i < len(cells) else "" for i in positions)
        if key in keys:
            found[number] = key
    return found


def write_draft(root: Path, spec: Table, row: Row, *, replaces: tuple[str, ...] | None = None) -> None:
    """Write a draft into the copy: a new row as ``new`` does, an edited one in place of the old."""
    if replaces is None:
        write_record(root, spec, row)
    else:
        replace_record(root, spec, row, replaces)
