"""`belarus-data export parquet`: one file per table, Arrow types from the schema, the loaders' rows and values."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import set_cell
from exporthelp import DATASETS, expected_rows, export_columns, plain

from belarus_data._version import __version__
from belarus_data.cli import main
from belarus_data.export.parquet import export_parquet
from belarus_data.loaders import load_table
from belarus_data.storage.tables import TABLES


@pytest.mark.parametrize("dataset", DATASETS)
def test_round_trip_gives_the_loaded_rows_and_values(dataset: Path, tmp_path: Path) -> None:
    paths = export_parquet(tmp_path, dataset)
    assert [p.name for p in paths] == [f"{t.name}.parquet" for t in TABLES]
    for spec in TABLES:
        frame = pd.read_parquet(tmp_path / f"{spec.name}.parquet")
        columns = export_columns(spec.name)
        assert list(frame.columns) == columns
        kinds = {c: spec.rules[c].kind if c in spec.rules else "date" for c in columns}
        got = [{c: plain(kinds[c], r[c]) for c in columns} for r in frame.astype(object).to_dict("records")]
        assert got == expected_rows(spec.name, dataset), spec.name


@pytest.mark.parametrize("dataset", DATASETS)
def test_vocabulary_columns_read_back_as_the_loaders_categoricals(dataset: Path, tmp_path: Path) -> None:
    export_parquet(tmp_path, dataset)
    for spec in TABLES:
        frame = pd.read_parquet(tmp_path / f"{spec.name}.parquet")
        loaded = load_table(spec.name, dataset, include_withdrawn=True)
        for name, rule in spec.rules.items():
            if rule.vocab and not rule.multi:
                assert list(frame[name].cat.categories) == list(loaded[name].cat.categories) == rule.codes
            if rule.kind == "integer" and name in spec.required:
                assert frame[name].dtype == "int64", name


def test_arrow_schema_types_nullability_and_metadata(tmp_path: Path, root: Path) -> None:
    export_parquet(tmp_path, root)
    schema = pq.read_schema(tmp_path / "claims.parquet")
    assert schema.field("start").type == pa.int64()
    assert schema.field("created").type == pa.date32()
    assert schema.field("claim_type").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.field("tags").type == pa.string()  # a ';' list stays text, as the loaders give it
    assert not schema.field("statement").nullable and schema.field("event_id").nullable
    assert schema.field("quote").metadata[b"description"].startswith(b"Verbatim evidence")
    meta = schema.metadata
    assert meta[b"dataset_version"].decode() == __version__
    assert json.loads(meta[b"primary_key"]) == ["id"]
    assert {"field": "source_id", "table": "sources", "reference": "id"} in json.loads(meta[b"foreign_keys"])
    dictionary = pq.read_table(tmp_path / "claims.parquet").column("claim_type").chunk(0).dictionary.to_pylist()
    assert dictionary == ["report", "assessment", "prediction", "characterisation", "intention", "historical"]


def test_cli_writes_files_and_refuses_invalid_data(tmp_path: Path, root: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "parquet", str(tmp_path / "pq"), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"wrote {tmp_path / 'pq' / t.name}.parquet" for t in TABLES]
    set_cell(root, "events", 2, "created", "2026-13-01")
    result = runner.invoke(main, ["export", "parquet", str(tmp_path / "bad"), "--root", str(root)])
    assert result.exit_code == 1
    assert "records/events.csv:2:" in result.stderr and "created" in result.stderr
    assert not (tmp_path / "bad").exists()
