"""One right fix for a quote that is not at its offsets: where it occurs, or the nearest passage and how it differs.

Shared by ``validate`` (:mod:`belarus_data.checks.evidence`, code ``quote-mismatch``) and ``new``
(:mod:`belarus_data.commands.scaffold`), so both say the same thing. Each hint starts with the
assignments that make the row right (``set start to 87 and end to 129``; ``set quote to '…'``), so
following the first hint never leaves the row in a worse state:

* the quote is the start (or end) of the text at its offsets: it was cut short, and the fix restores
  it, rather than moving ``end`` so that the shortened quote fits;
* the quote occurs elsewhere: the offsets of the occurrence nearest the given ones;
* it does not occur: the nearest passage (the same words up to case, spacing, apostrophes, quotation
  marks and dashes, or the passage between its first and last words), and the first character
  where they differ, with code points (``'`` U+0027 vs ``’`` U+2019).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from belarus_data.models.columns import describe_char

MAX_OCCURRENCES = 100  # occurrences looked at to choose the nearest one
MAX_RESTORED = 600  # characters: the longest quote a claim may hold (the quote column's rule)
ANCHOR_CHARS = 16  # characters of each end of a quote looked for when the whole quote is not found
ELLIPSES = ("…", "...")
NEAR_WINDOW = 20_000  # characters each side of the given offsets searched first for the nearest passage
MAX_LOOSE_TEXT = 2_000_000  # characters: a longer text is searched for the nearest passage only near the offsets

# Characters a keyboard, an editor or a spreadsheet puts in place of each other.
_EQUIVALENT = ("'’‘‛′`´", '"“”„‟″«»', "-‐‑‒–—―−")


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    out: dict[str, str] = {}
    for group in _EQUIVALENT:
        pattern = "[" + "".join(re.escape(ch) for ch in group) + "]"
        out.update(dict.fromkeys(group, pattern))
    return out


def _loose_pattern(quote: str) -> re.Pattern[str]:
    """The quote up to case, runs of white space, apostrophes, quotation marks and dashes."""
    classes = _classes()
    parts: list[str] = []
    for token in re.findall(r"\s+|\S", quote.strip()):
        parts.append(r"\s+" if token.isspace() else classes.get(token, re.escape(token)))
    return re.compile("".join(parts), re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """Code points ``start`` to ``end`` of a text: where a quote is, or the passage nearest to it."""

    start: int
    end: int
    text: str


def _nearest(spans: list[tuple[int, int]], near: int | None) -> tuple[int, int]:
    return min(spans, key=lambda span: (abs(span[0] - near) if near is not None else 0, span[0]))


def occurrences(text: str, quote: str, limit: int = MAX_OCCURRENCES) -> list[int]:
    """Where ``quote`` occurs exactly in ``text`` (the first ``limit`` starts).

    >>> occurrences("a b a b", "a b")
    [0, 4]
    """
    found: list[int] = []
    at = text.find(quote) if quote else -1
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def nearest_passage(text: str, quote: str, near: int | None = None) -> Passage | None:
    """The passage of ``text`` nearest to a ``quote`` that does not occur exactly, or None.

    >>> nearest_passage("He said: ‘we won’t’.", "we won't")
    Passage(start=10, end=18, text='we won’t')
    """
    body = quote.strip()
    if not body:
        return None
    # Near the given offsets first, then (in a text of ordinary size) anywhere: a loose match costs up to
    # the quote's length per position in a text of repetitions, so the text searched is bounded.
    if near is not None:
        for window in (2 * len(body) + 64, 4_096, NEAR_WINDOW):  # widening: the nearest matches come first
            if 2 * window >= len(text):
                break
            first = max(0, near - window)
            found = nearest_passage(text[first : near + window], quote, near - first)
            if found is not None:
                return Passage(found.start + first, found.end + first, found.text)
    if len(text) > MAX_LOOSE_TEXT:
        return None
    spans = [m.span() for _, m in zip(range(MAX_OCCURRENCES), _loose_pattern(body).finditer(text), strict=False)]
    if spans:
        start, end = _nearest(spans, near)
        return Passage(start, end, text[start:end])
    # The first and last words found: the passage between them (a word added, dropped or mistyped inside).
    k = min(ANCHOR_CHARS, len(body) // 2)
    if k < 4:
        return None
    heads = [m.start() for _, m in zip(range(MAX_OCCURRENCES), _loose_pattern(body[:k]).finditer(text), strict=False)]
    tails = [m.end() for _, m in zip(range(MAX_OCCURRENCES), _loose_pattern(body[-k:]).finditer(text), strict=False)]
    pairs = [(h, t) for h in heads for t in tails if h < t <= h + 2 * len(body)]
    if pairs:
        start, end = _nearest(pairs, near)
    elif heads:
        start = _nearest([(h, h) for h in heads], near)[0]
        end = min(len(text), start + len(body))
    elif tails:
        end = _nearest([(t, t) for t in tails], near)[0]
        start = max(0, end - len(body))
    else:
        return None
    return Passage(start, end, text[start:end])


def first_difference(quote: str, passage: str) -> str:
    """Where ``quote`` and ``passage`` first differ, each character named with its code point.

    >>> first_difference("won't", "won’t")
    "they differ at character 4: ' U+0027 (APOSTROPHE, Po) in the quote, ’ U+2019 (RIGHT SINGLE QUOTATION MARK, Pf) in the text"
    """
    at = next(
        (i for i, (a, b) in enumerate(zip(quote, passage, strict=False)) if a != b), min(len(quote), len(passage))
    )
    if at == len(quote) == len(passage):
        return "they are the same"

    def shown(s: str) -> str:
        return f"{s[at]} {describe_char(s[at])}" if at < len(s) else "nothing (it ends there)"

    return f"they differ at character {at + 1}: {shown(quote)} in the quote, {shown(passage)} in the text"


def _cut_short(text: str, quote: str, start: int, end: int) -> str | None:
    """The text at the offsets, if the quote is its beginning or end (the quote was cut short)."""
    if not 0 <= start < end <= len(text) or end - start > MAX_RESTORED:
        return None
    at = text[start:end]
    body = quote
    for mark in ELLIPSES:
        if body.endswith(mark) and not at.endswith(mark):
            body = body[: -len(mark)].rstrip()
        if body.startswith(mark) and not at.startswith(mark):
            body = body[len(mark) :].lstrip()
    if body and len(body) < len(at) and (at.startswith(body) or at.endswith(body)):
        return at
    return None


def quote_fix(text: str, quote: str, start: int, end: int) -> str:
    """The one fix for a claim whose ``quote`` is not exactly ``text[start:end]``: what to set, and why.

    >>> quote_fix("Minsk said no. Minsk said yes.", "said yes", 20, 28)
    'set start to 21 and end to 29 (where the quote occurs)'
    >>> quote_fix("Minsk said no. Minsk said yes.", "Minsk said", 15, 30)
    "the quote is cut short: the text at 15–30 reads 'Minsk said yes.'; set quote to 'Minsk said yes.'"
    """
    restored = _cut_short(text, quote, start, end)
    if restored is not None:
        return f"the quote is cut short: the text at {start}–{end} reads {restored!r}; set quote to {restored!r}"
    found = occurrences(text, quote)
    if found:
        at = _nearest([(s, s) for s in found], start)[0]
        where = "where the quote occurs" if len(found) == 1 else f"the nearest of the {len(found)} places it occurs"
        return f"set start to {at} and end to {at + len(quote)} ({where})"
    passage = nearest_passage(text, quote, start)
    if passage is None:
        return "the quote does not occur in the text: copy it exactly (curly quotes, spaces) from the source"
    moved = (
        "" if (passage.start, passage.end) == (start, end) else f", start to {passage.start} and end to {passage.end}"
    )
    return (
        f"set quote to {passage.text!r}{moved} (the quote does not occur in the text; this is the nearest passage, "
        f"at {passage.start}–{passage.end}: {first_difference(quote, passage.text)})"
    )
