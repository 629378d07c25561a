"""Curation rules: mechanical checks that records follow docs/curation.md.

* a quote lies inside one sentence of its source;
* a statement paraphrases, it does not copy its quote;
* a dated report claim links to the event it reports;
* every active event is supported by at least one active claim;
* a prediction has a horizon, or its notes say why not;
* attribution agrees with who asserts the claim and how.

Each rule is evaluated on whole Arrow columns or their buffers; Python touches
only the rows that break a rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from belarus_data.checks.context import Context
from belarus_data.checks.joins import kept
from belarus_data.storage.arrays import POLARS_ROWS, mask, polars_strings, strings, take_rows
from belarus_data.storage.tables import table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# A sentence boundary inside a quote, with more of the quote after it: . ! ? or … (with any closing
# quotes or brackets) followed by white space, or a line break. Only the quote is read: the evidence
# check has already verified that it is exactly the text between its offsets.
INNER_BOUNDARY = re.compile(r"[.!?…][\"'’”)\]]*\s+(?=\S)|\n\s*(?=\S)")
# The same in RE2 (Arrow), whose \s is ASCII-only: Python's str white space is exactly these.
_SPACE = r"\t-\r\x{1c}-\x{1f}\x{85}\p{Z}"
INNER_BOUNDARY_RE2 = rf"[.!?…][\"'’”)\]]*[{_SPACE}]+[^{_SPACE}]|\n[{_SPACE}]*[^{_SPACE}]"


def spans_sentences(quote: str) -> bool:
    """Whether ``quote`` runs past the end of the sentence it starts in.

    >>> spans_sentences("Minsk denied it. Moscow did not comment")
    True
    >>> spans_sentences("Minsk denied it.")
    False
    """
    return INNER_BOUNDARY.search(quote) is not None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    r"""The sentences of ``text`` as code-point ``(start, end)`` offsets, by the rule the checks apply.

    White space between sentences belongs to none of them, so ``text[start:end]`` is a quotable
    sentence (its first and last characters are not white space).

    >>> sentence_spans("Minsk denied it. Moscow did not comment.\nTitle")
    [(0, 16), (17, 40), (41, 46)]
    """
    spans = []
    start = 0
    for end in [match.end() for match in INNER_BOUNDARY.finditer(text)] + [len(text)]:
        segment = text[start:end]
        stripped = segment.strip()
        if stripped:
            first = start + (len(segment) - len(segment.lstrip()))
            spans.append((first, first + len(stripped)))
        start = end
    return spans


def _rows(values: Any) -> list[int]:
    import numpy as np

    return [int(i) for i in np.flatnonzero(mask(values))]


def prepare_quote_spans(ctx: Context) -> None:
    """Which quotes span sentences, worked out ahead (on any thread) for :func:`check_quote_in_one_sentence`.

    The rule reports only quotes the text check found in place, so it runs after that check, at the
    end of the longest lane; the scan itself needs only the quotes.
    """
    if "claims" in ctx.tables and "quote" in ctx.tables["claims"].data.column_names:
        _quote_spans(ctx)


def _quote_spans(ctx: Context) -> np.ndarray:
    data = ctx.tables["claims"].data
    return kept((data,), ("quotes spanning sentences",), lambda: spans_sentences_each(data.column("quote")))


def check_quote_in_one_sentence(ctx: Context) -> None:
    """A verified quote lies inside one sentence of its source (one claim per sentence)."""
    import numpy as np

    if "claims" not in ctx.tables or ctx.quotes_verified is None:
        return
    spanning = _quote_spans(ctx)
    for row in np.flatnonzero(spanning & ctx.quotes_verified).tolist():
        ctx.add(
            table("claims"),
            row,
            "quote",
            "quote-spans-sentences",
            "the quote runs past the end of its sentence",
            "cut the quote to one sentence; make one claim per sentence",
        )


# What a quote may end with after its last sentence boundary's character. A quote spans no boundary
# unless, with these trimmed from its end, it still holds a boundary's leading character: a line break
# anywhere, or . ! ? … with a character after it that is not one of these (polars' regex, no copy).
_SENTENCE_END = ".!?…\"'’”)]"
_MAY_SPAN = "(?s)[.!?…].*[^" + re.escape(_SENTENCE_END) + "]|\n"


def spans_sentences_each(quotes: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """:func:`spans_sentences` of each quote (False where null), as a numpy mask.

    The boundary regex (RE2, ~500 MB/s) runs only on quotes that would hold one
    of its leading characters (``. ! ? … \\n``) once the characters a quote may
    end with were trimmed off: a boundary's leading character is followed by
    white space or a line's text, which such a trim never removes. That test is
    polars' (Rust regex with a SIMD prefilter), on the quotes as they are.

    >>> import pyarrow as pa
    >>> spans_sentences_each(pa.array(["Minsk denied it. Moscow did not comment", "Minsk denied it.", None])).tolist()
    [True, False, False]
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(quotes) < POLARS_ROWS:
        return mask(pc.match_substring_regex(quotes, INNER_BOUNDARY_RE2))

    may = polars_strings(quotes).str.contains(_MAY_SPAN).fill_null(False).to_numpy()
    spanning = np.zeros(len(quotes), dtype=bool)
    rows = np.flatnonzero(may)
    if len(rows):
        suspects = take_rows(pa.table({"quote": quotes}), rows).column("quote")
        spanning[rows] = mask(pc.match_substring_regex(suspects, INNER_BOUNDARY_RE2))
    return spanning


def _word_form(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """How statements and quotes are compared: lower case, each run of non-word characters one space."""
    import pyarrow.compute as pc

    folded = pc.utf8_lower(column)  # text is NFC already (checked per cell)
    # RE2's \w is ASCII-only; letters and digits of every script are words here.
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(folded, r"[^\p{L}\p{N}_]+", " "))


BATCH_ROWS = 100_000  # statements and quotes are lower-cased and searched one batch at a time

# A run of four or more characters that are word characters ([\p{L}\p{N}_]) in every Unicode version:
# ASCII letters, digits and _, and the Cyrillic letters U+0400–U+047F. Lower-cased (one code point to
# one, by the same Arrow kernel as the rule's word form), such a run of a statement is a piece of one
# of its words, so a copy's quote, lower-cased, contains it.
WORD_RUN = "[0-9A-Z_a-z\u0400-\u047f]{4,}"
# Each round searches one run: the first from this fraction of the statement's length on (from the middle
# of a word, a piece of that word). A round searches only the rows still in the running.
ROUND_STARTS = (0.0, 0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875)


def _may_be_copied(statements: pa.ChunkedArray | pa.Array, quotes: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Rows of one batch that may be copies: each run searched (ROUND_STARTS) is in the lower-cased quote.

    A statement with no run at all is a suspect too. The search is polars'
    literal ``str.contains`` with one needle per row (Rust, memchr); for a few
    rows, Python's ``in``. Null statements and quotes are never copies.
    """
    import numpy as np
    import pyarrow.compute as pc

    both = mask(pc.and_(pc.is_valid(statements), pc.is_valid(quotes)))
    if not both.any():
        return np.zeros(0, dtype=np.int64)
    lowered = pc.utf8_lower(quotes)
    if int(both.sum()) < POLARS_ROWS:
        return _may_be_copied_few(statements, lowered, np.flatnonzero(both))
    import polars as pl

    frame = pl.DataFrame({"s": polars_strings(statements), "q": polars_strings(lowered)}).with_row_index("row")
    frame = frame.filter(pl.col("s").is_not_null() & pl.col("q").is_not_null())
    for start in ROUND_STARTS:
        if frame.height == 0:
            break
        text = frame.get_column("s")
        if start:
            text = text.str.slice((text.str.len_chars() * start).cast(pl.Int64))
        runs = text.str.extract(f"({WORD_RUN})", 1)
        needles = polars_strings(pc.utf8_lower(runs.to_arrow()))  # a row without a run stays in the running
        frame = frame.filter(pl.col("q").str.contains(pl.lit(needles), literal=True).fill_null(True))
    result: np.ndarray = frame.get_column("row").to_numpy().astype(np.int64)
    return result


def _may_be_copied_few(
    statements: pa.ChunkedArray | pa.Array, lowered: pa.ChunkedArray | pa.Array, rows: np.ndarray
) -> np.ndarray:
    """:func:`_may_be_copied` for a few ``rows`` (both values present), in Python."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    take = pa.array(rows, pa.int64())
    texts = pc.utf8_lower(statements.take(take)).to_pylist()
    quotes = lowered.take(take).to_pylist()
    pattern = _word_run()

    def may_be_copied(text: str, quote: str) -> bool:
        for start in ROUND_STARTS:
            run = pattern.search(text, int(len(text) * start))
            if run is not None and run.group() not in quote:
                return False
        return True

    keep = [may_be_copied(text, quote) for text, quote in zip(texts, quotes, strict=True)]
    result: np.ndarray = rows[np.array(keep, dtype=bool)]
    return result


@lru_cache(maxsize=1)
def _word_run() -> re.Pattern[str]:
    return re.compile(WORD_RUN)


def check_statement_paraphrases(ctx: Context) -> None:
    """A statement paraphrases its quote: it is neither the quote nor a run of words copied from it."""
    if "claims" not in ctx.tables:
        return
    data = ctx.tables["claims"].data.select(["statement", "quote"])
    for row in copied_statements(data.column("statement"), data.column("quote")).tolist():
        ctx.add(
            table("claims"),
            row,
            "statement",
            "statement-copies-quote",
            "copies the evidence quote instead of paraphrasing it",
            "say what the source asserts in your own words; the quote is kept verbatim in its own column",
        )


def copied_statements(statements: pa.ChunkedArray | pa.Array, quotes: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Rows whose statement copies its quote: the same words, or (from 20 characters) a run of the quote's words.

    Exactly :func:`copied_statements_exact`, which normalises every row with a
    regex (~25 MB/s); here a cheap filter (:func:`_may_be_copied`) finds the
    rows that can be copies first, a batch at a time, and the definition runs
    once on them. A copy's word form lies inside the quote's, so every run of
    word characters of the lower-cased statement is in the lower-cased quote.

    >>> import pyarrow as pa
    >>> copied_statements(pa.array(["Minsk denied it", "Minsk said no"]), pa.array(["MINSK denied it.", "No."])).tolist()
    [0]
    """
    import numpy as np
    import pyarrow as pa

    suspects = [
        first + _may_be_copied(statements.slice(first, BATCH_ROWS), quotes.slice(first, BATCH_ROWS))
        for first in range(0, len(statements), BATCH_ROWS)
    ]
    rows = np.concatenate(suspects) if suspects else np.zeros(0, dtype=np.int64)
    if len(rows) == 0:
        return rows
    # Taken block by block (not one concatenation of each whole column), then one chunk: the regex
    # below compiles its Unicode classes once per chunk.
    suspect = take_rows(pa.table({"statement": statements, "quote": quotes}), rows).combine_chunks()
    result: np.ndarray = rows[copied_statements_exact(suspect.column("statement"), suspect.column("quote"))]
    return result


def copied_statements_exact(statements: pa.ChunkedArray | pa.Array, quotes: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The definition of a copied statement, row by row (see :func:`copied_statements`)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    st, qu = _word_form(statements), _word_form(quotes)
    copies = set(_rows(pc.and_(pc.equal(st, qu), pc.greater(pc.utf8_length(st), 0))))
    # Containment needs a per-row pattern: compare in Python only statements short enough to fit.
    length = pc.utf8_length(st)
    fits = np.flatnonzero(mask(pc.and_(pc.greater_equal(length, 20), pc.less(length, pc.utf8_length(qu)))))
    if len(fits):
        pairs = zip(st.take(pa.array(fits)).to_pylist(), qu.take(pa.array(fits)).to_pylist(), strict=True)
        copies |= {int(k) for k, (s, q) in zip(fits.tolist(), pairs, strict=True) if s in q}
    return np.array(sorted(copies), dtype=np.int64)


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
