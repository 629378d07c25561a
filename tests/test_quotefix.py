"""The one fix for a quote not at its offsets (checks/quotefix.py) and the spreadsheet date readings (checks/rootcause.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import set_cell

from belarus_data import validate
from belarus_data.checks.quotefix import first_difference, nearest_passage, quote_fix
from belarus_data.checks.rootcause import readings, same_date

TEXT = "Minsk said no. 𝕏 Minsk said ‘yes’ — twice.  Minsk said yes."


def test_a_quote_cut_short_is_restored_not_fitted() -> None:
    start = TEXT.index("Minsk said ‘yes’")
    end = start + len("Minsk said ‘yes’")
    assert quote_fix(TEXT, "Minsk said", start, end) == (
        f"the quote is cut short: the text at {start}–{end} reads 'Minsk said ‘yes’'; set quote to 'Minsk said ‘yes’'"
    )
    assert "set quote to 'Minsk said ‘yes’'" in quote_fix(TEXT, "Minsk said…", start, end)
    assert "set quote to 'Minsk said ‘yes’'" in quote_fix(TEXT, "…said ‘yes’", start, end)


def test_the_nearest_occurrence_is_chosen_in_code_points() -> None:
    # The astral 𝕏 counts as one code point: offsets are never UTF-16 units or bytes.
    second = TEXT.index("Minsk said", 1)
    assert quote_fix(TEXT, "Minsk said", second + 1, second + 11) == (
        f"set start to {second} and end to {second + 10} (the nearest of the 3 places it occurs)"
    )


@pytest.mark.parametrize(
    ("quote", "difference"),
    [
        ("Minsk said 'yes'", "' U+0027 (APOSTROPHE, Po) in the quote, ‘ U+2018"),
        ("minsk said ‘yes’", "m U+006D"),
        ("Minsk said ‘yes’ - twice", "- U+002D (HYPHEN-MINUS, Pd) in the quote, — U+2014 (EM DASH, Pd)"),
        ("Minsk  said ‘yes’", "  U+0020 (SPACE, Zs) in the quote, s U+0073"),
    ],
)
def test_the_nearest_passage_names_the_first_differing_code_point(quote: str, difference: str) -> None:
    hint = quote_fix(TEXT, quote, 17, 17 + len(quote))
    passage = nearest_passage(TEXT, quote, 17)
    assert passage is not None and passage.text == TEXT[passage.start : passage.end]
    assert hint.startswith(f"set quote to {passage.text!r}") and difference in hint


def test_a_quote_with_no_near_passage_says_so() -> None:
    assert quote_fix(TEXT, "Vilnius objected", 0, 16).startswith("the quote does not occur in the text")
    assert nearest_passage(TEXT, "   ") is None


def test_a_word_changed_inside_finds_the_passage_between_its_ends() -> None:
    text = "Officials in Minsk announced new joint exercises with Russia for the autumn."
    passage = nearest_passage(text, "Officials in Minsk announced fresh joint exercises with Russia for the autumn.")
    assert passage is not None and passage.text == text


def test_a_text_of_repetitions_is_searched_within_bounds() -> None:
    text = "a" * 3_000_000
    assert quote_fix(text, "a" * 1_999 + "b", 10, 2_009).startswith("set quote to 'aaa")


def test_first_difference_at_the_end_of_one_of_them() -> None:
    assert first_difference("abc", "abcd") == (
        "they differ at character 4: nothing (it ends there) in the quote, d U+0064 (LATIN SMALL LETTER D, Ll) in the text"
    )
    assert first_difference("abc", "abc") == "they are the same"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/08/2016", {"DMY": "2016-08-15"}),
        ("8/15/16", {"MDY": "2016-08-15"}),
        ("15.08.2016", {"DMY": "2016-08-15"}),
        ("2016/08/15", {"YMD": "2016-08-15"}),
        ("15/08/2016 00:00", {"DMY": "2016-08-15"}),
        ("2016-08-15", {}),
        ("31/02/2016", {}),
        ("15/08/216", {}),
        ("１５/０８/２０１６", {}),
        ("15/08-2016", {}),
    ],
)
def test_spreadsheet_readings(value: str, expected: dict[str, str]) -> None:
    assert readings(value) == expected


def test_same_date_only_for_the_same_day() -> None:
    assert same_date("2016-08-15", "8/15/16") and same_date("2016-08-05", "8/5/16")
    assert not same_date("2016-08-15", "8/16/16") and not same_date(None, "8/15/16") and not same_date("x", None)


def test_one_rewritten_date_is_its_own_problem(root: Path) -> None:
    # Not a whole file rewritten: the cell's own problem, with its own hint.
    set_cell(root, "claims", 3, "created", "20/11/2026")
    assert [(p.code, p.line, p.field) for p in validate(root).errors] == [("not-date", 3, "created")]


def test_a_rewritten_column_among_other_problems_is_one_problem(root: Path) -> None:
    for line in (2, 3, 4):
        set_cell(root, "claims", line, "updated", "11/20/2026")
    set_cell(root, "claims", 2, "modality", "asserted!")
    found = [(p.code, p.line, p.field) for p in validate(root).errors]
    assert found == [("dates-reformatted", None, None), ("vocab", 2, "modality")]
