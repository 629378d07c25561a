"""The CAMEO and ACLED crosswalks: complete, well-formed, consistent with the events' own CAMEO codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from exporthelp import DATASETS, expected_rows

import belarus_data
from belarus_data import vocab
from belarus_data.export.crosswalk import ACLED_TYPES, MATCHES, _row_problem, cameo_matches, crosswalk_rows


@pytest.mark.parametrize("system", ["cameo", "acled"])
def test_every_event_type_is_mapped_or_explicitly_unmapped(system: str) -> None:
    frame = belarus_data.load_crosswalk(system)  # type: ignore[arg-type]
    assert set(frame["event_type"]) == set(vocab.EVENT_TYPE)
    assert set(frame["match"]) <= set(MATCHES)
    assert not frame.duplicated().any()
    for name in frame.columns:
        assert isinstance(frame[name].dtype, pd.CategoricalDtype) == (name != "note"), name
    assert frame["note"].dtype == pd.StringDtype()
    assert list(frame["match"].cat.categories) == list(MATCHES)
    # The same categories as the loaders' columns: a merge with the events keeps event_type categorical.
    events = belarus_data.load_events()
    assert frame["event_type"].dtype == events["event_type"].dtype
    merged = events.merge(frame, on="event_type")
    assert isinstance(merged["event_type"].dtype, pd.CategoricalDtype) and len(merged)


def test_cameo_codes_are_codes_and_acled_pairs_exist() -> None:
    for row in crosswalk_rows("cameo"):
        assert row["cameo_code"].isdigit() and 2 <= len(row["cameo_code"]) <= 4
    for row in crosswalk_rows("acled"):
        if row["match"] != "none":
            assert row["acled_sub_event_type"] in ACLED_TYPES[row["acled_event_type"]]


@pytest.mark.parametrize("dataset", DATASETS)
def test_events_cameo_codes_agree_with_the_crosswalk(dataset: Path) -> None:
    for event in expected_rows("events", dataset):
        if event["cameo_code"]:
            assert cameo_matches(str(event["event_type"]), str(event["cameo_code"]), event["mode"]), event["id"]  # type: ignore[arg-type]


def test_merge_with_cameo_coded_data() -> None:
    gdelt_like = pd.DataFrame({"EventCode": ["062", "1125", "190"]})
    cw = belarus_data.load_crosswalk("cameo")
    merged = gdelt_like.merge(cw[cw.match != "none"], left_on="EventCode", right_on="cameo_code")
    assert set(zip(merged.EventCode, merged.event_type, strict=True)) == {("062", "COOPERATE"), ("1125", "ACCUSE")}
    assert cameo_matches("ASSAULT", "190") and not cameo_matches("AID", "190")


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"event_type": "HUG"}, "event_type: 'HUG' is not a PLOVER event type"),
        ({"mode": "ships"}, "mode: 'ships' is not an event_mode code"),
        ({"match": "same"}, "match: 'same' is not one of"),
        ({"cameo_code": "6a"}, "cameo_code: '6a' is not a CAMEO code"),
        ({"match": "none"}, "the target columns must be empty exactly when match is none"),
    ],
)
def test_malformed_cameo_rows_are_named(row: dict[str, str], problem: str) -> None:
    good = {"event_type": "COOPERATE", "mode": "", "cameo_code": "062", "cameo_name": "x", "match": "close", "note": ""}
    found = _row_problem("cameo", {**good, **row})
    assert found is not None and found.startswith(problem)


def test_unknown_acled_pair_is_named() -> None:
    row = {"event_type": "ASSAULT", "mode": "", "acled_event_type": "Battles", "acled_sub_event_type": "Attack"}
    assert _row_problem("acled", {**row, "match": "narrower", "note": ""}) == (
        "'Battles' / 'Attack' is not an ACLED event / sub-event type"
    )


def test_unknown_system_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown crosswalk 'icews'"):
        crosswalk_rows("icews")  # type: ignore[arg-type]
