"""The README's "Analyse it" examples run on the shipped data and print the right answers.

Each ```python block of the section is executed as a user would (cwd = repository
root), and what it prints and leaves behind is compared with answers computed
independently from the CSV files: dates through the ``edtf`` package itself,
quotes through the source text at the claims' offsets. Nothing is hard-coded, so
the test holds while the records change.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import math
import re
import time
from typing import Any

import pytest
from conftest import REPO
from edtf import parse_edtf

JUNE = (dt.date(2016, 6, 1), dt.date(2016, 6, 30))


def section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "\n## Analyse it\n" in text
    return text.split("\n## Analyse it\n", 1)[1].split("\n## ", 1)[0]


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", section(), re.S)


def run(block: str, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], str]:
    monkeypatch.chdir(REPO)
    namespace: dict[str, Any] = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), namespace)
    return namespace, out.getvalue()


def rows(name: str) -> list[dict[str, str]]:
    with (REPO / "records" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["record_status"] == "active"]


def day(value: object) -> dt.date | None:
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    assert isinstance(value, float) and math.isinf(value)
    return None


def strict(value: str) -> tuple[dt.date | None, dt.date | None]:
    """The edtf package's strict bounds; an empty (unknown) interval end is no bound."""
    if not value:
        return None, None
    parsed = parse_edtf(value)
    lower, upper = day(parsed.lower_strict()), day(parsed.upper_strict())
    start, slash, end = value.partition("/")
    return (lower if start or not slash else None), (upper if end or not slash else None)


def fuzzy(value: str) -> tuple[dt.date | None, dt.date | None]:
    parsed = parse_edtf(value)
    lower, upper = day(parsed.lower_fuzzy()), day(parsed.upper_fuzzy())
    start, slash, end = value.partition("/")
    return (lower if start or not slash else None), (upper if end or not slash else None)


def printed_lines_with(output: str, *words: str) -> list[str]:
    return [line for line in output.splitlines() if all(w in line for w in words)]


def test_the_section_has_its_four_examples() -> None:
    assert len(blocks()) == 4


def test_sorting_by_date_lower_is_chronological(monkeypatch: pytest.MonkeyPatch) -> None:
    _, output = run(blocks()[0], monkeypatch)
    events = {r["id"]: strict(r["date_edtf"])[0] for r in rows("events")}
    printed = [w for line in output.splitlines() for w in line.split() if w in events]
    assert sorted(printed) == sorted(events)
    dated = [events[i] for i in printed if events[i] is not None]
    assert dated == sorted(dated) and len(dated) >= 2
    # rows with no lower bound come after every dated one
    assert all(events[i] is None for i in printed[len(dated) :])
    assert "EdtfBounds(lower=datetime.date(2016, 6, 15)" in output


def test_predictions_of_an_outlet(monkeypatch: pytest.MonkeyPatch) -> None:
    namespace, output = run(blocks()[1], monkeypatch)
    outlet = next(a["id"] for a in rows("actors") if a["name"] == "Belarus in focus")
    expected = {
        c["id"]: c["resolution"]
        for c in rows("claims")
        if c["claim_type"] == "prediction" and c["asserted_by"] == outlet
    }
    assert expected, "the outlet has predictions in the shipped data"
    assert set(namespace["predictions"]["id"]) == set(expected)
    for claim, resolution in expected.items():
        assert printed_lines_with(output, claim, resolution), claim
    others = {c["id"] for c in rows("claims") if c["claim_type"] == "prediction"} - set(expected)
    assert not any(claim in output for claim in others)  # predictions only reported by the outlet are left out
    for resolution in set(expected.values()):
        count = sum(1 for r in expected.values() if r == resolution)
        assert printed_lines_with(output, resolution, str(count))


def test_events_in_june_2016_with_their_actors(monkeypatch: pytest.MonkeyPatch) -> None:
    namespace, output = run(blocks()[2], monkeypatch)
    in_june = set()
    for event in rows("events"):
        lower, upper = strict(event["date_edtf"])
        if lower is not None and upper is not None and JUNE[0] <= lower and upper <= JUNE[1]:
            in_june.add(event["id"])
    assert in_june, "some shipped event falls within June 2016"
    assert set(namespace["june"]["id"]) == in_june
    names = {a["id"]: a["name"] for a in rows("actors")}
    pairs = [
        (p["event_id"], p["role"], names[p["actor_id"]]) for p in rows("event_participants") if p["event_id"] in in_june
    ]
    assert pairs
    for event, role, name in pairs:
        assert printed_lines_with(output, event, role, name), (event, name)
    assert len(printed_lines_with(output, "evt-")) == len(pairs)


def test_events_that_may_fall_in_june(monkeypatch: pytest.MonkeyPatch) -> None:
    expression = re.search(r"`(events\[events\.date_edtf\.notna\(\).*?)`", section())
    assert expression is not None
    namespace, _ = run(blocks()[2], monkeypatch)
    got = set(eval(expression.group(1), namespace)["id"])
    expected = set()
    for event in rows("events"):
        if not event["date_edtf"]:
            continue
        lower, upper = fuzzy(event["date_edtf"])
        if (lower is None or lower <= JUNE[1]) and (upper is None or upper >= JUNE[0]):
            expected.add(event["id"])
    assert got == expected
    assert set(namespace["june"]["id"]) <= got


def test_claims_resting_on_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    namespace, output = run(blocks()[3], monkeypatch)
    sentence = namespace["sentence"]
    # independently: where the sentence is in the source text, and which claims' offsets fall inside it
    texts = {s["id"]: (REPO / "records" / s["text_path"]).read_text(encoding="utf-8") for s in rows("sources")}
    expected = set()
    for source, text in texts.items():
        at = text.find(sentence)
        if at < 0:
            continue
        for claim in rows("claims"):
            start, end = int(claim["start"]), int(claim["end"])
            if claim["source_id"] == source and at <= start and end <= at + len(sentence):
                expected.add(claim["id"])
    assert len(expected) >= 2, "the example sentence carries several claims"
    assert set(namespace["resting"]["id"]) == expected
    assert {w for w in output.split() if w.startswith("clm-")} == expected
