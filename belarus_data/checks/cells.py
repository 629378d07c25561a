"""Cell and row checks: every value against its column rule, every row against its model.

Two engines give the same problems:

* ``rows`` validates every row with its Pydantic model (the reference);
* ``fast`` first flags suspicious rows with vectorised Arrow checks derived from
  the same column rules and row rules, then runs the Pydantic model on the
  flagged rows only, so the wording of each message is identical.

The flags may over-approximate (a flagged row can turn out valid) but must
never miss a row the model rejects; ``tests/test_engines_agree.py`` holds
them to that.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from belarus_data.checks.arrays import strings
from belarus_data.checks.context import Context
from belarus_data.models import columns as c
from belarus_data.tables import TABLES, Table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# RE2 (Arrow) spelling of the characters free text must not contain.
FORBIDDEN_RE2 = "[" + "".join(f"\\x{{{a:04x}}}-\\x{{{b:04x}}}" for a, b in c.FORBIDDEN_RANGES) + "]"
FORMULA_RE2 = "^[=+@\\t\\r-]"


def _bool(mask: Any) -> np.ndarray:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(mask, pa.ChunkedArray | pa.Array):
        return np.asarray(pc.fill_null(mask, True), dtype=bool)
    return np.asarray(mask, dtype=bool)


def _bad_unique_values(column: pa.ChunkedArray, ok: Callable[[str], bool]) -> np.ndarray:
    """Rows whose value fails ``ok``, calling it once per distinct value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    distinct = pc.unique(column.drop_null()).to_pylist()
    bad = [value for value in distinct if not ok(value)]
    if not bad:
        return _bool(pc.is_null(column)) & False
    return _bool(pc.is_in(column, value_set=pa.array(bad, pa.string())))


def _item_ok(rule: c.Column) -> Callable[[str], bool]:
    def ok(value: str) -> bool:
        items = value.split(c.LIST_SEPARATOR) if rule.multi else [value]
        for item in items:
            try:
                c.check_item(rule, item)
            except Exception:
                return False
        return True

    return ok


def _date_ok(value: str) -> bool:
    try:
        c.convert(c.DATE, value)
        return True
    except Exception:
        return False


# Above this many rows, free text is screened with one regex (NFC suspects included) instead of being
# normalised: building the regex costs ~0.1 s once, normalising ~8 µs a row.
SCREEN_ROWS = 20_000


SCANNED_UP_TO = 0x30000


@lru_cache(maxsize=1)
def nfc_suspects_re2() -> str:
    """An RE2 class of every character that can make a string not NFC (NFC_Quick_Check No or Maybe).

    A string without any of them is NFC: each character is then NFC on its own
    and none can combine with the one before it. Derived from this Python's
    ``unicodedata`` so that it always agrees with ``unicodedata.is_normalized``:
    characters that change under NFC, combining marks, the second half of every
    canonical two-character decomposition, and the Hangul vowel and final jamo
    (composed algorithmically, so absent from the decomposition table).
    Below U+0300 and from SCANNED_UP_TO on (CJK ideographs, tags, private use)
    every character is NFC and a starter; ``tests/test_cells_screen.py`` checks
    that for the running Python.
    """
    import unicodedata

    suspects = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for cp in (*range(0x300, 0xD800), *range(0xE000, SCANNED_UP_TO)):
        ch = chr(cp)
        if unicodedata.combining(ch) or not unicodedata.is_normalized("NFC", ch):
            suspects.add(cp)
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                suspects.add(int(parts[1], 16))
    ranges: list[list[int]] = []
    for cp in sorted(suspects):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "[" + "".join((f"\\x{{{a:x}}}-\\x{{{b:x}}}" if a != b else f"\\x{{{a:x}}}") for a, b in ranges) + "]"


def _free_text_flags(column: pa.ChunkedArray) -> np.ndarray:
    """Rows that may hold an invisible character, a formula lead or non-NFC text."""
    import pyarrow.compute as pc

    if len(column) <= SCREEN_ROWS:
        flags: np.ndarray = _bool(pc.match_substring_regex(column, f"{FORBIDDEN_RE2}|{FORMULA_RE2}"))
        flags |= _bool(pc.not_equal(column, pc.utf8_normalize(column, "NFC")))
        return flags
    screened: np.ndarray = _bool(
        pc.match_substring_regex(column, f"{FORBIDDEN_RE2}|{FORMULA_RE2}|{nfc_suspects_re2()}")
    )
    return screened


def column_flags(column: pa.ChunkedArray, rule: c.Column, required: bool) -> np.ndarray:
    """Rows whose value may break ``rule`` (vectorised; may over-approximate)."""
    import pyarrow.compute as pc

    present = _bool(pc.is_valid(column))
    flags: np.ndarray = ~present if required else present & False
    if rule.kind == "integer":
        bad = _bool(pc.invert(pc.match_substring_regex(column, c.INT_RE.pattern)))
        flags |= present & bad
        numbers = pc.cast(
            pc.if_else(pc.match_substring_regex(column, c.INT_RE.pattern), column, None), "int64", safe=False
        )
        if rule.minimum is not None:
            flags |= present & _bool(pc.fill_null(pc.less(numbers, rule.minimum), False))
        if rule.maximum is not None:
            flags |= present & _bool(pc.fill_null(pc.greater(numbers, rule.maximum), False))
        return flags
    if rule.kind == "boolean":
        flags |= present & _bool(pc.invert(pc.is_in(column, value_set=strings(["true", "false"]))))
        return flags
    if rule.kind == "date":
        shape = _bool(pc.invert(pc.match_substring_regex(column, c.DATE_RE.pattern)))
        flags |= present & (shape | _bad_unique_values(column, _date_ok))
        return flags
    if rule.max_length is not None:
        flags |= present & _bool(pc.greater(pc.utf8_length(column), rule.max_length))
    if rule.free_text:
        flags |= present & _free_text_flags(column)
    if rule.vocab and not rule.multi:
        flags |= present & _bool(pc.invert(pc.is_in(column, value_set=strings(rule.codes))))
    elif rule.pattern or rule.vocab:
        regex = c.json_schema_for(rule)["pattern"]
        flags |= present & _bool(pc.invert(pc.match_substring_regex(column, regex)))
    if rule.edtf or rule.country or rule.language:
        flags |= present & _bad_unique_values(column, _item_ok(rule))
    return flags


# Vectorised mirrors of the model validators: each returns rows that may break them.
def _lifecycle_flags(t: pa.Table) -> np.ndarray:
    import pyarrow.compute as pc

    status, reason = t.column("record_status"), t.column("status_reason")
    created, updated = t.column("created"), t.column("updated")
    flags: np.ndarray = _bool(pc.less(updated, created))
    flags |= _bool(pc.and_(pc.equal(t.column("version"), "1"), pc.not_equal(updated, created)))
    flags |= _bool(pc.not_equal(status, "active")) & ~_bool(pc.is_valid(reason))
    flags |= _bool(pc.equal(status, "active")) & _bool(pc.is_valid(reason))
    if "superseded_by" in t.column_names:
        by = t.column("superseded_by")
        flags |= _bool(pc.equal(status, "superseded")) != _bool(pc.is_valid(by))
        flags |= _bool(pc.fill_null(pc.equal(by, t.column("id")), False))
    return flags


def _source_flags(t: pa.Table) -> np.ndarray:
    import pyarrow.compute as pc

    flags: np.ndarray = _bool(pc.is_valid(t.column("published"))) & ~_bool(pc.is_valid(t.column("published_basis")))
    return flags


def _actor_flags(t: pa.Table) -> np.ndarray:
    import pyarrow.compute as pc

    return _bool(pc.fill_null(pc.equal(t.column("parent_id"), t.column("id")), False))


def _claim_flags(t: pa.Table) -> np.ndarray:
    import pyarrow.compute as pc

    def number(name: str) -> Any:
        col = t.column(name)
        return pc.cast(pc.if_else(pc.match_substring_regex(col, c.INT_RE.pattern), col, None), "int64", safe=False)

    start, end = number("start"), number("end")
    flags: np.ndarray = _bool(pc.less_equal(end, start))  # nulls count as flagged
    flags |= _bool(pc.not_equal(pc.subtract(end, start), pc.utf8_length(t.column("quote"))))
    valid = {
        name: _bool(pc.is_valid(t.column(name)))
        for name in ("time_phrase", "time_anchor", "time_edtf", "horizon", "resolution", "resolution_note")
    }
    flags |= valid["time_phrase"] & ~(valid["time_anchor"] & valid["time_edtf"])
    prediction = _bool(pc.fill_null(pc.equal(t.column("claim_type"), "prediction"), False))
    flags |= prediction & ~valid["resolution"]
    flags |= ~prediction & (valid["resolution"] | valid["horizon"])
    resolved = _bool(
        pc.fill_null(pc.is_in(t.column("resolution"), value_set=strings(["came_true", "did_not", "partly"])), False)
    )
    flags |= resolved & ~valid["resolution_note"]
    return flags


def _event_flags(t: pa.Table) -> np.ndarray:
    import pyarrow.compute as pc

    valid = {
        name: _bool(pc.is_valid(t.column(name)))
        for name in ("date_phrase", "date_anchor", "date_edtf", "geo_precision", "country", "location_name")
    }
    flags: np.ndarray = valid["date_phrase"] & ~(valid["date_anchor"] & valid["date_edtf"])
    flags |= valid["geo_precision"] & ~valid["country"] & ~valid["location_name"]
    return flags


ROW_FLAGS: dict[str, Callable[[pa.Table], np.ndarray]] = {
    "sources": _source_flags,
    "actors": _actor_flags,
    "claims": _claim_flags,
    "events": _event_flags,
}


def flag_rows(table: Table, data: pa.Table) -> np.ndarray:
    """Rows of ``data`` that the model may reject."""
    flags = _lifecycle_flags(data)
    for name in table.columns:
        flags |= column_flags(data.column(name), table.rules[name], name in table.required)
    extra = ROW_FLAGS.get(table.name)
    if extra is not None:
        flags |= extra(data)
    return flags


_CODE_OF_PYDANTIC_TYPE = {"missing": "required", "extra_forbidden": "header-unknown"}


def word_row(ctx: Context, table: Table, index: int, row: dict[str, Any]) -> bool:
    """Validate one row with its model; record each problem. True if the row is valid."""
    try:
        table.model.model_validate(row)
        return True
    except ValidationError as err:
        for error in err.errors(include_url=False):
            field = str(error["loc"][0]) if error["loc"] else None
            value = row.get(field) if field else None
            if field and value is None and error["type"] != "missing" and field in table.required:
                code, message, hint = "required", "is empty but required", f"fill in {field}"
            else:
                code = _CODE_OF_PYDANTIC_TYPE.get(error["type"], error["type"])
                message, hint = error["msg"], str((error.get("ctx") or {}).get("hint", ""))
            if field is None:
                field = (error.get("ctx") or {}).get("field")
            ctx.add(table, index, field, code, message, hint)
        return False


def check_cells(ctx: Context) -> None:
    """Check every cell and row of every readable table."""
    import numpy as np

    for table in TABLES:
        parsed = ctx.tables.get(table.name)
        if parsed is None or parsed.num_rows == 0:
            continue
        data = parsed.data
        indices = np.arange(data.num_rows) if ctx.engine == "rows" else np.flatnonzero(flag_rows(table, data))
        if len(indices) == 0:
            continue
        subset = data.take(indices).to_pylist()
        for index, row in zip(indices.tolist(), subset, strict=True):
            word_row(ctx, table, index, row)
