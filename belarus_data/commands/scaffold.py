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

from belarus_data.checks.quotefix import first_difference, nearest_passage, occurrences
from belarus_data.problems import Problem
from belarus_data.storage.atomic import write_bytes
from belarus_data.storage.formatting import canonical
from belarus_data.storage.paths import UnsafePath, inside
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.sourcetexts import UnreadableText, read_regular
from belarus_data.storage.tables import Table, table

if TYPE_CHECKING:
    import pyarrow as pa

KINDS: dict[str, str] = {
    "source": "sources",
    "claim": "claims",
    "event": "events",
    "actor": "actors",
    "participant": "event_participants",
    "alias": "actor_aliases",
}
PREFIXES: dict[str, str] = {"sources": "src", "claims": "clm", "events": "evt", "actors": "act"}
RANDOM_ALPHABET = string.ascii_lowercase + string.digits
RANDOM_LENGTH = 8
MAX_ID_LENGTH = 64
MAX_OCCURRENCES = 10_000  # occurrences of a quote looked for (and choosable with --occurrence)
MAX_LISTED = 20  # occurrences listed when the quote is ambiguous
CONTEXT_CHARS = 32  # W3C TextQuoteSelector prefix/suffix length used by the dataset


class ScaffoldError(ValueError):
    """The record cannot be created; ``problems`` say what to change, one line each.

    ``found`` holds the same problems as located :class:`~belarus_data.problems.Problem` objects
    (codes and wording of ``validate``), where the refusal came from a check.
    """

    def __init__(self, problems: list[str], found: list[Problem] | None = None):
        self.problems = problems
        self.found = found or []
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


def _absent_quote(text: str, quote: str) -> str:
    """Why a quote that does not occur is refused, with the nearest passage and the first differing character."""
    passage = nearest_passage(text, quote)
    if passage is None:
        return "the quote does not occur in the source text; copy it exactly (curly quotes, dashes and spaces included)"
    return (
        f"the quote does not occur in the source text; the nearest passage, at start={passage.start}, "
        f"end={passage.end}, reads {passage.text!r}: {first_difference(quote, passage.text)} "
        f"(fix: --quote {passage.text!r})"
    )


def _quote_lines(text: str, quote: str, occurrence: int | None) -> tuple[QuoteMatch | None, list[str]]:
    """The quote's match, or the lines saying why there is none (absent, ambiguous, no such occurrence)."""
    if not quote:
        return None, ["--quote is empty: copy the exact words from the source text"]
    starts = occurrences(text, quote, limit=MAX_OCCURRENCES)
    if not starts:
        return None, [_absent_quote(text, quote)]
    if len(starts) > 1 and occurrence is None:
        many = f"{len(starts)}" if len(starts) < MAX_OCCURRENCES else f"{MAX_OCCURRENCES} or more"
        lines = [f"the quote occurs {many} times; choose one with --occurrence N, or quote more words:"]
        for n, start in enumerate(starts[:MAX_LISTED], start=1):
            before = text[max(0, start - 30) : start].replace("\n", " ")
            after = text[start + len(quote) : start + len(quote) + 30].replace("\n", " ")
            lines.append(f"  {n}: start={start}, end={start + len(quote)}: …{before}[{quote}]{after}…")
        if len(starts) > MAX_LISTED:
            lines.append(
                f"  … and {len(starts) - MAX_LISTED}{'' if len(starts) < MAX_OCCURRENCES else ' or more'} more"
            )
        return None, lines
    if occurrence is not None and not 1 <= occurrence <= len(starts):
        return None, [f"--occurrence {occurrence}: the quote occurs {len(starts)} time(s)"]
    start = starts[(occurrence or 1) - 1]
    end = start + len(quote)
    return QuoteMatch(
        start,
        end,
        _safe_context(text[max(0, start - CONTEXT_CHARS) : start], before=True),
        _safe_context(text[end : end + CONTEXT_CHARS], before=False),
    ), []


def find_quote(text: str, quote: str, occurrence: int | None = None) -> QuoteMatch:
    """Where ``quote`` occurs in ``text`` (code-point offsets), with a prefix and suffix for re-anchoring.

    An error if the quote is absent (naming the nearest passage and the first
    character that differs, with code points), or occurs more than once and
    ``occurrence`` (1-based) does not say which; the error lists the candidates.

    >>> find_quote("Minsk said no. Minsk said yes.", "said yes").start
    21
    """
    match, lines = _quote_lines(text, quote, occurrence)
    if match is None:
        raise ScaffoldError(lines)
    return match


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


QUOTE_MISSING = 'quote: [required] is empty but required (fix: add --quote "exact words from the source")'
TEXT_HINT = "give the source's text with --text FILE (its path, SHA-256 and length are filled in from it)"
# Problems a later record resolves: `new` adds one record at a time, so it does not refuse them.
PENDING: frozenset[str] = frozenset({"event-unsupported"})  # an event comes before the claims that report it
# Columns derived from the quote: their problems are the quote's, reported once, when it was not anchored.
QUOTE_FIELDS = ("quote", "start", "end", "prefix", "suffix")
ANCHORING_CODES = frozenset(
    {
        "required",
        "quote-mismatch",
        "prefix-mismatch",
        "suffix-mismatch",
        "offsets-length",
        "offsets-range",
        "offsets-order",
    }
)


def check_row(root: Path, spec: Table, row: dict[str, str | None], *, text_given: bool = False) -> list[Problem]:
    """Every problem ``validate`` would report at ``row`` if it were added to its table (the same checks).

    The row is checked as the last line of its table, among the records already there, by
    :func:`belarus_data.validation.run_checks`: cell and row rules, keys, foreign keys (with a
    "did you mean"), character screens, evidence, dates and curation rules. Problems a later record
    resolves (:data:`PENDING`) and, with ``text_given``, the source text not being stored yet, are
    left out.

    >>> from belarus_data.storage.tables import table
    >>> [p.code for p in check_row(Path("."), table("actors"), {"id": "act-x"})][:1]  # doctest: +SKIP
    ['required']
    """
    import numpy as np
    import pyarrow as pa

    from belarus_data.checks import rootcause
    from belarus_data.checks.context import Context
    from belarus_data.storage.csvfile import ParsedTable
    from belarus_data.validation import run_checks

    unreadable: list[Problem] = []
    tables = Snapshot.of_tree(root).parsed_tables(unreadable)
    parsed = tables.get(spec.name)
    if parsed is None:
        return [p for p in unreadable if p.file == spec.path] or [
            Problem(spec.path, None, None, "file-unreadable", "cannot be read", "run `belarus-data validate`")
        ]
    line = int(parsed.lines.max()) + 1 if parsed.num_rows else 2
    added = pa.table({c: pa.array([row.get(c)], pa.string()) for c in spec.columns}).cast(parsed.data.schema)
    tables[spec.name] = ParsedTable(
        parsed.file, pa.concat_tables([parsed.data, added]), np.append(parsed.lines, np.int64(line))
    )
    ctx = Context(root=root, tables=tables)
    run_checks(ctx)
    ctx.account_for_skips()
    rootcause.fold(ctx)
    found = [p for p in ctx.problems if p.file == parsed.file and p.line == line and p.code not in PENDING]
    if text_given:  # the text is written with the record; its hash and length were computed from it
        found = [p for p in found if p.field != "text_path" or p.code != "text-missing"]
    order = {name: n for n, name in enumerate(spec.columns)}
    return sorted(set(found), key=lambda p: (order.get(p.field or "", len(order)), p.code, p.message))


def worded(spec: Table, problem: Problem) -> str:
    """One problem as `new` shows it: ``field: [code] message (fix: hint)``, the hint naming `new`'s options."""
    hint = problem.hint
    if problem.code == "required" and problem.field:
        if problem.field == "quote":
            hint = 'add --quote "exact words from the source"'
        elif problem.field in DERIVED["sources"] and spec.name == "sources":
            hint = TEXT_HINT
        else:
            hint = f"add --set {problem.field}=VALUE ({spec.description_of(problem.field)})"
    elif problem.code == "duplicate-key":
        hint = "the record is already there: use it, or edit that line if something about it changed"
    where = f"{problem.field}: " if problem.field else ""
    return f"{where}[{problem.code}] {problem.message}" + (f" (fix: {hint})" if hint else "")


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

    Raises :class:`ScaffoldError` listing everything that is missing or wrong, all at once: the
    problems ``validate`` would report for the record (see :func:`check_row`), and what is wrong
    with the quote (the nearest passage and the first differing character) or the ID.

    >>> spec, row, _ = build_record(Path("."), "actor", {"name": "NATO", "actor_type": "igo"})  # doctest: +SKIP
    >>> row["id"], row["version"]  # doctest: +SKIP
    ('act-nato', '1')
    """
    if kind not in KINDS:
        raise ScaffoldError([f"unknown kind {kind!r}: use one of {', '.join(KINDS)}"])
    spec = table(KINDS[kind])
    refuse_filled_fields(spec, values, text_file=text_file)
    lines = [f"{name}: not a column of {spec.name}" for name in sorted(set(values) - set(spec.columns))]
    values = {name: value for name, value in values.items() if name in spec.columns}
    snapshot = Snapshot.of_tree(root)
    row: dict[str, str | None] = dict.fromkeys(spec.columns)
    id_lines: list[str] = []
    if "id" in spec.columns:
        new_id, id_lines = _new_id(spec, snapshot, values, record_id)
        lines += id_lines
        row["id"] = new_id
    elif record_id is not None:
        lines.append(f"--id: {spec.name} have no ID; their key is {', '.join(spec.primary_key)}")
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    row.update({"version": "1", "created": day, "updated": day, "record_status": "active"})
    text_bytes = None
    if spec.name == "sources":
        row["retrieved"] = day
        if text_file is not None:
            text_bytes = _read_new_text(text_file)
            row["text_path"] = f"texts/{str(row['id']).removeprefix('src-')}.txt"
            row["text_sha256"] = hashlib.sha256(text_bytes).hexdigest()
            row["text_length"] = str(len(text_bytes.decode("utf-8")))
    if spec.name == "claims":
        row["resolution"] = "open" if values.get("claim_type") == "prediction" else None
    row.update({name: (value or None) for name, value in values.items()})
    anchored = True
    if spec.name == "claims":
        anchored, quote_lines = _anchor_quote(root, snapshot.tables["sources"], row, quote, occurrence)
        lines += quote_lines
    found = check_row(root, spec, row, text_given=text_bytes is not None)
    if spec.name == "sources" and text_bytes is None:  # one missing text, not three missing fields
        derived = [p for p in found if p.code == "required" and p.field in DERIVED["sources"]]
        found = [p for p in found if p not in derived[1:]]
    if id_lines:  # the ID's own problem is said above, once
        found = [p for p in found if p.code != "duplicate-key"]
    if not anchored:  # the quote's own problem is said above, once
        found = [p for p in found if not (p.field in QUOTE_FIELDS and p.code in ANCHORING_CODES)]
    if spec.name == "sources" and text_bytes is not None and row["text_path"]:
        target = root / "records" / row["text_path"]
        if target.exists():
            lines.append(f"text_path: records/{row['text_path']} already exists; give the source another --id")
    lines += [worded(spec, p) for p in found]
    if lines:
        raise ScaffoldError(lines, found)
    return spec, row, text_bytes


def _new_id(spec: Table, snapshot: Snapshot, values: dict[str, str], record_id: str | None) -> tuple[str, list[str]]:
    """A fresh ID for a record of ``spec`` (random, or a slug of its title/name), or ``record_id`` if free."""
    taken = _ids(snapshot.tables[spec.name])
    prefix = PREFIXES[spec.name]
    if record_id is not None:
        if record_id in taken:
            return record_id, [f"{record_id} already exists in {spec.path}: IDs are never reused"]
        return record_id, []
    if spec.name in ("claims", "events"):
        return random_id(prefix, taken), []
    needed = "title" if spec.name == "sources" else "name"
    label = values.get(needed)
    if not label:  # a placeholder, so that the rest of the record is still checked; `needed` is reported required
        return f"{prefix}-new", []
    try:
        return slug_id(prefix, label, taken), []
    except ScaffoldError as err:
        return f"{prefix}-new", err.problems


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
) -> tuple[bool, list[str]]:
    """Fill the claim's offsets, prefix and suffix from its quote; (False, why) if it cannot be anchored."""
    quote = quote if quote is not None else row.get("quote")
    source_id = row.get("source_id")
    if not source_id:
        return False, [] if quote else [QUOTE_MISSING]
    import pyarrow.compute as pc

    matches = sources.filter(pc.equal(sources.column("id"), source_id)).to_pylist()
    if not matches:
        return False, []  # the foreign-key problem says so (with a "did you mean")
    if quote is None:
        return False, [QUOTE_MISSING]
    row["quote"] = quote
    try:
        text = _source_text(root, matches[0], source_id)
    except ScaffoldError as err:
        return False, err.problems
    match, lines = _quote_lines(text, quote, occurrence)
    if match is None:
        return False, [f"quote: [quote-mismatch] {line}" if n == 0 else line for n, line in enumerate(lines)]
    row.update({"start": str(match.start), "end": str(match.end), "prefix": match.prefix, "suffix": match.suffix})
    return True, []


def _ids(data: pa.Table) -> set[str]:
    """The IDs (first key column) of a table read by :func:`belarus_data.storage.csvfile.read_arrow`."""
    return set(data.column(0).drop_null().to_pylist())


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
    key = [row.get(k) or "" for k in spec.primary_key]
    at = [spec.columns.index(k) for k in spec.primary_key]
    for number, cells in enumerate(csv.reader(io.StringIO(formatted.decode("utf-8"))), start=1):
        if cells and [cells[i] for i in at] == key:
            return number
    raise AssertionError("the record just written is missing")  # pragma: no cover
