"""While the library validates, Python's cyclic collector is held off; before and after, it is as the user had it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from belarus_data import validation
from belarus_data.checks.context import Context
from belarus_data.storage.collector import collection_paused

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def collecting() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_the_block_and_on_after_it(collecting: None) -> None:
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # nested: the outer block resumes collection
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collection_the_user_turned_off_stays_off(collecting: None) -> None:
    gc.disable()
    with collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_a_failure_inside_resumes_collection(collecting: None) -> None:
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("inside")
    assert gc.isenabled()


def test_validate_checks_with_collection_paused_and_resumes_it(
    collecting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def watching(ctx: Context) -> None:
        seen.append(gc.isenabled())

    text, paraphrase, tables = validation.LANES
    monkeypatch.setattr(validation, "LANES", (text, paraphrase, (*tables, watching)))
    assert validation.validate(REPO).ok
    assert seen == [False]
    assert gc.isenabled()
