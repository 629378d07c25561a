"""The name checks on tables built in memory: exact rows, codes, fields and the spellings each problem names.

tests/test_names.py covers the rules on strings and end to end through ``validate``; these pin down
each check's output row by row (scripts/mutation.sh runs them per mutant of checks/names.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from belarus_data.checks import names
from belarus_data.checks.context import Context
from belarus_data.models.columns import describe_char
from belarus_data.storage.csvfile import ParsedTable

Row = tuple[str, str | None, str | None]  # alias, script, record_status


def _parsed(name: str, columns: dict[str, list[str | None]]) -> ParsedTable:
    data = pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})
    return ParsedTable(f"records/{name}.csv", data, np.arange(2, data.num_rows + 2))


def context(
    actors: list[tuple[str, str | None, str]] | None = None,
    aliases: list[tuple[str, str | None, str | None, str]] | None = None,
) -> Context:
    """actors: (id, name, record_status); aliases: (actor_id, alias, script, record_status)."""
    tables = {}
    if actors is not None:
        tables["actors"] = _parsed(
            "actors",
            {"id": [a[0] for a in actors], "name": [a[1] for a in actors], "record_status": [a[2] for a in actors]},
        )
    if aliases is not None:
        tables["actor_aliases"] = _parsed(
            "actor_aliases",
            {
                "actor_id": [a[0] for a in aliases],
                "alias": [a[1] for a in aliases],
                "script": [a[2] for a in aliases],
                "record_status": [a[3] for a in aliases],
            },
        )
    return Context(root=Path("."), tables=tables)


def found(ctx: Context) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.file, p.line, p.field, p.code) for p in ctx.problems]


A, AL = "records/actors.csv", "records/actor_aliases.csv"


def test_one_script_fast_path() -> None:
    assert names._one_script("Lukashenko") is True
    assert names._one_script("Lukashenko", "Latn") is True
    assert names._one_script("Lukashenko", "Cyrl") is False
    assert names._one_script("1944 - 45", "Cyrl") is True  # no letters
    assert names._one_script("Минск", "Cyrl") is True
    assert names._one_script("Минск") is True
    assert names._one_script("Минск", "Latn") is False
    assert names._one_script("Минск Minsk") is False
    assert names._one_script("Café", "Latn") is True
    assert names._one_script("東京タワー") is True
    assert names._one_script("Ж1", "Cyrl") is True


def test_scripts_of_letters_and_common_characters() -> None:
    assert names.scripts_of("a") == frozenset({"Latn"})
    assert names.scripts_of("ж") == frozenset({"Cyrl"})
    assert names.scripts_of("1") == frozenset()
    assert names.scripts_of("\ufe0f") == frozenset()  # Inherited
    assert names.scripts_of("\u0301") >= {"Latn", "Cyrl"}  # an accent shared by several scripts
    assert names.scripts_of("東") >= {"Hani", "Hanb", "Jpan", "Kore"}
    assert names.scripts_of("タ") >= {"Kana", "Jpan"} and "Kore" not in names.scripts_of("タ")
    assert names.scripts_of("ㄅ") >= {"Bopo", "Hanb"}  # Bopomofo is written with Han
    assert names.scripts_of("ー") == frozenset({"Hira", "Kana", "Jpan"})  # Common, but only in kana words
    assert names.mixed_script_problem("ㄅ東") is None
    assert names.mixed_script_problem("ㄅタ") is not None  # Bopomofo and kana never share a word


def test_script_names() -> None:
    assert names.script_name("Cyrl") == "Cyrillic"
    assert names.script_name("Latn") == "Latin"
    assert names.script_name("Hang") == "Hangul"
    assert names.script_name("Cans") == "Canadian Aboriginal"  # underscores become spaces
    assert names.script_name("Nope") == "Nope"  # not a script code: shown as it is
    assert names.primary_script("ж") == "Cyrl"


def test_words_split_on_everything_but_letters_marks_and_digits() -> None:
    assert list(names.words("Su-30SM, Kyiv's  x\u0301y")) == ["Su", "30SM", "Kyiv", "s", "x\u0301y"]
    assert list(names.words("")) == [] and list(names.words(" - ")) == []
    assert list(names.words("ab")) == ["ab"]


def test_odd_letter_and_its_main_script() -> None:
    assert names.odd_letter("Lukash\u0435nka") == ("\u0435", "Latn")
    assert names.odd_letter("\u041b\u0443\u043a\u0430\u0448\u0435\u043d\u043a\u043epxa") == ("p", "Cyrl")
    assert names.odd_letter("\u0430b") == ("b", "Cyrl")  # a tie: the script met first is the word's
    assert names.odd_letter("Minsk") is None and names.odd_letter("123") is None


def test_replacements() -> None:
    assert names._replacement("\u0435", "Latn") == "retype it as the Latin 'e', " + describe_char("e")
    assert names._replacement("e", "Cyrl") == "retype it as the Cyrillic 'е', " + describe_char("\u0435")
    assert names._replacement("\u0448", "Latn") == "write the word in Latin letters only"
    # Greek alpha in a Greek word: no common letters listed for Greek, the skeleton itself is Greek.
    assert names._replacement("a", "Grek") == "write the word in Greek letters only"
    assert names._replacement("\u03bd", "Latn") == "retype it as the Latin 'v', " + describe_char("v")


def test_difference_of_two_spellings() -> None:
    assert names._difference("Minsk", "\u041cinsk") == (
        "at character 0, 'M' " + describe_char("M") + " against 'М' " + describe_char("\u041c")
    )
    assert names._difference("ab", "abc") == "in length (2 and 3 characters)"
    assert names._difference("abc", "ab") == "in length (3 and 2 characters)"


def test_alias_script_is_reported_at_the_script_column() -> None:
    ctx = context(
        aliases=[
            ("act-a", "Минск", "Latn", "active"),  # Cyrillic letters, Latin column
            ("act-a", "Minsk", "Latn", "active"),
            ("act-a", "Minsk", "Cyrl", "active"),
            ("act-a", "Αθήνα", "Latn", "active"),  # Greek: not a script of the vocabulary
            ("act-a", "Minsk", "Latin", "active"),  # unknown code: the vocabulary rule reports it
            ("act-a", "", "Cyrl", "active"),
            ("act-a", None, "Cyrl", "active"),
            ("act-a", "Минск", None, "active"),
            ("act-a", "Минск", "Cyrl", "retracted"),
        ]
    )
    names.check_name_scripts(ctx)
    assert found(ctx) == [
        (AL, 2, "script", "alias-script"),
        (AL, 4, "script", "alias-script"),
        (AL, 5, "script", "alias-script"),
    ]
    first, second, greek = ctx.problems
    assert first.hint == "set script to Cyrl" and second.hint == "set script to Latn"
    assert "'Минск'" in first.message and "Latn (Latin)" in first.message
    assert greek.hint == "write the alias in Latin letters, or give it the script of its letters"
    assert "Greek letter 'Α'" in greek.message


def test_mixed_script_words_in_names_and_aliases() -> None:
    ctx = context(
        actors=[
            ("act-a", "B\u0435larus", "active"),
            ("act-b", "Belarus", "active"),
            ("act-c", None, "active"),
            ("act-d", "", "active"),
        ],
        aliases=[("act-a", "Mins\u043a", "Latn", "active"), ("act-a", "\u041cинск", "Cyrl", "active")],
    )
    names.check_name_scripts(ctx)
    assert found(ctx) == [(A, 2, "name", "name-mixed-script"), (AL, 2, "alias", "name-mixed-script")]
    assert ctx.problems[0].message.startswith("the word 'B\u0435larus' mixes scripts")
    assert ctx.problems[0].hint == "retype it as the Latin 'e', " + describe_char("e")


def test_name_checks_without_the_tables() -> None:
    ctx = context()
    names.check_name_scripts(ctx)
    names.check_confusable_aliases(ctx)
    assert ctx.problems == []
    ctx = context(actors=[("act-a", "B\u0435larus", "active"), ("act-b", "Belarus", "active")])
    names.check_name_scripts(ctx)
    names.check_confusable_aliases(ctx)
    assert [p.code for p in ctx.problems] == ["name-mixed-script", "alias-confusable", "alias-confusable"]


def test_confusables_name_the_other_spelling_and_where_it_is() -> None:
    ctx = context(
        actors=[("act-a", "Minsk", "active"), ("act-b", "Belarus", "active"), ("act-c", "\u041cinsk", "retracted")],
        aliases=[
            ("act-a", "Minsk", "Latn", "active"),  # the same spelling as the name: not a look-alike
            ("act-x", "\u041cinsk", "Latn", "active"),
            (None, "\u041cinsk", "Latn", "active"),
            ("act-y", "Belarus", "Latn", "active"),
            ("act-z", "", "Latn", "active"),
            ("act-w", None, "Latn", "active"),
        ],
    )
    names.check_confusable_aliases(ctx)
    assert found(ctx) == [
        (A, 2, "name", "alias-confusable"),
        (AL, 2, "alias", "alias-confusable"),
        (AL, 3, "alias", "alias-confusable"),
        (AL, 4, "alias", "alias-confusable"),
    ]
    messages = [p.message for p in ctx.problems]
    assert messages[0].startswith("'Minsk' looks like 'Мinsk' (records/actor_aliases.csv line 3, act-x) but")
    assert messages[1].startswith("'Minsk' looks like 'Мinsk' (records/actor_aliases.csv line 3, act-x) but")
    assert messages[2].startswith("'Мinsk' looks like 'Minsk' (records/actors.csv line 2, act-a) but")
    assert messages[3].startswith("'Мinsk' looks like 'Minsk' (records/actors.csv line 2, act-a) but")
    assert messages[0].endswith("is spelled differently: " + names._difference("Minsk", "\u041cinsk"))
    assert all(
        p.hint == "retype the look-alike letter; if both spellings are real, they must not look alike"
        for p in ctx.problems
    )


def test_confusables_with_the_second_spelling_first_met_later() -> None:
    ctx = context(
        aliases=[
            ("act-a", "BKC", "Latn", "active"),
            ("act-b", "BKC", "Latn", "active"),
            ("act-c", "\u0412\u041a\u0421", "Cyrl", "active"),
            ("act-d", "\u0412K\u0421", "Cyrl", "active"),
        ]
    )
    names.check_confusable_aliases(ctx)
    assert [p.line for p in ctx.problems] == [2, 3, 4, 5]
    others = [p.message.split(" looks like ")[1].split(" but ")[0] for p in ctx.problems]
    assert others == [
        "'ВКС' (records/actor_aliases.csv line 4, act-c)",
        "'ВКС' (records/actor_aliases.csv line 4, act-c)",
        "'BKC' (records/actor_aliases.csv line 2, act-a)",
        "'BKC' (records/actor_aliases.csv line 2, act-a)",
    ]


def test_aliases_are_checked_without_actors_and_after_an_empty_cell() -> None:
    ctx = context(
        aliases=[
            ("act-a", "", "Latn", "active"),
            ("act-a", "Minsk", "Latin", "active"),
            ("act-a", "Mins\u043a", "Latn", "active"),
            ("act-a", "Минск", "Latn", "active"),
        ]
    )
    names.check_name_scripts(ctx)
    assert found(ctx) == [(AL, 4, "alias", "name-mixed-script"), (AL, 5, "script", "alias-script")]


def test_script_column_checked_past_a_mixed_word() -> None:
    found_ = names.script_problem("Lukash\u0435nka Минск", "Latn")
    assert found_ is not None and "'Минск'" in found_[0]


def test_replacement_in_a_script_without_common_letters() -> None:
    assert names._replacement("X", "Grek") == "write the word in Greek letters only"


def test_a_look_alike_whose_other_spelling_has_no_actor() -> None:
    ctx = context(aliases=[(None, "Minsk", "Latn", "active"), ("act-b", "\u041cinsk", "Latn", "active")])
    names.check_confusable_aliases(ctx)
    assert "(records/actor_aliases.csv line 2, ) but" in ctx.problems[1].message
