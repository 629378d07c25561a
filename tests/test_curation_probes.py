"""The copied-statement filter attributes a probe found at the first byte of a quote to that quote's row.

Quotes lie back to back in one Arrow buffer, so the first byte of row j is also the end (exclusive)
of row j - 1; the filter must give that position to row j. (It killed a mutant of the numpy search
that placed hits with searchsorted; the search is now per row, and these cases hold it to that.)
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from conftest import line_of, read_rows, set_cell
from test_validate import assert_problem

from belarus_data.checks.curation import copied_statements, copied_statements_exact

# The statement's only 8-byte probe is "elephant" (its other words are under 8 bytes), and the
# quote holds it once, at its first byte. The row before ends with "." so the statement's first
# word starts a word in the statements' buffer too.
STATEMENT = "Elephants walk slowly across the plain"
QUOTE = "Elephants walk slowly across the plain, a ranger said."


def test_probe_at_the_first_byte_of_a_later_quote() -> None:
    statements = ["Minsk rejected the report.", STATEMENT]
    quotes = ["Minsk denied it outright.", QUOTE]
    assert copied_statements_exact(pa.array(statements), pa.array(quotes)).tolist() == [1]
    assert copied_statements(pa.array(statements), pa.array(quotes)).tolist() == [1]


def test_probe_at_the_first_byte_of_a_later_quote_in_cyrillic() -> None:
    # "заканадаўства" starts with 4 Cyrillic letters = one 8-byte probe, again only at the quote's start.
    statements = ["Мінск адмовіўся.", "Заканадаўства не мяняў ні суд, ні ўрад"]
    quotes = ["Мінск усё адмаўляе.", "Заканадаўства не мяняў ні суд, ні ўрад, сказаў ён."]
    assert copied_statements(pa.array(statements), pa.array(quotes)).tolist() == [1]


def test_gate_reports_a_copy_whose_quote_starts_with_the_statement(root: Path) -> None:
    # Physical lines 2 and 3: the first two claims; the second copies the start of its (new) quote.
    header, *rows = read_rows(root / "records" / "claims.csv")
    key = rows[1][header.index("id")]
    set_cell(root, "claims", 2, "statement", "Minsk rejected the report.")
    set_cell(root, "claims", 3, "statement", STATEMENT)
    set_cell(root, "claims", 3, "quote", QUOTE)
    line = line_of(root, "claims", key)
    assert line == 3
    assert_problem(root, "statement-copies-quote", "records/claims.csv", line, "statement")
