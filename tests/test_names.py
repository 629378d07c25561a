"""Actor names and aliases: one script per word, the script column told truly, no look-alike spellings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import line_of, read_rows, set_cell, write_rows

from belarus_data import validate
from belarus_data.checks import names


@pytest.mark.parametrize(
    ("text", "odd", "fix"),
    [
        ("Lukash\u0435nka", "\u0435", "retype it as the Latin 'e'"),  # Cyrillic е in a Latin word
        ("\u041cinsk", "\u041c", "retype it as the Latin 'M'"),  # first letter
        ("Mins\u043a", "\u043a", "retype it as the Latin"),  # last letter (TR39: к looks like ĸ)
        ("Luka\u0448enko", "\u0448", "write the word in Latin letters only"),  # ш has no Latin look-alike
        ("\u041b\u0443\u043a\u0430\u0448\u0435\u043d\u043a\u043epxa", "p", ""),  # Latin p, x, a in a Cyrillic word
        ("Government of B\u0435larus", "\u0435", "Latin"),  # the second word
        ("\u0391thens", "\u0391", "Latin 'A'"),  # Greek capital alpha
    ],
)
def test_a_word_mixing_scripts_names_the_odd_letter_and_the_fix(text: str, odd: str, fix: str) -> None:
    found = names.mixed_script_problem(text)
    assert found is not None
    message, hint = found
    assert f"U+{ord(odd):04X}" in message and fix in hint


@pytest.mark.parametrize(
    "text",
    [
        "Alexander Lukashenka",
        "Аляксандр Лукашэнка",
        "Ваенна-паветраныя сілы",  # a hyphen splits words
        "ВКС-2 and VKS",  # words of different scripts side by side
        "Su-30SM",  # digits are Common
        "Café Crème",  # precomposed letters
        "Cafe\u0301",  # a combining mark is Inherited
        "\u0430\u0483",  # Cyrillic letter with a Cyrillic combining titlo
        "東京タワー",  # Han + Katakana: one Japanese word (TR39 augmented script sets)
        "서울特別市",  # Hangul + Han: Korean
        "Kyiv's",  # apostrophe splits
        "Lukashenko’s",
        "1944",
        "",
    ],
)
def test_single_script_words_pass(text: str) -> None:
    assert names.mixed_script_problem(text) is None


def test_the_script_column_must_match_the_letters() -> None:
    assert names.script_problem("Lukashenko", "Latn") is None
    assert names.script_problem("Лукашэнка", "Cyrl") is None
    assert names.script_problem("ВС РФ", "Cyrl") is None
    assert names.script_problem("1944", "Cyrl") is None  # no letters: nothing contradicts the column
    message, hint = names.script_problem("Lukashenko", "Cyrl") or ("", "")
    assert "U+004C" in message and hint == "set script to Latn"
    message, hint = names.script_problem("ЕС (EU)", "Cyrl") or ("", "")
    assert "'EU'" in message  # two scripts in one alias: one alias per script
    # A mixed-script word is reported by name-mixed-script; the script column is not blamed for it twice.
    assert names.script_problem("Lukash\u0435nka", "Latn") is None


@pytest.mark.parametrize(
    ("a", "b", "confusable"),
    [
        ("Minsk", "\u041cinsk", True),
        ("BKC", "\u0412\u041a\u0421", True),  # whole-script look-alikes, neither mixed
        ("coco", "\u0441\u043e\u0441\u043e", True),
        ("Lukashenko", "Лукашенко", False),  # the same name in two scripts
        ("Minsk", "Минск", False),
        ("Minsk", "MINSK", False),  # case is not a look-alike
        ("Lukashenka", "Lukashenko", False),
        ("Minsk", "Minsk", True),  # equal skeletons (the check ignores equal spellings)
    ],
)
def test_skeletons(a: str, b: str, confusable: bool) -> None:
    assert (names.skeleton(a) == names.skeleton(b)) is confusable


def add_alias(root: Path, actor: str, alias: str, script: str, status: str = "active") -> int:
    path = root / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    row = list(rows[1])
    header = rows[0]
    row[header.index("actor_id")], row[header.index("alias")], row[header.index("script")] = actor, alias, script
    if status != "active":
        row[header.index("record_status")], row[header.index("status_reason")] = status, "A look-alike typo."
    rows.append(row)
    write_rows(path, rows)
    return len(rows)


def located(root: Path, engine: str = "fast") -> set[tuple[str, int | None, str | None, str]]:
    return {(p.file, p.line, p.field, p.code) for p in validate(root, engine=engine).problems}  # type: ignore[arg-type]


def test_a_look_alike_of_another_actors_name_is_reported_at_both(root: Path) -> None:
    line = add_alias(root, "act-rus", "Belarus", "Latn")  # the same spelling as act-blr's name: not confusable
    assert not {p for p in located(root) if p[3] == "alias-confusable"}
    set_cell(root, "actor_aliases", line, "alias", "B\u0435larus")
    found = located(root)
    assert ("records/actor_aliases.csv", line, "alias", "alias-confusable") in found
    assert ("records/actors.csv", line_of(root, "actors", "act-blr"), "name", "alias-confusable") in found
    assert ("records/actor_aliases.csv", line, "alias", "name-mixed-script") in found
    assert found == located(root, "rows")


def test_a_retracted_look_alike_is_history_not_an_error(root: Path) -> None:
    add_alias(root, "act-blr-gov", "BKC", "Latn")
    line = add_alias(root, "act-blr-gov", "\u0412\u041a\u0421", "Cyrl", status="retracted")
    assert not {p for p in located(root) if p[3] == "alias-confusable"}
    set_cell(root, "actor_aliases", line, "record_status", "active")
    set_cell(root, "actor_aliases", line, "status_reason", "")
    assert {p[1] for p in located(root) if p[3] == "alias-confusable"} == {line - 1, line}


def test_an_unknown_script_code_is_left_to_the_vocabulary_rule(root: Path) -> None:
    line = add_alias(root, "act-blr-gov", "Minsk city", "Latin")
    found = located(root)
    assert ("records/actor_aliases.csv", line, "script", "vocab") in found
    assert not {p for p in found if p[3] == "alias-script"}


def test_the_real_dataset_has_no_name_problems() -> None:
    assert not [p for p in validate().problems if p.code.startswith(("name-", "alias-"))]


def test_many_look_alikes_cost_linear_work(root: Path) -> None:
    # 2**10 spellings of one skeleton (each of ten letters Latin or Cyrillic): every one is reported once,
    # naming another spelling, without comparing each with all the others.
    pairs = [("a", "\u0430"), ("c", "\u0441"), ("e", "\u0435"), ("o", "\u043e"), ("p", "\u0440")] * 2
    path = root / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    header, template = rows[0], rows[1]
    for mask in range(2**10):
        row = list(template)
        row[header.index("alias")] = "".join(pair[(mask >> k) & 1] for k, pair in enumerate(pairs))
        rows.append(row)
    write_rows(path, rows)
    confusable = [p for p in validate(root).problems if p.code == "alias-confusable"]
    assert len(confusable) == 2**10
    assert all("looks like" in p.message for p in confusable)
