"""Reading one record CSV file into string columns with physical line numbers: the one CSV reader.

Strictly (:func:`read_table`, for validation): every contributed byte is
treated as hostile: the file size is bounded, links are refused, the encoding
must be UTF-8 without BOM, lines end in LF, and every record is exactly one
physical line. The fast path parses with pyarrow; when pyarrow rejects the
file, a slower pure-Python pass finds and words each structural problem and
still returns the rows it could read, so that the other checks run too.

Tolerantly (:func:`read_arrow`, for comparing with a base that passed
validation when it landed): only the values are needed, so an older schema's
columns, a BOM or CRLF line endings are taken as they come and broken rows are
skipped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import io
import itertools
import os
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarus_data.problems import Problem
from belarus_data.storage.arrays import take_rows
from belarus_data.storage.paths import open_regular, read_file
from belarus_data.storage.utf8 import is_utf8

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from belarus_data.storage.tables import Table

MAX_FILE_BYTES = 4 * 1024**3  # 4 GiB: ~8M claims; beyond that, split the dataset
MAX_CELL_CHARS = 100_000  # no field allows more than 2,000; this only bounds the parser
MAX_HEADER_SUGGESTIONS = 100  # unknown columns given a "did you mean"
MAX_ROWS = 20_000_000  # bounds memory; the largest table is expected to stay far below this


@dataclass
class ParsedTable:
    """A table read from CSV: all cells as strings (empty cell = null)."""

    file: str  # path relative to the dataset root, for messages
    data: pa.Table
    lines: np.ndarray  # physical line of each row

    @property
    def num_rows(self) -> int:
        return int(self.data.num_rows)

    def line(self, index: int) -> int:
        return int(self.lines[index])

    def take(self, rows: np.ndarray) -> ParsedTable:
        """Only the rows at ``rows``, each keeping its own physical line."""
        return ParsedTable(self.file, take_rows(self.data, rows), self.lines[rows])


def line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_bytes(path: Path, file: str, problems: list[Problem]) -> bytes | None:
    """The file's bytes, or None (with a problem recorded) if it must not be parsed."""
    if not may_read(path, file, problems):
        return None
    data = read_file(path, MAX_FILE_BYTES)
    if data is None:  # replaced by something else since it was looked at
        problems.append(_not_regular(file))
    return data


def _not_regular(file: str) -> Problem:
    return Problem(
        file,
        None,
        None,
        "file-not-regular",
        "is not a regular file (a device, FIFO, socket or directory), or changed while being read",
        "commit an ordinary file",
    )


def may_read(path: Path, file: str, problems: list[Problem]) -> bool:
    """Whether the file may be opened (a regular file, no link on the way, not too large); else records why."""
    # Refuse a link anywhere between the dataset root and the file (records/ itself included).
    depth = len(Path(file).parts)
    if path.is_symlink() or any(path.parents[k].is_symlink() for k in range(depth - 1)):
        problems.append(
            Problem(
                file,
                None,
                None,
                "file-symlink",
                "is a symbolic link, or lies in a linked directory (links are never followed)",
                "commit the file itself, not a link",
            )
        )
        return False
    try:
        info = path.stat()
    except OSError:
        problems.append(missing(file))
        return False
    if not stat.S_ISREG(info.st_mode):
        # Never opened: a FIFO would block the validator, a device would feed it bytes forever.
        problems.append(_not_regular(file))
        return False
    size = info.st_size
    if size > MAX_FILE_BYTES:
        problems.append(
            Problem(
                file,
                None,
                None,
                "file-too-large",
                f"is {size:,} bytes, over the {MAX_FILE_BYTES:,} limit",
                "split the data",
            )
        )
        return False
    return True


def missing(file: str) -> Problem:
    """The problem of a record file that is not there."""
    return Problem(file, None, None, "file-missing", "does not exist", f"create {file} with its header row")


def _looks_like_utf16(data: bytes) -> bool:
    """Whether the start of ``data`` has a NUL in every other byte, as UTF-16 text of Latin characters does."""
    head = data[:2048]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) >= 0.8 * len(even) or odd.count(0) >= 0.8 * len(odd)


def decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    """UTF-8 text of the file, or None when it cannot be read as such."""
    if not data:
        problems.append(Problem(file, 1, None, "file-empty", "is empty", "the first line must be the header row"))
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(
            Problem(file, 1, None, "encoding", "is UTF-16, not UTF-8", "save the file as 'CSV UTF-8' (without BOM)")
        )
        return None
    if data.startswith(codecs.BOM_UTF8):
        problems.append(
            Problem(
                file,
                1,
                None,
                "encoding-bom",
                "starts with a UTF-8 byte-order mark",
                "save as UTF-8 without BOM (`belarus-data fmt` removes it)",
            )
        )
        data = data[len(codecs.BOM_UTF8) :]
    if _looks_like_utf16(data):
        problems.append(
            Problem(
                file,
                1,
                None,
                "encoding",
                "is UTF-16 without a byte-order mark, not UTF-8",
                "save the file as 'CSV UTF-8' (without BOM)",
            )
        )
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        problems.append(
            Problem(
                file,
                line_of_offset(data, nul),
                None,
                "nul-byte",
                "contains a NUL byte (binary data)",
                "remove it; record files are plain text",
            )
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = data[err.start : err.start + 4]
        guess = "Windows-1251 (Cyrillic)" if any(0xC0 <= b <= 0xFF for b in bad[:1]) else "another encoding"
        problems.append(
            Problem(
                file,
                line_of_offset(data, err.start),
                None,
                "encoding",
                f"is not valid UTF-8 (byte 0x{data[err.start]:02x} at byte offset {err.start}; perhaps {guess} or Latin-1)",
                "re-save the file as 'CSV UTF-8'",
            )
        )
        return None
    cr = text.find("\r")
    if cr >= 0:
        problems.append(
            Problem(
                file,
                text.count("\n", 0, cr) + 1,
                None,
                "line-ending",
                "contains a carriage return (CR or CRLF line endings, or a CR inside a cell)",
                "use LF line endings (`belarus-data fmt` converts them)",
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def check_header(header: list[str], expected: list[str], file: str, problems: list[Problem]) -> bool:
    """Whether rows can be read by column name; records each header problem."""
    if header == expected:
        return True
    counts = Counter(header)
    usable = True
    for name, count in counts.items():
        if count > 1:
            problems.append(
                Problem(file, 1, name, "header-duplicate", f"column {name!r} appears {count} times", "keep one")
            )
            usable = False
    from belarus_data.models.columns import Nearest

    guesser = Nearest(expected)
    known = set(expected)
    unknown = [name for name in counts if name not in known]  # each name once, however often repeated
    for k, name in enumerate(unknown):
        guess = guesser(name) if k < MAX_HEADER_SUGGESTIONS else None
        problems.append(
            Problem(
                file,
                1,
                name,
                "header-unknown",
                f"unknown column {name!r}",
                f"did you mean {guess!r}?" if guess else "remove it",
            )
        )
        usable = False
    for name in expected:
        if name not in counts:
            problems.append(
                Problem(file, 1, name, "header-missing", f"column {name!r} is missing", "add it (it may be empty)")
            )
            usable = False
    if usable:
        problems.append(
            Problem(
                file,
                1,
                None,
                "header-order",
                "columns are not in schema order",
                "order: " + ",".join(expected) + " (`belarus-data fmt` fixes it)",
            )
        )
    return usable


QUOTE, COMMA, LF = 0x22, 0x2C, 0x0A


@dataclass(frozen=True)
class QuoteFault:
    """A double quote where CSV allows none: inside an unquoted cell, or followed by text after a closing quote."""

    line: int  # physical line
    column: int  # 0-based cell index on the line
    after_close: bool  # True: text after the closing quote of a quoted cell; False: a quote inside an unquoted cell

    def problem(self, file: str, header: list[str]) -> Problem:
        field = header[self.column] if self.column < len(header) else None
        if self.after_close:
            return Problem(
                file,
                self.line,
                field,
                "csv-syntax",
                "has text after the closing double quote of a quoted cell",
                'a quoted cell ends at its closing quote, right before the comma: write it as "…" and double each " inside it',
            )
        return Problem(
            file,
            self.line,
            field,
            "csv-syntax",
            "has a double quote inside a cell that does not start with one",
            'quote the whole cell as "…" and double each " inside it (`belarus-data fmt` does so)',
        )


def quote_faults(block: np.ndarray, first_line: int, newlines: np.ndarray | None = None) -> list[QuoteFault]:
    """The first misplaced double quote of each line in ``block`` (uint8; whole lines, the last one's LF optional).

    CSV allows a quote only to open a cell (right after a comma or at the start
    of a line), doubled inside a quoted cell, or to close one (right before a
    comma or the end of the line). pyarrow and the csv module both accept a
    stray quote in an unquoted cell, and pyarrow silently drops the quotes of
    ``"abc"def``; a record file allows neither. Vectorised over the runs of
    adjacent quotes: inside or outside a quoted cell is the parity of the quotes
    before a run on its line, so no byte is visited in Python. A line ending
    inside quotes is left to the parsers (a quoted line break, or unbalanced).
    ``first_line`` is the physical line of the block's first byte; ``newlines``, the positions of
    its LFs if the caller has them already.
    """
    import numpy as np

    at = np.flatnonzero(block == QUOTE)
    if len(at) == 0:
        return []
    if newlines is None:
        newlines = np.flatnonzero(block == LF)
    starts = np.flatnonzero(np.diff(at, prepend=-2) != 1)  # runs of adjacent quotes
    run_at = at[starts]
    run_len = np.diff(np.append(starts, len(at)))
    line = np.searchsorted(newlines, run_at)  # line of each run, within the block
    total = np.cumsum(run_len) - run_len  # quotes before each run in the block
    first_of_line = np.flatnonzero(np.diff(line, prepend=-1) != 0)
    before = total - np.repeat(total[first_of_line], np.diff(np.append(first_of_line, len(line))))
    outside_before = before % 2 == 0
    outside_after = (before + run_len) % 2 == 0
    previous = block[np.maximum(run_at - 1, 0)]
    previous[run_at == 0] = LF
    following = block[np.minimum(run_at + run_len, len(block) - 1)]
    following[run_at + run_len >= len(block)] = LF  # the end of the block ends its last line
    stray = outside_before & (previous != COMMA) & (previous != LF)
    after_close = outside_after & (following != COMMA) & (following != LF)
    bad = np.flatnonzero(stray | after_close)
    if len(bad) == 0:
        return []
    bad = bad[np.flatnonzero(np.diff(line[bad], prepend=-1) != 0)]  # the first on each line
    faults = []
    for k in bad.tolist():
        number = int(line[k])
        begin = int(newlines[number - 1]) + 1 if number > 0 else 0
        piece = block[begin : int(run_at[k])]
        outside = (np.cumsum(piece == QUOTE) & 1) == 0
        column = int(np.count_nonzero((piece == COMMA) & outside))
        faults.append(QuoteFault(first_line + number, column, bool(after_close[k] and not stray[k])))
    return faults


PARSE_BLOCK = 4 << 20  # bytes per parsed block (and chunk of each column) when a file is parsed on one thread


def parse_fast(
    data: str | bytes | pa.NativeFile | pa.Buffer,
    columns: list[str],
    *,
    header: bool = True,
    one_thread: bool = False,
    utf8_checked: bool = False,
) -> pa.Table | None:
    """Parse with pyarrow; None if the data has any structural irregularity (or invalid UTF-8).

    ``header``: the first line is the header (skipped). ``one_thread``: on the
    calling thread alone, in blocks of :data:`PARSE_BLOCK` (on two cores
    pyarrow's threaded parse spent ~60% more CPU; :func:`read_regular` runs two
    pieces side by side instead). ``utf8_checked``: the caller has checked all
    the bytes are UTF-8 at once, so Arrow does not check each cell again.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    options = string_cells(columns)
    options.check_utf8 = not utf8_checked
    try:
        return pacsv.read_csv(
            # Files and bytes are parsed in place.
            data
            if isinstance(data, pa.NativeFile)
            else pa.BufferReader(data.encode("utf-8") if isinstance(data, str) else data),
            read_options=pacsv.ReadOptions(
                column_names=columns,
                skip_rows=1 if header else 0,
                use_threads=not one_thread,
                **({"block_size": PARSE_BLOCK} if one_thread else {}),
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=options,
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None


def string_cells(columns: list[str]) -> pacsv.ConvertOptions:
    """Every column read as strings, an empty cell (quoted or not) as null: how every record file is parsed."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.ConvertOptions(
        column_types={name: pa.string() for name in columns},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )


def parse_slow(
    text: str, header: list[str], file: str, problems: list[Problem], faults: dict[int, QuoteFault] | None = None
) -> tuple[list[list[str]], list[int]]:
    """Pure-Python parse that locates each structural problem; returns the good rows and their lines.

    ``faults``: the misplaced quotes found by :func:`quote_faults`, by line; such a line is reported and skipped.
    """
    header_len = len(header)
    faults = faults or {}
    rows: list[list[str]] = []
    lines: list[int] = []
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical.pop()
    line_no = 1  # header
    i = 1
    while i < len(physical):
        line_no = i + 1
        raw = physical[i]
        if raw == "":
            problems.append(Problem(file, line_no, None, "blank-line", "is an empty line", "delete the line"))
            i += 1
            continue
        chunk = raw
        consumed = 1
        # A record that does not parse on one line may have a newline inside quotes.
        while True:
            try:
                parsed = next(csv.reader([chunk], strict=True))
                break
            except csv.Error as err:
                if "field larger than field limit" in str(err):
                    parsed = ["x" * (MAX_CELL_CHARS + 1)]  # the csv module's own cap; reported as too large below
                    break
                if i + consumed < len(physical) and consumed < 50 and chunk.count('"') % 2 == 1:
                    chunk += "\n" + physical[i + consumed]
                    consumed += 1
                    continue
                parsed = None
                break
        if consumed == 1 and line_no in faults:
            problems.append(faults[line_no].problem(file, header))
            i += 1
            continue
        if parsed is None:
            problems.append(
                Problem(
                    file,
                    line_no,
                    None,
                    "csv-syntax",
                    "has unbalanced or misplaced double quotes",
                    'quote a cell as "…" and double any " inside it',
                )
            )
            i += 1
            continue
        if consumed > 1:
            problems.append(
                Problem(
                    file,
                    line_no,
                    None,
                    "cell-newline",
                    f"a quoted cell spans {consumed} lines",
                    "remove line breaks from cells: each record is one line",
                )
            )
            i += consumed
            continue
        if any(len(cell) > MAX_CELL_CHARS for cell in parsed):
            problems.append(
                Problem(
                    file,
                    line_no,
                    None,
                    "cell-too-large",
                    f"has a cell over {MAX_CELL_CHARS:,} characters",
                    "no field holds that much text",
                )
            )
        elif len(parsed) != header_len:
            problems.append(
                Problem(
                    file,
                    line_no,
                    None,
                    "row-columns",
                    f"has {len(parsed)} cells but the header has {header_len}",
                    "check for missing or extra commas; quote cells that contain commas",
                )
            )
        else:
            rows.append(parsed)
            lines.append(line_no)
        i += consumed
    return rows, lines


def _too_many_rows(file: str, count: int) -> Problem:
    return Problem(
        file,
        None,
        None,
        "too-many-rows",
        f"has {count:,} rows, over the {MAX_ROWS:,} limit",
        "split the data",
    )


def cells_fit(table: pa.Table | pa.RecordBatch) -> bool:
    """Whether no cell is over MAX_CELL_CHARS (bytes first: a cell has at least as many bytes as characters)."""
    import pyarrow.compute as pc

    for column in table.columns:
        if (pc.max(pc.binary_length(column)).as_py() or 0) > MAX_CELL_CHARS and (
            pc.max(pc.utf8_length(column)).as_py() or 0
        ) > MAX_CELL_CHARS:
            return False
    return True


SCAN_BLOCK = 16 << 20  # bytes of the mapped file examined, then released, at a time


@dataclass(frozen=True)
class Scan:
    """What one pass over a regular file found: its header line, its LFs and its misplaced quotes."""

    header: bytes
    newlines: int
    faults: list[QuoteFault]


def scan_regular(path: Path) -> Scan | None:
    """The header line, number of LFs and misplaced quotes if the file's bytes are regular, else None.

    Regular: no BOM, NUL or CR, LF at the end. The file is memory-mapped and
    examined a block of whole lines at a time (``find``, a numpy count and
    :func:`quote_faults`); each block's pages are released once examined, so
    the scan never holds the file in memory.
    """
    import mmap

    import numpy as np

    handle = open_regular(path)
    if handle is None:
        return None
    with handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return None
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    with mapped:
        if not _plain_ends(mapped):
            return None
        newlines = 0
        faults: list[QuoteFault] = []
        first = 0
        while first < len(mapped):
            # A block ends at a line end, so that each line's quotes are examined together.
            cut = mapped.rfind(b"\n", first, first + SCAN_BLOCK)
            last = (cut if cut >= 0 else mapped.find(b"\n", first + SCAN_BLOCK)) + 1
            if mapped.find(b"\x00", first, last) >= 0 or mapped.find(b"\r", first, last) >= 0:
                return None
            block = np.frombuffer(mapped, dtype=np.uint8, count=last - first, offset=first)
            if mapped.find(b'"', first, last) >= 0:
                ends = np.flatnonzero(block == LF)  # counted and used to place the quotes on their lines
                faults += quote_faults(block, newlines + 1, ends)
                newlines += len(ends)
                del ends
            else:
                newlines += int(np.count_nonzero(block == LF))
            del block  # a live numpy view would keep the mapping from closing
            if hasattr(mmap, "MADV_DONTNEED"):
                page = first - first % mmap.PAGESIZE  # madvise wants a page-aligned start; blocks end at lines
                mapped.madvise(mmap.MADV_DONTNEED, page, last - page)
            first = last
        return Scan(mapped[: mapped.find(b"\n")], newlines, faults)


PIECE_BYTES = 8 << 20  # a whole file is scanned and parsed in pieces of whole lines about this size
PIECE_THREADS = 2  # pieces read at a time


@dataclass(frozen=True)
class _Piece:
    """What one piece of a file held: its rows, its LFs and its misplaced quotes (lines counted from 0 in the piece)."""

    rows: pa.Table
    newlines: int
    faults: list[QuoteFault]


def _read_piece(mapped: Any, whole: pa.Buffer, begin: int, end: int, columns: list[str], first: bool) -> _Piece | None:
    """Scan the lines in ``mapped[begin:end]`` and parse them (the header too if ``first``); None if irregular.

    The piece's bytes are checked for UTF-8 once, as a whole: cells are split at
    ASCII bytes, which never fall inside a character, so every cell of a valid
    piece is valid and pyarrow need not check each one (that was 30% of its parse).
    """
    import mmap

    import numpy as np

    block = np.frombuffer(mapped, dtype=np.uint8, count=end - begin, offset=begin)
    # A NUL is the minimum byte. numpy's pass is the first to touch the piece's pages, and it lets go of
    # the GIL while the kernel maps them (mmap.find holds it: 0.24 s of the other threads' time at 1M).
    if (end > begin and block.min() == 0) or mapped.find(b"\r", begin, end) >= 0:
        return None
    piece = whole.slice(begin, end - begin)
    try:
        if not is_utf8(block):
            return None
        ends = np.flatnonzero(block == LF)
        faults = quote_faults(block, 0, ends)
        newlines = len(ends)
        lengths = np.diff(ends, prepend=-1)  # each line's bytes, its LF included
        # No cell is longer than its line: a piece of short lines needs no per-column length pass.
        short_lines = newlines > 0 and int(lengths.max()) <= MAX_CELL_CHARS
        # A row without a value is at most `"",` per cell: longer lines all hold one.
        may_be_empty = newlines > 0 and int(lengths.min()) <= 3 * len(columns)
        del block, ends, lengths  # a live numpy view would keep the mapping from closing
        rows = parse_fast(piece, columns, header=first, one_thread=True, utf8_checked=True)
    finally:
        del piece
        if hasattr(mmap, "MADV_DONTNEED"):  # the file's pages need not stay in this process's memory
            page = begin - begin % mmap.PAGESIZE
            mapped.madvise(mmap.MADV_DONTNEED, page, end - page)
    # A quoted line break would make a row span two lines and shift every line number after it.
    if rows is None or rows.num_rows != newlines - (1 if first else 0):
        return None
    if not (short_lines or cells_fit(rows)) or (may_be_empty and _has_empty_row(rows)):
        return None
    return _Piece(rows, newlines, faults)


def _read_pieces(mapped: Any, columns: list[str]) -> list[_Piece] | None:
    """Every piece of a mapped file, read two at a time; None at the first irregular one."""
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa

    if not _plain_ends(mapped) or not _header_is(mapped[: mapped.find(b"\n")], columns):
        return None
    cuts = [0]
    while cuts[-1] < len(mapped):
        cut = mapped.find(b"\n", cuts[-1] + PIECE_BYTES)
        cuts.append(len(mapped) if cut < 0 else cut + 1)
    whole = pa.py_buffer(mapped)
    pieces = []
    with ThreadPoolExecutor(max_workers=PIECE_THREADS, thread_name_prefix="belarus-data-parse") as pool:
        reading = [
            pool.submit(_read_piece, mapped, whole, begin, end, columns, begin == 0)
            for begin, end in itertools.pairwise(cuts)
        ]
        del whole
        for future in reading:
            piece = future.result()
            if piece is None:
                for rest in reading:
                    rest.cancel()
                return None
            pieces.append(piece)
    return pieces


def read_regular(path: Path, columns: list[str]) -> tuple[pa.Table, list[QuoteFault]] | None:
    """The table and its misplaced quotes, if the file is otherwise regular; None sends it down the path that words each problem.

    Regular: no BOM, NUL or CR, LF at the end, exactly the expected header,
    valid UTF-8, and a pyarrow parse with one row per physical line, no blank
    line and no cell over the limit. The file is memory-mapped and cut into
    pieces of whole lines (:data:`PIECE_BYTES`), each scanned and parsed on its
    own, two at a time (Arrow and numpy let go of the GIL): neither a copy of
    its bytes nor a decoded Python string of it is ever made, and each piece's
    pages are released once read. The rows of the lines with a misplaced quote
    are still in the table: the caller reports and drops them.
    """
    import mmap

    import pyarrow as pa

    handle = open_regular(path)
    if handle is None:
        return None
    with handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return None
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        pieces = _read_pieces(mapped, columns)
    finally:
        with contextlib.suppress(BufferError):  # a view held by an exception's traceback: the mapping goes with it
            mapped.close()
    if pieces is None:
        return None
    faults: list[QuoteFault] = []
    line = 1  # the physical line each piece starts on
    for piece in pieces:
        faults += [dataclasses.replace(fault, line=fault.line + line) for fault in piece.faults]
        line += piece.newlines
    if any(fault.line == 1 for fault in faults):
        return None
    return pa.concat_tables([piece.rows for piece in pieces]), faults


def _plain_ends(mapped: Any) -> bool:
    """Whether a (non-empty) mapped file starts without a byte-order mark and ends with a line feed."""
    return not (mapped[:3] == codecs.BOM_UTF8 or mapped[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and (
        mapped[-1:] == b"\n"
    )


def _header_is(line: bytes, columns: list[str]) -> bool:
    """Whether the header line names exactly ``columns``, in order."""
    try:
        return next(csv.reader([line.decode("utf-8")], strict=True)) == columns
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return False


class Irregular(Exception):
    """A file that looked regular turned out not to be, part-way through a streamed read: read it the slow way."""


def regular_scan(path: Path, columns: list[str]) -> Scan | None:
    """The scan of a file whose bytes and header are regular (see :func:`read_regular`), else None."""
    scanned = scan_regular(path)
    if scanned is None:
        return None
    if not _header_is(scanned.header, columns) or any(fault.line == 1 for fault in scanned.faults):
        return None
    return scanned


STREAM_BLOCK = 1 << 20  # bytes of CSV parsed at a time by a streamed read


def regular_batches(
    path: Path, columns: list[str], scanned: Scan, block_bytes: int = STREAM_BLOCK
) -> Iterator[pa.RecordBatch]:
    """The rows of a file that :func:`regular_scan` accepted, a block of about ``block_bytes`` at a time.

    The same rules as :func:`read_regular`, checked block by block: a block that
    breaks one raises :class:`Irregular` (the caller drops what it has and reads
    the file the slow way). Row ``k`` of the whole stream is line ``k + 2``. One
    thread: pyarrow's streaming reader would read 32 blocks ahead otherwise.
    This is the one streamed reader (validation of a large claims file, ``fmt``,
    the loaders and ``info``).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    handle = open_regular(path)
    if handle is None:
        raise Irregular(str(path))
    rows = 0
    with handle:
        by_fd = Path(f"/proc/self/fd/{handle.fileno()}")  # pyarrow reads the very file just scanned
        with pa.OSFile(str(by_fd)) if by_fd.exists() else pa.PythonFile(handle, mode="r") as source:
            try:
                reader = pacsv.open_csv(
                    source,
                    read_options=pacsv.ReadOptions(
                        column_names=columns, skip_rows=1, block_size=block_bytes, use_threads=False
                    ),
                    parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
                    convert_options=string_cells(columns),
                )
                for batch in reader:
                    if batch.num_rows == 0:
                        continue
                    rows += batch.num_rows
                    if rows > MAX_ROWS or rows > scanned.newlines - 1:
                        raise Irregular(str(path))  # the slow way reports it
                    if not cells_fit(batch) or _has_empty_row(batch):
                        raise Irregular(str(path))
                    yield batch
            except (pa.ArrowInvalid, pa.ArrowException) as err:
                raise Irregular(str(path)) from err
    if rows != scanned.newlines - 1:  # a quoted line break, or a line pyarrow did not read as one row
        raise Irregular(str(path))


def drop_faults(
    table: pa.Table, lines: np.ndarray, faults: list[QuoteFault], file: str, header: list[str], problems: list[Problem]
) -> tuple[pa.Table, np.ndarray]:
    """Report each misplaced quote and drop its row: what the cells hold is a guess (checks never see it)."""
    import numpy as np

    if not faults:
        return table, lines
    problems.extend(fault.problem(file, header) for fault in faults)
    keep = ~np.isin(lines, np.array([fault.line for fault in faults], dtype=np.int64))
    return take_rows(table, np.flatnonzero(keep)), lines[keep]


def _has_empty_row(table: pa.Table | pa.RecordBatch) -> bool:
    """Whether a row has no value at all: a blank line parses as one (and so would ",,,,"); both go the slow way."""
    import pyarrow.compute as pc

    if table.num_columns == 0 or table.num_rows == 0:
        return False
    empty = pc.is_null(table.column(0))
    for column in table.columns[1:]:
        empty = pc.and_(empty, pc.is_null(column))
    return bool(pc.any(empty).as_py())


def read_table(path: Path, file: str, columns: list[str], problems: list[Problem]) -> ParsedTable | None:
    """Read one record CSV; structural problems go to ``problems``; None if no rows can be checked."""
    import numpy as np
    import pyarrow as pa

    if not may_read(path, file, problems):
        return None
    regular = read_regular(path, columns)
    if regular is not None:
        table, faults = regular
        if table.num_rows > MAX_ROWS:
            problems.append(_too_many_rows(file, table.num_rows))
            return None
        lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
        table, lines = drop_faults(table, lines, faults, file, columns, problems)
        return ParsedTable(file, table, lines)
    # Anything irregular: decode and word every problem (below).
    data = read_file(path, MAX_FILE_BYTES)
    if data is None:
        problems.append(_not_regular(file))
        return None
    text = decode(data, file, problems)
    del data
    if text is None:
        return None
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]  # not split(): that would copy the whole rest of the file
    try:
        header = next(csv.reader([first_line], strict=True)) if first_line else []
    except csv.Error:
        header = []
    if not check_header(header, columns, file, problems):
        return None
    if not text.endswith("\n"):
        problems.append(
            Problem(
                file,
                text.count("\n") + 1,
                None,
                "final-newline",
                "does not end with a newline (truncated?)",
                "end the file with a line break",
            )
        )
        text += "\n"
    encoded = text.encode("utf-8")
    faults = [f for f in quote_faults(np.frombuffer(encoded, dtype=np.uint8), 1) if f.line > 1]
    table = parse_fast(encoded, header)
    del encoded
    # pyarrow may accept a quoted newline or read a blank line as an empty row; either would shift the
    # line numbers (row i is line i + 2 only if every record is one non-empty physical line).
    one_line_each = table is not None and table.num_rows == text.count("\n") - 1 and "\n\n" not in text
    if table is not None and one_line_each and cells_fit(table):
        table = table.select(columns)
        if table.num_rows > MAX_ROWS:
            problems.append(_too_many_rows(file, table.num_rows))
            return None
        lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
        table, lines = drop_faults(table, lines, faults, file, header, problems)
        return ParsedTable(file, table.select(columns), lines)
    rows, row_lines = parse_slow(text, header, file, problems, {f.line: f for f in faults})
    if len(rows) > MAX_ROWS:
        problems.append(_too_many_rows(file, len(rows)))
        return None
    arrays = {name: pa.array([(row[k] or None) for row in rows], pa.string()) for k, name in enumerate(header)}
    table = pa.table(arrays).select(columns)
    return ParsedTable(file, table, np.array(row_lines, dtype=np.int64))


# Tolerant reading: the values of a file that passed validation when it landed.


def _tolerant_text(data: bytes) -> str:
    """The text of a stored file, whatever its encoding mistakes, BOM or CRLF endings."""
    return data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")


@dataclass(frozen=True)
class Row:
    """One record as read tolerantly: its cells (empty cell = None) and physical line."""

    values: dict[str, str | None]
    line: int


def parse_rows(data: bytes, table: Table, *, keep_duplicates: bool = False) -> dict[Any, Row]:
    """Rows of a stored table keyed by primary key (first occurrence wins; broken rows are skipped).

    With ``keep_duplicates`` the dict is keyed by line instead, so that every row is kept.

    The base has passed validation when it was merged, so this reader is lenient:
    it only needs the values, and the working tree is validated strictly anyway.
    """
    reader = csv.reader(io.StringIO(_tolerant_text(data), newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return {}
    rows: dict[Any, Row] = {}
    try:
        for cells in reader:
            if len(cells) != len(header):
                continue
            values = {name: (cell or None) for name, cell in zip(header, cells, strict=True)}
            key = reader.line_num if keep_duplicates else tuple(values.get(k) for k in table.primary_key)
            rows.setdefault(key, Row(values, reader.line_num))
    except csv.Error:
        pass
    return rows


LINE = "__line"  # the column of a tolerantly read table holding each row's physical line


def read_arrow(data: bytes | None, table: Table) -> pa.Table:
    """A stored table as string columns in schema order plus ``__line``; empty if ``data`` is None.

    Columns the file lacks (an older schema) are null; columns it has beyond the
    schema are dropped. Irregular files fall back to :func:`parse_rows`.
    """
    import numpy as np
    import pyarrow as pa

    columns = table.columns
    if data is None:
        return pa.table({**{c: pa.array([], pa.string()) for c in columns}, LINE: pa.array([], pa.int64())})
    # The common case (a clean canonical file) is parsed from its bytes, without decoding it first.
    clean = not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and data.endswith(b"\n")
    if not clean:
        text = _tolerant_text(data)
        data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
    header_line = data[: data.find(b"\n")].decode("utf-8", "replace")
    try:
        header = next(csv.reader([header_line], strict=True))
    except (csv.Error, StopIteration):
        header = []
    parsed = parse_fast(data, header) if header and len(set(header)) == len(header) else None
    if parsed is not None and parsed.num_rows == data.count(b"\n") - 1:
        lines = np.arange(2, parsed.num_rows + 2, dtype=np.int64)
        cells = {c: parsed.column(c) if c in header else pa.nulls(parsed.num_rows, pa.string()) for c in columns}
    else:
        rows = list(parse_rows(data, table, keep_duplicates=True).values())
        lines = np.array([r.line for r in rows], dtype=np.int64)
        cells = {c: pa.array([r.values.get(c) for r in rows], pa.string()) for c in columns}
    return pa.table({**cells, LINE: pa.array(lines)})
