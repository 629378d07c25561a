"""The source-text store: code-point offsets to bytes, slices, and what loading reports for each file."""

from __future__ import annotations

import hashlib
import itertools
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belarus_data.storage import sourcetexts
from belarus_data.storage.sourcetexts import TextFile

# One-, two-, three- and four-byte characters, so that block edges fall inside characters.
CHARACTERS = st.sampled_from(list("aZ .жЎў€’😀\u0301"))


def _store(tmp_path: Path, texts: list[bytes]) -> tuple[sourcetexts.SourceTexts, list[sourcetexts.LoadedText]]:
    files = []
    for k, raw in enumerate(texts):
        path = tmp_path / f"t{k}.txt"
        path.write_bytes(raw)
        files.append(TextFile(f"src-{k}", path, len(raw)))
    return sourcetexts.load(files)


@given(st.lists(st.text(CHARACTERS, max_size=300), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_every_code_point_offset_maps_to_its_byte(tmp_path_factory: object, texts: list[str]) -> None:
    tmp = tmp_path_factory.mktemp("texts")  # type: ignore[attr-defined]
    store, loaded = _store(tmp, [t.encode() for t in texts])
    for k, text in enumerate(texts):
        assert loaded[k].char_length == len(text)
        assert loaded[k].sha256 == hashlib.sha256(text.encode()).hexdigest()
        chars = np.arange(len(text) + 1)
        got = store.byte_offsets(np.full(len(chars), k), chars) - store.start[k]
        assert got.tolist() == [len(text[:c].encode()) for c in chars]
    # Every slice between two character offsets is the same text.
    k = max(range(len(texts)), key=lambda i: len(texts[i]))
    text = texts[k]
    if text:
        cuts = np.array(sorted({0, len(text) // 3, len(text) // 2, len(text)}))
        begin = store.byte_offsets(np.full(len(cuts), k), cuts)
        pieces = store.slices(np.full(len(cuts) - 1, k), begin[:-1], begin[1:]).to_pylist()
        assert [p.decode() for p in pieces] == [text[a:b] for a, b in itertools.pairwise(cuts)]


# Runs of ASCII long enough to fill whole 64-byte blocks (mapped without counting), between other characters.
MIXED_TEXT = st.lists(
    st.one_of(st.integers(0, 200).map(lambda n: "ab c" * (n // 4) + "xyz"[: n % 4]), CHARACTERS), max_size=40
).map("".join)


@given(st.lists(MIXED_TEXT, min_size=1, max_size=4))
@settings(max_examples=60, deadline=None)
def test_offsets_map_in_ascii_blocks_and_mixed_ones_alike(tmp_path_factory: object, texts: list[str]) -> None:
    tmp = tmp_path_factory.mktemp("texts")  # type: ignore[attr-defined]
    store, _ = _store(tmp, [t.encode() for t in texts])
    numbers = np.concatenate([np.full(len(t) + 1, k) for k, t in enumerate(texts)])
    chars = np.concatenate([np.arange(len(t) + 1) for t in texts])
    got = store.byte_offsets(numbers, chars) - store.start[numbers]
    assert got.tolist() == [len(texts[k][:c].encode()) for k, c in zip(numbers.tolist(), chars.tolist(), strict=True)]


def test_a_text_that_is_not_utf8_is_known_as_such_and_the_others_still_map(tmp_path: Path) -> None:
    texts = ["жжж".encode(), "Лукашэнка".encode("cp1251"), "після".encode()]
    store, loaded = _store(tmp_path, texts)
    assert [t.utf8 for t in loaded] == [True, False, True]
    assert "src-1" not in store and "src-2" in store
    offsets = store.byte_offsets(np.array([2, 2]), np.array([1, 5])) - store.start[2]
    assert offsets.tolist() == [2, 10]


def test_texts_that_are_valid_only_together_are_each_not_utf8(tmp_path: Path) -> None:
    # "€" is e2 82 ac: cut between two texts, the group's bytes as a whole are valid UTF-8.
    texts = ["a€".encode()[:-1], b"\xac and more", b"ok", "жжж".encode()]
    _, loaded = _store(tmp_path, texts)
    assert [t.utf8 for t in loaded] == [False, False, True, True]


def test_reused_buffers_hold_no_trace_of_the_group_before(tmp_path: Path) -> None:
    first = [("ж" * 500).encode(), b"x" * 900]
    second = [b"abc", ("’" * 40).encode()]
    buffers = sourcetexts.TextBuffers()
    paths = []
    for k, raw in enumerate(first + second):
        paths.append(tmp_path / f"t{k}.txt")
        paths[-1].write_bytes(raw)
    store, _ = sourcetexts.load([TextFile(f"a{k}", paths[k], len(first[k])) for k in range(2)], buffers)
    memory = store.data.base
    buffers.give(store)
    assert len(store.data) == sourcetexts.PADDING and "a0" not in store  # emptied: no later use reads the next group
    # The second file is announced 5 bytes longer than it is: it is not read, and its bytes are zero, not
    # the first group's.
    files = [TextFile("b0", paths[2], 3), TextFile("b1", paths[3], len(second[1]) + 5)]
    again, loaded = sourcetexts.load(files, buffers)
    assert again.data.base is memory  # the same memory, read over
    assert [t.utf8 for t in loaded] == [True, False] and loaded[1].sha256 is None
    assert again.data[3 : 3 + len(second[1]) + 5].tolist() == [0] * (len(second[1]) + 5)
    assert again.data[-sourcetexts.PADDING :].tolist() == [0] * sourcetexts.PADDING
    assert again.text("b0") == "abc"
    assert again.byte_offsets(np.array([0, 0]), np.array([1, 3])).tolist() == [1, 3]


def test_a_file_that_changed_after_listing_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("short", encoding="utf-8")
    store, loaded = sourcetexts.load([TextFile("src-a", path, 3)])  # the directory said 3 bytes
    assert loaded[0].sha256 is None and not loaded[0].utf8 and "src-a" not in store


def test_a_link_swapped_in_after_listing_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "outside.txt"
    target.write_text("secret", encoding="utf-8")
    link = tmp_path / "t.txt"
    link.symlink_to(target)
    _, loaded = sourcetexts.load([TextFile("src-a", link, 6)])
    assert loaded[0].sha256 is None


def test_take_rows_matches_arrow_take_in_any_order() -> None:
    import pyarrow as pa

    from belarus_data.storage.arrays import take_rows

    blocks = [
        pa.record_batch({"a": [f"r{i}" for i in range(k, k + 5)], "b": list(range(k, k + 5))}) for k in (0, 5, 10)
    ]
    table = pa.Table.from_batches(blocks)
    for rows in ([], [0], [14, 0, 7, 7, 3], list(range(15)), [5, 6, 7, 12]):
        assert take_rows(table, rows).to_pylist() == table.take(pa.array(rows, pa.int64())).to_pylist()


def test_read_regular_refuses_what_is_not_a_bounded_regular_file(tmp_path: Path) -> None:
    from belarus_data.storage.sourcetexts import UnreadableText, read_regular

    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"0123456789")
    assert read_regular(plain, 10) == b"0123456789"
    link = tmp_path / "link.txt"
    link.symlink_to(plain)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, why in (
        (link, "symbolic link"),
        (fifo, "not a regular file"),
        (Path("/dev/zero"), "not a regular file"),
        (tmp_path, "directory"),
        (tmp_path / "absent.txt", "cannot be opened"),
        (tmp_path / ("x" * 5000), "cannot be opened"),
    ):
        with pytest.raises(UnreadableText, match=why):
            read_regular(path, 10)
    with pytest.raises(UnreadableText, match="over the 9 allowed"):
        read_regular(plain, 9)


@given(st.lists(st.integers(min_value=1, max_value=2**64 - 1), min_size=1, max_size=50), st.randoms())
@settings(max_examples=200, deadline=None)
def test_nth_set_bit_finds_the_bit_a_count_would(words: list[int], rnd: object) -> None:
    bits = [[b for b in range(64) if w >> b & 1] for w in words]
    wanted = [rnd.randrange(len(b)) for b in bits]  # type: ignore[attr-defined]
    found = sourcetexts._nth_set_bit(np.array(words, dtype=np.uint64), np.array(wanted, dtype=np.int64))
    assert found.tolist() == [b[n] for b, n in zip(bits, wanted, strict=True)]
