"""Curation checks (docs/curation.md) on broken copies of the valid fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import line_of, read_rows, set_cell
from hypothesis import given, settings
from hypothesis import strategies as st
from test_validate import assert_problem

from belarus_data import validate
from belarus_data.checks.curation import (
    INNER_BOUNDARY_RE2,
    copied_statements,
    copied_statements_exact,
    spans_sentences,
)


def test_sentence_boundaries_inside_a_quote() -> None:
    assert spans_sentences("First one. Second")
    assert spans_sentences("Second ’one’.’ Third")  # closing quotes stay with their sentence
    assert spans_sentences("Third?\n\nFourth")
    assert spans_sentences("Он сказал… Потом")
    assert spans_sentences("ends here.\u00a0Next")  # any Unicode white space
    assert not spans_sentences("Second ’one’.")  # its own full stop and closing quote
    assert not spans_sentences("version 3.5 of the plan")  # no white space after the point
    assert not spans_sentences("ends here. ")  # nothing of the next sentence


def test_quote_spanning_two_sentences(root: Path) -> None:
    text = (root / "records" / "texts" / "fixture-note.txt").read_text(encoding="utf-8")
    quote = "in mid-June. Ukrainian intelligence"
    start = text.index(quote)
    line = line_of(root, "claims", "clm-fx1a2b3c")
    for column, value in {
        "quote": quote,
        "start": str(start),
        "end": str(start + len(quote)),
        "prefix": "",
        "suffix": "",
    }.items():
        set_cell(root, "claims", line, column, value)
    assert_problem(root, "quote-spans-sentences", "records/claims.csv", line, "quote")


def test_statement_copying_the_quote(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx4d5e6f")
    set_cell(root, "claims", line, "statement", "Russian aircraft used Belarusian airfields.")
    assert_problem(root, "statement-copies-quote", "records/claims.csv", line, "statement")


def test_dated_report_without_event(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx1a2b3c")
    set_cell(root, "claims", line, "event_id", "")
    assert_problem(root, "report-without-event", "records/claims.csv", line, "event_id")
    # ... and the event it reported is now unsupported
    assert_problem(root, "event-unsupported", "records/events.csv", line_of(root, "events", "evt-fx2q7k9m"), "id")


def test_prediction_without_horizon_or_note(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx7g8h9i")
    set_cell(root, "claims", line, "horizon", "")
    assert_problem(root, "prediction-horizon", "records/claims.csv", line, "horizon")
    set_cell(root, "claims", line, "notes", "The text names no time frame.")
    assert validate(root).ok


def test_attribution_must_match_asserting_actor(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx4d5e6f")
    set_cell(root, "claims", line, "attribution", "author")
    report_codes = {(p.code, p.field) for p in validate(root).errors}
    assert ("attribution-mismatch", "asserted_by") in report_codes
    assert ("attribution-mismatch", "modality") in report_codes


def test_alias_unique_per_actor(root: Path) -> None:
    path = root / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    path.write_text(path.read_text(encoding="utf-8") + ",".join(rows[1]) + "\n", encoding="utf-8")
    assert_problem(root, "duplicate-key", "records/actor_aliases.csv", len(rows) + 1, "alias")


@pytest.mark.parametrize(
    "quote",
    [
        "First one. Second",
        "Second ’one’.’ Third",
        "Third?\n\nFourth",
        "ends here.\u00a0Next",
        "ends here.\u2003Next",
        "ends here.\x85Next",
        "ends here.\x1cNext",
        "Second ’one’.",
        "version 3.5 of the plan",
        "ends here. ",
        "Он сказал… Потом",
        "a.\u200bb",
    ],
)
def test_sentence_boundary_is_the_same_in_python_and_arrow(quote: str) -> None:
    arrow = pc.match_substring_regex(pa.array([quote]), INNER_BOUNDARY_RE2)[0].as_py()
    assert arrow == spans_sentences(quote)


@given(st.text(alphabet=st.sampled_from(list(".!?…\"'’”)] \t\n\u00a0\u2003\x85\u200baZж")), max_size=12))
@settings(max_examples=500, deadline=None)
def test_sentence_boundary_agrees_on_any_text(quote: str) -> None:
    arrow = pc.match_substring_regex(pa.array([quote]), INNER_BOUNDARY_RE2)[0].as_py()
    assert arrow == spans_sentences(quote)


COPY_ALPHABET = [
    *"abcdefghAZ09_ .,;—’\"'ЖжЯяЀѐѠѡКK\u212a\u0130iİé",
    "lukashenka",
    "Лукашэнка",
    " said ",
    "ЛУКАШЭНКА",
]


@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(COPY_ALPHABET), max_size=12), st.lists(st.sampled_from(COPY_ALPHABET))),
        min_size=1,
        max_size=30,
    ),
    st.data(),
)
@settings(max_examples=300, deadline=None)
def test_copied_statement_filter_finds_exactly_the_copies(pairs: list[tuple[list[str], list[str]]], data: Any) -> None:
    quotes = ["".join(q) for _, q in pairs]
    # Make some statements real copies: a run of the quote's characters, in another case.
    statements = []
    for (s, _), quote in zip(pairs, quotes, strict=True):
        if quote and data.draw(st.booleans()):
            i = data.draw(st.integers(0, len(quote)))
            j = data.draw(st.integers(i, len(quote)))
            statements.append(quote[i:j].upper() if data.draw(st.booleans()) else quote[i:j])
        else:
            statements.append("".join(s))
    fast = copied_statements(pa.array(statements), pa.array(quotes))
    exact = copied_statements_exact(pa.array(statements), pa.array(quotes))
    assert fast.tolist() == exact.tolist()


def test_copied_statements_in_both_scripts_and_any_case() -> None:
    quotes = [
        "Lukashenka said the exercises were purely defensive, and nothing more.",
        "ЛУКАШЭНКА заявіў, што вучэнні маюць выключна абарончы характар.",
        "The Kelvin sign \u212aeeps a word: \u212aalashnikovs were delivered.",
        "Minsk denied it.",
    ]
    statements = [
        "the exercises were purely defensive",  # a run of the quote's words
        "лукашэнка заявіў што вучэнні маюць выключна абарончы характар",  # the whole quote, other case
        "kalashnikovs were delivered",  # found through a character that lower-cases to ASCII
        "Minsk rejected the report.",  # a paraphrase
    ]
    assert copied_statements(pa.array(statements), pa.array(quotes)).tolist() == [0, 1, 2]
