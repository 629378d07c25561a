"""The regex screen that replaces NFC normalisation on large columns never lets a non-NFC string through."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pyarrow as pa

from belarus_data.checks import cells


def suspects() -> re.Pattern[str]:
    # RE2's \x{...} spelling, turned into Python's for a direct check.
    return re.compile(
        re.sub(r"\\x\{([0-9a-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08x}", cells.nfc_suspects_re2())
    )


def test_characters_outside_the_scanned_range_are_harmless() -> None:
    for cp in (*range(0x300), *range(cells.SCANNED_UP_TO, sys.maxunicode + 1)):
        ch = chr(cp)
        assert unicodedata.is_normalized("NFC", ch) and not unicodedata.combining(ch), hex(cp)


def test_every_non_nfc_string_is_screened() -> None:
    screen = suspects()
    rng = random.Random(5)
    pool = [chr(cp) for cp in range(0x20, 0x3000) if not 0xD800 <= cp < 0xE000] + [
        "\u1100",
        "\u1161",
        "\u11a8",
        "\uac00",
    ]
    missed = []
    for _ in range(30_000):
        text = "".join(rng.choices(pool, k=rng.randint(1, 4)))
        if not unicodedata.is_normalized("NFC", text) and not screen.search(text):
            missed.append(text)
    assert not missed, [ascii(m) for m in missed[:5]]
    # Decomposed letters, Hangul jamo sequences and compatibility singletons are all screened.
    for text in ("Cafe\u0301", "\u1100\u1161", "\uac00\u11a8", "\u2126", "\u0435\u0308"):
        assert not unicodedata.is_normalized("NFC", text) and screen.search(text)


def test_large_and_small_columns_flag_the_same_rows() -> None:
    values = ["Belarus", "Беларусь", "Cafe\u0301", "=1+1", "a\u200bb", "Лукашэнка", "\u0439", "e\u0301x"]
    column = pa.chunked_array([pa.array(values * 3000, pa.string())])
    assert len(column) > cells.SCREEN_ROWS
    flagged = cells._free_text_flags(column)[: len(values)].tolist()
    assert flagged == [False, False, True, True, True, False, False, True]
    small = cells._free_text_flags(pa.chunked_array([pa.array(values, pa.string())])).tolist()
    assert small == flagged
