"""Characters no text cell may hold: derived from Unicode properties, the same in both engines, at every edge."""

from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

import pyarrow as pa
import pytest
from pydantic_core import PydanticCustomError

from belarus_data.checks import cells
from belarus_data.models import _charset_data as data
from belarus_data.models import characters
from belarus_data.models import columns as c


def code_of(value: str) -> str | None:
    """The problem code the model gives a free-text value, or None if it is valid."""
    try:
        c.check_free_text(value)
    except PydanticCustomError as err:
        return err.type
    return None


def screened(values: list[str], rows: int) -> list[bool]:
    """The fast engine's flags for ``values``, repeated to ``rows`` rows (the byte screen; threads above LARGE_ROWS)."""
    column = pa.chunked_array([pa.array((values * (rows // len(values) + 1))[:rows], pa.string())])
    return cells._free_text_flags(column)[: len(values)].tolist()  # type: ignore[no-any-return]


def test_the_committed_set_is_what_unicode_properties_give() -> None:
    derived = characters.derive()
    committed = Path(characters.__file__).with_name("_charset_data.py").read_text(encoding="utf-8")
    if derived["UNICODE_VERSION"] == data.UNICODE_VERSION:
        assert characters.render(derived) == committed, "run python scripts/generate_charsets.py"
    else:
        # Another Python's Unicode: newer versions only assign characters (Cn shrinks), so every character
        # forbidden there except the newly assigned ones is forbidden by the committed set too.
        for name in ("INVISIBLE", "PRIVATE_USE", "UNASSIGNED"):
            ranges = derived[name]
            assert isinstance(ranges, tuple)
            for a, b in ranges:
                for cp in (a, b):
                    assert characters.reason(chr(cp)) is not None, (
                        f"U+{cp:04X} ({name} in {derived['UNICODE_VERSION']})"
                    )


def test_the_nfc_suspects_in_use_are_this_pythons() -> None:
    """The screen's NFC suspects (committed, or derived on another Unicode) are what this unicodedata gives."""
    assert characters.nfc_suspect_ranges() == characters.derive_nfc_suspects()
    uses_committed = unicodedata.unidata_version == data.UNICODE_VERSION
    assert (characters.nfc_suspect_ranges() is data.NFC_SUSPECTS) == uses_committed


def test_every_code_point_is_judged_by_its_properties() -> None:
    wrong = []
    for cp in range(0, 0x110000, 13):  # a sample of the whole code space
        ch = chr(cp)
        category = unicodedata.category(ch)
        expected = {"Cn": "unassigned", "Co": "private-use"}.get(category)
        if category in characters.INVISIBLE_CATEGORIES:
            expected = "invisible"
        found = characters.reason(ch)
        # An allowed category stays allowed unless it is default-ignorable (fillers, variation selectors).
        if found != expected and not (expected is None and found == "invisible"):
            wrong.append(f"U+{cp:04X} {category} {found}")
    assert not wrong, wrong[:10]
    ignorable_letters = [r for r in data.INVISIBLE if unicodedata.category(chr(r[0]))[0] in "LM"]
    assert (0x115F, 0x1160) in ignorable_letters and (0xFE00, 0xFE0F) in ignorable_letters


@pytest.mark.parametrize(
    ("ch", "code"),
    [
        ("\x00", "text-invisible-char"),
        ("\t", "text-invisible-char"),
        ("\x7f", "text-invisible-char"),
        ("\x85", "text-invisible-char"),
        ("\u00ad", "text-invisible-char"),  # soft hyphen (Cf)
        ("\u034f", "text-invisible-char"),  # combining grapheme joiner (Mn, default ignorable)
        ("\u115f", "text-invisible-char"),  # Hangul choseong filler (Lo, default ignorable)
        ("\u1160", "text-invisible-char"),
        ("\u3164", "text-invisible-char"),
        ("\uffa0", "text-invisible-char"),  # halfwidth Hangul filler
        ("\u180b", "text-invisible-char"),  # Mongolian free variation selector one
        ("\u180e", "text-invisible-char"),  # Mongolian vowel separator (Cf)
        ("\u200b", "text-invisible-char"),
        ("\u200d", "text-invisible-char"),  # zero-width joiner: emoji sequences are not allowed either
        ("\u2028", "text-invisible-char"),  # line separator (Zl)
        ("\u2029", "text-invisible-char"),  # paragraph separator (Zp)
        ("\u202e", "text-invisible-char"),
        ("\u2066", "text-invisible-char"),
        ("\ufe0f", "text-invisible-char"),  # variation selector 16
        ("\ufeff", "text-invisible-char"),
        ("\U000e0041", "text-invisible-char"),  # tag letter A
        ("\U000e0100", "text-invisible-char"),  # variation selector 17
        ("\ue000", "text-private-use-char"),
        ("\U000f0000", "text-private-use-char"),
        ("\U0010fffd", "text-private-use-char"),
        ("\u0378", "text-unassigned-char"),
        ("\ufdd0", "text-unassigned-char"),  # noncharacter
        ("\uffff", "text-unassigned-char"),
        ("\U0010ffff", "text-unassigned-char"),
        ("\U000e0000", "text-unassigned-char"),  # reserved default-ignorable: unassigned first
    ],
)
@pytest.mark.parametrize("where", ["first", "middle", "last", "alone", "after-multibyte", "before-combining"])
def test_a_forbidden_character_is_found_anywhere_by_both_engines(ch: str, code: str, where: str) -> None:
    value = {
        "first": ch + "Belarus",
        "middle": "Bela" + ch + "rus",
        "last": "Belarus" + ch,
        "alone": ch,
        "after-multibyte": "Лукашэнка\U0001f600" + ch + "ў",
        "before-combining": "Bela" + ch + "\u0301rus",
    }[where]
    assert code_of(value) == code
    clean = "Беларусь and Belarus"
    rows = [clean, value, clean]
    assert screened(rows, 3) == [False, True, False]
    assert screened(rows, cells.LARGE_ROWS + 1) == [False, True, False]


@pytest.mark.parametrize(
    "value",
    [
        "Belarus and Russia",
        "Лукашэнка і Менск: ўрад",
        "Alexander\u00a0Lukashenka",  # no-break space (Zs): allowed, ordinary Russian typography
        "10\u202f000 troops",  # narrow no-break space (Zs)
        "\u3000ideographic space",  # Zs
        "Café",  # precomposed é, NFC
        "東京タワー and 서울",
        "\U0001f600 emoji without joiners",
        "\U00020000 a CJK extension B ideograph",
        "\u0430\u0483",  # a Cyrillic combining mark (titlo): assigned, and NFC
    ],
)
def test_allowed_text_passes_both_engines(value: str) -> None:
    expected = unicodedata.is_normalized("NFC", value) and not value.startswith(c.FORMULA_LEADS)
    assert (code_of(value) is None) == expected
    rows = [value, "Belarus"]
    # The byte screen may flag more (combining marks are NFC suspects); the model then clears the row.
    for size in (2, cells.LARGE_ROWS + 1):
        flags = screened(rows, size)
        assert flags[0] or expected
        assert not flags[1]


def test_the_message_names_the_character_its_category_and_position() -> None:
    with pytest.raises(PydanticCustomError) as err:
        c.check_free_text("exer\u00adcise")
    assert "U+00AD (SOFT HYPHEN, Cf) at character 4" in err.value.message()
    with pytest.raises(PydanticCustomError) as err:
        c.check_free_text("x\u0378")
    assert "U+0378 (unassigned code point, Cn)" in err.value.message()
    assert characters.UNICODE_VERSION in str(err.value.context)


def test_id_columns_name_the_invisible_character_not_only_the_pattern() -> None:
    rule = c.id_column("act", "act-blr")
    with pytest.raises(PydanticCustomError) as err:
        c.convert(rule, "act-blr\u200b")
    assert err.value.type == "text-invisible-char"
    with pytest.raises(PydanticCustomError) as err:
        c.convert(rule, "\u0430ct-blr")  # a look-alike letter is not forbidden as such: the pattern refuses it
    assert err.value.type == "pattern"


def test_random_text_the_model_rejects_is_flagged_by_the_screen_at_both_sizes() -> None:
    rng = random.Random(12)
    forbidden = [chr(a) for a, _ in characters.FORBIDDEN_RANGES[::7]] + [
        chr(b) for _, b in characters.FORBIDDEN_RANGES[::5]
    ]
    pool = [*"abc Мінск", "\u00a0", "\u0301", "é", "\U0001f600", "\u4e00", *forbidden]
    values = ["".join(rng.choices(pool, k=rng.randint(1, 6))) for _ in range(3000)]
    values = [v for v in values if unicodedata.is_normalized("NFC", v) and not v.startswith(c.FORMULA_LEADS)]
    model = [code_of(v) is not None for v in values]
    assert any(model) and not all(model)
    for rows in (len(values), max(len(values), cells.LARGE_ROWS + 1)):
        flags = screened(values, rows)  # may over-flag (the model then clears the row), never miss
        assert not [v for v, bad, flag in zip(values, model, flags, strict=True) if bad and not flag]
        assert sum(flags) < len(flags)


def test_lone_surrogates_cannot_reach_a_cell() -> None:
    # Strict UTF-8 refuses encoded surrogates, so a Cs character never comes out of a decoded file
    # (corpus case unicode-lone-surrogate: the file is an `encoding` error); the set lists them anyway.
    with pytest.raises(UnicodeDecodeError):
        b"Bela\xed\xa0\x80rus".decode("utf-8")
    assert characters.reason("\ud800") == "invisible"
    assert sys.maxunicode == 0x10FFFF
