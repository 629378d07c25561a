"""Scaffolding new records: a fresh ID, today's dates, version 1, and (for claims) the quote's offsets.

ID scheme (see CONTRIBUTING.md): claims and events get ``clm-``/``evt-`` and 8
random characters from [a-z0-9] drawn with :mod:`secrets` — 36^8 ≈ 2.8 × 10^12
possibilities, so two pull requests made in parallel practically never draw
the same ID (and if they ever did, ``validate`` reports ``duplicate-key`` after
the merge). Sources and actors get readable slugs (``src-<title>``,
``act-<name>``); two pull requests adding the *same* actor then collide on
purpose, which surfaces the duplicate instead of hiding it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from belarus_data.problems import Problem
from belarus_data.storage.atomic import write_bytes
from belarus_data.storage.formatting import canonical
from belarus_data.storage.paths import UnsafePath, inside
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.sourcetexts import UnreadableText, read_regular
from belarus_data.storage.tables import Table, table

if TYPE_CHECKING:
    import pyarrow as pa

KINDS: dict[str, str] = {"source": "sources", "claim": "claims", "event": "events", "actor": "actors"}
PREFIXES: dict[str, str] = {"sources": "src", "claims": "clm", "events": "evt", "actors": "act"}
RANDOM_ALPHABET = string.ascii_lowercase + string.digits
RANDOM_LENGTH = 8
MAX_ID_LENGTH = 64
CONTEXT_CHARS = 32  # W3C TextQuoteSelector prefix/suffix length used by the dataset


class ScaffoldError(ValueError):
    """The record cannot be created; ``problems`` say what to change."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class QuoteMatch:
    start: int
    end: int
    prefix: str | None
    suffix: str | None


def random_id(prefix: str, taken: set[str]) -> str:
    """``prefix-`` and 8 random characters from [a-z0-9], not in ``taken``.

    >>> len(random_id("clm", set()))
    12
    """
    while True:
        candidate = prefix + "-" + "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(RANDOM_LENGTH))
        if candidate not in taken:
            return candidate


def slugify(text: str, max_length: int) -> str:
    """A lower-case ASCII slug of ``text``, transliterated (Cyrillic too) and cut at a word boundary.

    >>> slugify("Лукашэнка's 'Union State' — Łida", 60)
    'lukashenka-s-union-state-lida'
    """
    # python-slugify (already installed with frictionless) transliterates with text-unidecode.
    from slugify import slugify as transliterate

    return str(transliterate(text, max_length=max_length, word_boundary=True, lowercase=True))


def slug_id(prefix: str, text: str, taken: set[str]) -> str:
    """``prefix-`` and a slug of ``text``; an error if that ID is already used."""
    slug = slugify(text, MAX_ID_LENGTH - len(prefix) - 1)
    if not slug:
        raise ScaffoldError([f"cannot make an ID from {text!r}: give one with --id {prefix}-<slug>"])
    candidate = f"{prefix}-{slug}"
    if candidate in taken:
        raise ScaffoldError(
            [f"{candidate} already exists: if it is the same thing, use it; otherwise give another ID with --id"]
        )
    return candidate


def _safe_context(text: str, *, before: bool) -> str | None:
    """A prefix/suffix the validator accepts: one line, NFC, no formula lead; None if there is none."""
    if before:
        text = re.split(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", text)[-1]
        text = text.lstrip("=+-@ ")
    else:
        text = re.split(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", text)[0]
        if text.startswith(("=", "+", "-", "@")):
            return None
    if not text or not unicodedata.is_normalized("NFC", text):
        return None
    return text


def find_quote(text: str, quote: str, occurrence: int | None = None) -> QuoteMatch:
    """Where ``quote`` occurs in ``text`` (code-point offsets), with a prefix and suffix for re-anchoring.

    An error if the quote is absent, or occurs more than once and ``occurrence``
    (1-based) does not say which; the error lists the candidates.

    >>> find_quote("Minsk said no. Minsk said yes.", "said yes").start
    21
    """
    if not quote:
        raise ScaffoldError(["--quote is empty: copy the exact words from the source text"])
    starts = []
    at = text.find(quote)
    while at >= 0:
        starts.append(at)
        at = text.find(quote, at + 1)
    if not starts:
        folded = " ".join(quote.split()).casefold()
        near = " ".join(text.split()).casefold().find(folded)
        hint = (
            "the words occur with different case or spacing: copy them exactly as in the text"
            if near >= 0
            else "copy the quote exactly (curly quotes, dashes and spaces included)"
        )
        raise ScaffoldError([f"the quote does not occur in the source text; {hint}"])
    if len(starts) > 1 and occurrence is None:
        lines = [f"the quote occurs {len(starts)} times; choose one with --occurrence N, or quote more words:"]
        for n, start in enumerate(starts, start=1):
            before = text[max(0, start - 30) : start].replace("\n", " ")
            after = text[start + len(quote) : start + len(quote) + 30].replace("\n", " ")
            lines.append(f"  {n}: start={start}, end={start + len(quote)}: …{before}[{quote}]{after}…")
        raise ScaffoldError(lines)
    if occurrence is not None and not 1 <= occurrence <= len(starts):
        raise ScaffoldError([f"--occurrence {occurrence}: the quote occurs {len(starts)} time(s)"])
    start = starts[(occurrence or 1) - 1]
    end = start + len(quote)
    return QuoteMatch(
        start,
        end,
        _safe_context(text[max(0, start - CONTEXT_CHARS) : start], before=True),
        _safe_context(text[end : end + CONTEXT_CHARS], before=False),
    )


def _source_text(root: Path, row: dict[str, Any], source_id: str) -> str:
    relative = row.get("text_path")
    if not relative:
        raise ScaffoldError([f"source {source_id} has no text_path"])
    try:
        path = inside(root / "records", relative)
    except UnsafePath as err:
        raise ScaffoldError([f"source {source_id}: {err}"]) from err
    if not path.exists() and not path.is_symlink():
        raise ScaffoldError([f"source {source_id}: records/{relative} does not exist"])
    try:
        return read_regular(path).decode("utf-8")
    except UnreadableText as err:
        raise ScaffoldError([f"source {source_id}: records/{relative} {err}"]) from None
    except UnicodeDecodeError as err:
        raise ScaffoldError([f"records/{relative} is not UTF-8"]) from err


def _model_errors(spec: Table, row: dict[str, Any]) -> list[str]:
    try:
        spec.model.model_validate(row)
    except ValidationError as err:
        out = []
        for e in err.errors():
            context = e.get("ctx") or {}
            name = context.get("field") or (str(e["loc"][0]) if e["loc"] else "")
            if e["type"] == "missing":
                out.append(f"{name}: missing ({spec.description_of(name)}); add --set {name}=VALUE")
                continue
            hint = context.get("hint")
            out.append(f"{name}: [{e['type']}] {e['msg']}" + (f" (fix: {hint})" if hint else ""))
        return out
    return []


def build_record(
    root: Path,
    kind: str,
    values: dict[str, str],
    *,
    record_id: str | None = None,
    quote: str | None = None,
    occurrence: int | None = None,
    text_file: Path | None = None,
    today: dt.date | None = None,
) -> tuple[Table, dict[str, str | None], bytes | None]:
    """The new record (and, for a source given ``text_file``, the text's bytes), checked but not written.

    Raises :class:`ScaffoldError` listing everything that is missing or wrong.

    >>> spec, row, _ = build_record(Path("."), "actor", {"name": "NATO", "actor_type": "igo"})  # doctest: +SKIP
    >>> row["id"], row["version"]  # doctest: +SKIP
    ('act-nato', '1')
    """
    if kind not in KINDS:
        raise ScaffoldError([f"unknown kind {kind!r}: use one of {', '.join(KINDS)}"])
    spec = table(KINDS[kind])
    refuse_filled_fields(spec, values, text_file=text_file)
    unknown = sorted(set(values) - set(spec.columns))
    if unknown:
        raise ScaffoldError([f"{name}: not a column of {spec.name}" for name in unknown])
    snapshot = Snapshot.of_tree(root)
    taken = _ids(snapshot.tables[spec.name])
    prefix = PREFIXES[spec.name]
    if record_id is not None:
        if record_id in taken:
            raise ScaffoldError([f"{record_id} already exists in {spec.path}: IDs are never reused"])
        new_id = record_id
    elif spec.name in ("claims", "events"):
        new_id = random_id(prefix, taken)
    else:
        label = values.get("title") if spec.name == "sources" else values.get("name")
        if not label:
            needed = "title" if spec.name == "sources" else "name"
            raise ScaffoldError([f"{needed}: missing; add --set {needed}=VALUE (the ID is made from it)"])
        new_id = slug_id(prefix, label, taken)
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    row: dict[str, str | None] = dict.fromkeys(spec.columns)
    row.update({"id": new_id, "version": "1", "created": day, "updated": day, "record_status": "active"})
    text_bytes = None
    if spec.name == "sources":
        row["retrieved"] = day
        if text_file is not None:
            text_bytes = _read_new_text(text_file)
            row["text_path"] = f"texts/{new_id.removeprefix('src-')}.txt"
            row["text_sha256"] = hashlib.sha256(text_bytes).hexdigest()
            row["text_length"] = str(len(text_bytes.decode("utf-8")))
    if spec.name == "claims":
        row["resolution"] = "open" if values.get("claim_type") == "prediction" else None
    row.update({name: (value or None) for name, value in values.items()})
    if spec.name == "claims":
        _anchor_quote(root, snapshot.tables["sources"], row, quote, occurrence)
    problems = _model_errors(spec, {k: v for k, v in row.items() if v is not None})
    problems += _foreign_key_errors(spec, row, snapshot.tables)
    if spec.name == "sources" and text_bytes is not None and row["text_path"]:
        target = root / "records" / row["text_path"]
        if target.exists():
            problems.append(f"text_path: records/{row['text_path']} already exists; give the source another --id")
    if problems:
        raise ScaffoldError(problems)
    return spec, row, text_bytes


# Fields `new` fills itself and `--set` may not forge: a new record's lifecycle (the versioning rules
# rely on every record starting at version 1, created = updated = the day it is added, active) and its ID.
FILLED_BY_NEW: dict[str, str] = {
    "version": "a new record always starts at version 1; later changes raise it by 1",
    "created": "a new record is created on the day it is added (today, UTC)",
    "updated": "a new record is updated on the day it is added (today, UTC), like created",
    "record_status": "a new record is always active; withdraw a record later by editing it",
    "status_reason": "a new record is active and has no status_reason",
    "superseded_by": "a new record is active; supersede a record later by editing it",
    "id": "choose the ID with --id (it is checked against the IDs in use)",
}
# Fields derived from --text (sources) or from the quote (claims): setting them would contradict what is found.
DERIVED: dict[str, dict[str, str]] = {
    "sources": {
        name: "it is computed from the file given with --text" for name in ("text_path", "text_sha256", "text_length")
    },
    "claims": {name: "it is found from the quote in the source text" for name in ("start", "end", "prefix", "suffix")},
}


def refuse_filled_fields(spec: Table, values: dict[str, str], *, text_file: Path | None) -> None:
    """A usage error (exit 2) naming each ``--set`` field that `new` fills itself, and why."""
    import click

    derived = DERIVED.get(spec.name, {}) if (spec.name != "sources" or text_file is not None) else {}
    reasons = {**derived, **FILLED_BY_NEW}
    refused = [f"--set {name}: not allowed: {reasons[name]}" for name in values if name in reasons]
    if refused:
        raise click.UsageError("; ".join(refused))


def _read_new_text(path: Path) -> bytes:
    try:
        data = read_regular(path)
    except UnreadableText as err:
        raise ScaffoldError([f"--text {path}: {err}"]) from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScaffoldError([f"--text {path}: not UTF-8; save the text as UTF-8 first"]) from err
    return data


def _anchor_quote(
    root: Path,
    sources: pa.Table,
    row: dict[str, str | None],
    quote: str | None,
    occurrence: int | None,
) -> None:
    source_id = row.get("source_id")
    if not source_id:
        raise ScaffoldError(["source_id: missing; add --set source_id=src-…"])
    import pyarrow.compute as pc

    matches = sources.filter(pc.equal(sources.column("id"), source_id)).to_pylist()
    if not matches:
        raise ScaffoldError([f"source_id: {source_id} is not in records/sources.csv; add the source first"])
    quote = quote if quote is not None else row.get("quote")
    if quote is None:
        raise ScaffoldError(['quote: missing; add --quote "exact words from the source"'])
    match = find_quote(_source_text(root, matches[0], source_id), quote, occurrence)
    row.update(
        {
            "quote": quote,
            "start": str(match.start),
            "end": str(match.end),
            "prefix": match.prefix,
            "suffix": match.suffix,
        }
    )


def _ids(data: pa.Table) -> set[str]:
    """The IDs (first key column) of a table read by :func:`belarus_data.storage.csvfile.read_arrow`."""
    return set(data.column(0).drop_null().to_pylist())


def _foreign_key_errors(spec: Table, row: dict[str, str | None], tables: dict[str, pa.Table]) -> list[str]:
    out = []
    for fk in spec.foreign_keys:
        value = row.get(fk.field)
        if value is not None and value not in _ids(tables[fk.table]):
            out.append(f"{fk.field}: {value} is not in records/{fk.table}.csv; add it first")
    return out


def write_record(root: Path, spec: Table, row: dict[str, str | None], text_bytes: bytes | None = None) -> int:
    """Insert ``row`` into its table (kept in canonical, sorted form) atomically; returns its line.

    The source text, if any, is written first, so a record never points at a missing file.
    """
    path = root / spec.path
    data = path.read_bytes()
    if not data.endswith(b"\n"):
        data += b"\n"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row.get(c) or "" for c in spec.columns])
    problems: list[Problem] = []
    formatted = canonical(data + out.getvalue().encode("utf-8"), spec, spec.path, problems)
    if formatted is None:
        raise ScaffoldError([p.as_text() for p in problems] + ["fix the file (see `belarus-data validate`) first"])
    if text_bytes is not None and row.get("text_path"):
        write_bytes(inside(root / "records", str(row["text_path"])), text_bytes)
    write_bytes(path, formatted)
    for number, cells in enumerate(csv.reader(io.StringIO(formatted.decode("utf-8"))), start=1):
        if cells and cells[0] == row[spec.primary_key[0]]:
            return number
    raise AssertionError("the record just written is missing")  # pragma: no cover
