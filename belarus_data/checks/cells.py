"""Cell and row checks: every value against its column rule, every row against its model.

Two engines give the same problems:

* ``rows`` validates every row with its Pydantic model (the reference);
* ``fast`` first flags suspicious rows with vectorised Arrow checks derived from
  the same column rules and row rules, then runs the Pydantic model on the
  flagged rows only, so the wording of each message is identical.

The flags may over-approximate (a flagged row can turn out valid) but must
never miss a row the model rejects; ``tests/test_engines_agree.py`` and
``tests/test_cells_large.py`` hold them to that.

The fast flags read bytes where a regex per row would cost more: free text
is screened on its UTF-8 bytes (a few min/max
reductions per cache-sized window; only suspicious lead bytes are decoded),
IDs and tag lists are checked exactly on their bytes (each distinct value
once where values repeat), whole numbers by
:func:`belarus_data.models.integers.parse_array` (the one integer rule), lengths
are counted in bytes first (characters by polars in a large column), and
distinct values (dates, EDTF, codes) are checked once each. Arrays two rules share (lengths, parsed numbers) are made
once per column, and the columns of a large table are flagged on two threads.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from belarus_data import vocab
from belarus_data.checks import joins
from belarus_data.checks.context import Context
from belarus_data.models import characters, integers
from belarus_data.models import columns as c
from belarus_data.storage.arrays import code_points, mask, strings, take_rows
from belarus_data.storage.tables import TABLES, Table
from belarus_data.storage.tables import table as table_spec

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


def _bool(values: Any) -> np.ndarray:
    """A boolean numpy mask; null counts as True (flagged)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray | pa.Array):
        return np.asarray(pc.fill_null(values, True), dtype=bool)
    return np.asarray(values, dtype=bool)


# Columns are flagged on up to this many threads (Arrow kernels and numpy release the GIL) ...
WORKERS = min(2, os.cpu_count() or 1)
# ... but the model's own Python checks (the EDTF grammar, pycountry's lazy database) run one at a time.
_MODEL_CODE = threading.Lock()


def _bad_unique_values(column: pa.ChunkedArray, ok: Callable[[str], bool]) -> np.ndarray:
    """Rows whose value fails ``ok``, calling it once per distinct value."""
    import pyarrow.compute as pc

    return _rows_failing(column, pc.unique(column).to_pylist(), ok)  # null is one more value: no drop_null copy


def _rows_failing(column: pa.ChunkedArray, values: list[str | None], ok: Callable[[str], bool]) -> np.ndarray:
    """Rows of ``column`` holding one of ``values`` that fails ``ok`` (each asked once; null never is)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    with _MODEL_CODE:
        bad = [value for value in values if value is not None and not ok(value)]
    if not bad:
        return np.zeros(len(column), dtype=bool)
    return _bool(pc.is_in(column, value_set=pa.array(bad, pa.string())))


def _item_ok(rule: c.Column) -> Callable[[str], bool]:
    def ok(value: str) -> bool:
        items = value.split(c.LIST_SEPARATOR) if rule.multi else [value]
        try:
            c.check_chars(value)
            for item in items:
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


# Above this many rows a column is large: its characters are counted by polars, a tag column's distinct
# values are checked once each, and the table's columns are flagged on threads (each costs a fixed start).
LARGE_ROWS = 20_000


@lru_cache(maxsize=1)
def nfc_suspects_re2() -> str:
    """The NFC suspects (:func:`~belarus_data.models.characters.nfc_suspect_ranges`) as one RE2 character class."""
    return (
        "["
        + "".join(
            (f"\\x{{{a:x}}}-\\x{{{b:x}}}" if a != b else f"\\x{{{a:x}}}") for a, b in characters.nfc_suspect_ranges()
        )
        + "]"
    )


@lru_cache(maxsize=1)
def unsafe_code_points() -> np.ndarray:
    """A lookup table over all code points: True where a character is forbidden or an NFC suspect."""
    import numpy as np

    table = np.zeros(0x110000, dtype=bool)
    for a, b in (*c.FORBIDDEN_RANGES, *characters.nfc_suspect_ranges()):
        table[a : b + 1] = True
    table.flags.writeable = False  # shared by every caller (and thread)
    return table


# The byte screen. Free text is checked on its UTF-8 bytes, a window at a time (small enough to stay in
# the CPU cache): a window is clean when it holds only printable ASCII, continuation bytes and the lead
# bytes of U+0400-U+047F (basic Cyrillic), which a few min/max reductions prove. Only an unclean window
# has its lead and control bytes decoded and looked up in unsafe_code_points(). Lead bytes C3-CB
# (U+00C0-U+02FF) and D0-D1 never start an unsafe character (tests/test_cells_screen.py checks that),
# so they are not even decoded.
WINDOW = 1 << 18
SMALL_TEXT_CHUNK = WINDOW // 4  # bytes: free text in chunks averaging less is combined into one
SAFE_LEAD_BYTES = (*range(0xC3, 0xCC), 0xD0, 0xD1)


@lru_cache(maxsize=1)
def _formula_lead_bytes() -> np.ndarray:
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[[ord(lead) for lead in c.FORMULA_LEADS]] = True  # all ASCII
    return table


def _string_buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a string array, zero-copy: value i is bytes[offsets[i]:offsets[i + 1]]."""
    import numpy as np
    import pyarrow as pa

    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        chunk = chunk.cast(pa.string())
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    _, offsets, data = chunk.buffers()
    if offsets is None:  # an empty array may have no buffers at all
        return np.zeros(len(chunk) + 1, dtype=width), np.zeros(0, dtype=np.uint8)
    item = np.dtype(width).itemsize
    positions = np.frombuffer(offsets, dtype=width, count=len(chunk) + 1, offset=chunk.offset * item)
    return positions, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8))


def _window_clean(window: np.ndarray, scratch: np.ndarray) -> bool:
    """Whether the bytes hold only printable ASCII, continuation bytes and the leads D0/D1 (no decoding)."""
    import numpy as np

    low, high = int(window.min()), int(window.max())
    if low < 0x20 or high >= 0xD2:  # a control, or a lead byte from D2 on
        return False
    if high < 0x7F:
        return True
    if int(window.view(np.int8).max()) == 0x7F:  # DEL is the only byte above 0x7E that is positive as int8
        return False
    # Bytes are now below D2: flipping bit 4 moves C0-CF (and only them) to D0 and above.
    return high < 0xC0 or int(np.bitwise_xor(window, 0x10, out=scratch[: len(window)]).max()) < 0xD0


def _positions_to_decode(window: np.ndarray) -> np.ndarray:
    """Offsets in the window of every control byte, DEL and lead byte that may start an unsafe character."""
    import numpy as np

    found = window < 0x20
    found |= window == 0x7F
    lead = window >= 0xC2
    lead &= (window < 0xC3) | (window >= 0xCC)  # C3-CB: U+00C0-U+02FF
    lead &= (window & 0xFE) != 0xD0  # D0, D1: U+0400-U+047F
    found |= lead
    return np.flatnonzero(found)


def _unsafe_at(data: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """For each position of a lead (or ASCII) byte, whether the character starting there is unsafe."""
    import numpy as np

    last = len(data) - 1
    first = data[positions].astype(np.int64)

    def continuation(k: int) -> np.ndarray:
        bits: np.ndarray = data[np.minimum(positions + k, last)].astype(np.int64) & 0x3F
        return bits

    b1, b2, b3 = continuation(1), continuation(2), continuation(3)
    code = np.where(
        first < 0x80,
        first,
        np.where(
            first < 0xE0,
            ((first & 0x1F) << 6) | b1,
            np.where(
                first < 0xF0,
                ((first & 0x0F) << 12) | (b1 << 6) | b2,
                ((first & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3,
            ),
        ),
    )
    invalid = code > 0x10FFFF  # not valid UTF-8: let the model look at it
    result: np.ndarray = unsafe_code_points()[np.where(invalid, 0, code)] | invalid
    return result


def _screen_chunk(chunk: pa.Array, scratch: np.ndarray) -> np.ndarray:
    """Rows of one string array that may hold an invisible character, a formula lead or non-NFC text."""
    import numpy as np

    offsets, data = _string_buffers(chunk)
    flags = np.zeros(len(chunk), dtype=bool)
    low, high = int(offsets[0]), int(offsets[-1])
    if high == low:
        return flags
    # The first byte of every value (for an empty value, some other byte: a harmless extra flag).
    flags |= _formula_lead_bytes()[data[np.minimum(offsets[:-1], len(data) - 1)]]
    found = []
    for begin in range(low, high, WINDOW):
        window = data[begin : min(begin + WINDOW, high)]
        if not _window_clean(window, scratch):
            found.append(begin + _positions_to_decode(window))
    if found:
        positions = np.concatenate(found)
        unsafe = positions[_unsafe_at(data, positions)]
        flags[_rows_at(offsets, unsafe)] = True
    return flags


def _free_text_flags(column: pa.ChunkedArray) -> np.ndarray:
    """Rows that may hold an invisible character, a formula lead or non-NFC text."""
    import numpy as np
    import pyarrow as pa

    # Screened at every size: a regex and NFC normalisation of every cell cost 15-60x more, even for a
    # few thousand rows (the regex is compiled again on every call); flagged rows go to the model.
    if column.num_chunks > 1 and column.nbytes < SMALL_TEXT_CHUNK * column.num_chunks:
        column = pa.chunked_array([column.combine_chunks()])  # small chunks: one copy beats many calls
    scratch = np.empty(WINDOW, dtype=np.uint8)
    parts = [_screen_chunk(chunk, scratch) for chunk in column.chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _one_array(column: pa.ChunkedArray) -> pa.Array:
    """The column as one array: for short values one copy costs less than a numpy pass per chunk."""
    import pyarrow as pa

    if column.num_chunks == 1:
        return column.chunk(0)
    return column.combine_chunks() if column.num_chunks else pa.array([], pa.string())


def _rows_at(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The row holding each byte position."""
    import numpy as np

    # In the offsets' own dtype, so that numpy does not convert all the offsets.
    rows: np.ndarray = np.searchsorted(offsets, positions.astype(offsets.dtype), side="right") - 1
    return rows


def _byte_at(data: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """data[positions], clipped into the buffer (callers ignore rows where the clip matters)."""
    import numpy as np

    if len(data) == 0:
        return np.zeros(len(positions), dtype=np.uint8)
    found: np.ndarray = data[np.minimum(positions, len(data) - 1)]  # -1 (an empty first value) reads the last
    return found


def _in_range(values: np.ndarray, first: str, last: str) -> np.ndarray:
    import numpy as np

    inside: np.ndarray = (values - np.uint8(ord(first))) <= np.uint8(ord(last) - ord(first))  # wraps below first
    return inside


def _slug_shape(rule: c.Column) -> str | None:
    """The literal prefix when ``rule.pattern`` is a literal followed by SLUG (IDs, tag lists); else None."""
    if rule.pattern is None or rule.vocab or not rule.pattern.endswith(c.SLUG):
        return None
    prefix = rule.pattern[: -len(c.SLUG)]
    if re.fullmatch("[a-z0-9-]*", prefix) is None or (rule.multi and prefix):
        return None
    return prefix


def _slug_flags(chunk: pa.Array, prefix: str, multi: bool) -> np.ndarray:
    """Rows of one string array that may not match ``prefix`` + SLUG (``;``-separated SLUGs if ``multi``).

    Exact: a SLUG is one or more [a-z0-9] runs joined by single hyphens, so a
    value matches when its bytes are all in [a-z0-9-] (and ';' for lists), it
    starts with the prefix, and no separator is doubled, adjacent to another,
    right after the prefix or at the end. Null rows may be flagged; callers mask them.
    """
    import numpy as np
    import pyarrow.compute as pc

    offsets, data = _string_buffers(chunk)
    starts, ends = offsets[:-1], offsets[1:]
    low, high = int(offsets[0]), int(offsets[-1])
    body = data[low:high]
    separator = body == ord("-")
    if multi:
        separator |= body == ord(";")
    stray = ~(_in_range(body, "a", "z") | _in_range(body, "0", "9") | separator)
    doubled = np.flatnonzero(separator[:-1] & separator[1:])
    positions = np.concatenate([np.flatnonzero(stray), doubled, doubled + 1]) + low
    flags = np.zeros(len(chunk), dtype=bool)
    flags[_rows_at(offsets, positions)] = True
    flags |= ends - starts <= len(prefix)
    if prefix:  # one Arrow kernel, not a gather per byte of the prefix
        flags |= _bool(pc.invert(pc.starts_with(chunk, prefix)))
    for edge in (_byte_at(data, starts + len(prefix)), _byte_at(data, ends - 1)):
        flags |= edge == ord("-")
        if multi:
            flags |= edge == ord(";")
    return flags


DISTINCT_SAMPLE = 4096  # rows whose distinct values tell whether a column repeats its values


def _slug_column_flags(column: pa.ChunkedArray, prefix: str, multi: bool) -> np.ndarray:
    """:func:`_slug_flags` of a whole column; each distinct value once where values repeat (references, tags).

    A column of references holds few distinct values (at 1M claims, 20k sources):
    hashing them (``unique``) costs a quarter of the byte checks of every row,
    but more than them where most values differ (IDs). Whether a column
    repeats is judged on its first rows.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    sample = column.slice(0, DISTINCT_SAMPLE)
    present = len(sample) - sample.null_count
    # Under 3/4 distinct in the sample: uniformly drawn, that is a column of some 10k values or fewer.
    if len(column) > LARGE_ROWS and pc.count_distinct(sample).as_py() * 4 < 3 * present:
        distinct = pc.unique(column).drop_null()
        bad = distinct.filter(pa.array(_slug_flags(distinct, prefix, multi)))
        if len(bad) == 0:
            return np.zeros(len(column), dtype=bool)
        return _bool(pc.is_in(column, value_set=bad))
    return _slug_flags(_one_array(column), prefix, multi)


class ColumnArrays:
    """Arrays derived from one column, computed once and shared by the column and row flags.

    ``origin``: the table and column name it was taken from, when known; lookups that other checks
    share (the EDTF bounds of its values) are then made once for them all.
    """

    def __init__(self, column: pa.ChunkedArray, origin: tuple[pa.Table, str] | None = None) -> None:
        self.column = column
        self.origin = origin

    @cached_property
    def present(self) -> np.ndarray:
        import numpy as np
        import pyarrow.compute as pc

        if self.column.null_count in (0, len(self.column)):  # known without a pass: most columns
            return np.full(len(self.column), self.column.null_count == 0)
        return np.asarray(pc.is_valid(self.column), dtype=bool)

    @cached_property
    def byte_lengths(self) -> np.ndarray:
        """UTF-8 bytes of each value (0 when empty): never fewer than its characters."""
        import numpy as np
        import pyarrow.compute as pc

        return np.asarray(pc.fill_null(pc.binary_length(self.column), 0))

    @cached_property
    def char_lengths(self) -> np.ndarray:
        """Characters (code points) of each value (0 when empty); polars counts a large column."""
        if self.origin is not None:  # counted once for every check that asks (the quote check does)
            return joins.char_lengths(*self.origin)
        return code_points(self.column, 0, polars_from=LARGE_ROWS + 1)

    @cached_property
    def integers(self) -> tuple[np.ndarray, np.ndarray]:
        """(whole number by the one integer rule, value): a value is 0 unless it is one."""
        return integers.parse_array(self.column)

    def trim(self) -> None:
        """Drop the byte lengths: only the column's own flags read them (the row flags never do)."""
        self.__dict__.pop("byte_lengths", None)

    def too_long(self, max_length: int) -> np.ndarray:
        """Values over ``max_length`` characters (bytes first: characters are counted only where needed)."""
        import numpy as np
        import pyarrow.compute as pc

        over: np.ndarray = self.byte_lengths > max_length
        if not over.any():
            return over
        if "char_lengths" in self.__dict__ or over.mean() > 0.001:
            return np.asarray(self.char_lengths > max_length)
        # A few long values: count the characters of the chunks that hold them.
        begin = 0
        for chunk in self.column.chunks:
            end = begin + len(chunk)
            if over[begin:end].any():
                chars = np.asarray(pc.fill_null(pc.utf8_length(chunk), 0))
                over[begin:end] = chars > max_length
            begin = end
        return over


class TableArrays:
    """The ColumnArrays of one table, made on first use."""

    def __init__(self, data: pa.Table) -> None:
        self.data = data
        self._columns: dict[str, ColumnArrays] = {}

    def __getitem__(self, name: str) -> ColumnArrays:
        if name not in self._columns:
            self._columns[name] = ColumnArrays(self.data.column(name), (self.data, name))
        return self._columns[name]


def column_flags(
    column: pa.ChunkedArray, rule: c.Column, required: bool, arrays: ColumnArrays | None = None
) -> np.ndarray:
    """Rows whose value may break ``rule`` (vectorised; may over-approximate)."""
    import pyarrow.compute as pc

    arrays = arrays if arrays is not None else ColumnArrays(column)
    present = arrays.present
    flags: np.ndarray = ~present if required else present & False
    if rule.kind == "integer":
        ok, values = arrays.integers
        flags |= present & ~(ok & integers.in_range(values, rule.minimum, rule.maximum))
        return flags
    if rule.kind == "boolean":
        flags |= present & _bool(pc.invert(pc.is_in(column, value_set=strings(["true", "false"]))))
        return flags
    if rule.kind == "date":
        # The model's own conversion, once per distinct value (covers the YYYY-MM-DD shape too).
        flags |= present & _bad_unique_values(column, _date_ok)
        return flags
    if rule.max_length is not None:
        flags |= present & arrays.too_long(rule.max_length)
    if rule.free_text:
        flags |= present & _free_text_flags(column)
    if rule.vocab and not rule.multi:
        flags |= present & _bool(pc.invert(pc.is_in(column, value_set=strings(rule.codes))))
    elif (prefix := _slug_shape(rule)) is not None:
        flags |= present & _slug_column_flags(column, prefix, rule.multi)
    elif rule.pattern or rule.vocab:
        regex = c.json_schema_for(rule)["pattern"]
        flags |= present & _bool(pc.invert(pc.match_substring_regex(column, regex)))
    if rule.edtf and arrays.origin is not None and not (rule.multi or rule.vocab or rule.pattern):
        flags |= present & _bad_dates(arrays.origin, _item_ok(rule))
    elif rule.edtf or rule.country or rule.language:
        flags |= present & _bad_unique_values(column, _item_ok(rule))
    return flags


def _bad_dates(origin: tuple[pa.Table, str], ok: Callable[[str], bool]) -> np.ndarray:
    """Rows of an EDTF column whose value fails ``ok``: only values of no common shape are asked.

    A value of the shapes :mod:`belarus_data.dates.edtf_columns` reads is ASCII, printable and
    valid EDTF; the parse is the one the date rules read, made once (:func:`joins.date_bounds`).
    """
    import pyarrow as pa

    data, name = origin
    others = joins.distinct(data, name).filter(pa.array(~joins.date_bounds(data, name).shaped))
    return _rows_failing(data.column(name), others.to_pylist(), ok)


# Vectorised mirrors of the model validators: each returns rows that may break them.
def _lifecycle_flags(t: TableArrays) -> np.ndarray:
    import pyarrow.compute as pc

    data = t.data
    status = t["record_status"].column
    created, updated = t["created"].column, t["updated"].column
    flags: np.ndarray = _bool(pc.less(updated, created))
    version_ok, version = t["version"].integers
    flags |= version_ok & (version == 1) & _bool(pc.not_equal(updated, created))
    active = mask(pc.equal(status, "active"))
    missing = ~t["record_status"].present  # counts as both active and not (flagged anyway: required)
    flags |= (~active | missing) & ~t["status_reason"].present
    flags |= (active | missing) & t["status_reason"].present
    if "superseded_by" in data.column_names:
        by = t["superseded_by"].column
        flags |= _bool(pc.equal(status, "superseded")) != t["superseded_by"].present
        flags |= _bool(pc.fill_null(pc.equal(by, t["id"].column), False))
    return flags


def _source_flags(t: TableArrays) -> np.ndarray:
    flags: np.ndarray = t["published"].present & ~t["published_basis"].present
    return flags


def _actor_flags(t: TableArrays) -> np.ndarray:
    import pyarrow.compute as pc

    return _bool(pc.fill_null(pc.equal(t["parent_id"].column, t["id"].column), False))


def _claim_flags(t: TableArrays) -> np.ndarray:
    import pyarrow.compute as pc

    start_ok, start = t["start"].integers
    end_ok, end = t["end"].integers
    quote = t["quote"]
    # A value that is not a whole number, or an empty quote, counts as flagged.
    comparable = start_ok & end_ok & quote.present
    flags: np.ndarray = ~comparable | (end <= start) | (end - start != quote.char_lengths)
    valid = {
        name: t[name].present
        for name in ("time_phrase", "time_anchor", "time_edtf", "horizon", "resolution", "resolution_note")
    }
    flags |= valid["time_phrase"] & ~(valid["time_anchor"] & valid["time_edtf"])
    prediction = _bool(pc.fill_null(pc.equal(t["claim_type"].column, "prediction"), False))
    flags |= prediction & ~valid["resolution"]
    flags |= ~prediction & (valid["resolution"] | valid["horizon"])
    resolved = _bool(pc.fill_null(pc.is_in(t["resolution"].column, value_set=strings(list(vocab.RESOLVED))), False))
    flags |= resolved & ~valid["resolution_note"]
    return flags


def _event_flags(t: TableArrays) -> np.ndarray:
    valid = {
        name: t[name].present
        for name in ("date_phrase", "date_anchor", "date_edtf", "geo_precision", "country", "location_name")
    }
    flags: np.ndarray = valid["date_phrase"] & ~(valid["date_anchor"] & valid["date_edtf"])
    flags |= valid["geo_precision"] & ~valid["country"] & ~valid["location_name"]
    return flags


ROW_FLAGS: dict[str, Callable[[TableArrays], np.ndarray]] = {
    "sources": _source_flags,
    "actors": _actor_flags,
    "claims": _claim_flags,
    "events": _event_flags,
}


def flag_rows(table: Table, data: pa.Table, workers: int = WORKERS) -> np.ndarray:
    """Rows of ``data`` that the model may reject; a large table's columns on up to ``workers`` threads."""
    from concurrent.futures import ThreadPoolExecutor

    arrays = TableArrays(data)
    for name in table.columns:
        arrays[name]  # made here: each worker then touches only its own column's arrays

    def one(name: str) -> np.ndarray:
        found = column_flags(arrays[name].column, table.rules[name], name in table.required, arrays[name])
        arrays[name].trim()  # a table's byte lengths at once would be ~4 bytes a cell
        return found

    flags = _lifecycle_flags(arrays)
    if workers > 1 and data.num_rows > LARGE_ROWS:
        with ThreadPoolExecutor(workers) as pool:
            for found in pool.map(one, table.columns):
                flags |= found
    else:
        for name in table.columns:
            flags |= one(name)
    extra = ROW_FLAGS.get(table.name)
    if extra is not None:
        flags |= extra(arrays)
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


def check_table_cells(ctx: Context, name: str, workers: int = WORKERS) -> None:
    """Check every cell and row of table ``name``, if it is readable (its columns on up to ``workers`` threads)."""
    import numpy as np

    parsed = ctx.tables.get(name)
    if parsed is None or parsed.num_rows == 0:
        return
    spec = table_spec(name)
    data = parsed.data
    indices = np.arange(data.num_rows) if ctx.engine == "rows" else np.flatnonzero(flag_rows(spec, data, workers))
    if len(indices) == 0:
        return
    subset = take_rows(data, indices).to_pylist()  # not Table.take: it concatenates every column first
    for index, row in zip(indices.tolist(), subset, strict=True):
        word_row(ctx, spec, index, row)


def check_cells(ctx: Context) -> None:
    """Check every cell and row of every readable table."""
    for spec in TABLES:
        check_table_cells(ctx, spec.name)


def _cells_of(name: str) -> Callable[[Context], None]:
    def check(ctx: Context) -> None:
        # One thread: beside the other checks the two cores are busy already, and a pool of its own
        # only added switches (validate at 100k 0.56 -> 0.54 s, at 1M 4.05 -> 3.91 s).
        check_table_cells(ctx, name, workers=1)

    check.__name__ = check.__qualname__ = f"check_cells_of_{name}"
    check.__doc__ = f"Check every cell and row of the {name} table (:func:`check_table_cells`)."
    return check


# check_cells as one check per table, each on one thread: validation queues them apart, beside its other
# checks, so that the threads it runs share them.
CELLS_OF: dict[str, Callable[[Context], None]] = {spec.name: _cells_of(spec.name) for spec in TABLES}
CELL_CHECKS: tuple[Callable[[Context], None], ...] = tuple(CELLS_OF.values())
