"""Loading tables as typed pandas DataFrames (or Pydantic objects).

A table is read once per root and file state, checked cell by cell (the same
checks as ``belarus-data validate``, limited to that table), converted to
pandas dtypes taken from the models, and cached. Invalid data raises
:class:`~belarus_data.problems.DatasetError` with located problems.

Every loader returns the **active** records only (``record_status == "active"``)
unless ``include_withdrawn=True`` is passed: retracted and superseded records are
kept in the dataset so that their IDs are never reused, but they are not
findings. The DataFrames also carry the columns derived from each EDTF column
(``date_lower``, ``date_upper``, ``date_lower_fuzzy``, ``date_upper_fuzzy`` for
``date_edtf``, and so on; see :mod:`belarus_data.storage.derived`) as
``datetime64``, and an event's empty ``time_precision`` derived from its date.

Memory: a regular file is read, checked and converted a few blocks at a time
(:func:`_streamed`), withdrawn records dropped per block, into the DataFrame's
own buffers, so a load holds the result plus one group of blocks: 1.9 GiB at
peak for 2M claims, whose DataFrame alone is 1.6 GiB (strings stay in Arrow
buffers, ~1.2x the CSV bytes). A file with any problem is read whole by the
strict reader instead, which words every problem exactly as
``belarus-data validate`` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarus_data.checks import cells, rootcause
from belarus_data.checks.context import Context
from belarus_data.models import integers
from belarus_data.models.columns import Column
from belarus_data.problems import DatasetError, Problem
from belarus_data.storage.arrowpool import release_unused_memory
from belarus_data.storage.csvfile import Irregular, read_bytes
from belarus_data.storage.derived import derived_columns, with_date_bounds
from belarus_data.storage.paths import resolve_root
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import Table, table

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from belarus_data.models.records import Record


def pandas_dtype(rule: Column) -> Any:
    """The pandas dtype a column is loaded as."""
    import pandas as pd

    if rule.kind == "integer":
        return pd.Int64Dtype()
    if rule.kind == "boolean":
        return pd.BooleanDtype()
    if rule.kind == "date":
        return "datetime64[s]"
    if rule.vocab and not rule.multi:
        return pd.CategoricalDtype(rule.codes)
    return pd.StringDtype()


def _read_checked(spec: Table, root: Path) -> pa.Table:
    problems: list[Problem] = []
    parsed = Snapshot.of_tree(root).parsed(spec.name, problems)
    if parsed is not None:
        ctx = Context(root=root, tables={spec.name: parsed}, problems=problems)
        cells.check_cells(ctx)
        _check_quotes_at_odd_offsets(ctx)
        rootcause.fold(ctx)  # one problem per mistake, as `validate` reports it (e.g. dates a spreadsheet rewrote)
    if problems or parsed is None:
        raise DatasetError(problems)
    return parsed.data


def _check_quotes_at_odd_offsets(ctx: Context) -> None:
    """Claims whose offsets do not span their quote, checked against their texts as `validate` does.

    The cell rule says "set end to …", but where the quote is elsewhere in the text the quote check's
    problem is the right fix, and `validate` keeps only that one (:mod:`~belarus_data.checks.rootcause`).
    The loader reports what `validate` would for those rows; it reads the texts only when it must.
    """
    import numpy as np

    from belarus_data.checks import evidence

    claims = ctx.tables.get("claims")
    lines = sorted({p.line for p in ctx.problems if p.code == "offsets-length" and p.line is not None})
    if claims is None or not lines:
        return
    sources = Snapshot.of_tree(ctx.root).parsed("sources", [])  # its own problems are load_sources()'s
    if sources is None:
        return
    rows = np.searchsorted(claims.lines, np.array(lines, dtype=np.int64))
    found: list[Problem] = []
    narrow = Context(root=ctx.root, tables={"claims": claims.take(rows), "sources": sources}, problems=found)
    evidence.check_source_texts(narrow)
    ctx.problems.extend(p for p in found if p.file == claims.file and p.line in lines)


def arrow_to_pandas(spec: Table, data: pa.Table) -> pd.DataFrame:
    """Convert checked string columns to a DataFrame with the schema's dtypes."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    columns: dict[str, Any] = {}
    for name in spec.columns:
        rule = spec.rules[name]
        column = data.column(name)
        if rule.kind == "integer":
            # The one integer rule (the cells were checked by it): a cell it refuses raises, never a wrong number.
            numbers = integers.to_arrow(column)
            columns[name] = numbers.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        elif rule.kind == "boolean":
            columns[name] = pc.equal(column, "true").to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        elif rule.kind == "date":
            columns[name] = pc.cast(pc.strptime(column, "%Y-%m-%d", "s"), pa.timestamp("s")).to_pandas()
        elif rule.vocab and not rule.multi:
            columns[name] = pd.Categorical(column.to_pandas(), categories=rule.codes)
        else:
            columns[name] = column.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    # The derived date bounds (date32), when ``data`` carries them: datetime64 like the stored dates.
    for derived in derived_columns(spec):
        if derived.name in data.column_names:
            columns[derived.name] = pc.cast(data.column(derived.name), pa.timestamp("s")).to_pandas()
    return pd.DataFrame(columns)


# CSV bytes pyarrow's streaming reader parses at a time. It reads up to 32 blocks ahead of the consumer,
# so this sets the reader's memory: ~40 MB at 1 MiB, over 1 GiB at 32 MiB.
LOAD_BLOCK_BYTES = 1 << 20
# Rows checked and converted together: just over checks/cells.py's LARGE_ROWS, so that each group takes the
# large-column paths (threads, polars' character counts); or fewer, once they hold this many bytes. Sets the temporaries.
LOAD_GROUP_ROWS = cells.LARGE_ROWS + 1
LOAD_GROUP_BYTES = 64 << 20


class _Building:
    """A DataFrame built a block at a time, in the dtypes of :func:`pandas_dtype`, with nothing copied at the end.

    Strings are kept as Arrow ``large_string`` chunks (what pandas' Arrow-backed
    strings hold) in a memory pool of their own, so that the blocks' temporaries
    leave no holes between them (holes that transparent huge pages keep resident);
    every other column is written into a numpy array sized for the whole file
    (pages past the rows kept are never touched, so never resident).
    """

    def __init__(self, spec: Table, capacity: int) -> None:
        import numpy as np
        import pyarrow as pa

        self.spec, self.rows = spec, 0
        self.pool = pa.system_memory_pool()
        self.strings: dict[str, list[pa.Array]] = {}
        self.values: dict[str, np.ndarray] = {}
        self.masks: dict[str, np.ndarray] = {}  # True where empty (integers, booleans)
        for name in spec.columns:
            rule = spec.rules[name]
            if rule.kind == "integer":
                self.values[name] = np.empty(capacity, np.int64)
                self.masks[name] = np.empty(capacity, np.bool_)
            elif rule.kind == "boolean":
                self.values[name] = np.empty(capacity, np.bool_)
                self.masks[name] = np.empty(capacity, np.bool_)
            elif rule.kind == "date":
                self.values[name] = np.empty(capacity, "datetime64[s]")
            elif rule.vocab and not rule.multi:
                self.values[name] = np.empty(capacity, np.int8 if len(rule.codes) < 127 else np.int32)
            else:
                self.strings[name] = []
        for derived in derived_columns(spec):
            self.values[derived.name] = np.empty(capacity, "datetime64[s]")

    def add(self, data: pa.Table, keep: pa.Array) -> None:
        """Checked string cells (with their derived date bounds appended): the rows where ``keep`` is true."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        chosen = np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)
        at, count = self.rows, int(chosen.sum())
        here = slice(at, at + count)

        def numbers(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
            picked: np.ndarray = np.asarray(values.to_numpy(zero_copy_only=False))[chosen]
            return picked

        for name, chunks in self.strings.items():
            # The one copy of a kept string: into this pool, already in pandas' large_string layout.
            text = pc.cast(data.column(name), pa.large_string())
            chunks.extend(_chunks(pc.filter(text, keep, memory_pool=self.pool)))
        for name in self.spec.columns:
            rule = self.spec.rules[name]
            column = data.column(name)
            if rule.kind == "integer":
                # The one integer rule (the cells were checked by it): a cell it refuses raises, never a wrong number.
                parsed = integers.to_arrow(column)
                self.values[name][here] = numbers(parsed.fill_null(0))
                self.masks[name][here] = numbers(parsed.is_null())
            elif rule.kind == "boolean":
                self.values[name][here] = numbers(pc.equal(column, "true").fill_null(False))
                self.masks[name][here] = numbers(column.is_null())
            elif rule.kind == "date":
                self.values[name][here] = numbers(pc.strptime(column, "%Y-%m-%d", "s"))
            elif rule.vocab and not rule.multi:
                codes = pc.index_in(column, value_set=pa.array(rule.codes, pa.string())).fill_null(-1)
                self.values[name][here] = numbers(codes)
        for derived in derived_columns(self.spec):
            self.values[derived.name][here] = numbers(pc.cast(data.column(derived.name), pa.timestamp("s")))
        self.rows += count

    def frame(self) -> pd.DataFrame:
        import pandas as pd
        import pyarrow as pa

        n = self.rows
        columns: dict[str, Any] = {}
        for name in [*self.spec.columns, *(d.name for d in derived_columns(self.spec))]:
            rule = self.spec.rules.get(name)
            if name in self.strings:
                chunked = pa.chunked_array(self.strings.pop(name), pa.large_string())
                columns[name] = chunked.to_pandas(types_mapper={pa.large_string(): pd.StringDtype()}.get)
            elif rule is not None and rule.kind == "integer":
                columns[name] = pd.arrays.IntegerArray(self.values[name][:n], self.masks[name][:n])
            elif rule is not None and rule.kind == "boolean":
                columns[name] = pd.arrays.BooleanArray(self.values[name][:n], self.masks[name][:n])
            elif rule is not None and rule.vocab and not rule.multi and rule.kind != "date":
                columns[name] = pd.Categorical.from_codes(self.values[name][:n], dtype=pandas_dtype(rule))
            else:
                columns[name] = self.values[name][:n]
        # copy=False: one block per column, as built (a copy would consolidate, i.e. duplicate, the dates).
        return pd.DataFrame(columns, copy=False)


def _one(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    import pyarrow as pa

    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _chunks(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    import pyarrow as pa

    return list(values.chunks) if isinstance(values, pa.ChunkedArray) else [values]


def regular_rows(spec: Table, root: Path) -> int | None:
    """How many records ``spec``'s file holds, if :func:`regular_batches` may read it; else None.

    It may if the strict reader would read it the same way: a readable regular file
    (:func:`~belarus_data.storage.csvfile.may_read`) whose bytes are regular
    (:func:`~belarus_data.storage.csvfile.regular_scan`: no BOM, CR or NUL, a final
    LF, exactly the expected header) with no misplaced quote.
    """
    from belarus_data.storage.csvfile import MAX_ROWS, may_read, regular_scan

    path = root / spec.path
    if not may_read(path, spec.path, []):
        return None
    scanned = regular_scan(path, list(spec.columns))
    if scanned is None or scanned.faults or not 1 <= scanned.newlines <= MAX_ROWS + 1:
        return None
    return scanned.newlines - 1


def regular_batches(spec: Table, root: Path, expected: int, block_bytes: int | None = None) -> Iterator[pa.Table]:
    """The cells of a file :func:`regular_rows` accepted, as string tables of one block each (empty cell = null).

    Read by :func:`belarus_data.storage.csvfile.regular_batches` (the one streamed
    reader); raises :class:`~belarus_data.storage.csvfile.Irregular` where the strict reader would not have
    parsed it so: a row that is not one line (``expected`` rows in all), an empty
    row, a cell over the limit, invalid UTF-8.
    """
    import pyarrow as pa

    from belarus_data.storage.csvfile import Scan
    from belarus_data.storage.csvfile import regular_batches as batches

    # Only the line count of the scan is used here: the file was scanned by regular_rows.
    scanned = Scan(b"", expected + 1, [])
    for batch in batches(root / spec.path, list(spec.columns), scanned, block_bytes or LOAD_BLOCK_BYTES):
        yield pa.Table.from_batches([batch])


def _streamed(spec: Table, root: Path, active_only: bool) -> pd.DataFrame | None:
    """The table checked and converted a few blocks at a time; None when it must be read whole to word a problem.

    Taken only for a file :func:`regular_rows` accepts and :func:`regular_batches` reads
    through, with no problem from :func:`belarus_data.checks.cells.check_cells` in any
    group of blocks; otherwise :func:`_read_checked` reads the file whole.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from belarus_data.storage.csvfile import ParsedTable

    expected = regular_rows(spec, root)
    if expected is None:
        return None
    building = _Building(spec, expected)
    rows = 0
    try:
        for group in _groups(regular_batches(spec, root, expected), LOAD_GROUP_ROWS, LOAD_GROUP_BYTES):
            strings = pa.concat_tables(group).combine_chunks()
            del group
            lines = np.arange(rows + 2, rows + 2 + strings.num_rows, dtype=np.int64)
            ctx = Context(root=root, tables={spec.name: ParsedTable(spec.path, strings, lines)})
            cells.check_cells(ctx)
            if ctx.problems:
                return None
            rows += strings.num_rows
            status = strings.column("record_status")
            keep = pc.equal(status, ACTIVE) if active_only else pa.array(np.ones(len(status), dtype=bool))
            building.add(with_date_bounds(spec, strings), _one(pc.fill_null(keep, False)))
            del strings, ctx
            release_unused_memory()  # the group's temporaries
    except Irregular:
        return None
    return building.frame()


def _groups(batches: Iterator[pa.Table], rows: int, size: int) -> Iterator[list[pa.Table]]:
    """The batches gathered until they hold ``rows`` rows or ``size`` bytes (the last group less)."""
    group: list[pa.Table] = []
    count = held = 0
    for batch in batches:
        group.append(batch)
        count, held = count + batch.num_rows, held + batch.nbytes
        if count >= rows or held >= size:
            yield group
            group, count, held = [], 0, 0
    if group:
        yield group


def _file_state(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


ACTIVE = "active"


@lru_cache(maxsize=32)
def _cached_frame(name: str, root: str, state: tuple[int, int], include_withdrawn: bool) -> pd.DataFrame:
    spec = table(name)
    # Withdrawn records are dropped block by block: the full table is never held beside the active one.
    streamed = _streamed(spec, Path(root), active_only=not include_withdrawn)
    if streamed is not None:
        return streamed
    every = arrow_to_pandas(spec, with_date_bounds(spec, _read_checked(spec, Path(root))))
    return every if include_withdrawn else every[every["record_status"] == ACTIVE].reset_index(drop=True)


def load_table(
    name: str,
    root: str | os.PathLike[str] | None = None,
    *,
    as_models: bool = False,
    include_withdrawn: bool = False,
) -> Any:
    """Load one table by name (see ``belarus_data.storage.tables.TABLES``): its active records.

    ``include_withdrawn=True`` also returns the retracted and superseded records
    (``record_status`` says which). The whole file is checked either way.

    >>> from belarus_data import load_table
    >>> load_table("actors").loc[lambda d: d.id == "act-blr", "name"].item()
    'Belarus'
    >>> set(load_table("claims").record_status)
    {'active'}
    >>> len(load_table("claims", include_withdrawn=True)) >= len(load_table("claims"))
    True
    """
    spec = table(name)
    base = resolve_root(root)
    path = base / spec.path
    try:
        state = _file_state(path)
    except OSError:
        problems: list[Problem] = []
        read_bytes(path, spec.path, problems)  # words the problem exactly as `belarus-data validate` does
        raise DatasetError(
            problems or [Problem(spec.path, None, None, "file-missing", "cannot be read", f"is {base} a dataset root?")]
        ) from None
    frame = _cached_frame(name, str(base), state, include_withdrawn)
    if as_models:
        return to_models(spec, frame)
    # pandas copy-on-write makes a shallow copy safe: the cached frame never changes.
    return frame.copy(deep=False)


def to_models(spec: Table, frame: pd.DataFrame) -> list[Record]:
    import pandas as pd

    records: list[Record] = []
    stored = frame[spec.columns]  # the derived columns are not fields of the record
    for row in stored.astype(object).where(stored.notna(), None).to_dict("records"):
        values = {k: (v.date() if isinstance(v, pd.Timestamp) else v) for k, v in row.items() if v is not None}
        records.append(spec.model.model_validate(values))
    return records


def load_sources(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active sources as a DataFrame (or a list of :class:`~belarus_data.models.Source`).

    ``published_lower``/``published_upper`` (and ``_fuzzy``) are the publication date's bounds.

    >>> import belarus_data
    >>> belarus_data.load_sources()["language"].iloc[0]
    'en'
    >>> str(belarus_data.load_sources()["published_lower"].dtype)
    'datetime64[s]'
    """
    return load_table("sources", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_actors(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active actors as a DataFrame (or a list of :class:`~belarus_data.models.Actor`).

    >>> import belarus_data
    >>> "act-blr" in set(belarus_data.load_actors().id)
    True
    """
    return load_table("actors", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_actor_aliases(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active actor aliases as a DataFrame.

    >>> import belarus_data
    >>> "Minsk" in set(belarus_data.load_actor_aliases().alias)
    True
    """
    return load_table("actor_aliases", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_claims(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active claims as a DataFrame (or a list of :class:`~belarus_data.models.Claim`).

    ``time_lower``/``time_upper`` (and ``_fuzzy``) are the bounds of ``time_edtf``;
    ``horizon_*`` and ``time_anchor_*`` likewise.

    >>> import belarus_data
    >>> claims = belarus_data.load_claims()
    >>> str(claims["start"].dtype), str(claims["claim_type"].dtype), str(claims["time_lower"].dtype)
    ('Int64', 'category', 'datetime64[s]')
    >>> every = belarus_data.load_claims(include_withdrawn=True)   # retracted and superseded too
    >>> set(every.record_status) >= set(claims.record_status) == {'active'}
    True
    """
    return load_table("claims", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_events(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active events as a DataFrame (or a list of :class:`~belarus_data.models.Event`).

    ``date_lower``/``date_upper`` are the strict bounds of ``date_edtf`` (sort by
    them, not by the EDTF text), ``date_lower_fuzzy``/``date_upper_fuzzy`` those
    widened by its qualifiers; an empty ``time_precision`` is derived from them.

    >>> import belarus_data
    >>> events = belarus_data.load_events()
    >>> set(events.event_type) <= set(belarus_data.vocab.EVENT_TYPE)
    True
    >>> june = events[(events.date_lower >= "2016-06-01") & (events.date_upper <= "2016-06-30")]
    >>> bool((june.date_upper - june.date_lower).dt.days.max() < 30)
    True
    """
    return load_table("events", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_event_participants(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active event participants as a DataFrame (or a list of :class:`~belarus_data.models.EventParticipant`).

    Withdrawn participant rows (e.g. a participant recorded by mistake) are left out
    unless ``include_withdrawn=True``.

    >>> import belarus_data
    >>> participants = belarus_data.load_event_participants()
    >>> len(participants) > 0 and set(participants.record_status) == {"active"}
    True
    """
    return load_table("event_participants", root, as_models=as_models, include_withdrawn=include_withdrawn)
