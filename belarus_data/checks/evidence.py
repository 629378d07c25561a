"""Source texts and evidence: each text is where its record says, unchanged, and every quote is in it.

Texts are read only from ``records/texts/`` inside the dataset root: paths are
checked before any file is opened, and links are refused.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from belarus_data.checks import joins
from belarus_data.checks.context import Context
from belarus_data.checks.quotefix import quote_fix
from belarus_data.models import integers
from belarus_data.models.columns import SHA256, TEXT_PATH
from belarus_data.problems import Note, Problem
from belarus_data.storage import sourcetexts
from belarus_data.storage.arrays import mask, strings, take_cells, take_rows
from belarus_data.storage.paths import REPOSITORY, UnsafePath, inside, is_installed_data
from belarus_data.storage.sourcetexts import SourceTexts, TextBuffers, TextFile
from belarus_data.storage.tables import table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

MAX_TEXT_BYTES = sourcetexts.MAX_TEXT_BYTES
# A well-formed text_path is one plain file name directly in texts/: no '/', no '..'.
PLAIN_TEXT_PATH = re.compile(TEXT_PATH.pattern or "")
SHA256_SHAPE = re.compile(SHA256.pattern or "")


def _texts_dir(ctx: Context) -> Path | None:
    """records/texts, if it is a real directory inside the root (no links on the way); else None."""
    try:
        path = inside(ctx.root / "records", "texts")
    except UnsafePath:
        return None
    return path if path.is_dir() else None


def _plain_file(texts: str, relative: str) -> TextFile | None:
    """A well-formed text_path naming a regular file (not a link) of allowed size, with one lstat.

    Anything else returns None and goes through the full checks in
    :func:`_checked_file`, which word the problem. ``texts`` is the texts
    directory as a string: a pathlib join per text cost more than the lstat.
    """
    if not PLAIN_TEXT_PATH.fullmatch(relative):
        return None
    path = os.path.join(texts, relative.removeprefix("texts/"))  # a plain name: no '/', no '..'
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEXT_BYTES:
        return None
    return TextFile("", path, info.st_size)


def _checked_file(ctx: Context, index: int, relative: str) -> TextFile | None:
    try:
        return _checked_path(ctx, index, relative)
    except PermissionError:  # the machine's fault, not the record's: the command reports it as such
        raise
    except OSError as err:  # e.g. a name too long for the file system: the path cannot name a text
        ctx.add(
            table("sources"),
            index,
            "text_path",
            "text-missing",
            f"records/{relative[:100]} cannot be looked up ({err.strerror or err})",
            "store the text as records/texts/<name>.txt, with a short plain name",
        )
        return None


def _checked_path(ctx: Context, index: int, relative: str) -> TextFile | None:
    sources = table("sources")
    records = ctx.root / "records"
    try:
        path = inside(records, relative)
    except UnsafePath as err:
        ctx.add(sources, index, "text_path", "text-path-unsafe", str(err), "store the text as records/texts/<name>.txt")
        return None
    resolved = path.resolve()
    if not resolved.is_relative_to((records / "texts").resolve()):
        ctx.add(
            sources,
            index,
            "text_path",
            "text-path-unsafe",
            f"{relative!r} is not inside records/texts/",
            "store the text as records/texts/<name>.txt",
        )
        return None
    if resolved.exists() and not resolved.is_file():
        ctx.add(
            sources,
            index,
            "text_path",
            "file-not-regular",
            f"records/{relative} is not a regular file (a device, FIFO, socket or directory); it is never read",
            "store the text as an ordinary file",
        )
        return None
    if not resolved.is_file():
        ctx.add(
            sources,
            index,
            "text_path",
            "text-missing",
            f"records/{relative} does not exist",
            "add the source text file, exactly as received",
        )
        return None
    size = resolved.stat().st_size
    if size > MAX_TEXT_BYTES:
        ctx.add(
            sources,
            index,
            "text_path",
            "text-too-large",
            f"records/{relative} is over {MAX_TEXT_BYTES:,} bytes",
            "split the document",
        )
        return None
    return TextFile("", resolved, size)


TEXT_GROUP_BYTES = 64 << 20  # texts held in memory at once, with the claims that quote them


@dataclass
class TextPlan:
    """Which source texts can be read, in groups of about :data:`TEXT_GROUP_BYTES` loaded one at a time.

    Made once per validation by :func:`plan_texts` (which reports every unusable
    ``text_path``); the texts of group ``g`` are ``files[groups[g][0]:groups[g][1]]``.
    """

    rows: list[dict[str, str | None]]  # the sources' id, text_path, text_sha256, text_length, redistribution
    files: list[TextFile]
    row_of_file: list[int]  # each file's row in the sources table
    withheld: list[int]  # installed data: sources whose text the wheel leaves out (its licence)
    groups: list[tuple[int, int]]

    def file_of(self, source_ids: pa.ChunkedArray | pa.Array) -> np.ndarray:
        """For each source id, the number of its readable text in ``files`` (-1: none)."""
        return _positions(source_ids, [f.source_id for f in self.files])

    def group_of(self, source_ids: pa.ChunkedArray | pa.Array) -> np.ndarray:
        """For each source id, the group holding its text (-1: no readable text)."""
        import numpy as np

        file = self.file_of(source_ids)
        firsts = np.array([first for first, _ in self.groups], dtype=np.int64)
        group: np.ndarray = np.where(file >= 0, np.searchsorted(firsts, file, side="right") - 1, -1)
        return group

    def source_row(self, source_ids: pa.ChunkedArray | pa.Array) -> np.ndarray:
        """For each source id, its row in the sources table (-1: none)."""
        return _positions(source_ids, self._source_ids)

    @cached_property
    def _source_ids(self) -> list[str]:  # asked for once per batch of claims
        return [str(row["id"]) for row in self.rows]


def plan_texts(ctx: Context) -> TextPlan | None:
    """The texts of the sources table, each path checked (problems recorded); None without a sources table."""
    import numpy as np

    if "sources" not in ctx.tables:
        return None
    rows = (
        ctx.tables["sources"]
        .data.select(["id", "text_path", "text_sha256", "text_length", "redistribution"])
        .to_pylist()
    )
    directory = _texts_dir(ctx)
    texts = str(directory) if directory is not None else None
    files: list[TextFile] = []
    row_of_file: list[int] = []
    installed = is_installed_data(ctx.root)
    withheld: list[int] = []
    for index, row in enumerate(rows):
        if not row["id"] or not row["text_path"]:
            continue
        found = _plain_file(texts, row["text_path"]) if texts is not None else None
        if found is None and installed and _withheld(ctx, row):
            withheld.append(index)
            continue
        if found is None:
            found = _checked_file(ctx, index, row["text_path"])
        if found is not None:
            files.append(TextFile(row["id"], found.path, found.size))
            row_of_file.append(index)
    sizes = np.cumsum([f.size for f in files])
    groups = []
    first = 0
    while first < len(files):
        last = max(first + 1, int(np.searchsorted(sizes, sizes[first] + TEXT_GROUP_BYTES, side="left")))
        last = min(last, len(files))
        groups.append((first, last))
        first = last
    return TextPlan(rows, files, row_of_file, withheld, groups)


def check_source_texts(ctx: Context) -> None:
    """Each source's text is inside records/texts/, UTF-8, with the recorded SHA-256 and length; each quote is in it.

    Quotes follow W3C TextPositionSelector semantics: the quote equals the text
    between its offsets, the prefix and suffix the text just around it. Texts
    are loaded a group of about 64 MiB at a time and the claims that quote them
    checked then, so the texts are never all in memory. ``ctx.quotes_verified``
    records which quotes were found exactly in place: the sentence check reads
    only those.
    """
    import numpy as np

    ahead = ctx.texts_ahead if isinstance(ctx.texts_ahead, TextsAhead) else None
    plan = ahead.plan if ahead is not None else plan_texts(ctx)
    if plan is None:
        return
    claims = ctx.tables.get("claims")
    group = None
    if claims is not None:
        ctx.quotes_verified = np.zeros(claims.num_rows, dtype=bool)
        group = plan.group_of(claims.data.column("source_id"))
        not_shipped = check_unread_sources(ctx, plan, np.flatnonzero(group < 0))
        if plan.withheld:
            note_withheld(ctx, plan, not_shipped)
    elif plan.withheld:
        note_withheld(ctx, plan, 0)
    budget = SearchBudget()
    buffers = ahead.buffers if ahead is not None else TextBuffers()
    stores = (
        iter(ahead) if ahead is not None else (load_text_group(ctx, plan, g, buffers) for g in range(len(plan.groups)))
    )
    for g, store in enumerate(stores):
        if group is not None and ctx.quotes_verified is not None:
            members = np.flatnonzero(group == g)
            ctx.quotes_verified[members] = check_quotes(ctx, plan, store, members, budget)
        buffers.give(store)  # the next group is read into its memory


class TextsAhead:
    """The text groups of a validation planned and loaded by a thread of their own, one group ahead of their use.

    Checking each text's path, reading, hashing and checking the encoding of
    the texts needs only the sources table; started before claims.csv is
    parsed, it fills the time the parser leaves one core idle. At most three
    groups are in memory: one in use, one waiting, one being loaded. Iterate
    once, in order; :meth:`close` stops the thread early (a failed check).
    """

    def __init__(self, ctx: Context) -> None:
        import queue
        import threading

        # A context of its own over the sources table (the caller goes on to fill ctx.tables), reporting
        # into the same lists.
        self._ctx = ctx.sharing({"sources": ctx.tables["sources"]} if "sources" in ctx.tables else {})
        self._plan: TextPlan | None = None
        self.buffers = TextBuffers()  # shared with the reader, who gives each group's memory back
        self._planned = threading.Event()
        self._failed: BaseException | None = None
        self._queue: queue.Queue[SourceTexts | BaseException | None] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._load, name="belarus-data-texts", daemon=True)
        self._thread.start()

    @property
    def plan(self) -> TextPlan | None:
        """The texts and their groups, once the thread has checked every path (it re-raises what planning raised)."""
        self._planned.wait()
        if self._failed is not None:
            raise self._failed
        return self._plan

    def _put(self, item: SourceTexts | BaseException | None) -> None:
        import queue

        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _load(self) -> None:
        try:
            self._plan = plan_texts(self._ctx)
        except BaseException as err:  # raised where the plan is asked for, in the check
            self._failed = err
        finally:
            self._planned.set()
        try:
            plan = self._plan
            for g in range(len(plan.groups) if plan is not None else 0):
                if self._stop.is_set():
                    return
                self._put(load_text_group(self._ctx, plan, g, self.buffers))  # type: ignore[arg-type]
            self._put(None)
        except BaseException as err:  # handed to the reader, which raises it where the check runs
            self._put(err)

    def __iter__(self) -> Iterator[SourceTexts]:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def check_unread_sources(ctx: Context, plan: TextPlan, rows: np.ndarray) -> int:
    """Claims at ``rows`` have no readable text: each is a skip unless the installed package withholds its text.

    Returns how many quote a text the installed package does not ship (the note counts them).
    """
    import numpy as np

    if len(rows) == 0:
        return 0
    source_ids = take_rows(ctx.tables["claims"].data.select(["source_id"]), rows).column("source_id")
    source_row = plan.source_row(source_ids)
    not_shipped = np.isin(source_row, plan.withheld)  # accounted for by the note, not a skip
    ctx.skipped(
        table("claims"),
        rows[~not_shipped],
        ("source_id",),
        "its source, or the source's text, cannot be read",
        upstream=(table("sources"), source_row[~not_shipped]),
    )
    return int(not_shipped.sum())


def check_text_group(
    ctx: Context, plan: TextPlan, group: int, members: np.ndarray | None, budget: SearchBudget
) -> np.ndarray | None:
    """Load the texts of ``group`` and check them; then the quotes of the claims at ``members`` (all quoting them).

    Returns which of those claims' quotes are exactly in place (None without claims).
    """
    store = load_text_group(ctx, plan, group)
    return None if members is None else check_quotes(ctx, plan, store, members, budget)


def load_text_group(ctx: Context, plan: TextPlan, group: int, buffers: TextBuffers | None = None) -> SourceTexts:
    """The texts of ``group``, read once, each checked against its source record (hash, length, encoding).

    With ``buffers``, into memory taken from there (see :class:`~belarus_data.storage.sourcetexts.TextBuffers`).
    """
    first, last = plan.groups[group]
    store, loaded = sourcetexts.load(plan.files[first:last], buffers)
    for index, text in zip(plan.row_of_file[first:last], loaded, strict=True):
        _check_text(ctx, index, plan.rows[index], text)
    return store


def check_quotes(
    ctx: Context, plan: TextPlan, store: SourceTexts, members: np.ndarray, budget: SearchBudget
) -> np.ndarray:
    """Check the quotes of the claims at ``members`` against ``store``; which of them are exactly in place."""
    import numpy as np

    claims = ctx.tables["claims"].data.select(["source_id", "start", "end", "quote", "prefix", "suffix"])
    quote_chars = joins.char_lengths(ctx.tables["claims"].data, "quote")  # the cell rules count them too
    verified = np.zeros(len(members), dtype=bool)
    known = strings(store.ids())
    search = QuoteSearch(store, budget)
    for batch in range(0, len(members), QUOTE_BATCH):
        rows = members[batch : batch + QUOTE_BATCH]
        part = take_rows(claims, rows)
        # Claims in ID order quote texts in no order, so a group's claims come from every block of the
        # file, a few hundred from each: joined into one chunk (a copy of this batch only), or each of
        # the ~30 kernels below would run once per sliver. A run of rows (claims grouped by text) keeps
        # its parsed blocks of thousands of rows: joining them copied every quote, 48 ms per 100k claims.
        if part.num_columns and part.num_rows < MIN_CHUNK_ROWS * part.column(0).num_chunks:
            part = part.combine_chunks()
        source_row = plan.source_row(part.column("source_id"))
        verified[batch : batch + QUOTE_BATCH] = _check_quote_rows(
            ctx, store, known, part, rows, source_row, search, quote_chars[rows]
        )
    return verified


def _withheld(ctx: Context, row: dict[str, str | None]) -> bool:
    """Whether the installed data lacks this source's text by design: not redistributable, and not there.

    Only a text whose source says ``redistribution`` ``yes`` is shipped in the
    wheel (hatch_build.py); any other may be absent there. A text that is
    present is checked as everywhere; one marked ``yes`` must be present.
    """
    if row["redistribution"] == "yes":
        return False
    try:
        path = inside(ctx.root / "records", row["text_path"] or "")
    except UnsafePath:
        return False  # the usual checks report the path
    return not path.exists() and not path.is_symlink()


def note_withheld(ctx: Context, plan: TextPlan, quotes: int) -> None:
    """Once per validation: which sources' texts the installed package does not ship, and where they are checked."""
    source_ids = [str(plan.rows[i]["id"]) for i in plan.withheld]
    shown = ", ".join(source_ids[:10]) + (f" and {len(source_ids) - 10:,} more" if len(source_ids) > 10 else "")
    ctx.notes.append(
        Note(
            "texts-not-shipped",
            f"the installed package does not ship the texts of {len(source_ids):,} source(s) whose licence does "
            f"not allow redistribution ({shown}), so their {quotes:,} quote(s) were not checked here; they are "
            f"verified against the texts in the repository's CI ({REPOSITORY})",
        )
    )


def _positions(values: pa.ChunkedArray, keys: list[str]) -> np.ndarray:
    """For each value, the position of the first equal key (-1 if none)."""
    import numpy as np
    import pyarrow.compute as pc

    if not keys:
        return np.full(len(values), -1, dtype=np.int64)
    return np.asarray(pc.fill_null(pc.index_in(values, value_set=strings(keys)), -1), dtype=np.int64)


def _check_text(ctx: Context, index: int, row: dict[str, str | None], text: sourcetexts.LoadedText) -> None:
    sources = table("sources")
    if text.sha256 is None:
        ctx.add(
            sources,
            index,
            "text_path",
            "text-missing",
            f"records/{row['text_path']} could not be read (it changed, or was replaced, while being read)",
            "commit the source text file itself, exactly as received",
        )
        return
    sha_changed = bool(row["text_sha256"]) and text.sha256 != row["text_sha256"]
    if sha_changed:
        ctx.add(
            sources,
            index,
            "text_sha256",
            "text-sha256",
            "does not match the text file (the text was changed, or the record)",
            f"the file's SHA-256 is {text.sha256}; texts are stored exactly as received",
        )
    length = integers.parse_or_none(row["text_length"])
    if length is None:  # empty or not a whole number: the cell checks report it
        ctx.skipped(sources, [index], ("text_length",), "text_length is not a whole number")
    length_changed = text.utf8 and length is not None and length != text.char_length
    # The file is named only when the record itself is well-formed: a malformed hash is the record's fault.
    recorded = SHA256_SHAPE.fullmatch(row["text_sha256"] or "") is not None
    if (sha_changed and recorded) or (length_changed and not row["text_sha256"]):
        _report_changed_text(ctx, index, row, text, length)
    if not text.utf8:
        ctx.add(
            sources,
            index,
            "text_path",
            "text-encoding",
            f"records/{row['text_path']} is not UTF-8",
            "store the text as UTF-8",
        )
        return
    if length_changed:
        ctx.add(
            sources,
            index,
            "text_length",
            "text-length",
            f"is {length} but the text has {text.char_length} code points",
            f"set text_length to {text.char_length}",
        )


def _report_changed_text(
    ctx: Context, index: int, row: dict[str, str | None], text: sourcetexts.LoadedText, length: int | None
) -> None:
    """The text file itself is not what its source records: reported at the file, not only at the row."""
    parsed = ctx.tables["sources"]
    actual_length = f"{text.char_length:,} code points" if text.utf8 else "not UTF-8"
    ctx.problems.append(
        Problem(
            f"records/{row['text_path']}",
            None,
            None,
            "text-changed",
            f"is not the text recorded for {row['id']} at {parsed.file}:{parsed.line(index)}: "
            f"SHA-256 recorded {row['text_sha256'] or '(none)'}, actual {text.sha256}; "
            f"length recorded {length if length is not None else row['text_length']!r}, actual {actual_length}",
            "texts are stored exactly as received: restore the file (e.g. `git checkout -- <file>`); "
            "if the source itself changed, add a new source record that supersedes the old one",
        )
    )


# A batch of claims in smaller chunks than this (on average) is joined into one before it is compared.
MIN_CHUNK_ROWS = 2048
QUOTE_BATCH = 100_000  # rows compared at once: bounds the gathered slices and their index arrays


def _offsets(column: pa.ChunkedArray) -> np.ndarray:
    """Each cell as a whole number by the one integer rule, or -1 where it is not one (the cell checks report those)."""
    import numpy as np

    ok, values = integers.parse_array(column)
    return np.where(ok, values, -1)


def _check_quote_rows(
    ctx: Context,
    texts: SourceTexts,
    known: pa.Array,
    data: pa.Table,
    index: np.ndarray,
    source_row: np.ndarray,
    search: QuoteSearch,
    quote_chars: np.ndarray,
) -> np.ndarray:
    """Check some claims (``index``: their rows in the table); returns which of their quotes are exactly in place.

    ``source_row`` is each claim's row in the sources table (where an unreadable text is reported);
    ``quote_chars`` each claim's quote length in code points.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    claims = table("claims")
    # The position in ``known`` is not the text's number when a text before it is not UTF-8 (not known).
    position = np.asarray(pc.fill_null(pc.index_in(data.column("source_id"), value_set=known), -1), dtype=np.int64)
    numbers_known = np.fromiter(texts.number.values(), dtype=np.int64, count=len(texts.number))
    number = np.where(position >= 0, numbers_known[np.maximum(position, 0)] if len(numbers_known) else -1, -1)
    start, end = _offsets(data.column("start")), _offsets(data.column("end"))
    quote = data.column("quote")
    # Unknown source, unreadable text or a bad cell: reported elsewhere (and accounted for as skipped).
    readable = number >= 0
    ctx.skipped(
        claims,
        index[~readable],
        ("source_id",),
        "its source's text cannot be read",
        upstream=(table("sources"), source_row[~readable]),
    )
    whole = (start >= 0) & (end >= 0)
    ctx.skipped(claims, index[readable & ~whole], ("start", "end"), "start or end is not a whole number")
    present = mask(pc.is_valid(quote))
    ctx.skipped(claims, index[readable & whole & ~present], ("quote",), "the quote is empty")
    checkable = readable & whole & present
    length = np.where(checkable, texts.char_length[np.maximum(number, 0)], 0)
    past_end = checkable & ((end > length) | (start >= length))
    beyond = np.flatnonzero(past_end)
    for row, given in zip(beyond.tolist(), take_cells(quote, beyond).to_pylist(), strict=True):
        ctx.add(
            claims,
            int(index[row]),
            "end",
            "offsets-range",
            f"offsets {start[row]}–{end[row]} run past the end of the text ({int(length[row])} code points)",
            search.where(int(number[row]), given, int(start[row]), int(end[row])),
        )
    ordered = end > start  # end <= start: offsets-order, a row check
    ctx.skipped(claims, index[checkable & ~past_end & ~ordered], ("end", "start"), "end is not after start")
    rows = np.flatnonzero(checkable & ~past_end & ordered)
    ok = np.zeros(data.num_rows, dtype=bool)
    if len(rows) == 0:
        return ok
    numbers = number[rows]
    taken = take_cells(quote, rows)
    # Only the start is mapped to bytes: the quote's own byte length gives the end. If those bytes are
    # the quote, the text holds it from `start` on, and it ends at `end` when end - start is the
    # quote's length in code points; otherwise the slice to `end` differs from the quote anyway.
    begin = texts.byte_offsets(numbers, start[rows])
    stop = begin + np.asarray(pc.binary_length(taken), dtype=np.int64)
    fits = (stop <= texts.start[numbers + 1]) & (end[rows] - start[rows] == quote_chars[rows])
    # Both sides as views: Arrow compares them without copying bytes. Every row is compared (an empty
    # slice where the quote does not fit), so that no cells are taken (copied) first.
    until = np.where(fits, stop, begin)
    same = fits & mask(pc.equal(texts.slices(numbers, begin, until), pc.cast(taken, pa.binary_view())))
    differ = rows[~same]  # their quotes fetched at once, not one Arrow lookup per problem
    for row, given in zip(differ.tolist(), take_cells(quote, differ).to_pylist(), strict=True):
        found = search.piece(int(number[row]), int(start[row]), min(int(end[row]), int(start[row]) + 80))
        ctx.add(
            claims,
            int(index[row]),
            "quote",
            "quote-mismatch",
            f"differs from the source text at {start[row]}–{end[row]}, which reads {found!r}",
            search.where(int(number[row]), given, int(start[row]), int(end[row])),
        )
    ok[rows[same]] = True
    text_start, text_stop = texts.start[numbers], texts.start[numbers + 1]
    for name, code, what in (("prefix", "prefix-mismatch", "before"), ("suffix", "suffix-mismatch", "after")):
        given = take_cells(data.column(name), rows)
        size = np.asarray(pc.fill_null(pc.binary_length(given), -1), dtype=np.int64)
        present = same & (size >= 0)
        # Byte-equal UTF-8 that ends (or starts) at a character boundary is the same characters.
        lo = begin - size if name == "prefix" else stop
        hi = begin if name == "prefix" else stop + size
        inside_text = present & (lo >= text_start) & (hi <= text_stop)
        # Every row compared (an empty slice where there is nothing to compare): taking the rows to
        # compare first copied the column whenever one row was left out.
        lo, hi = np.where(inside_text, lo, begin), np.where(inside_text, hi, begin)
        equal = inside_text & mask(pc.equal(texts.slices(numbers, lo, hi), pc.cast(given, pa.binary_view())))
        for k in np.flatnonzero(present & ~equal).tolist():
            row = int(rows[k])
            s, e = int(start[row]), int(end[row])
            n = int(number[row])
            around = search.piece(n, max(0, s - 32), s) if name == "prefix" else search.piece(n, e, e + 32)
            ctx.add(
                claims,
                int(index[row]),
                name,
                code,
                f"is not the text just {what} the quote",
                f"use {around!r} or leave it empty",
            )
    return ok


MAX_QUOTE_SEARCHES = 200  # quotes searched for in their whole text, per validation
MAX_SEARCHES_PER_TEXT = 20  # ... and per text
MAX_SEARCHED_QUOTE = 2_000  # characters: no quote column holds more; a longer one is not searched for


@dataclass
class SearchBudget:
    """How many more quotes may be searched for in their texts during one validation."""

    left: int = MAX_QUOTE_SEARCHES


class QuoteSearch:
    """Hints for quotes that are not in place, at a cost bounded per problem.

    Finding where a wrong quote really occurs costs a pass over its text, and
    wording a problem needs a few characters of the text: a text is decoded
    once (not once per problem), and only the first quotes in each text, and
    in all, are searched for; past that the hint says what to do without a
    position. So 100,000 invented quotes against one large text cost one
    decoding and a few searches, not 100,000 passes over the text.
    """

    def __init__(self, texts: SourceTexts, budget: SearchBudget) -> None:
        self._texts, self._budget = texts, budget
        self._number: int | None = None
        self._text = ""
        self._searched: dict[int, int] = {}

    def _decoded(self, number: int) -> str:
        if number != self._number:  # claims are checked in table order: mostly a run of one text
            first, last = int(self._texts.start[number]), int(self._texts.start[number + 1])
            self._text, self._number = self._texts.data[first:last].tobytes().decode("utf-8"), number
        return self._text

    def piece(self, number: int, first: int, last: int) -> str:
        """Code points ``first`` to ``last`` of text ``number``."""
        return self._decoded(number)[first:last]

    def where(self, number: int, quote: str, start: int, end: int) -> str:
        """The one fix for ``quote``, given at ``start``–``end`` of text ``number`` (if still within the bounds).

        See :func:`belarus_data.checks.quotefix.quote_fix`: the offsets where it occurs, the full quote
        if it was cut short, or the nearest passage and the first character that differs.
        """
        searched = self._searched.get(number, 0)
        if self._budget.left <= 0 or searched >= MAX_SEARCHES_PER_TEXT or len(quote) > MAX_SEARCHED_QUOTE:
            return "copy the quote exactly (curly quotes, spaces) from the source text and set start/end to where it is"
        self._budget.left -= 1
        self._searched[number] = searched + 1
        return quote_fix(self._decoded(number), quote, start, end)
