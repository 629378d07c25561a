"""`belarus-data timeline`: every dated event drawn over its whole EDTF interval, claims per source beneath."""

from __future__ import annotations

import datetime as dt
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, set_cell
from exporthelp import DATASETS, expected_rows
from matplotlib.dates import date2num

from belarus_data.cli import main
from belarus_data.export.timeline import BARS_GID, figure, span, type_colours
from belarus_data.storage.tables import TABLES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def records(root: Path) -> dict[str, list[dict[str, object]]]:
    return {t.name: expected_rows(t.name, root) for t in TABLES}


def bars(ax: object) -> list[tuple[float, float, tuple[float, ...]]]:
    """(left, right, colour) of every stated-interval bar drawn on the axis."""
    found = []
    for collection in ax.collections:  # type: ignore[attr-defined]
        if collection.get_gid() != BARS_GID:
            continue
        colours = collection.get_facecolors()
        for path, colour in zip(collection.get_paths(), colours, strict=True):
            xs = path.vertices[:, 0]
            found.append(
                (round(float(xs.min()), 6), round(float(xs.max()), 6), tuple(round(float(c), 3) for c in colour[:3]))
            )
    return found


def rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(round(int(hex_colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


@pytest.mark.parametrize("dataset", DATASETS)
def test_each_dated_event_spans_its_stated_interval_in_its_type_colour(dataset: Path) -> None:
    data = records(dataset)
    fig = figure(data)
    events_ax = fig.axes[0]
    drawn = bars(events_ax)
    axis_lo, axis_hi = events_ax.get_xlim()
    for event in data["events"]:
        s = span(event["date_edtf"])  # type: ignore[arg-type]
        if s is None:
            continue
        left = date2num(s.strict_start) if s.strict_start else axis_lo
        right = date2num(s.strict_end + dt.timedelta(days=1)) if s.strict_end else axis_hi
        expected = (round(left, 6), round(right, 6), rgb(type_colours()[str(event["event_type"])]))
        assert expected in drawn, (event["id"], event["date_edtf"])
        assert right - left >= 1  # an interval of at least a whole day, never a point


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_event_is_labelled_and_every_source_has_a_band(dataset: Path) -> None:
    data = records(dataset)
    fig = figure(data)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == sum(1 for e in data["events"] if e["record_status"] == "active")
    for event in data["events"]:
        if event["record_status"] == "active":
            assert any(f"[{event['event_type']}, {event['event_status']}]" in label for label in labels)
    source_labels = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    for source in data["sources"]:
        claims = sum(1 for c in data["claims"] if c["source_id"] == source["id"] and c["record_status"] == "active")
        assert any(f"{claims} claims" in label for label in source_labels)


def test_open_interval_runs_to_the_axis_edge(root: Path) -> None:
    set_cell(root, "events", 2, "date_edtf", "2022-06-10/..")
    set_cell(root, "events", 2, "date_phrase", "")
    set_cell(root, "events", 2, "date_anchor", "")
    data = records(root)
    fig = figure(data)
    _, axis_hi = fig.axes[0].get_xlim()
    assert (round(date2num(dt.date(2022, 6, 10)), 6), round(axis_hi, 6), rgb(type_colours()["COOPERATE"])) in bars(
        fig.axes[0]
    )


@pytest.mark.parametrize("dataset", DATASETS)
def test_cli_writes_png_svg_and_self_contained_html(dataset: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for suffix in ("png", "svg", "html"):
        out = tmp_path / f"timeline.{suffix}"
        result = runner.invoke(main, ["timeline", str(out), "--root", str(dataset)])
        assert result.exit_code == 0, result.output + result.stderr
        assert result.output == f"wrote {out}\n"
    png = (tmp_path / "timeline.png").read_bytes()
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])
    assert width > 800 and height > 150
    svg = ET.parse(tmp_path / "timeline.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    page = (tmp_path / "timeline.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    # Self-contained: nothing is fetched (namespace URIs are names, not requests).
    assert "<script" not in page and "<link" not in page and " src=" not in page and "url(http" not in page
    for event in expected_rows("events", dataset):
        assert f"<code>{event['id']}</code>" in page


def test_svg_output_is_reproducible(tmp_path: Path, root: Path) -> None:
    runner = CliRunner()
    for name in ("a.svg", "b.svg"):
        assert runner.invoke(main, ["timeline", str(tmp_path / name), "--root", str(root)]).exit_code == 0
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_unknown_suffix_is_a_usage_error(tmp_path: Path, root: Path) -> None:
    result = CliRunner().invoke(main, ["timeline", str(tmp_path / "t.jpg"), "--root", str(root)])
    assert result.exit_code == 2
    assert "must end in .png, .svg or .html" in result.stderr
    assert not (tmp_path / "t.jpg").exists()


def test_missing_extra_names_it(tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = CliRunner().invoke(main, ["timeline", str(tmp_path / "t.png"), "--root", str(root)])
    assert result.exit_code == 4  # MISSING_EXTRA_EXIT, not the usage code
    assert "pip install 'belarus-data[plot]'" in result.stderr
    assert not (tmp_path / "t.png").exists()


def test_many_events_are_packed_into_lanes_and_few_sources_shown(root: Path) -> None:
    data = records(root)
    event, claim, source = data["events"][0], data["claims"][0], data["sources"][0]
    day = dt.date(2020, 1, 1)
    data["events"] = [
        {**event, "id": f"evt-many{i}", "date_edtf": (day + dt.timedelta(days=3 * i)).isoformat()} for i in range(400)
    ]
    data["sources"] = [{**source, "id": f"src-many{i}", "title": f"Source {i}"} for i in range(45)]
    data["claims"] = [
        {**claim, "id": f"clm-many{i}", "source_id": f"src-many{i % 45}", "event_id": f"evt-many{i}"}
        for i in range(400)
    ]
    fig = figure(data)
    events_ax, sources_ax = fig.axes[:2]
    assert events_ax.get_yticklabels() == []  # too many to label; the HTML page lists them
    assert "packed into" in events_ax.get_title(loc="left")
    assert len(bars(events_ax)) == 400
    assert len(sources_ax.get_yticklabels()) == 30
    assert "30 of 45 sources" in sources_ax.get_title(loc="left")
    assert fig.get_figheight() < 60


EDTF_VALUES = [
    *("2016-06?/2016-08?", "2016?-06-~15", "../2016-08?", "2016?-08/2016?-09", "2022-06-10/..", "2022-08"),
    *("2022", "2020-02-29", "2020-01-~31", "%2020-01", "2022-08-16T13:19:00", "2019-21", "201X", "2021-02-29"),
    *("2022-13", "2016-06/2016-05-~01", "x", ""),
]


def edtf_values_in(root: Path) -> set[str]:
    columns = {"events": ("date_edtf", "date_anchor"), "claims": ("time_edtf", "time_anchor", "horizon")}
    columns["sources"] = ("published", "page_updated")
    return {str(r[c]) for t, cs in columns.items() for r in expected_rows(t, root) for c in cs if r[c]}


@pytest.mark.parametrize("value", [*EDTF_VALUES, *sorted(edtf_values_in(REPO))])
def test_span_agrees_with_the_edtf_package_and_the_validator(value: str) -> None:
    from edtf import parse_edtf

    from belarus_data.dates import edtf as edtf_dates

    s, bounds = span(value), edtf_dates.parse(value)
    assert (s is None) == (bounds is None)
    if s is not None and bounds is not None:
        assert (s.fuzzy_start, s.fuzzy_end) == (bounds.earliest, bounds.latest)
        parsed = parse_edtf(value)
        assert (s.strict_start, s.strict_end) == (
            edtf_dates.to_date(parsed.lower_strict()),
            edtf_dates.to_date(parsed.upper_strict()),
        )


@pytest.mark.parametrize("dataset", DATASETS)
def test_streamed_gathering_draws_the_same_timeline(dataset: Path) -> None:
    # gather() keeps only the claims of the sources shown, with counts and extents of all of them.
    from belarus_data.export.timeline import gather

    full = figure(records(dataset))
    gathered, totals = gather(dataset)
    assert totals.claims == len(expected_rows("claims", dataset))
    streamed = figure(gathered, totals)
    for ax_full, ax_streamed in zip(full.axes[:2], streamed.axes[:2], strict=True):
        assert bars(ax_full) == bars(ax_streamed)
        assert [t.get_text() for t in ax_full.get_yticklabels()] == [
            t.get_text() for t in ax_streamed.get_yticklabels()
        ]
        assert ax_full.get_xlim() == ax_streamed.get_xlim()
        assert ax_full.get_title(loc="left") == ax_streamed.get_title(loc="left")


def test_beyond_the_cap_events_of_one_type_and_interval_are_drawn_once(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarus_data.export import timeline

    monkeypatch.setattr(timeline, "MAX_DRAWN_EVENTS", 10)
    data = records(root)
    event = data["events"][0]
    # 100 events on 3 days, of 2 types: 6 distinct type-and-interval bars.
    data["events"] = [
        {**event, "id": f"evt-dup{i}", "date_edtf": f"2020-01-0{1 + i % 3}", "event_type": ("AGREE", "ACCUSE")[i % 2]}
        for i in range(100)
    ]
    fig = figure(data)
    assert len(bars(fig.axes[0])) == 6
    assert "100" in fig.axes[0].get_title(loc="left") and "6 distinct" in fig.axes[0].get_title(loc="left")
