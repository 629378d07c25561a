"""The character-start index of the source texts counts exactly the bytes that are not UTF-8 continuation bytes."""

from __future__ import annotations

import numpy as np
import pytest

from belarus_data.storage.sourcetexts import BLOCK, PADDING, lead_index, starts_before

# Lead and continuation bytes of 1- to 4-byte characters, and bytes that are never valid (0xC0, 0xFF).
BYTES = np.array([0x41, 0x20, 0xD0, 0xB0, 0x80, 0xBF, 0xE2, 0xF0, 0xC0, 0xFF], dtype=np.uint8)


def _store(size: int, seed: int) -> np.ndarray:
    data = np.zeros(size + PADDING, dtype=np.uint8)
    data[:size] = np.random.default_rng(seed).choice(BYTES, size=size)
    return data


def _leads(data: np.ndarray, first: int, last: int) -> int:
    return sum(1 for byte in data[first:last].tolist() if byte & 0xC0 != 0x80)


@pytest.mark.parametrize("size", [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK, 1000])
def test_index_counts_leads_before_each_block(size: int) -> None:
    data = _store(size, size)
    index = lead_index(data, size)
    blocks = -(-size // BLOCK)
    assert len(index) == blocks + 1
    assert index.tolist() == [_leads(data, 0, min(k * BLOCK, size)) for k in range(blocks + 1)]


@pytest.mark.parametrize("size", [1, BLOCK, 5 * BLOCK + 7])
def test_counts_before_any_position(size: int) -> None:
    data = _store(size, 7 + size)
    index = lead_index(data, size)
    positions = np.arange(size + 1, dtype=np.int64)
    assert starts_before(data, index, positions).tolist() == [_leads(data, 0, p) for p in positions.tolist()]


@pytest.mark.parametrize("words", [8, 16, 24])
@pytest.mark.parametrize("size", [40 * BLOCK, 40 * BLOCK + 33])
def test_index_counted_a_few_words_at_a_time_is_the_same(
    monkeypatch: pytest.MonkeyPatch, words: int, size: int
) -> None:
    """The texts are counted INDEX_WORDS 64-bit words at a time: steps of whole blocks, every step counted."""
    import belarus_data.storage.sourcetexts as sourcetexts

    data = _store(size, 11)
    whole = lead_index(data, size)
    monkeypatch.setattr(sourcetexts, "INDEX_WORDS", words)
    assert lead_index(data, size).tolist() == whole.tolist()
    assert whole.tolist() == [_leads(data, 0, min(k * BLOCK, size)) for k in range(len(whole))]


def test_index_of_bytes_not_on_an_eight_byte_boundary() -> None:
    """A buffer that does not start on a word boundary is counted alike (numpy reads it unaligned)."""
    data = _store(5 * BLOCK + 9 + 1, 3)[1:]
    size = 5 * BLOCK + 9
    assert lead_index(data, size).tolist() == [_leads(data, 0, min(k * BLOCK, size)) for k in range(7)]
