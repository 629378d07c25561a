"""The installable package: lazy import, one version, typed loaders, generated artefacts in sync."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, VALID, line_of, set_cell

import belarus_data
from belarus_data import DatasetError, load_claims, load_table
from belarus_data.models import Claim
from belarus_data.storage.generated import stale_files


def test_import_loads_no_pandas_or_frictionless() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import belarus_data"], capture_output=True, text=True, check=True
    )
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert "belarus_data" in imported
    assert not {m for m in imported if m.split(".")[0] in {"pandas", "frictionless", "pyarrow", "numpy"}}


def test_one_version_everywhere() -> None:
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    cli = subprocess.run(
        [sys.executable, "-m", "belarus_data.cli", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert descriptor["version"] == belarus_data.__version__
    assert belarus_data.__version__ in cli


@pytest.mark.parametrize("root", [REPO, VALID], ids=["repository", "fixture"])
def test_generated_files_match_models(root: Path) -> None:
    assert stale_files(root) == []


def test_loader_dtypes_come_from_the_schema() -> None:
    claims = load_claims(VALID)
    assert str(claims["start"].dtype) == "Int64"
    assert isinstance(claims["claim_type"].dtype, pd.CategoricalDtype)
    assert list(claims["claim_type"].cat.categories) == list(belarus_data.vocab.CLAIM_TYPE)
    assert isinstance(claims["statement"].dtype, pd.StringDtype)
    assert str(claims["created"].dtype).startswith("datetime64")
    sources = load_table("sources", VALID)
    text = (VALID / "records" / "texts" / "fixture-note.txt").read_text(encoding="utf-8")
    assert claims["quote"].iloc[0] in text
    assert sources["text_length"].iloc[0] == len(text)
    assert pd.isna(claims.set_index("id").loc["clm-fx4d5e6f", "event_id"])


def test_loader_returns_models_on_request() -> None:
    claims = load_claims(VALID, as_models=True)
    assert all(isinstance(c, Claim) for c in claims)
    assert {c.id for c in claims} == set(load_claims(VALID)["id"])


def test_loader_cache_sees_changes_and_returns_independent_frames(root: Path) -> None:
    first = load_claims(root)
    first.loc[0, "statement"] = "changed in memory only"
    assert load_claims(root).loc[0, "statement"] != "changed in memory only"
    line = line_of(root, "claims", "clm-fx1a2b3c")
    set_cell(root, "claims", line, "claim_type", "nonsense")
    with pytest.raises(DatasetError) as raised:
        load_claims(root)
    assert raised.value.problems[0].line == line
    assert raised.value.problems[0].code == "vocab"


def test_frictionless_accepts_the_package() -> None:
    from frictionless import Package

    for root in (REPO, VALID):
        report = Package("datapackage.json", basepath=str(root)).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_depth_counts_nesting_like_the_position_scan() -> None:
    from belarus_data.storage.jsonpos import depth, scan

    for nested in range(0, 8):
        raw = "[" * nested + "1" + "]" * nested
        assert depth(json.loads(raw)) == nested
        assert (scan(raw, 5).too_deep_line is not None) == (depth(json.loads(raw)) > 5)
    assert depth({"a": [{"b": {}}], "c": 1}) == 4
