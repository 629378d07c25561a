"""How validation spreads the checks over its threads (``validation.run_checks``).

The texts lane and the paraphrase lane run their own checks in order; the table checks are one
queue that every thread takes from once its own lane is done. Each check must run exactly once,
whichever thread takes it, and a check's failure must still reach the caller.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_valid

from belarus_data import validation
from belarus_data.checks.context import Context

Check = Callable[[Context], None]


def _recording(check: Check, calls: Counter[str], threads: dict[str, str], pause: float = 0.0) -> Check:
    def run(ctx: Context) -> None:
        calls[check.__name__] += 1
        threads[check.__name__] = threading.current_thread().name
        time.sleep(pause)
        check(ctx)

    return run


def test_every_check_runs_once_whichever_thread_takes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_valid(tmp_path / "valid")
    calls: Counter[str] = Counter()
    threads: dict[str, str] = {}
    lanes = tuple(tuple(_recording(check, calls, threads) for check in lane) for lane in validation.LANES)
    monkeypatch.setattr(validation, "LANES", lanes)
    report = validation.validate(root)
    assert report.ok, [p.as_text() for p in report.problems]
    every = [
        check.__name__
        for lane in (validation.TEXT_CHECKS, validation.PARAPHRASE_CHECKS, validation.TABLE_CHECKS)
        for check in lane
    ]
    assert len(every) == len(set(every))
    assert calls == Counter(every)


def test_the_table_checks_are_shared_by_idle_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing of their own to do, all three threads take table checks (each made to last 20 ms)."""
    root = copy_valid(tmp_path / "valid")
    calls: Counter[str] = Counter()
    threads: dict[str, str] = {}
    tables = tuple(_recording(check, calls, threads, pause=0.02) for check in validation.TABLE_CHECKS)
    monkeypatch.setattr(validation, "LANES", ((), (), tables))
    assert validation.validate(root).ok
    assert sum(calls.values()) == len(validation.TABLE_CHECKS)
    assert len(set(threads.values())) >= 2


def test_a_failing_table_check_reaches_the_caller_and_the_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_valid(tmp_path / "valid")
    calls: Counter[str] = Counter()
    threads: dict[str, str] = {}

    def broken(ctx: Context) -> None:
        raise RuntimeError("a check's own bug")

    text, paraphrase, tables = validation.LANES
    queue = (broken, *(_recording(check, calls, threads) for check in tables))
    monkeypatch.setattr(validation, "LANES", (text, paraphrase, queue))
    with pytest.raises(RuntimeError, match="a check's own bug"):
        validation.validate(root)
    assert sum(calls.values()) == len(tables)
