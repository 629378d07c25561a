"""QuoteSearch: hints for misplaced quotes, each search paid from a budget per validation and per text.

Unit tests of belarus_data/checks/evidence.py's QuoteSearch on two small texts (one of them not ASCII).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from belarus_data.checks import evidence
from belarus_data.checks.evidence import QuoteSearch, SearchBudget

TEXTS = ["abc abc xyz", "Мінск і Кіеў"]


def _texts() -> Any:
    raw = [t.encode("utf-8") for t in TEXTS]
    start = np.cumsum([0, *map(len, raw)]).astype(np.int64)
    return SimpleNamespace(data=np.frombuffer(b"".join(raw) + b"\0" * 8, dtype=np.uint8), start=start)


def test_where_names_the_one_place_the_first_of_several_or_none() -> None:
    budget = SearchBudget()
    search = QuoteSearch(_texts(), budget)
    assert search.where(0, "xyz", 0, 3) == "set start to 8 and end to 11 (where the quote occurs)"
    assert search.where(0, "abc", 6, 9) == "set start to 4 and end to 7 (the nearest of the 2 places it occurs)"
    assert search.where(0, "bc a", 0, 4) == "set start to 1 and end to 5 (where the quote occurs)"
    assert search.where(0, "Мінск", 0, 5).startswith("the quote does not occur in the text")
    assert search.where(1, "Кіеў", 0, 4) == "set start to 8 and end to 12 (where the quote occurs)"  # code points
    assert budget.left == evidence.MAX_QUOTE_SEARCHES - 5


def test_piece_is_in_code_points_of_the_right_text() -> None:
    search = QuoteSearch(_texts(), SearchBudget())
    assert search.piece(1, 0, 5) == "Мінск"
    assert search.piece(0, 4, 7) == "abc"
    assert search.piece(1, 8, 12) == "Кіеў"  # back to text 1 after text 0


def test_each_text_is_searched_at_most_its_cap_then_hints_without_a_position() -> None:
    budget = SearchBudget()
    search = QuoteSearch(_texts(), budget)
    for _ in range(evidence.MAX_SEARCHES_PER_TEXT):
        assert search.where(0, "xyz", 0, 3) == "set start to 8 and end to 11 (where the quote occurs)"
    assert search.where(0, "xyz", 0, 3).startswith("copy the quote exactly")
    assert budget.left == evidence.MAX_QUOTE_SEARCHES - evidence.MAX_SEARCHES_PER_TEXT
    assert search.where(1, "Кіеў", 0, 4).startswith("set start to 8 and end to 12")  # another text has its own cap


def test_the_budget_is_shared_and_spent_once_per_search() -> None:
    budget = SearchBudget(left=2)
    first, second = QuoteSearch(_texts(), budget), QuoteSearch(_texts(), budget)
    assert first.where(0, "xyz", 0, 3).startswith("set start to 8")
    assert second.where(1, "Кіеў", 0, 4).startswith("set start to 8")
    assert budget.left == 0
    assert first.where(1, "Мінск", 0, 5).startswith("copy the quote exactly")
    assert second.where(0, "abc", 0, 3).startswith("copy the quote exactly")
    assert budget.left == 0


def test_a_quote_longer_than_any_column_holds_is_not_searched_for() -> None:
    budget = SearchBudget()
    search = QuoteSearch(_texts(), budget)
    longest = evidence.MAX_SEARCHED_QUOTE
    assert search.where(0, "a" * longest, 0, longest).startswith("the quote does not occur")
    assert search.where(0, "a" * (longest + 1), 0, longest + 1).startswith("copy the quote exactly")
    assert budget.left == evidence.MAX_QUOTE_SEARCHES - 1
