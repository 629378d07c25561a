"""How validation spreads the checks over its threads (``validation.run_checks``).

The texts lane and the paraphrase lane run their own checks in order; the table checks are one
queue that every thread takes from once its own lane is done. Each check must run exactly once,
whichever thread takes it, and a check's failure must still reach the caller.
"""

from __future__ import annotations

import csv
import io
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
    """With nothing of their own to do, every check thread takes table checks (each made to last 20 ms)."""
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


def test_the_texts_are_planned_on_their_own_thread_and_a_failure_there_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checking every text's path runs beside the parse; what it raises is raised by validate, as before."""
    from belarus_data.checks import evidence

    root = copy_valid(tmp_path / "valid")
    planned_on: list[str] = []
    plan = evidence.plan_texts

    def recording(ctx: Context) -> evidence.TextPlan | None:
        planned_on.append(threading.current_thread().name)
        return plan(ctx)

    monkeypatch.setattr(evidence, "plan_texts", recording)
    assert validation.validate(root).ok
    assert planned_on == ["belarus-data-texts"]

    def failing(ctx: Context) -> evidence.TextPlan | None:
        raise PermissionError("records/texts: permission denied")

    monkeypatch.setattr(evidence, "plan_texts", failing)
    with pytest.raises(PermissionError, match="permission denied"):
        validation.validate(root)


def test_a_text_path_problem_found_while_planning_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path / "valid")
    sources = root / "records" / "sources.csv"
    lines = sources.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    at = header.index("text_path")
    row = next(csv.reader([lines[1]]))
    row[at] = "texts/../../outside.txt"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    sources.write_text("".join([lines[0], out.getvalue(), *lines[2:]]), encoding="utf-8")
    report = validation.validate(root)
    # The planning's own problem (the cell rules add the pattern one).
    assert ("records/sources.csv", 2, "text_path", "text-path-unsafe") in {
        (p.file, p.line, p.field, p.code) for p in report.problems
    }


def test_the_summary_is_made_once_beside_the_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_valid(tmp_path / "valid")
    made_on: list[str] = []
    summarise = validation.summarise

    def recording(tables: dict[str, object]) -> dict[str, object]:
        made_on.append(threading.current_thread().name)
        return summarise(tables)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "summarise", recording)
    report = validation.validate(root)
    assert len(made_on) == 1 and made_on[0].startswith("belarus-data-check")
    assert report.summary["tables"]["claims"]["rows"] == report.rows["claims"] > 0


def test_the_sentence_scan_is_made_once_ahead_of_the_sentence_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan is queued first, so it is done while the text check (made to last 0.3 s) still runs."""
    from belarus_data.checks import curation

    root = copy_valid(tmp_path / "valid")
    events: list[tuple[str, str]] = []
    spans = curation.spans_sentences_each

    def recording(quotes: object) -> object:
        events.append(("scan", threading.current_thread().name))
        return spans(quotes)  # type: ignore[arg-type]

    def slow_texts(ctx: Context) -> None:
        time.sleep(0.3)
        validation.evidence.check_source_texts(ctx)
        events.append(("texts checked", threading.current_thread().name))

    monkeypatch.setattr(curation, "spans_sentences_each", recording)
    text_lane, *others = validation.LANES
    monkeypatch.setattr(validation, "LANES", ((slow_texts, *text_lane[1:]), *others))
    report = validation.validate(root)
    assert report.ok, [p.as_text() for p in report.problems]
    assert [what for what, _ in events] == ["scan", "texts checked"]
    assert events[0][1].startswith("belarus-data-check")


@pytest.mark.parametrize(("cores", "threads"), [(1, 2), (2, 2), (3, 3), (16, 3)])
def test_a_thread_for_the_table_queue_alone_only_where_a_core_is_left(
    monkeypatch: pytest.MonkeyPatch, cores: int, threads: int
) -> None:
    """Two pinned lanes: a thread each; a third, for the table checks from the start, needs a third core."""
    monkeypatch.setattr(validation.os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    assert validation.check_threads(2) == threads
