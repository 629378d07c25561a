"""Curation rules: mechanical checks that records follow docs/curation.md.

* a quote lies inside one sentence of its source;
* a statement paraphrases, it does not copy its quote;
* a dated report claim links to the event it reports;
* every active event is supported by at least one active claim;
* a prediction has a horizon, or its notes say why not;
* attribution agrees with who asserts the claim and how.

Each rule is evaluated on whole Arrow columns; Python touches only the rows
that break a rule (and, for sentences, one loop per source text).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from belarus_data.checks.arrays import mask, strings
from belarus_data.checks.context import Context
from belarus_data.tables import table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# A sentence ends at . ! ? or … (optionally followed by closing quotes/brackets)
# before white space, or at a line break. The pattern starts with a character
# class so the scan over long texts stays fast; the white-space test is in Python.
SENTENCE_END = re.compile(r"[.!?…\n][\"'’”)\]]*\s*")


@lru_cache(maxsize=64)
def sentence_boundaries(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """For each sentence end in ``text``: the offset just past it, and where the next sentence starts."""
    ends, next_starts = [], []
    for match in SENTENCE_END.finditer(text):
        found = match.group()
        if found[0] == "\n":
            ends.append(match.start())
            next_starts.append(match.start() + len(found) - len(found.lstrip()))
            continue
        if found[-1].isspace():
            ends.append(match.start() + len(found.rstrip()))
        else:
            continue  # punctuation inside a sentence (e.g. "3.5") or at the very end of the text
        next_starts.append(match.end())
    return tuple(ends), tuple(next_starts)


def sentence_ends(text: str) -> tuple[int, ...]:
    """Offsets just past each sentence end in ``text``."""
    return sentence_boundaries(text)[0]


def sentence_span(text: str, offset: int) -> tuple[int, int]:
    """The [start, end) span of the sentence containing ``offset``."""
    ends = sentence_ends(text)
    i = bisect.bisect_right(ends, offset)
    start = ends[i - 1] if i > 0 else 0
    end = ends[i] if i < len(ends) else len(text)
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _rows(values: Any) -> list[int]:
    import numpy as np

    return [int(i) for i in np.flatnonzero(mask(values))]


def _word_form(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """How statements and quotes are compared: lower case, each run of non-word characters one space."""
    import pyarrow.compute as pc

    folded = pc.utf8_lower(column)  # text is NFC already (checked per cell)
    # RE2's \w is ASCII-only; letters and digits of every script are words here.
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(folded, r"[^\p{L}\p{N}_]+", " "))


def _quote_spans(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which quotes [start, end) of ``text`` run past the end of the sentence they start in."""
    import numpy as np

    sentence_end, next_start = (np.array(v, dtype=np.int64) for v in sentence_boundaries(text))
    after = np.searchsorted(sentence_end, starts, side="right")
    # The quote may end with its sentence's own punctuation (and trailing space); reaching into the
    # next sentence's first character is spanning.
    limit = np.where(after < len(next_start), next_start[np.minimum(after, len(next_start) - 1)], len(text))
    spans: np.ndarray = ends > limit
    return spans


def check_quote_in_one_sentence(ctx: Context) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if "claims" not in ctx.tables or not ctx.texts:
        return
    data = ctx.tables["claims"].data
    whole = {name: pc.match_substring_regex(data.column(name), "^[0-9]{1,9}$") for name in ("start", "end")}
    known = pc.is_in(data.column("source_id"), value_set=pa.array(list(ctx.texts), pa.string()))
    rows = np.flatnonzero(mask(pc.and_(pc.and_(whole["start"], whole["end"]), known)))
    if len(rows) == 0:
        return
    subset = data.take(rows)
    starts = np.asarray(pc.cast(subset.column("start"), pa.int64()))
    ends = np.asarray(pc.cast(subset.column("end"), pa.int64()))
    sources = pc.dictionary_encode(subset.column("source_id")).combine_chunks()
    source_of_row = np.asarray(sources.indices)
    # Group rows by source with one sort (not one scan of all rows per source).
    order = np.argsort(source_of_row, kind="stable")
    cuts = np.flatnonzero(np.diff(source_of_row[order])) + 1
    for members in np.split(order, cuts):
        text = ctx.texts[sources.dictionary[int(source_of_row[members[0]])].as_py()]
        s, e = starts[members], ends[members]
        checkable = (s < e) & (e <= len(text))  # other offsets are the evidence checks' to report
        members = members[checkable]
        for member in members[_quote_spans(text, s[checkable], e[checkable])].tolist():
            ctx.add(
                table("claims"),
                int(rows[member]),
                "quote",
                "quote-spans-sentences",
                "the quote runs past the end of its sentence",
                "cut the quote to one sentence; make one claim per sentence",
            )


BATCH_ROWS = 100_000  # normalised copies of two text columns are held one batch at a time


def check_statement_paraphrases(ctx: Context) -> None:
    if "claims" not in ctx.tables:
        return
    data = ctx.tables["claims"].data.select(["statement", "quote"])
    for first in range(0, data.num_rows, BATCH_ROWS):
        _flag_copied_statements(ctx, data.slice(first, BATCH_ROWS), first)


def _flag_copied_statements(ctx: Context, batch: pa.Table, first: int) -> None:
    import numpy as np
    import pyarrow.compute as pc

    statement, quote = _word_form(batch.column("statement")), _word_form(batch.column("quote"))
    copies = set(_rows(pc.and_(pc.equal(statement, quote), pc.greater(pc.utf8_length(statement), 0))))
    # Containment needs a per-row pattern: compare in Python only statements short enough to fit.
    length = pc.utf8_length(statement)
    fits = pc.and_(pc.greater_equal(length, 20), pc.less(length, pc.utf8_length(quote)))
    candidates = np.flatnonzero(mask(fits))
    if len(candidates):
        pairs = zip(statement.take(candidates).to_pylist(), quote.take(candidates).to_pylist(), strict=True)
        copies |= {int(row) for row, (st, qu) in zip(candidates.tolist(), pairs, strict=True) if st in qu}
    for row in sorted(copies):
        ctx.add(
            table("claims"),
            first + row,
            "statement",
            "statement-copies-quote",
            "copies the evidence quote instead of paraphrasing it",
            "say what the source asserts in your own words; the quote is kept verbatim in its own column",
        )


def check_events_linked_and_supported(ctx: Context) -> None:
    import pyarrow.compute as pc

    if "claims" not in ctx.tables:
        return
    claims = ctx.tables["claims"].data
    active = pc.equal(claims.column("record_status"), "active")
    unlinked_report = pc.and_(
        pc.and_(active, pc.equal(claims.column("claim_type"), "report")),
        pc.and_(pc.is_valid(claims.column("time_edtf")), pc.is_null(claims.column("event_id"))),
    )
    for row in _rows(unlinked_report):
        ctx.add(
            table("claims"),
            row,
            "event_id",
            "report-without-event",
            "a dated report claim does not link to the event it reports",
            "link it with event_id (add the event to records/events.csv if it is new)",
        )
    if "events" not in ctx.tables:
        return
    supported = pc.unique(pc.filter(claims.column("event_id"), mask(active)).drop_null())
    events = ctx.tables["events"].data
    unsupported = pc.and_(
        pc.equal(events.column("record_status"), "active"),
        pc.invert(pc.is_in(events.column("id"), value_set=supported)),
    )
    for row in _rows(pc.and_(unsupported, pc.is_valid(events.column("id")))):
        ctx.add(
            table("events"),
            row,
            "id",
            "event-unsupported",
            "no active claim reports this event",
            "link the claims that report it through their event_id, or retract the event",
        )


def check_prediction_horizon(ctx: Context) -> None:
    import pyarrow.compute as pc

    if "claims" not in ctx.tables:
        return
    claims = ctx.tables["claims"].data
    predicts = pc.or_(
        pc.equal(claims.column("claim_type"), "prediction"), pc.equal(claims.column("modality"), "predicted")
    )
    bare = pc.and_(pc.is_null(claims.column("horizon")), pc.is_null(claims.column("notes")))
    for row in _rows(pc.and_(predicts, bare)):
        ctx.add(
            table("claims"),
            row,
            "horizon",
            "prediction-horizon",
            "a prediction has no horizon and no note saying why",
            "give the horizon as EDTF (e.g. 2022-08/2022-09), or say in notes why the text gives none",
        )


def check_attribution(ctx: Context) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    if "claims" not in ctx.tables or "sources" not in ctx.tables:
        return
    claims, sources = ctx.tables["claims"].data, ctx.tables["sources"].data
    # The outlet of each claim's source (null when the source is unknown or names no outlet actor).
    if sources.num_rows:
        position = pc.index_in(claims.column("source_id"), value_set=sources.column("id").combine_chunks())
        outlet = pc.take(sources.column("outlet_actor_id"), pc.fill_null(position, 0))
        outlet = pc.if_else(pc.is_null(position), pa.scalar(None, pa.string()), outlet)
    else:
        outlet = pa.nulls(claims.num_rows, pa.string())
    own_voice = pc.fill_null(pc.equal(claims.column("asserted_by"), outlet), False)
    attribution = claims.column("attribution")
    author = pc.equal(attribution, "author")
    not_outlet = _rows(pc.and_(pc.and_(author, pc.is_valid(outlet)), pc.invert(own_voice)))
    expected_outlets = pc.take(outlet, pa.array(not_outlet, pa.int64())).to_pylist()
    for row, expected in zip(not_outlet, expected_outlets, strict=True):
        ctx.add(
            table("claims"),
            row,
            "asserted_by",
            "attribution-mismatch",
            f"attribution is author but asserted_by is not the source's outlet ({expected})",
            f"set asserted_by to {expected}, or attribution to cited/unnamed",
        )
    for row in _rows(pc.and_(pc.is_in(attribution, value_set=strings(["cited", "unnamed"])), own_voice)):
        ctx.add(
            table("claims"),
            row,
            "asserted_by",
            "attribution-mismatch",
            "a cited claim is asserted_by the outlet itself",
            "set asserted_by to the actor the source cites",
        )
    for row in _rows(pc.and_(pc.equal(claims.column("modality"), "reported"), author)):
        ctx.add(
            table("claims"),
            row,
            "modality",
            "attribution-mismatch",
            "modality reported is for claims relayed from others, but attribution is author",
            "use attribution cited/unnamed, or another modality",
        )


CHECKS: tuple[Callable[[Context], None], ...] = (
    check_quote_in_one_sentence,
    check_statement_paraphrases,
    check_events_linked_and_supported,
    check_prediction_horizon,
    check_attribution,
)
