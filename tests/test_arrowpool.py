"""While the library validates, Arrow allocates from jemalloc; before and after, from what the user had."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pytest

from belarus_data import validation
from belarus_data.checks.context import Context
from belarus_data.storage.arrowpool import CHOSEN_BY_USER, reusing_memory, reusing_pool

REPO = Path(__file__).resolve().parents[1]


def test_pyarrow_wheels_on_linux_ship_jemalloc() -> None:
    """Where this runs (Linux, pyarrow's wheels), the reusing pool exists: the tests below are not vacuous."""
    if sys.platform.startswith("linux"):
        pool = reusing_pool()
        assert pool is not None and pool.backend_name == "jemalloc"


def test_inside_the_block_arrow_uses_the_reusing_pool_and_after_it_the_one_before() -> None:
    before = pa.default_memory_pool().backend_name
    pool = reusing_pool()
    expected = before if pool is None else pool.backend_name
    with reusing_memory():
        assert pa.default_memory_pool().backend_name == expected
        with reusing_memory():  # nested (a loader inside a command): the outer block restores
            made = pa.array(range(10_000))
        assert pa.default_memory_pool().backend_name == expected
    assert pa.default_memory_pool().backend_name == before
    assert made.to_pylist()[-1] == 9_999  # an array made inside keeps its own pool


def test_a_pool_the_user_chose_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHOSEN_BY_USER, "system")
    before = pa.default_memory_pool().backend_name
    assert reusing_pool() is None
    with reusing_memory():
        assert pa.default_memory_pool().backend_name == before


def test_the_pool_is_restored_when_a_check_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    before = pa.default_memory_pool().backend_name
    seen: list[str] = []

    def failing(ctx: Context) -> None:
        seen.append(pa.default_memory_pool().backend_name)
        raise RuntimeError("a check failed")

    text, paraphrase, tables = validation.LANES
    monkeypatch.setattr(validation, "LANES", (text, paraphrase, (*tables, failing)))
    with pytest.raises(RuntimeError, match="a check failed"):
        validation.validate(REPO)
    pool = reusing_pool()
    assert seen == [before if pool is None else pool.backend_name]
    assert pa.default_memory_pool().backend_name == before
