"""Curation rules: mechanical checks that records follow docs/curation.md.

* a quote lies inside one sentence of its source;
* a statement paraphrases, it does not copy its quote;
* a dated report claim links to the event it reports;
* every active event is supported by at least one active claim;
* a prediction has a horizon, or its notes say why not;
* attribution agrees with who asserts the claim and how.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from belarus_data.checks.context import Context
from belarus_data.tables import table

# A sentence ends at . ! ? or … (optionally followed by closing quotes/brackets)
# before white space, or at a line break. Deliberately simple and predictable:
# contributors can see exactly where a boundary is.
SENTENCE_END = re.compile(r"[.!?…][\"'’”)\]]*(?=\s)|\n+")


@lru_cache(maxsize=64)
def sentence_ends(text: str) -> tuple[int, ...]:
    """Offsets just past each sentence end in ``text``."""
    return tuple(m.end() for m in SENTENCE_END.finditer(text))


def sentence_span(text: str, offset: int) -> tuple[int, int]:
    """The [start, end) span of the sentence containing ``offset``."""
    ends = sentence_ends(text)
    i = bisect.bisect_right(ends, offset)
    start = ends[i - 1] if i > 0 else 0
    end = ends[i] if i < len(ends) else len(text)
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _words(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", folded))


def check_quote_in_one_sentence(ctx: Context) -> None:
    if "claims" not in ctx.tables:
        return
    rows = ctx.tables["claims"].data.select(["source_id", "quote", "start", "end"]).to_pylist()
    for index, row in enumerate(rows):
        text = ctx.texts.get(row["source_id"] or "")
        if text is None or not (row["start"] or "").isdigit() or not (row["end"] or "").isdigit():
            continue
        start, end = int(row["start"]), int(row["end"])
        if end <= start or end > len(text) or text[start:end] != row["quote"]:
            continue  # reported by the evidence checks
        s_start, s_end = sentence_span(text, start)
        # The sentence's own closing punctuation may end the quote.
        if end > s_end and text[s_end:end].strip():
            ctx.add(
                table("claims"),
                index,
                "quote",
                "quote-spans-sentences",
                f"the quote runs past the end of its sentence (sentence {s_start}–{s_end})",
                "cut the quote to one sentence; make one claim per sentence",
            )


def check_statement_paraphrases(ctx: Context) -> None:
    if "claims" not in ctx.tables:
        return
    rows = ctx.tables["claims"].data.select(["statement", "quote"]).to_pylist()
    for index, row in enumerate(rows):
        if not row["statement"] or not row["quote"]:
            continue
        statement, quote = _words(row["statement"]), _words(row["quote"])
        if statement == quote or (len(statement) >= 20 and statement in quote):
            ctx.add(
                table("claims"),
                index,
                "statement",
                "statement-copies-quote",
                "copies the evidence quote instead of paraphrasing it",
                "say what the source asserts in your own words; the quote is kept verbatim in its own column",
            )


def check_events_linked_and_supported(ctx: Context) -> None:
    if "claims" not in ctx.tables:
        return
    claims = ctx.tables["claims"].data.select(["claim_type", "event_id", "time_edtf", "record_status"]).to_pylist()
    supported: set[str] = set()
    for index, claim in enumerate(claims):
        if claim["record_status"] != "active":
            continue
        if claim["event_id"]:
            supported.add(claim["event_id"])
        elif claim["claim_type"] == "report" and claim["time_edtf"]:
            ctx.add(
                table("claims"),
                index,
                "event_id",
                "report-without-event",
                "a dated report claim does not link to the event it reports",
                "link it with event_id (add the event to records/events.csv if it is new)",
            )
    if "events" not in ctx.tables:
        return
    events = ctx.tables["events"].data.select(["id", "record_status"]).to_pylist()
    for index, event in enumerate(events):
        if event["record_status"] == "active" and event["id"] and event["id"] not in supported:
            ctx.add(
                table("events"),
                index,
                "id",
                "event-unsupported",
                "no active claim reports this event",
                "link the claims that report it through their event_id, or retract the event",
            )


def check_prediction_horizon(ctx: Context) -> None:
    if "claims" not in ctx.tables:
        return
    rows = ctx.tables["claims"].data.select(["claim_type", "modality", "horizon", "notes"]).to_pylist()
    for index, row in enumerate(rows):
        if (
            (row["claim_type"] == "prediction" or row["modality"] == "predicted")
            and not row["horizon"]
            and not row["notes"]
        ):
            ctx.add(
                table("claims"),
                index,
                "horizon",
                "prediction-horizon",
                "a prediction has no horizon and no note saying why",
                "give the horizon as EDTF (e.g. 2022-08/2022-09), or say in notes why the text gives none",
            )


def check_attribution(ctx: Context) -> None:
    if "claims" not in ctx.tables or "sources" not in ctx.tables:
        return
    outlets = {
        row["id"]: row["outlet_actor_id"]
        for row in ctx.tables["sources"].data.select(["id", "outlet_actor_id"]).to_pylist()
        if row["outlet_actor_id"]
    }
    rows = ctx.tables["claims"].data.select(["source_id", "asserted_by", "attribution", "modality"]).to_pylist()
    for index, row in enumerate(rows):
        outlet = outlets.get(row["source_id"] or "")
        own_voice = outlet is not None and row["asserted_by"] == outlet
        if row["attribution"] == "author" and outlet is not None and not own_voice:
            ctx.add(
                table("claims"),
                index,
                "asserted_by",
                "attribution-mismatch",
                f"attribution is author but asserted_by is not the source's outlet ({outlet})",
                f"set asserted_by to {outlet}, or attribution to cited/unnamed",
            )
        elif row["attribution"] in ("cited", "unnamed") and own_voice:
            ctx.add(
                table("claims"),
                index,
                "asserted_by",
                "attribution-mismatch",
                "a cited claim is asserted_by the outlet itself",
                "set asserted_by to the actor the source cites",
            )
        if row["modality"] == "reported" and row["attribution"] == "author":
            ctx.add(
                table("claims"),
                index,
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
