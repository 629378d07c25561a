"""Source texts and evidence: each text is where its record says, unchanged, and every quote is in it.

Texts are read only from ``records/texts/`` inside the dataset root: paths are
checked before any file is opened, and links are refused.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from belarus_data.checks.context import Context
from belarus_data.models.columns import TEXT_PATH
from belarus_data.paths import UnsafePath, inside
from belarus_data.tables import table

if TYPE_CHECKING:
    import pyarrow as pa

MAX_TEXT_BYTES = 20 * 1024 * 1024
# A well-formed text_path is one plain file name directly in texts/: no '/', no '..'.
PLAIN_TEXT_PATH = re.compile(TEXT_PATH.pattern or "")


def _texts_dir(ctx: Context) -> Path | None:
    """records/texts, if it is a real directory inside the root (no links on the way); else None."""
    try:
        path = inside(ctx.root / "records", "texts")
    except UnsafePath:
        return None
    return path if path.is_dir() else None


def _read_plain(texts: Path, relative: str) -> bytes | None:
    """The bytes of a well-formed text_path that names a regular file (not a link) of allowed size.

    One lstat per file instead of resolving every path; anything else returns None
    and goes through the full checks in :func:`_read_text`, which word the problem.
    """
    if not PLAIN_TEXT_PATH.fullmatch(relative):
        return None
    path = texts / relative.removeprefix("texts/")
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEXT_BYTES:
        return None
    return path.read_bytes()


def _read_text(ctx: Context, index: int, relative: str) -> bytes | None:
    sources = table("sources")
    records = ctx.root / "records"
    try:
        path = inside(records, relative)
    except UnsafePath as err:
        ctx.add(sources, index, "text_path", "text-path-unsafe", str(err), "store the text as records/texts/<name>.txt")
        return None
    if not path.resolve().is_relative_to((records / "texts").resolve()):
        ctx.add(
            sources,
            index,
            "text_path",
            "text-path-unsafe",
            f"{relative!r} is not inside records/texts/",
            "store the text as records/texts/<name>.txt",
        )
        return None
    if not path.is_file():
        ctx.add(
            sources,
            index,
            "text_path",
            "text-missing",
            f"records/{relative} does not exist",
            "add the source text file, exactly as received",
        )
        return None
    if path.stat().st_size > MAX_TEXT_BYTES:
        ctx.add(
            sources,
            index,
            "text_path",
            "text-too-large",
            f"records/{relative} is over {MAX_TEXT_BYTES:,} bytes",
            "split the document",
        )
        return None
    return path.read_bytes()


def check_source_texts(ctx: Context) -> None:
    if "sources" not in ctx.tables:
        return
    sources = table("sources")
    rows = ctx.tables["sources"].data.select(["id", "text_path", "text_sha256", "text_length"]).to_pylist()
    texts = _texts_dir(ctx)
    for index, row in enumerate(rows):
        if not row["id"] or not row["text_path"]:
            continue
        data = _read_plain(texts, row["text_path"]) if texts is not None else None
        if data is None:
            data = _read_text(ctx, index, row["text_path"])
        if data is None:
            continue
        digest = hashlib.sha256(data).hexdigest()
        if row["text_sha256"] and digest != row["text_sha256"]:
            ctx.add(
                sources,
                index,
                "text_sha256",
                "text-sha256",
                "does not match the text file (the text was changed, or the record)",
                f"the file's SHA-256 is {digest}; texts are stored exactly as received",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            ctx.add(
                sources,
                index,
                "text_path",
                "text-encoding",
                f"records/{row['text_path']} is not UTF-8",
                "store the text as UTF-8",
            )
            continue
        if row["text_length"] and row["text_length"].isdigit() and int(row["text_length"]) != len(text):
            ctx.add(
                sources,
                index,
                "text_length",
                "text-length",
                f"is {row['text_length']} but the text has {len(text)} code points",
                f"set text_length to {len(text)}",
            )
        ctx.texts[row["id"]] = text


def _offset(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def check_quotes(ctx: Context) -> None:
    """Each quote equals its source text between its offsets (W3C TextPositionSelector semantics)."""
    if "claims" not in ctx.tables:
        return
    data = ctx.tables["claims"].data.select(["source_id", "start", "end", "quote", "prefix", "suffix"])
    # A slice at a time: Python values for a million rows would take most of a gigabyte at once.
    for first in range(0, data.num_rows, QUOTE_BATCH):
        _check_quote_rows(ctx, data.slice(first, QUOTE_BATCH), first)


QUOTE_BATCH = 100_000


def _check_quote_rows(ctx: Context, data: pa.Table, first: int) -> None:
    claims = table("claims")
    source_ids, starts, ends, quotes, prefixes, suffixes = (column.to_pylist() for column in data.columns)
    for i, source_id in enumerate(source_ids):
        index = first + i
        text = ctx.texts.get(source_id or "")
        start, end, quote = _offset(starts[i]), _offset(ends[i]), quotes[i]
        if text is None or start is None or end is None or quote is None:
            continue  # reported elsewhere: unknown source, bad text or bad cell
        if end > len(text) or start >= len(text):
            ctx.add(
                claims,
                index,
                "end",
                "offsets-range",
                f"offsets {start}–{end} run past the end of the text ({len(text)} code points)",
                _where(text, quote),
            )
            continue
        if end <= start:
            continue  # offsets-order, reported by the row check
        if text[start:end] != quote:
            found = text[start:end]
            ctx.add(
                claims,
                index,
                "quote",
                "quote-mismatch",
                f"differs from the source text at {start}–{end}, which reads {found[:80]!r}",
                _where(text, quote),
            )
            continue
        prefix, suffix = prefixes[i], suffixes[i]
        if prefix is not None and text[max(0, start - len(prefix)) : start] != prefix:
            ctx.add(
                claims,
                index,
                "prefix",
                "prefix-mismatch",
                "is not the text just before the quote",
                f"use {text[max(0, start - 32) : start]!r} or leave it empty",
            )
        if suffix is not None and text[end : end + len(suffix)] != suffix:
            ctx.add(
                claims,
                index,
                "suffix",
                "suffix-mismatch",
                "is not the text just after the quote",
                f"use {text[end : end + 32]!r} or leave it empty",
            )


def _where(text: str, quote: str) -> str:
    first = text.find(quote)
    if first < 0:
        return "the quote does not occur in the text: copy it exactly (curly quotes, spaces) from the source"
    if text.find(quote, first + 1) >= 0:
        return f"the quote occurs more than once (first at {first}); set start/end to the intended one"
    return f"the quote occurs at start={first}, end={first + len(quote)}"
