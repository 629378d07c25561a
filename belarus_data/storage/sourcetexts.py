"""Source texts held as one UTF-8 buffer, with code-point offsets turned into byte offsets in bulk.

A million evidence quotes point into ~20,000 texts (~500 MB). As Python strings
the texts would take up to twice their UTF-8 size and every quote would be
sliced and compared in a Python loop. Here the bytes are read once into one
numpy buffer; character offsets become byte offsets with numpy, chunk by chunk,
so quotes, prefixes and suffixes are compared as Arrow binary columns. Python
strings are made only for the few texts an error message quotes from.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from belarus_data.storage.utf8 import is_utf8

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

MAX_TEXT_BYTES = 20 * 1024 * 1024  # one source text, wherever it is read (validate, `new`)
VIEW_BUFFER_BYTES = 1 << 30  # an Arrow view's offset is 32-bit
PADDING = 64  # zero bytes after the last text, so that fixed-size reads near its end stay in the buffer


@dataclass(frozen=True)
class TextFile:
    """One text to load: which source it belongs to, and where it is."""

    source_id: str
    path: Path | str
    size: int  # bytes, from the directory entry; the open file must still have this size


@dataclass(frozen=True)
class LoadedText:
    source_id: str
    sha256: str | None  # None: the file changed or could not be read while loading
    utf8: bool
    char_length: int


@dataclass
class SourceTexts:
    """Every readable source text, back to back in ``data``; text ``k`` is ``data[start[k]:start[k + 1]]``.

    Only texts that are valid UTF-8 are *known* (``source_id in texts``); the
    offsets of the others are kept so that the layout stays simple.
    """

    data: np.ndarray  # uint8, the texts then PADDING zero bytes
    start: np.ndarray  # int64, one more than the number of texts
    char_length: np.ndarray  # int64 bytes that start a character, per text: its length in code points if UTF-8
    lead_index: np.ndarray  # int64: characters starting before each 64-byte block (see :func:`lead_index`)
    number: dict[str, int] = field(default_factory=dict)  # source id -> text, for known texts only

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.number

    def ids(self) -> list[str]:
        return list(self.number)

    def text(self, source_id: str) -> str:
        """The text as a Python string (for error messages: decoded on demand, a few at a time)."""
        return _decode(self, self.number[source_id])

    def byte_offsets(self, texts: np.ndarray, chars: np.ndarray) -> np.ndarray:
        """The position in ``data`` of code point ``chars[i]`` of text ``texts[i]`` (0 ≤ chars[i] ≤ its length).

        An offset equal to the text's length maps to the byte just past it.
        ``lead_index`` says how many characters start before each 64-byte
        block, so each offset is found in its block: 64 bytes read per offset.
        """
        import numpy as np

        char_base = np.concatenate(([0], np.cumsum(self.char_length)))
        nth = char_base[texts] + chars  # counting character starts over the whole buffer
        before = self.lead_index
        blocks = len(before) - 1
        end = int(self.start[-1])
        if blocks == 0:
            return np.full(len(nth), end, dtype=np.int64)
        # Searched in increasing order: numpy then narrows each search by the one before. Claims in ID
        # order point into their texts in no order, and a search from scratch each cost 8x as much.
        order = np.argsort(nth, kind="stable")
        block = np.empty(len(nth), dtype=np.int64)
        block[order] = np.clip(np.searchsorted(before, nth[order], side="right") - 1, 0, blocks - 1)
        rank = nth - before[block]
        # In a block of 64 characters (ASCII: most blocks of most texts) the character is at its rank;
        # only the others are counted byte by byte.
        within = rank.copy()
        mixed = np.flatnonzero(before[np.minimum(block + 1, blocks)] - before[block] != BLOCK)
        if len(mixed):
            # The last block may run into the zero padding after the texts, which is there for this.
            lead = (self.data[: blocks * BLOCK].reshape(blocks, BLOCK)[block[mixed]] & 0xC0) != 0x80
            within[mixed] = _nth_set_bit(np.packbits(lead, axis=1, bitorder="little").view("<u8").ravel(), rank[mixed])
        result: np.ndarray = np.where(nth >= before[-1], end, np.minimum(block * BLOCK + within, end))
        return result

    def slices(self, texts: np.ndarray, begin: np.ndarray, stop: np.ndarray) -> pa.Array:
        """``data[begin[i]:stop[i]]`` (inside text ``texts[i]``) for every i, as an Arrow binary_view column.

        A binary *view* column over the text buffer (16 bytes a row, no copy),
        which Arrow compares as it is: gathering the bytes with numpy took 30×
        longer, and casting the views to large_binary copied every byte. A view addresses its buffer with 32-bit offsets, so the texts
        are split into buffers of at most 1 GiB at text boundaries.
        """
        import numpy as np
        import pyarrow as pa

        length = (stop - begin).astype(np.int64)
        views = np.zeros((len(begin), 4), dtype=np.int32)
        views[:, 0] = length
        buffers: list[pa.Buffer] = []
        buffer_of_text = np.zeros(len(self.start) - 1, dtype=np.int32)
        base_of_text = np.zeros(len(self.start) - 1, dtype=np.int64)
        for first, last in _chunks(self.start, VIEW_BUFFER_BYTES):
            lo, hi = int(self.start[first]), int(self.start[last])
            buffer_of_text[first:last] = len(buffers)
            base_of_text[first:last] = lo
            buffers.append(pa.py_buffer(self.data[lo:hi]))
        if not buffers:
            buffers.append(pa.py_buffer(b""))
        padded = self.data  # ends in PADDING zero bytes: every 4- or 12-byte read below stays inside
        # Every row as a long value first (4-byte prefix, buffer number, offset in that buffer): most are,
        # and whole columns are written faster than masked ones.
        prefix = np.ndarray((len(padded) - 3,), dtype="<i4", buffer=padded, strides=(1,))
        views[:, 1] = prefix[begin]
        views[:, 2] = buffer_of_text[texts]
        views[:, 3] = begin - base_of_text[texts]
        # Short values (12 bytes or fewer) are stored in the view itself, zero-padded.
        short = np.flatnonzero(length <= 12)
        if len(short):
            inline = padded[begin[short, None] + np.arange(12)]
            inline[np.arange(12)[None, :] >= length[short, None]] = 0
            views[short, 1:] = inline.view("<i4").reshape(-1, 3)
        # Compared as views (Arrow compares binary_view columns directly): no bytes are gathered.
        return pa.Array.from_buffers(pa.binary_view(), len(begin), [None, pa.py_buffer(views), *buffers])


BLOCK = 64  # bytes per block of the character-start index


def _nth_set_bit(words: np.ndarray, n: np.ndarray) -> np.ndarray:
    """For each 64-bit word, the position of its set bit number ``n`` (from 0, counted from bit 0).

    A binary search on the bits below a position, counted with ``np.bitwise_count``:
    six passes over one word a row (a cumulative sum over 64 bytes a row took 3.4× as long).
    Each ``n`` must be below its word's number of set bits.
    """
    import numpy as np

    one = np.uint64(1)
    wanted = n.astype(np.uint64)
    position = np.zeros(len(words), dtype=np.uint64)
    for step in (32, 16, 8, 4, 2, 1):
        further = position + np.uint64(step)  # at most 63: the shift below stays within the word
        position = np.where(np.bitwise_count(words & ((one << further) - one)) <= wanted, further, position)
    result: np.ndarray = position.astype(np.int64)
    return result


INDEX_WORDS = 1 << 15  # 64-bit words (256 KiB) of the texts counted at a time: stays in the CPU cache
_TOP_BITS = 0x8080808080808080  # bit 7 of each byte
_BYTE_SUM = 0x0101010101010101  # multiplied by it, a word's top byte is the sum of its eight bytes


def lead_index(data: np.ndarray, end: int) -> np.ndarray:
    """How many characters start in ``data[:end]`` before each 64-byte block (and in all of it, last).

    A character starts at every byte that is not a continuation byte
    (10xxxxxx), valid UTF-8 or not. The bytes are read as 64-bit words: a
    byte is a continuation byte when its bit 7 is set and its bit 6 is not,
    which ``word & ~(word << 1)`` puts in bit 7 of each byte for the whole
    word at once; a popcount per word and one multiplication per block (the
    eight counts of a block, as bytes of one word, summed into its top byte)
    give each block's count. 2.7× faster than counting with Arrow's
    ``utf8_length`` over the bytes seen as 64-byte strings (34 → 12 ms per
    50 MB). ``data`` must extend to a whole block past ``end`` (the store's
    zero padding), which is not counted.
    """
    import numpy as np

    blocks = -(-end // BLOCK)
    whole = end // BLOCK  # blocks before the last, partial one
    per_block = np.empty(blocks, dtype=np.int64)
    if whole:
        words = data[: whole * BLOCK].view(np.uint64)
        scratch = np.empty(min(INDEX_WORDS, len(words)), dtype=np.uint64)
        one, top, ones, shift = np.uint64(1), np.uint64(_TOP_BITS), np.uint64(_BYTE_SUM), np.uint64(56)
        step = INDEX_WORDS - INDEX_WORDS % (BLOCK // 8)  # whole blocks per step
        for first in range(0, len(words), step):
            word = words[first : first + step]
            marks = scratch[: len(word)]
            np.left_shift(word, one, out=marks)
            np.invert(marks, out=marks)
            np.bitwise_and(marks, word, out=marks)
            np.bitwise_and(marks, top, out=marks)
            counts = np.bitwise_count(marks).view(np.uint64)  # a block's eight word counts (each ≤ 8) as one word
            per_block[first // 8 : (first + len(word)) // 8] = BLOCK - ((counts * ones) >> shift).astype(np.int64)
    if blocks > whole:
        per_block[whole] = np.count_nonzero((data[whole * BLOCK : end] & 0xC0) != 0x80)
    return np.concatenate(([0], np.cumsum(per_block)))


def starts_before(data: np.ndarray, index: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """How many characters start in ``data`` before each of ``positions`` (≤ the end ``index`` was made for).

    The index gives the count up to each position's block; the bytes of the
    block before the position (at most 63) are counted here.
    """
    import numpy as np

    block = positions // BLOCK
    within = positions - block * BLOCK
    # The block's bytes, as a row of 64 (the zero padding keeps the last block inside ``data``).
    rows = data[block[:, None] * BLOCK + np.arange(BLOCK)]
    leads = ((rows & 0xC0) != 0x80) & (np.arange(BLOCK) < within[:, None])
    result: np.ndarray = index[np.minimum(block, len(index) - 1)] + leads.sum(axis=1)
    return result


def _chunks(start: np.ndarray, size: int) -> Iterable[tuple[int, int]]:
    """Runs of whole texts [first, last) of about ``size`` bytes each."""
    import numpy as np

    count = len(start) - 1
    first = 0
    while first < count:
        last = int(np.searchsorted(start, start[first] + size, side="right")) - 1
        last = min(max(last, first + 1), count)
        yield first, last
        first = last


@lru_cache(maxsize=8)
def _decoded(raw: bytes) -> str:
    return raw.decode("utf-8")


def _decode(texts: SourceTexts, number: int) -> str:
    return _decoded(texts.data[int(texts.start[number]) : int(texts.start[number + 1])].tobytes())


class UnreadableText(ValueError):
    """A file that may not be read as a source text; the message says why (the caller names the file)."""


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:  # e.g. a name too long: then it is no link we could follow either
        return False


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or :class:`UnreadableText` saying why not.

    Opened without following a link (a link may point anywhere, out of the
    repository or at a device) and without blocking (a FIFO would wait for a
    writer forever); what the descriptor is, is asked of the open file itself,
    so nothing can be swapped in between the check and the read. Never reads
    more than ``limit`` + 1 bytes (default :data:`MAX_TEXT_BYTES`), even from a file that grows meanwhile.
    """
    limit = MAX_TEXT_BYTES if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if err.errno == errno.ELOOP or _is_link(path):
            raise UnreadableText("is a symbolic link: give the path of the file itself") from None
        raise UnreadableText(f"cannot be opened ({err.strerror or err})") from None
    info = os.fstat(fd)
    why = None
    if stat.S_ISDIR(info.st_mode):
        why = "is a directory, not a text file"
    elif not stat.S_ISREG(info.st_mode):
        why = "is not a regular file (a FIFO, device or socket): give a text file"
    elif info.st_size > limit:
        why = f"is {info.st_size:,} bytes, over the {limit:,} allowed for one source text"
    if why is not None:
        os.close(fd)
        raise UnreadableText(why)
    with os.fdopen(fd, "rb", buffering=0) as handle:
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            try:
                chunk = handle.read(limit + 1 - size)
            except OSError as err:
                raise UnreadableText(f"cannot be read ({err.strerror or err})") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UnreadableText(f"grew past the {limit:,} bytes allowed for one source text while being read")
        return b"".join(chunks)


def _read_into(view: memoryview, file: TextFile) -> bool:
    """Read the whole file into ``view``; False if it is not what the directory said (changed, replaced)."""
    # No links, and no waiting on a FIFO swapped in after the directory was listed.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(file.path, flags)
    except OSError:
        return False
    with os.fdopen(fd, "rb", buffering=0) as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != file.size:
            return False
        done = 0
        while done < file.size:
            got = handle.readinto(view[done:])
            if not got:
                return False
            done += got
        return handle.read(1) == b""


def _utf8(data: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Which of the texts ``data[start[k]:start[k + 1]]`` are valid UTF-8 (all at once, then one by one if not)."""
    import numpy as np

    # Valid as a whole, and each text starting at a character (not inside one: the texts "\xe2\x82" and
    # "\xac" are valid together), then each is valid alone.
    if is_utf8(data[start[0] : start[-1]]) and not ((data[start[:-1]] & 0xC0) == 0x80).any():
        return np.ones(len(start) - 1, dtype=bool)
    valid = np.ones(len(start) - 1, dtype=bool)
    for k in range(len(start) - 1):  # rare: find which ones
        try:
            data[start[k] : start[k + 1]].tobytes().decode("utf-8")
        except UnicodeDecodeError:
            valid[k] = False
    return valid


class TextBuffers:
    """The memory of the text groups of one validation, reused from group to group.

    A group's buffer is ~64 MiB of fresh pages, which the kernel must zero (and
    with numpy's huge pages, often compact memory for first): reading 477 MB of
    texts into fresh buffers took 0.32–0.95 s of kernel time at 1M claims, into
    reused ones 0.15 s. At most :data:`KEPT` buffers are kept: one group in
    use, one waiting, one being loaded.
    """

    KEPT = 3
    SLACK = 8  # a new buffer has 1/8 more room than asked, so that the next, slightly larger group fits

    def __init__(self) -> None:
        import threading

        self._free: list[np.ndarray] = []
        self._lock = threading.Lock()  # loaded on one thread, given back on another

    def take(self, size: int) -> np.ndarray:
        """``size`` bytes (contents undefined) then :data:`PADDING` zero bytes."""
        import numpy as np

        need = size + PADDING
        with self._lock:
            fits = [k for k, free in enumerate(self._free) if len(free) >= need]
            buffer = self._free.pop(fits[0]) if fits else None
        if buffer is None:
            buffer = np.empty(need + need // self.SLACK, dtype=np.uint8)
        data = buffer[:need]
        data[size:] = 0
        return data

    def give(self, texts: SourceTexts) -> None:
        """Take back the buffer of ``texts``, which is emptied: it must not be used after this."""
        import numpy as np

        buffer = texts.data.base if isinstance(texts.data.base, np.ndarray) else texts.data
        texts.data, texts.number = np.zeros(PADDING, dtype=np.uint8), {}
        with self._lock:
            if len(self._free) < self.KEPT:
                self._free.append(buffer)


def load(files: list[TextFile], buffers: TextBuffers | None = None) -> tuple[SourceTexts, list[LoadedText]]:
    """Read, hash and check the encoding of every file; what each holds is in the returned list, in order.

    Reading, SHA-256 and the UTF-8 check (:func:`~belarus_data.storage.utf8.is_utf8`)
    all release the GIL, so the other threads go on meanwhile. With ``buffers``, the texts are read into
    memory taken from there (give it back when done with the store).
    """
    import numpy as np

    sizes = np.array([f.size for f in files], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    data = (buffers or TextBuffers()).take(int(start[-1]))
    view = memoryview(data)  # type: ignore[arg-type]
    digests: list[str | None] = [None] * len(files)
    utf8 = np.ones(len(files), dtype=bool)

    # On the calling thread: a pool of two here (reading and SHA-256 let go of the GIL) was slower, as its
    # caller already runs beside the CSV parser or the checks (100k claims 0.53 -> 0.51 s, 1M 3.86 -> 3.73 s).
    for k, file in enumerate(files):
        part = view[int(start[k]) : int(start[k + 1])]
        if _read_into(part, file):
            digests[k] = hashlib.sha256(part).hexdigest()
        else:  # what a reused buffer held there before is no part of any text
            data[int(start[k]) : int(start[k + 1])] = 0
    if files:
        utf8[:] = _utf8(data, start)
    # Counts the bytes that start a character (for every text: byte_offsets relies on it); a code-point
    # count only for the texts that are UTF-8. One pass counts them per block; each text's count is the
    # difference at its bounds.
    index = lead_index(data, int(start[-1]))
    char_length = np.diff(starts_before(data, index, start)) if len(files) else np.zeros(0, dtype=np.int64)
    # As Python values first: indexing numpy arrays one element at a time cost 0.1 s (held by the GIL) at 1M.
    loaded = [
        LoadedText(f.source_id, digest, valid and digest is not None, length)
        for f, digest, valid, length in zip(files, digests, utf8.tolist(), char_length.tolist(), strict=True)
    ]
    number = {t.source_id: k for k, t in enumerate(loaded) if t.utf8}
    return SourceTexts(data, start, char_length, index, number), loaded
