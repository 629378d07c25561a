"""Canonical form of the record files, so that diffs show only real changes and merges stay clean.

Canonical form: UTF-8 without BOM, LF line endings and a final newline; the
header and cells in schema column order; rows sorted by primary key; every cell
in Unicode NFC; the items of a set-valued list cell (an event's PLOVER contexts,
``models.lists.UNORDERED``) in alphabetical order; quotes only where CSV needs them
(a cell holding a comma, a double quote or a line break), with inner quotes doubled. Formatting changes
form only: the rows read back before and after are the same values (NFC and the
order of set items aside, which validation demands anyway).
"""

from __future__ import annotations

import csv
import io
import operator
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from belarus_data.models.lists import UNORDERED, canonical_list
from belarus_data.problems import Problem
from belarus_data.storage.atomic import write_bytes
from belarus_data.storage.csvfile import decode, quote_faults, read_bytes
from belarus_data.storage.tables import TABLES, Table


@dataclass
class FormatResult:
    """What formatting found: files whose bytes differ from canonical form, and files it could not format."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # with ``check``: generated files that are not there
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def canonical(data: bytes, table: Table, file: str, problems: list[Problem]) -> bytes | None:
    """The canonical bytes of one record file, or None (with problems recorded) if it cannot be formatted.

    A file is left alone when its columns are not exactly the schema's (in any
    order) or a row has the wrong number of cells: fixing those needs a person.

    >>> from belarus_data.storage.tables import table
    >>> raw = b"actor_id,alias,alias_type,language,script,version,created,updated,record_status,status_reason\\r\\n"
    >>> canonical(raw, table("actor_aliases"), "x.csv", [])[-12:]
    b'atus_reason\\n'
    """
    found: list[Problem] = []
    text = decode(data, file, found)
    if text is None:
        problems.extend(p for p in found if p.code not in ("encoding-bom", "line-ending"))
        return None
    # Text after a closing quote has no one reading: which characters the cell holds is a guess, so
    # the file is left alone (a stray quote in an unquoted cell is a literal quote: it gets quoted).
    import numpy as np

    header_line = next(csv.reader([text.split("\n", 1)[0]]), [])
    after_close = [f for f in quote_faults(np.frombuffer(text.encode("utf-8"), dtype=np.uint8), 1) if f.after_close]
    if after_close:
        problems.extend(fault.problem(file, header_line) for fault in after_close)
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [row for row in reader if row]
    except csv.Error as err:
        problems.append(
            Problem(
                file,
                reader.line_num or None,
                None,
                "csv-syntax",
                f"cannot be parsed as CSV: {err}",
                'quote a cell as "…" and double any " inside it',
            )
        )
        return None
    if not rows:
        problems.append(Problem(file, 1, None, "file-empty", "has no header row", "add the header row"))
        return None
    header = rows[0]
    if sorted(header) != sorted(table.columns):
        problems.append(
            Problem(
                file,
                1,
                None,
                "header-columns",
                "columns are not exactly the schema's, so the file is not reformatted",
                "columns: " + ",".join(table.columns) + " (run `belarus-data validate` for details)",
            )
        )
        return None
    # Per-cell work only where needed: reorder if the header is out of order, normalise if any text is not NFC.
    body = rows[1:]
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(
                Problem(
                    file,
                    number,
                    None,
                    "row-columns",
                    f"row {number - 1} has {len(row)} cells but the header has {len(header)}; the file is not reformatted",
                    "check for missing or extra commas",
                )
            )
            return None
    if header != table.columns:
        order = [header.index(name) for name in table.columns]
        body = [[row[i] for i in order] for row in body]
    if not unicodedata.is_normalized("NFC", text):
        body = [[unicodedata.normalize("NFC", cell) for cell in row] for row in body]
    for name in UNORDERED.get(table.name, ()):
        at = table.columns.index(name)
        for row in body:
            if row[at]:
                row[at] = canonical_list(row[at])
    body.sort(key=operator.itemgetter(*[table.columns.index(k) for k in table.primary_key]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.columns)
    writer.writerows(body)
    return out.getvalue().encode("utf-8")


def canonical_verdict(path: Path, table: Table) -> bool | None:
    """Whether the file is in canonical form, judged a block at a time in bounded memory; None if it cannot tell.

    None (a file that is not regular, whose problems only :func:`canonical`
    words) sends the caller to ``canonical``, which reads the file whole. False
    is a regular file that ``canonical`` would format without a problem but
    change. True is given only when
    ``canonical`` would return the file's own bytes: regular bytes (UTF-8, LF,
    no BOM or NUL, a final newline, no misplaced quote), the schema's header
    written plainly, every cell NFC, set-valued list cells in order, rows in
    key order, and quotes exactly where CSV needs them. The last is judged by
    size: each cell's canonical length (its bytes, plus its doubled quotes and
    two more when it must be quoted) summed over the file equals the file's
    size only if no cell is quoted without need, since such a cell is longer.
    At 2M claims the whole-file path held 17 GB of Python strings.
    """
    import pyarrow.compute as pc

    from belarus_data.storage.csvfile import Irregular, may_read, regular_batches, regular_scan

    columns = table.columns
    if not may_read(path, table.path, []):
        return None
    scanned = regular_scan(path, columns)
    if scanned is None or scanned.faults:
        return None
    if scanned.header != ",".join(columns).encode("utf-8"):
        return False  # the schema's columns in order (regular_scan), written another way
    key_at = [columns.index(k) for k in table.primary_key]
    lists = [columns.index(name) for name in UNORDERED.get(table.name, ())]
    size = len(scanned.header) + 1
    last: tuple[str, ...] | None = None
    try:
        for batch in regular_batches(path, columns, scanned):
            size += batch.num_rows * len(columns)  # the commas and the line end
            for column in batch.columns:
                present = column.drop_null()
                if len(present) == 0:
                    continue
                quotes = pc.count_substring(present, '"')
                special = pc.match_substring_regex(present, '[,"\n\r]')
                size += int(pc.sum(pc.binary_length(present)).as_py() or 0)
                size += int(pc.sum(quotes).as_py() or 0) + 2 * int(pc.sum(special).as_py() or 0)
                other = present.filter(pc.invert(pc.string_is_ascii(present)))
                if len(other) and not pc.all(pc.equal(pc.utf8_normalize(other, "NFC"), other)).as_py():
                    return False
            for at in lists:
                if any(canonical_list(v) != v for v in batch.column(at).drop_null().to_pylist()):
                    return False
            keys = list(zip(*[[v or "" for v in batch.column(at).to_pylist()] for at in key_at], strict=True))
            if last is not None and keys and keys[0] < last:
                return False
            if any(keys[k + 1] < keys[k] for k in range(len(keys) - 1)):
                return False
            last = keys[-1] if keys else last
    except Irregular:
        return None
    return size == path.stat().st_size


def format_dataset(root: Path, *, check: bool = False) -> FormatResult:
    """Bring every record file under ``root`` into canonical form (or, with ``check``, only report).

    Also regenerates ``datapackage.json`` and the other generated files from the
    models. Every write is atomic. Running it twice changes nothing the second time.

    >>> result = format_dataset(Path("."), check=True)  # doctest: +SKIP
    >>> result.changed  # doctest: +SKIP
    []
    """
    from belarus_data.storage.generated import missing_files, stale_files, write_generated

    result = FormatResult()
    for table in TABLES:
        path = root / table.path
        verdict = canonical_verdict(path, table)  # decided without holding the file, when it is regular
        if verdict is True or (verdict is False and check):
            if verdict is False:
                result.changed.append(table.path)
            continue
        data = read_bytes(path, table.path, result.problems)
        if data is None:
            continue
        formatted = canonical(data, table, table.path, result.problems)
        if formatted is None or formatted == data:
            continue
        result.changed.append(table.path)
        if not check:
            write_bytes(path, formatted)
    if check:
        absent = set(missing_files(root))
        for relative in stale_files(root):
            (result.missing if relative in absent else result.changed).append(relative)
    else:
        result.changed += write_generated(root)
    return result
