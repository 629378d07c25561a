"""The ``edtf`` package is used by one thread at a time (see ``belarus_data.dates.edtf._LIBRARY_LOCK``).

The checks run on three threads. The package (a pyparsing grammar with a packrat cache shared by
every thread, objects made by parse actions) is not thread-safe: with the cell rules and the date
rules on two threads, a valid set ('[2024..2023]') was sometimes judged not EDTF and its
``edtf-reversed`` problem became an ``edtf`` one (tests/test_corpus.py, about one run in two).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import edtf as edtf_package
import pytest

from belarus_data.dates import edtf

# Shapes the fast path leaves to the package: sets and seasons.
VALUES = [f"[{year}..{year - 1}]" for year in range(1990, 2010)] + [
    f"{year}-2{s}" for year in range(1990, 2000) for s in (1, 2)
]


def _clear_caches() -> None:
    for cached in (edtf._library, edtf.parse, edtf.stated, edtf.strict, edtf.reversal):
        cached.cache_clear()


def test_the_package_is_never_entered_by_two_threads_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    inside, most = 0, 0
    guard = threading.Lock()
    original = edtf_package.parse_edtf

    def watched(value: str) -> Any:
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        time.sleep(0.002)  # a window wide enough for another thread to come in, if it could
        try:
            return original(value)
        finally:
            with guard:
                inside -= 1

    monkeypatch.setattr(edtf_package, "parse_edtf", watched)
    _clear_caches()
    start = threading.Barrier(4)
    found: dict[int, list[object]] = {}

    def work(k: int) -> None:
        start.wait()
        values = VALUES[k::2] + VALUES  # overlapping work: the same value asked for by two threads too
        found[k] = [edtf.reversal(v) if k % 2 else edtf.parse(v) for v in values]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _clear_caches()
    assert most == 1
    sequential = [edtf.reversal(v) for v in VALUES]
    assert found[1][-len(VALUES) :] == sequential  # the same answers as on one thread
    assert all(bounds is not None for bounds in sequential[:20])  # every set runs backwards
    assert all(edtf.parse(v) is not None for v in VALUES)  # and every value is valid EDTF
