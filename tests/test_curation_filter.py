"""The copied-statement filter (runs of word characters searched a round at a time) finds exactly the copies.

Both of its paths are held to the definition (``copied_statements_exact``): Python's ``in`` for a few
rows and polars' literal search for a batch, on chunked columns cut into several batches, with nulls,
both scripts, characters that change length or script when lower-cased, and copies that begin or end
in the middle of a word.
"""

from __future__ import annotations

import random
from unittest.mock import patch

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belarus_data.checks import curation
from belarus_data.checks.curation import (
    copied_statements,
    copied_statements_exact,
    spans_sentences,
    spans_sentences_each,
)

WORDS = [
    "Lukashenka",
    "ЛУКАШЭНКА",
    "лукашэнка",
    "minsk",
    "Мінск",
    "\u212aalashnikovs",  # KELVIN SIGN: lower-cases to ASCII k
    "İstanbul",  # U+0130: lower-cases to i (Arrow) or i + dot (Python)
    "ΣΟΦΙΑΣ",  # final sigma
    "café",
    "Ѡѡ",
    "x_1",
    "2024",
    "ab",
    "",
]
GLUE = [" ", ", ", " — ", "’", "\n", ".", " \u00a0", "-"]


def _text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(GLUE) for _ in range(words))


def _corpus(rows: int, seed: int) -> tuple[list[str | None], list[str | None]]:
    rng = random.Random(seed)
    statements: list[str | None] = []
    quotes: list[str | None] = []
    for _ in range(rows):
        quote = _text(rng, rng.randint(0, 40))
        kind = rng.random()
        if kind < 0.4 and quote:
            # A copy of a stretch of the quote, cut anywhere (even inside a word), in any case.
            i = rng.randint(0, len(quote))
            j = rng.randint(i, len(quote))
            statement = quote[i:j]
            statement = rng.choice([statement, statement.upper(), statement.lower(), statement.title()])
        elif kind < 0.45:
            statement = None
        else:
            statement = _text(rng, rng.randint(0, 12))
        statements.append(statement)
        quotes.append(None if rng.random() < 0.03 else quote)
    return statements, quotes


@pytest.mark.parametrize("polars_rows", [1, 10**9], ids=["polars", "python"])
def test_both_searches_find_exactly_the_copies(monkeypatch: pytest.MonkeyPatch, polars_rows: int) -> None:
    monkeypatch.setattr(curation, "POLARS_ROWS", polars_rows)
    monkeypatch.setattr(curation, "BATCH_ROWS", 700)  # several batches, cut across the chunks below
    statements, quotes = _corpus(3000, seed=16)
    chunked_s = pa.chunked_array([statements[:1234], statements[1234:]], pa.string())
    chunked_q = pa.chunked_array([quotes[:999], quotes[999:]], pa.string())
    exact = copied_statements_exact(pa.array(statements), pa.array(quotes)).tolist()
    assert len(exact) > 300  # the corpus holds copies (else the comparison proves nothing)
    assert copied_statements(chunked_s, chunked_q).tolist() == exact


@pytest.mark.parametrize("polars_rows", [1, 10**9], ids=["polars", "python"])
def test_a_long_copy_survives_every_round(monkeypatch: pytest.MonkeyPatch, polars_rows: int) -> None:
    monkeypatch.setattr(curation, "POLARS_ROWS", polars_rows)
    quote = " ".join(f"Слова{k} word{k}" for k in range(200)) + "."
    statement = quote[7:-30].upper()  # starts and ends inside a word
    paraphrase = quote[7:-30].replace("word150", "term150")
    rows = copied_statements(pa.array([statement, paraphrase]), pa.array([quote, quote])).tolist()
    assert rows == [0]


def test_a_statement_without_a_run_is_judged_by_the_definition() -> None:
    # No run of four ASCII or Cyrillic word characters: nothing to search, so the definition decides.
    quote = "αβγ δεζ ηθι κλμ, νξο πρσ τυφ χψω: αβγ δεζ ηθι."
    statements = ["ΑΒΓ ΔΕΖ ΗΘΙ ΚΛΜ ΝΞΟ ΠΡΣ", "ΑΒΓ ΔΕΖ ΗΘΙ ΚΛΜ ΝΞΩ ΠΡΣ", "abc de"]
    rows = copied_statements(pa.array(statements), pa.array([quote, quote, "abc de fg"])).tolist()
    assert rows == [0]


SENTENCE_ALPHABET = list(".!?…\"'’”)] \t\n\u00a0\u2003\x85\x1c\u200baZж")


@given(st.lists(st.text(alphabet=st.sampled_from(SENTENCE_ALPHABET), max_size=10), min_size=1, max_size=40))
@settings(max_examples=300, deadline=None)
def test_the_sentence_filter_keeps_every_quote_that_spans_sentences(quotes: list[str]) -> None:
    expected = [spans_sentences(quote) for quote in quotes]
    with patch.object(curation, "POLARS_ROWS", 1):  # the lead filter (polars), then RE2 on what it keeps
        filtered = spans_sentences_each(pa.array(quotes)).tolist()
    assert filtered == expected
    assert spans_sentences_each(pa.array(quotes)).tolist() == expected  # RE2 on every quote


@pytest.mark.parametrize("polars_rows", [1, 10**9], ids=["polars", "re2"])
def test_sentence_ends_the_trim_must_not_hide(monkeypatch: pytest.MonkeyPatch, polars_rows: int) -> None:
    monkeypatch.setattr(curation, "POLARS_ROWS", polars_rows)
    quotes = ["line one\n.", "ends.\u00a0”", "ends.) ’", "one.\n\n)", "a … b.", "3.5 of it.", "ok.”)", None, ""]
    chunked = pa.chunked_array([quotes[:4], quotes[4:]], pa.string())
    assert spans_sentences_each(chunked).tolist() == [True, True, True, True, True, False, False, False, False]
