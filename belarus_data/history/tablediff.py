"""Matching two versions of a table by primary key, vectorised: which rows were added, deleted or differ.

Both the versioning rules and ``belarus-data diff`` need this. The tables are
matched on the key with Arrow and compared column by column, so only the rows
that really differ (usually a handful) are turned into Python objects; on
100,000 claims the comparison takes well under a second.
"""

from __future__ import annotations

import csv
import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from belarus_data.storage.arrays import take_rows
from belarus_data.storage.csvfile import LINE, ParsedTable, parse_fast, read_arrow
from belarus_data.storage.tables import Table

if TYPE_CHECKING:
    import mmap

    import numpy as np
    import pyarrow as pa

POS = "__pos"  # row index in the new table
OPOS = "__old_pos"  # row index in the old table

Cells = dict[str, str | None]


@dataclass(frozen=True)
class Pair:
    """A key present in both versions whose cells differ."""

    index: int  # row index in the new table
    old_line: int
    old: Cells
    new: Cells


@dataclass
class TableChanges:
    added: list[int] = field(default_factory=list)  # row indices in the new table
    deleted: list[tuple[int, Cells]] = field(default_factory=list)  # (line in the old file, old cells)
    differing: list[Pair] = field(default_factory=list)


def _rows(data: pa.Table, indices: list[int]) -> list[dict[str, object]]:

    return take_rows(data, indices).to_pylist() if indices else []


def _key_column(data: pa.Table, keys: list[str]) -> pa.ChunkedArray:
    """One value per row for its (possibly composite) key; null if any part is null."""
    import pyarrow.compute as pc

    if len(keys) == 1:
        return data.column(keys[0])
    # NUL never occurs in a readable cell, so it cannot make two different keys equal.
    return pc.binary_join_element_wise(*[data.column(k) for k in keys], "\x00")


def _match_keys(keys: list[str], new: pa.Table, old: pa.Table) -> tuple[list[int], list[int], np.ndarray, np.ndarray]:
    """Rows of ``new`` whose key ``old`` lacks, rows of ``old`` whose key ``new`` lacks, and the matched pairs.

    The pairs are (row in ``new``, row in ``old``) for each equal key, as an inner join
    gives them; a null key part matches nothing. With ``index_in`` when the old keys are
    distinct (a base that passed validation): Arrow's join loads its query engine
    (~30 ms of a ~0.7 s cold ``validate``). Repeated old keys (one new row matching
    several) go through the join.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    new_key, old_key = _key_column(new, keys), _key_column(old, keys)
    known_old = old_key.drop_null()
    if pc.count_distinct(known_old).as_py() == len(known_old):
        old_of_new = pc.index_in(new_key, value_set=known_old, skip_nulls=True)
        found = np.asarray(pc.is_valid(old_of_new), dtype=bool)
        old_rows = np.flatnonzero(np.asarray(pc.is_valid(old_key), dtype=bool))  # positions of known_old in old
        kept = np.asarray(pc.fill_null(pc.is_in(old_key, value_set=new_key.drop_null(), skip_nulls=True), False))
        new_pos = np.flatnonzero(found)
        old_pos = old_rows[np.asarray(old_of_new.drop_null(), dtype=np.int64)]
        return np.flatnonzero(~found).tolist(), np.flatnonzero(~kept).tolist(), new_pos, old_pos
    # Join only the keys and row positions (cheap); the callers line both sides up with `take`.
    left = new.select(keys).append_column(POS, pa.array(np.arange(new.num_rows, dtype=np.int64)))
    right = old.select(keys).append_column(OPOS, pa.array(np.arange(old.num_rows, dtype=np.int64)))
    added = sorted(left.join(right.select(keys), keys=keys, join_type="left anti").column(POS).to_pylist())
    gone = right.join(left.select(keys), keys=keys, join_type="left anti").column(OPOS).to_pylist()
    matched = left.join(right, keys=keys, join_type="inner")
    return added, gone, matched.column(POS).to_numpy(), matched.column(OPOS).to_numpy()


def compare_tables(spec: Table, old: pa.Table, new: pa.Table) -> TableChanges:
    """Rows added to, deleted from and changed in ``spec``'s table between ``old`` and ``new``.

    ``old`` has the schema's columns plus ``__line``; ``new`` has the schema's
    columns (any extra columns are ignored). All cells are strings or null.

    >>> import pyarrow as pa
    >>> from belarus_data.storage.tables import table
    >>> spec = table("actor_aliases")
    >>> row = {c: ["x"] for c in spec.columns}
    >>> changes = compare_tables(spec, pa.table({**row, "__line": [2]}), pa.table({**row, "script": ["Cyrl"]}))
    >>> [(p.old["script"], p.new["script"]) for p in changes.differing]
    [('x', 'Cyrl')]
    """
    import numpy as np
    import pyarrow.compute as pc

    keys = list(spec.primary_key)
    others = [c for c in spec.columns if c not in keys]
    result = TableChanges()
    added, gone, new_pos, old_pos = _match_keys(keys, new, old)
    result.added = added
    for row in sorted(_rows(old, gone), key=lambda r: int(r[LINE])):  # type: ignore[call-overload]
        result.deleted.append((int(row[LINE]), {c: row[c] for c in spec.columns}))  # type: ignore[call-overload,misc]
    if len(new_pos) == 0:
        return result
    aligned_new, aligned_old = take_rows(new, new_pos), take_rows(old, old_pos)
    differs = np.zeros(len(new_pos), dtype=bool)
    for name in others:
        a, b = aligned_new.column(name), aligned_old.column(name)
        same = pc.coalesce(pc.equal(a, b), pc.and_(pc.is_null(a), pc.is_null(b)))
        differs |= ~np.asarray(same, dtype=bool)
    hits = np.flatnonzero(differs).tolist()
    for k, (new_row, old_row) in enumerate(zip(_rows(aligned_new, hits), _rows(aligned_old, hits), strict=True)):
        result.differing.append(
            Pair(
                int(new_pos[hits[k]]),
                int(old_row[LINE]),  # type: ignore[call-overload]
                {c: old_row[c] for c in spec.columns},  # type: ignore[misc]
                {c: new_row[c] for c in spec.columns},  # type: ignore[misc]
            )
        )
    result.differing.sort(key=lambda p: p.index)
    return result


COMPARE_BLOCK = 16 << 20  # bytes compared at a time when looking for the changed region


def _block(mapped: mmap.mmap, first: int, last: int) -> np.ndarray:
    import numpy as np

    return np.frombuffer(mapped, dtype=np.uint8, count=last - first, offset=first)


def _release(mapped: mmap.mmap, first: int, last: int) -> None:
    """Drop pages already compared, so that mapping two large files never holds them in memory."""
    import mmap

    if hasattr(mmap, "MADV_DONTNEED") and last > first:
        start = first - first % mmap.PAGESIZE
        mapped.madvise(mmap.MADV_DONTNEED, start, last - start)


def _common_prefix(old: mmap.mmap, new: mmap.mmap) -> int:
    import numpy as np

    limit = min(len(old), len(new))
    for first in range(0, limit, COMPARE_BLOCK):
        last = min(first + COMPARE_BLOCK, limit)
        differ = np.flatnonzero(_block(old, first, last) != _block(new, first, last))
        _release(old, first, last)
        _release(new, first, last)
        if len(differ):
            return first + int(differ[0])
    return limit


def _common_suffix(old: mmap.mmap, new: mmap.mmap, floor: int) -> int:
    """Length of the common tail, not reaching into the first ``floor`` bytes of either."""
    import numpy as np

    limit = min(len(old), len(new)) - floor
    done = 0
    while done < limit:
        size = min(COMPARE_BLOCK, limit - done)
        a_first, b_first = len(old) - done - size, len(new) - done - size
        differ = np.flatnonzero(_block(old, a_first, a_first + size) != _block(new, b_first, b_first + size))
        _release(old, a_first, a_first + size)
        _release(new, b_first, b_first + size)
        if len(differ):
            return done + (size - 1 - int(differ[-1]))
        done += size
    return limit


def _line_feeds(mapped: mmap.mmap, first: int, last: int) -> int:
    import numpy as np

    count = 0
    for start in range(first, last, COMPARE_BLOCK):
        stop = min(start + COMPARE_BLOCK, last)
        count += int(np.count_nonzero(_block(mapped, start, stop) == 10))
        _release(mapped, start, stop)
    return count


def changes_since(spec: Table, stored: Path | None, new_path: Path, new: ParsedTable) -> TableChanges:
    """``spec``'s changes from the file as stored at a base (in ``stored``) to ``new_path``, read as ``new``.

    A pull request changes a few lines of files of up to a million: only the
    region between the longest common head and tail of the two files (cut at
    line boundaries) is parsed and compared. Both files are memory-mapped and
    compared a block at a time. Anything irregular (a file missing at the base,
    another header, a file read line by line) is compared whole.
    """
    import mmap

    import numpy as np

    def whole() -> TableChanges:
        current = new.data
        if current.column_names != spec.columns:  # a table held narrow (checks.partitioned): read its values
            current = read_arrow(new_path.read_bytes(), spec).drop_columns([LINE])
        return compare_tables(spec, read_arrow(stored.read_bytes() if stored else None, spec), current)

    regular = new.num_rows == 0 or bool(new.lines[0] == 2 and new.lines[-1] == new.num_rows + 1)
    if stored is None or not regular or not new_path.is_file() or stored.stat().st_size == 0:
        return whole()
    if new_path.stat().st_size == 0:
        return whole()
    with stored.open("rb") as a, new_path.open("rb") as b:
        old = mmap.mmap(a.fileno(), 0, access=mmap.ACCESS_READ)
        cur = mmap.mmap(b.fileno(), 0, access=mmap.ACCESS_READ)
    with old, cur:
        header_end = old.find(b"\n") + 1
        if header_end == 0 or cur[:header_end] != old[:header_end] or old[-1:] != b"\n":
            return whole()
        head = _common_prefix(old, cur)
        head = max(old.rfind(b"\n", 0, head) + 1, header_end)  # back to the start of the first differing line
        tail = _common_suffix(old, cur, head)
        # Forward to the end of the line the tail starts in: both files share those bytes.
        cut = old.find(b"\n", max(len(old) - tail, head))
        old_stop = cut + 1 if cut >= 0 else len(old)
        new_stop = len(cur) - (len(old) - old_stop)
        first_line = _line_feeds(old, 0, head) + 1  # the region's first line, the same in both files
        new_rows = _line_feeds(cur, head, new_stop)
        region = old[:header_end] + old[head:old_stop]
        # The new side's region is parsed from its file too: the table may be held without its free-text
        # columns (checks.partitioned), and the region is all that is compared.
        new_region = cur[:header_end] + cur[head:new_stop]
    first_row = first_line - 2  # line 1 is the header
    parsed = parse_fast(region, spec.columns)
    if parsed is None or parsed.num_rows != region.count(b"\n") - 1:
        return whole()
    current = parse_fast(new_region, spec.columns)
    if current is None or current.num_rows != new_rows:
        return whole()
    import pyarrow as pa

    old_part = parsed.append_column(LINE, pa.array(np.arange(first_line, first_line + parsed.num_rows)))
    found = compare_tables(spec, old_part, current)
    found.added = [first_row + i for i in found.added]
    for k, pair in enumerate(found.differing):
        found.differing[k] = Pair(first_row + pair.index, pair.old_line, pair.old, pair.new)
    return found


@dataclass
class Compared:
    """A table's changes between two files, with the rows of the new file that its indices point into."""

    changes: TableChanges  # row indices are into ``new``
    new: pa.Table  # the schema's columns plus ``__line`` (the real line in the new file)


MAX_NEEDLES = 256  # keys looked for outside the changed region in one pass; beyond that the files are read whole


def _open_mapped(path: Path | None) -> mmap.mmap | None:
    """``path`` memory-mapped for reading, if it is a non-empty regular file reached without a link."""
    import mmap

    from belarus_data.storage.csvfile import MAX_FILE_BYTES
    from belarus_data.storage.paths import open_regular

    handle = None if path is None or path.is_symlink() else open_regular(path)
    if handle is None:
        return None
    with handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0 or size > MAX_FILE_BYTES:
            return None
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _feeds(mapped: mmap.mmap, first: int, last: int) -> list[np.ndarray] | None:
    """The positions of the line feeds in ``mapped[first:last]``, block by block; None if a record there may span lines.

    A line with an odd number of quotes opens (or closes) a quoted cell across a
    line break; a carriage return may end a line for one reader and not another.
    """
    import numpy as np

    found, parity = [], 0
    for start in range(first, last, COMPARE_BLOCK):
        stop = min(start + COMPARE_BLOCK, last)
        block = _block(mapped, start, stop)
        if np.any(block == 13):
            return None
        feeds, quotes = np.flatnonzero(block == 10), np.flatnonzero(block == 34)
        _release(mapped, start, stop)
        # The quotes before each line feed (since ``first``) must be even in number.
        if np.any((np.searchsorted(quotes, feeds) + parity) & 1):
            return None
        parity = (parity + len(quotes)) & 1
        found.append(feeds + start)
    return found if parity == 0 else None


def _one_line_rows(mapped: mmap.mmap, first: int, last: int) -> int | None:
    """The line feeds in ``mapped[first:last]`` (whole lines), or None if a record there may span lines (:func:`_feeds`)."""
    found = _feeds(mapped, first, last)
    return None if found is None else sum(len(feeds) for feeds in found)


def _line_bounds(mapped: mmap.mmap, first: int, last: int) -> np.ndarray | None:
    """Where each line of ``mapped[first:last]`` starts, then where the last one ends; None as in :func:`_feeds`."""
    import numpy as np

    found = _feeds(mapped, first, last)
    if found is None:
        return None
    bounds = np.concatenate([np.array([first], dtype=np.int64), *(feeds + 1 for feeds in found)])
    return bounds if bounds[-1] == last else np.append(bounds, last)  # the last line may lack its line feed


HASHED_LINES = 16384  # lines hashed between releases of the pages read


def _line_hashes(mapped: mmap.mmap, bounds: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each line's bytes (line feed included)."""
    import numpy as np

    found = np.empty(len(bounds) - 1, dtype=np.int64)
    for first in range(0, len(found), HASHED_LINES):
        last = min(first + HASHED_LINES, len(found))
        edges = bounds[first : last + 1].tolist()
        found[first:last] = [hash(mapped[a:b]) for a, b in itertools.pairwise(edges)]
        _release(mapped, edges[0], edges[-1])
    return found


def _keys_elsewhere(
    mapped: mmap.mmap, first: int, last: int, keys: set[tuple[str, ...]], allowed: set[int]
) -> bool | None:
    """Whether a line of ``mapped[first:last]`` not starting at one of ``allowed`` begins with one of ``keys``.

    A key is the values of the first cells of a line, each quoted or not. None
    when that cannot be told by looking at bytes (too many keys, or a value
    that would have to be escaped).
    """
    import re

    if len(keys) > MAX_NEEDLES or any(ch in part for key in keys for part in key for ch in '",\n\r'):
        return None
    if not keys:
        return False
    needles = [b",".join(b'"?' + re.escape(part.encode("utf-8")) + b'"?' for part in key) for key in sorted(keys)]
    pattern = re.compile(b"\n(?:" + b"|".join(needles) + b")(?:,|\n)")
    reach = 2 + max(len(needle) for needle in needles)  # escaped needles are no shorter than what they match
    for start in range(first, last, COMPARE_BLOCK):
        stop = min(start + COMPARE_BLOCK, last)
        for found in pattern.finditer(mapped, start, min(stop + reach, last)):
            if found.start() < stop and found.start() + 1 not in allowed:
                return True
        _release(mapped, start, stop)
    return False


def _changed_lines(
    spec: Table, mapped: mmap.mmap, bounds: np.ndarray, kept: np.ndarray, first_line: int
) -> pa.Table | None:
    """The lines ``kept`` (indices into ``bounds``) read as a table, with their real line numbers; None if irregular."""
    import numpy as np
    import pyarrow as pa

    header = mapped[: mapped.find(b"\n") + 1]
    body = [mapped[int(bounds[i]) : int(bounds[i + 1])] for i in kept.tolist()]
    if body and not body[-1].endswith(b"\n"):
        body[-1] += b"\n"
    part = read_arrow(header + b"".join(body), spec)
    lines = np.asarray(part.column(LINE))
    if part.num_rows != len(kept) or not np.array_equal(lines, np.arange(2, part.num_rows + 2)):
        return None
    return part.set_column(part.num_columns - 1, LINE, pa.array(first_line + kept.astype(np.int64)))


def _empty(spec: Table) -> pa.Table:
    return read_arrow(None, spec)


def compare_files(spec: Table, old_path: Path | None, new_path: Path | None) -> Compared | None:
    """``spec``'s changes from the file ``old_path`` to ``new_path``, reading only what differs; None if it cannot.

    Gives what :func:`compare_tables` gives for the two files read whole (:func:`read_arrow`),
    in memory that does not grow with the files: both are memory-mapped and compared a block
    at a time. Identical files are not parsed at all; otherwise only the region between
    their longest common head and tail (cut at line boundaries) is looked at, and of it
    only the lines not found byte for byte at the other place are parsed (two edits far
    apart make a wide region of unchanged lines). None (read the files whole) when a file
    is missing or irregular, a record may span lines, the header differs, or a key of the
    lines parsed also occurs on another line (a repeated key is matched differently when
    the whole table is seen).

    >>> compare_files(table("claims"), None, None) is None  # doctest: +SKIP
    True
    """
    import numpy as np

    old = _open_mapped(old_path)
    new = _open_mapped(new_path) if old is not None else None
    if old is None or new is None:
        if old is not None:
            old.close()
        return None
    with old, new:
        if len(old) == len(new) and _common_prefix(old, new) == len(old):
            return Compared(TableChanges(), _empty(spec))
        header_end = old.find(b"\n") + 1
        if header_end == 0 or new[:header_end] != old[:header_end] or old[-1:] != b"\n":
            return None
        header = next(csv.reader([old[: header_end - 1].decode("utf-8", "replace").removeprefix("\ufeff")]), [])
        if header[: len(spec.primary_key)] != list(spec.primary_key) or old[:header_end].count(b'"') % 2:
            return None
        head = _common_prefix(old, new)
        head = max(old.rfind(b"\n", 0, head) + 1, header_end)  # back to the start of the first differing line
        tail = _common_suffix(old, new, head)
        cut = old.find(b"\n", max(len(old) - tail, head))  # forward to the end of that line
        old_stop = cut + 1 if cut >= 0 else len(old)
        new_stop = len(new) - (len(old) - old_stop)
        before = _one_line_rows(old, header_end, head)
        after = _one_line_rows(old, old_stop, len(old))
        old_bounds, new_bounds = _line_bounds(old, head, old_stop), _line_bounds(new, head, new_stop)
        if before is None or after is None or old_bounds is None or new_bounds is None:
            return None
        first_line = before + 2  # the region's first line, the same in both files
        # A line found byte for byte at the other place is the same record there: only the others are read.
        old_hashes, new_hashes = _line_hashes(old, old_bounds), _line_hashes(new, new_bounds)
        old_kept = np.flatnonzero(~np.isin(old_hashes, new_hashes))
        new_kept = np.flatnonzero(~np.isin(new_hashes, old_hashes))
        old_part = _changed_lines(spec, old, old_bounds, old_kept, first_line)
        new_part = _changed_lines(spec, new, new_bounds, new_kept, first_line)
        if old_part is None or new_part is None:
            return None
        names = list(spec.primary_key)
        # A key with an empty part matches nothing, wherever else it occurs.
        keys = {
            k
            for part in (old_part, new_part)
            for k in zip(*part.select(names).to_pydict().values(), strict=True)
            if all(k)
        }
        allowed = set(old_bounds[old_kept].tolist())
        outside = _keys_elsewhere(old, header_end - 1, len(old), keys, allowed)
        if outside is None or outside:
            return None
    return Compared(compare_tables(spec, old_part, new_part), new_part)
