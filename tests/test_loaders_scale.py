"""The loaders read a table a block at a time: memory follows the DataFrame they return, not a multiple of it.

Not timed. The datasets are generated with benchmarks/generate.py; the peaks are measured in fresh processes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import line_of, set_cell
from test_generate import load_generator

import belarus_data
from belarus_data import DatasetError, loaders
from belarus_data.storage.derived import with_date_bounds
from belarus_data.storage.tables import TABLES, table

# Small blocks and groups, so that what one group holds is small beside the frames of these small datasets.
PEAK_SCRIPT = """
import resource, sys
import belarus_data
from belarus_data import loaders
loaders.LOAD_BLOCK_BYTES, loaders.LOAD_GROUP_ROWS, loaders.LOAD_GROUP_BYTES = 64 << 10, 2_000, 1 << 20
frame = belarus_data.load_claims(sys.argv[1])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, int(frame.memory_usage(deep=True).sum()))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset with withdrawn records, large enough for several blocks of a small block size."""
    return load_generator().generate(3_000, tmp_path_factory.mktemp("gen") / "3k", seed=7)


def whole(name: str, root: Path, include_withdrawn: bool) -> pd.DataFrame:
    """The table as the strict whole-file reader gives it (what the loaders fall back to)."""
    spec = table(name)
    every = loaders.arrow_to_pandas(spec, with_date_bounds(spec, loaders._read_checked(spec, root)))
    return every if include_withdrawn else every[every["record_status"] == "active"].reset_index(drop=True)


@pytest.mark.parametrize("include_withdrawn", [False, True])
@pytest.mark.parametrize("name", [t.name for t in TABLES])
def test_read_by_blocks_equals_read_whole(
    generated: Path, name: str, include_withdrawn: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders, "LOAD_BLOCK_BYTES", 64 << 10)  # many blocks, some with no active row
    streamed = loaders._streamed(table(name), generated, active_only=not include_withdrawn)
    assert streamed is not None
    expected = whole(name, generated, include_withdrawn)
    pd.testing.assert_frame_equal(streamed, expected, check_exact=True)
    assert list(streamed.dtypes) == list(expected.dtypes)
    if not include_withdrawn:
        assert set(streamed["record_status"]) == {"active"}
    elif name == "claims":
        assert {"retracted", "superseded"} <= set(streamed["record_status"])  # the generator withdraws some


def copy_of(generated: Path, tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(generated), str(root)], check=True)
    return root


def test_a_bad_cell_in_a_late_block_is_reported_as_validate_reports_it(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of(generated, tmp_path)
    monkeypatch.setattr(loaders, "LOAD_BLOCK_BYTES", 64 << 10)
    rows = (root / "records" / "claims.csv").read_text(encoding="utf-8").splitlines()
    last = len(rows)
    set_cell(root, "claims", last, "start", "１２")  # full-width digits: not a number the integer rule takes
    with pytest.raises(DatasetError) as raised:
        belarus_data.load_claims(root)
    report = belarus_data.validate(root)
    assert [(p.line, p.field, p.code) for p in raised.value.problems] == [
        (p.line, p.field, p.code) for p in report.errors if p.file == "records/claims.csv"
    ]
    assert (raised.value.problems[0].line, raised.value.problems[0].field) == (last, "start")


def test_an_irregular_file_is_read_whole_and_its_problem_located(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of(generated, tmp_path)
    monkeypatch.setattr(loaders, "LOAD_BLOCK_BYTES", 64 << 10)
    events = root / "records" / "events.csv"
    line = line_of(root, "events", load_ids(events)[-1])
    # A quoted line break inside a cell: pyarrow's block reader would split the record in two.
    set_cell(root, "events", line, "description", "first part\nsecond part")
    assert loaders._streamed(table("events"), root, active_only=True) is None
    with pytest.raises(DatasetError) as raised:
        belarus_data.load_events(root)
    assert any(p.line == line for p in raised.value.problems), raised.value.problems


def load_ids(path: Path) -> list[str]:
    return [row.split(",", 1)[0] for row in path.read_text(encoding="utf-8").splitlines()[1:]]


def load_peak(root: Path) -> tuple[int, int]:
    """Peak resident bytes of ``load_claims(root)`` in a fresh process, and the bytes of the frame it returns."""
    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(root)], capture_output=True, text=True, check=True)
    peak, frame = done.stdout.split()[-2:]
    return int(peak), int(frame)


@pytest.fixture(scope="module")
def sizes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Generated datasets of 5,000 and 50,000 claims."""
    generate = load_generator().generate
    place = tmp_path_factory.mktemp("sizes")
    return generate(5_000, place / "5k", seed=5), generate(50_000, place / "50k", seed=5)


def test_load_claims_memory_grows_with_the_frame_not_a_multiple_of_it(sizes: tuple[Path, Path]) -> None:
    small_peak, small_frame = load_peak(sizes[0])
    large_peak, large_frame = load_peak(sizes[1])
    assert large_frame > 9 * small_frame  # ten times the claims, about ten times the DataFrame
    # Read whole, the string table, its checked copy and the full frame beside the filtered one took
    # ~2.5x the frame (4.2 GiB for a 1.6 GiB frame at 2M claims); by blocks, the frame and one block.
    growth, frame_growth = large_peak - small_peak, large_frame - small_frame
    assert growth < 1.6 * frame_growth, (small_peak, large_peak, small_frame, large_frame)


INFO_SCRIPT = """
import resource, sys
from belarus_data.export.info import dataset_info
info = dataset_info(sys.argv[1])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, info["tables"]["claims"]["rows"])
"""


def info_peak(root: Path) -> int:
    done = subprocess.run([sys.executable, "-c", INFO_SCRIPT, str(root)], capture_output=True, text=True, check=True)
    peak, claims = done.stdout.split()[-2:]
    assert int(claims) == sum(1 for _ in (root / "records" / "claims.csv").open(encoding="utf-8")) - 1
    return int(peak)


def test_info_memory_grows_far_less_than_the_data(sizes: tuple[Path, Path]) -> None:
    small, large = sizes
    data = sum(p.stat().st_size for root in (large,) for p in (root / "records").glob("*.csv"))
    data -= sum(p.stat().st_size for p in (small / "records").glob("*.csv"))
    growth = info_peak(large) - info_peak(small)
    # Every table was held whole as strings (2.2 GiB at 2M claims); now only the counted columns.
    assert growth < data / 4, (growth, data)
