"""`belarus-data info`: counts per table, type and status, sources, dates and version, as text and as JSON."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from exporthelp import DATASETS

from belarus_data._version import __version__
from belarus_data.cli import main
from belarus_data.storage.tables import TABLES


def csv_rows(root: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((root / "records" / f"{name}.csv").read_text(encoding="utf-8"))))


@pytest.mark.parametrize("dataset", DATASETS)
def test_json_counts_match_the_csv_files(dataset: Path) -> None:
    result = CliRunner().invoke(main, ["info", "--json", "--root", str(dataset)])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["dataset_version"] == __version__
    assert info["licenses"] == {"records": "CC-BY-4.0", "code": "MIT"}
    assert info["unreadable"] == []
    for spec in TABLES:
        rows = csv_rows(dataset, spec.name)
        assert info["tables"][spec.name]["rows"] == len(rows)
        assert info["tables"][spec.name]["record_status"] == dict(Counter(r["record_status"] for r in rows))
    events = csv_rows(dataset, "events")
    assert info["tables"]["events"]["event_type"] == dict(Counter(r["event_type"] for r in events))
    claims = csv_rows(dataset, "claims")
    assert info["tables"]["claims"]["claim_type"] == dict(Counter(r["claim_type"] for r in claims))
    assert [s["id"] for s in info["sources"]] == [r["id"] for r in csv_rows(dataset, "sources")]
    assert info["event_dates"]["earliest"] <= info["event_dates"]["latest"]


@pytest.mark.parametrize("dataset", DATASETS)
def test_text_summary_is_readable(dataset: Path) -> None:
    result = CliRunner().invoke(main, ["info", "--root", str(dataset)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"belarus-data {__version__} at {dataset.resolve()}"
    claims = len(csv_rows(dataset, "claims"))
    assert any(line.split()[:2] == ["claims", str(claims)] for line in lines)
    assert any(line.startswith("claims by claim_type: ") for line in lines)
    assert any(line.startswith("events dated between ") for line in lines)
    for source in csv_rows(dataset, "sources"):
        assert any(source["id"] in line and source["title"] in line for line in lines)


def test_unreadable_file_is_reported_not_hidden(root: Path) -> None:
    (root / "records" / "events.csv").unlink()
    result = CliRunner().invoke(main, ["info", "--root", str(root)])
    assert result.exit_code == 0
    assert "could not read" in result.output
    assert "records/events.csv: [file-missing] does not exist" in result.output
    assert (
        "events" not in json.loads(CliRunner().invoke(main, ["info", "--json", "--root", str(root)]).output)["tables"]
    )
