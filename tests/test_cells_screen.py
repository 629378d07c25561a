"""The regex screen that replaces NFC normalisation on large columns never lets a non-NFC string through."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pyarrow as pa
import pytest

from belarus_data.checks import cells
from belarus_data.models import characters
from belarus_data.models import columns as c


def suspects() -> re.Pattern[str]:
    # RE2's \x{...} spelling, turned into Python's for a direct check.
    return re.compile(
        re.sub(r"\\x\{([0-9a-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08x}", cells.nfc_suspects_re2())
    )


def test_characters_outside_the_scanned_range_are_harmless() -> None:
    for cp in (*range(0x300), *range(characters.SCANNED_UP_TO, sys.maxunicode + 1)):
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
    assert len(column) > cells.LARGE_ROWS
    flagged = cells._free_text_flags(column)[: len(values)].tolist()
    assert flagged == [False, False, True, True, True, False, False, True]
    small = cells._free_text_flags(pa.chunked_array([pa.array(values, pa.string())])).tolist()
    assert small == flagged


def big(values: list[str | None], chunks: int = 3) -> pa.ChunkedArray:
    """A column above LARGE_ROWS, in chunks: ``values`` first, then clean Latin and Cyrillic filler."""
    filler = ["Belarus and Russia", "Беларусь і Расія", "Лукашэнка сказаў: «Не»", None, "Łukašenka — ў Мінску"]
    rows = values + filler * (cells.LARGE_ROWS // len(filler) + 1)
    size = len(rows) // chunks + 1
    return pa.chunked_array([pa.array(rows[k : k + size], pa.string()) for k in range(0, len(rows), size)])


def model_rejects(value: str) -> bool:
    try:
        c.check_free_text(value)
        return False
    except Exception:
        return True


# Characters (and pairs) the model always rejects, NFC suspects it may accept (a combining mark with
# nothing to combine with), and safe characters close to them in the byte patterns the screen reads.
REJECTED = [
    "\u200b",
    "\u202e",
    "\x07",
    "\t",
    "\x7f",
    "\x85",
    "\ufeff",
    "\u2126",
    "e\u0301",
    "\u0435\u0308",
    "\U0001d15e",
]
SUSPECT = ["\u0301", "\u0483", "\u1161", "\u0345"]
GOOD = ["é", "ё", "ў", "і", "ґ", "ӂ", "«", "\u00a0", "—", "“", "€", "中", "\U0001f600", "ω"]


@pytest.mark.parametrize("script", ["Latin text here", "Кірылічны тэкст тут"])
def test_the_byte_screen_flags_every_bad_character_at_either_end(script: str) -> None:
    values: list[str | None] = []
    for ch in REJECTED + SUSPECT:
        values += [ch + script, script + ch, script[:5] + ch + script[5:]]
    column = big(values)
    assert len(column) > cells.LARGE_ROWS
    flags = cells._free_text_flags(column)
    assert flags[: len(values)].all(), [ascii(v) for v, f in zip(values, flags, strict=False) if not f]
    assert all(model_rejects(v) for v in values[: 3 * len(REJECTED)] if v is not None)


def test_the_byte_screen_passes_clean_text_of_many_scripts() -> None:
    values: list[str | None] = [ch + " text " + ch for ch in GOOD] + ["".join(GOOD)]
    flags = cells._free_text_flags(big(values))
    assert not flags.any(), [ascii(v) for v, f in zip(values, flags, strict=False) if f]
    assert not any(model_rejects(v) for v in values if v is not None)


@pytest.mark.parametrize("lead", ["=", "+", "-", "@"])
def test_the_byte_screen_flags_formula_leads(lead: str) -> None:
    flags = cells._free_text_flags(big([lead + "SUM(A1)", "Беларусь " + lead]))
    assert flags[:2].tolist() == [True, False]


def test_the_byte_screen_agrees_with_the_model_on_random_text() -> None:
    rng = random.Random(7)
    pool = (
        [chr(cp) for cp in range(0x20, 0x600)]
        + list("\u200b\u2014\u2026\u1100\u1161\uac00\u0301")
        + GOOD
        + REJECTED
        + SUSPECT
    )
    values: list[str | None] = ["".join(rng.choices(pool, k=rng.randint(1, 6))) for _ in range(30_000)]
    flags = cells._free_text_flags(big(values, chunks=7))[: len(values)]
    missed = [v for v, f in zip(values, flags, strict=True) if v is not None and model_rejects(v) and not f]
    assert not missed, [ascii(m) for m in missed[:5]]


def test_lead_bytes_the_screen_never_decodes_start_only_safe_characters() -> None:
    unsafe = cells.unsafe_code_points()
    for lead in cells.SAFE_LEAD_BYTES:
        first = (lead & 0x1F) << 6  # two-byte leads: 64 code points each
        assert not unsafe[first : first + 64].any(), hex(lead)
    # The window test also trusts printable ASCII.
    assert not unsafe[0x20:0x7F].any()


def test_the_byte_screen_reads_sliced_arrays_and_empty_chunks() -> None:
    array = pa.array(["x", "Cafe\u0301", "fine", "a\u200bb"] * 6000, pa.string())
    column = pa.chunked_array([array.slice(1, 12_000), pa.array([], pa.string()), array.slice(12_001, 11_000)])
    flags = cells._free_text_flags(column)
    expected = [model_rejects(v) for v in column.to_pylist()]
    assert flags.tolist() == expected
