"""A cold ``belarus-data validate`` stays fast: its process never imports pandas (issue 5).

pyarrow imports pandas (~0.4 s of a ~1 s run) on most conversions unless it
believes pandas is absent; the command, run as its own process, tells it so
(:mod:`belarus_data.pandasfree`). These tests run the command as the console
script does and look at what the process imported, hold the guarded validation
to the same answers as the unguarded one on every broken dataset of the corpus,
and check that a caller in the same process (tests, a driver) keeps pyarrow's
pandas integration. Timings belong to ``benchmarks/bench.py``, not here.
"""

from __future__ import annotations

import itertools
import json
import os
import string
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
from corpus import iter_cases

from belarus_data.models.columns import country_is_valid, language_is_valid
from belarus_data.output import render
from belarus_data.validation import validate

REPO = Path(__file__).parent.parent

# Runs the console command exactly as the `belarus-data` script does (arguments from sys.argv),
# then reports on stderr, as the process ends, which of the heavy modules it imported.
AS_SCRIPT = """
import atexit, json, sys
heavy = ("pandas", "frictionless")
atexit.register(lambda: print("imported:", json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr))
sys.argv = ["belarus-data", *sys.argv[1:]]
from belarus_data.cli import main
main()
"""


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    env.pop("BELARUS_DATA_DEBUG", None)
    return env


def _imported(stderr: str) -> list[str]:
    lines = [line for line in stderr.splitlines() if line.startswith("imported: ")]
    assert len(lines) == 1, stderr[-2000:]
    names: list[str] = json.loads(lines[0].removeprefix("imported: "))
    return names


@pytest.mark.parametrize("extra", [[], ["--no-base"], ["--format", "json"], ["--engine", "rows"]])
def test_validate_process_on_the_real_dataset_imports_neither_pandas_nor_frictionless(extra: list[str]) -> None:
    # In the checkout, so that the default base (versioning against main) runs too, unless --no-base.
    done = subprocess.run(
        [sys.executable, "-c", AS_SCRIPT, "validate", "--root", str(REPO), *extra],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_env(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert _imported(done.stderr) == []


@pytest.mark.parametrize("name", ["fk-claims-source", "report-after-source", "quote-shifted", "offsets-reversed"])
def test_validate_process_on_a_broken_dataset_imports_no_pandas(name: str, tmp_path: Path) -> None:
    case = {c.name: c for c in iter_cases()}[name]
    root = case.materialise(tmp_path / case.name)
    done = subprocess.run(
        [sys.executable, "-c", AS_SCRIPT, "validate", "--root", str(root)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    for expected in case.expected:
        where = expected.file + (f":{expected.line}" if expected.line is not None else "")
        assert f"{where}: [{expected.code}]" in done.stdout, done.stdout[-2000:]
    assert _imported(done.stderr) == []


# Validates each root given on stdin with pandas refused, printing the JSON report per root,
# then whether pandas got imported after all.
GUARDED = """
import json, sys
from belarus_data.output import render
from belarus_data.pandasfree import without_pandas
from belarus_data.validation import validate
for root in sys.stdin.read().splitlines():
    with without_pandas():
        print(json.dumps(render(validate(root), "json")))
print(json.dumps("pandas" in sys.modules))
"""


def test_refusing_pandas_changes_no_answer_on_the_corpus(tmp_path: Path) -> None:
    roots = [case.materialise(tmp_path / case.name) for case in iter_cases()]
    done = subprocess.run(
        [sys.executable, "-c", GUARDED],
        input="\n".join(str(r) for r in roots),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    *reports, pandas_imported = [json.loads(line) for line in done.stdout.splitlines()]
    assert pandas_imported is False
    assert len(reports) == len(roots)
    for root, guarded in zip(roots, reports, strict=True):
        assert guarded == render(validate(root), "json"), root.name


# The guard is for a process that ends after validating: a caller that goes on in the same
# process must keep pyarrow's pandas integration (a NaN in a Series becomes a null).
IN_PROCESS = """
import sys
from click.testing import CliRunner
from belarus_data.cli import main
result = CliRunner().invoke(main, ["validate", "--root", sys.argv[1], "--no-base"])
assert result.exit_code == 0, result.output
import pandas as pd, pyarrow as pa
print(pa.array(pd.Series([1.0, None])).null_count)
"""


def test_a_caller_in_the_same_process_keeps_pyarrows_pandas_integration() -> None:
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(REPO)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_env(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "1"


def test_language_and_country_codes_are_exactly_pycountrys() -> None:
    """The codes read from pycountry's files answer like pycountry's own lookups, for every 2- and 3-letter code."""
    for pair in itertools.product(string.ascii_letters, repeat=2):
        code = "".join(pair)
        assert language_is_valid(code) == (pycountry.languages.get(alpha_2=code) is not None), code
    for triple in itertools.product(string.ascii_uppercase, repeat=3):
        code = "".join(triple)
        assert country_is_valid(code) == (pycountry.countries.get(alpha_3=code) is not None), code
    assert language_is_valid("be") and country_is_valid("BLR")
    assert not language_is_valid("xx") and not country_is_valid("XXX")
