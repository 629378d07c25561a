"""The corpus of broken inputs in ``tests/fixtures/invalid/``: loading cases and building their dataset roots.

Each case is a directory holding ``case.toml``::

    description = "what is broken, in a sentence"

    [[op]]                        # mutations of a fresh copy of tests/fixtures/valid, in order
    kind = "set_cell"
    table = "claims"
    line = 2                      # physical line (header = 1)
    column = "statement"
    value = "=HYPERLINK(\\"https://example.org\\")"

    [[expect]]                    # problems `belarus-data validate` must report (others may be reported too)
    code = "text-formula-lead"
    file = "records/claims.csv"
    line = 2                      # omit for a problem about the whole file
    field = "statement"           # omit for a problem not about one column
    hint = "did you mean"         # optional: text the hint must contain

A case may also carry a ``files/`` directory, copied over the fixture before
the operations run, for inputs easier to keep as files than to describe.
Byte values in operations are given as text (UTF-8) or, for raw bytes, as
hex in keys ending in ``_hex``.

>>> cases = iter_cases()
>>> len(cases) >= 40
True
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
VALID = HERE / "fixtures" / "valid"
INVALID = HERE / "fixtures" / "invalid"


@dataclass(frozen=True)
class Expected:
    """One problem a case must produce."""

    code: str
    file: str
    line: int | None = None
    field: str | None = None
    hint: str | None = None
    message: str | None = None

    def matches(self, problem: dict[str, Any]) -> bool:
        """Whether a problem (as in ``Report.as_dict()["errors"]``) is this one."""
        return (
            problem["code"] == self.code
            and problem["file"] == self.file
            and problem["line"] == self.line
            and problem["field"] == self.field
            and (self.hint is None or self.hint in problem["hint"])
            and (self.message is None or self.message in problem["message"])
        )

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        return f"{where} [{self.code}]" + (f" {self.field}" if self.field else "")


@dataclass(frozen=True)
class Case:
    """One broken input: how to build it from the valid fixture, and what validation must say."""

    name: str
    directory: Path
    description: str
    ops: tuple[dict[str, Any], ...]
    expected: tuple[Expected, ...]

    def materialise(self, tmp_path: Path) -> Path:
        """Build the broken dataset under ``tmp_path``; returns its root (``tmp_path/dataset``).

        Anything meant to lie *outside* the dataset (targets of escaping links)
        is put in ``tmp_path/outside``.
        """
        root = tmp_path / "dataset"
        shutil.copytree(VALID, root)
        (tmp_path / "outside").mkdir(exist_ok=True)
        overlay = self.directory / "files"
        if overlay.is_dir():
            shutil.copytree(overlay, root, dirs_exist_ok=True)
        for op in self.ops:
            OPS[op["kind"]](root, tmp_path / "outside", op)
        return root


def _bytes(op: dict[str, Any], key: str) -> bytes:
    if f"{key}_hex" in op:
        return bytes.fromhex(op[f"{key}_hex"])
    value: str = op[key]
    return value.encode("utf-8")


def _read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))


def _table(root: Path, op: dict[str, Any]) -> Path:
    return root / "records" / f"{op['table']}.csv"


def _value(op: dict[str, Any]) -> str:
    value: str = op["value"]
    return value * int(op.get("repeat", 1))


def op_set_cell(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Set the cell at physical ``line`` and ``column`` to ``value`` (times ``repeat``), re-writing the CSV."""
    path = _table(root, op)
    rows = _read_rows(path)
    rows[op["line"] - 1][rows[0].index(op["column"])] = _value(op)
    _write_rows(path, rows)


def op_append_row(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Append a copy of the row at ``copy_line``, with the cells in ``set`` replaced."""
    path = _table(root, op)
    rows = _read_rows(path)
    row = list(rows[op["copy_line"] - 1])
    for column, value in op.get("set", {}).items():
        row[rows[0].index(column)] = value
    rows.append(row)
    _write_rows(path, rows)


def op_swap_columns(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Swap two columns in every row, header included (the file stays well-formed, only the order changes)."""
    path = _table(root, op)
    rows = _read_rows(path)
    a, b = (rows[0].index(name) for name in op["columns"])
    for row in rows:
        row[a], row[b] = row[b], row[a]
    _write_rows(path, rows)


def op_replace(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Replace the first ``count`` (default 1) occurrences of ``old`` by ``new`` in the file's bytes."""
    path = root / op["file"]
    data = path.read_bytes()
    old, new = _bytes(op, "old"), _bytes(op, "new")
    assert old in data, f"{op['file']} does not contain {old!r}"
    path.write_bytes(data.replace(old, new, int(op.get("count", 1))))


def op_replace_line(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Replace physical line ``line`` (without its LF) by ``text``."""
    path = root / op["file"]
    lines = path.read_bytes().split(b"\n")
    lines[op["line"] - 1] = _bytes(op, "text")
    path.write_bytes(b"\n".join(lines))


def op_truncate(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Cut the file just before the first occurrence of ``before``, or ``drop`` bytes from its end."""
    path = root / op["file"]
    data = path.read_bytes()
    at = data.index(_bytes(op, "before")) if "before" in op else len(data) - int(op["drop"])
    path.write_bytes(data[:at])


def op_write(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Write the file: ``text``/``text_hex``, optionally followed by ``tail`` repeated ``repeat`` times."""
    path = root / op["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _bytes(op, "text") if ("text" in op or "text_hex" in op) else b""
    if "tail" in op:
        data += _bytes(op, "tail") * int(op.get("repeat", 1))
    path.write_bytes(data)


def op_prepend(root: Path, outside: Path, op: dict[str, Any]) -> None:
    path = root / op["file"]
    path.write_bytes(_bytes(op, "text") + path.read_bytes())


def op_append(root: Path, outside: Path, op: dict[str, Any]) -> None:
    path = root / op["file"]
    path.write_bytes(path.read_bytes() + _bytes(op, "text"))


def op_reencode(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Re-save the (UTF-8) file in ``encoding``, as a spreadsheet or editor would."""
    path = root / op["file"]
    path.write_bytes(path.read_bytes().decode("utf-8").encode(op["encoding"]))


def op_line_endings(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """End every line with CRLF, or only line ``line`` (mixed endings)."""
    path = root / op["file"]
    lines = path.read_bytes().split(b"\n")
    if "line" in op:
        lines[op["line"] - 1] += b"\r"
    else:
        lines = [line + b"\r" if line else line for line in lines]
    path.write_bytes(b"\n".join(lines))


def op_delete(root: Path, outside: Path, op: dict[str, Any]) -> None:
    path = root / op["file"]
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def op_link_outside(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Move ``file`` (a file or directory) outside the dataset and leave a symbolic link to it in its place."""
    path = root / op["file"]
    target = outside / op["file"].replace("/", "_")
    shutil.move(path, target)
    os.symlink(target, path)


def op_json_set(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """Set the value at JSON Pointer ``pointer`` (from ``value``, or raw JSON in ``json``); '-' appends."""
    path = root / op["file"]
    document = json.loads(path.read_text(encoding="utf-8"))
    *parents, last = [p.replace("~1", "/").replace("~0", "~") for p in op["pointer"].split("/")[1:]]
    node = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    value = json.loads(op["json"]) if "json" in op else op["value"]
    if isinstance(node, list):
        if last == "-":
            node.append(value)
        else:
            node[int(last)] = value
    else:
        node[last] = value
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


Op = Callable[[Path, Path, dict[str, Any]], None]
OPS: dict[str, Op] = {
    "set_cell": op_set_cell,
    "append_row": op_append_row,
    "swap_columns": op_swap_columns,
    "replace": op_replace,
    "replace_line": op_replace_line,
    "truncate": op_truncate,
    "write": op_write,
    "prepend": op_prepend,
    "append": op_append,
    "reencode": op_reencode,
    "line_endings": op_line_endings,
    "delete": op_delete,
    "link_outside": op_link_outside,
    "json_set": op_json_set,
}


def load_case(directory: Path) -> Case:
    """Read one case directory's ``case.toml``."""
    manifest = tomllib.loads((directory / "case.toml").read_text(encoding="utf-8"))
    ops = tuple(manifest.get("op", []))
    for op in ops:
        if op.get("kind") not in OPS:
            raise ValueError(f"{directory.name}: unknown op kind {op.get('kind')!r}; known: {', '.join(OPS)}")
    expected = tuple(Expected(**e) for e in manifest["expect"])
    if not expected:
        raise ValueError(f"{directory.name}: a case must expect at least one problem")
    return Case(directory.name, directory, manifest["description"], ops, expected)


def iter_cases() -> list[Case]:
    """Every case of the corpus, sorted by name."""
    return [load_case(d) for d in sorted(INVALID.iterdir()) if (d / "case.toml").is_file()]
