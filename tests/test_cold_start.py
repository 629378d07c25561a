"""A cold ``belarus-data validate`` stays fast: its process never imports pandas (issue 5).

pyarrow imports pandas (~0.4 s of a ~1 s run) on most conversions unless it
believes pandas is absent; the command, run as its own process, tells it so
(:mod:`belarus_data.commands.pandasfree`). These tests run the command as the console
script does and look at what the process imported, hold the guarded validation
to the same answers as the unguarded one on every broken dataset of the corpus,
and check that a caller in the same process (tests, a driver) keeps pyarrow's
pandas integration. The cheaper replacements made for the cold start (country
and language codes, one git call per snapshot, key matching without Arrow's
query engine) are held to what they replace. Timings belong to
``benchmarks/bench.py``, not here.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import string
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pycountry
import pytest
from corpus import iter_cases
from gitrepo import commit_all, git, make_repo

from belarus_data.commands.output import render
from belarus_data.history.git import show, show_all
from belarus_data.history.tablediff import OPOS, POS, _match_keys
from belarus_data.models.columns import country_is_valid, language_is_valid
from belarus_data.validation import validate

REPO = Path(__file__).parent.parent

# Runs the console command exactly as the `belarus-data` script does (arguments from sys.argv),
# then reports on stderr, as the process ends, which of the heavy modules it imported.
AS_SCRIPT = """
import atexit, json, sys
heavy = ("pandas", "frictionless", "polars")  # polars pays for its import (~0.1 s) only on large tables
atexit.register(lambda: print("imported:", json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr))
sys.argv = ["belarus-data", *sys.argv[1:]]
from belarus_data.cli import main
main()
"""


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    env.pop("BELARUS_DATA_DEBUG", None)
    return env


def _python(
    code: str, *args: str, cwd: Path, stdin: str | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this checkout (as the console script would)."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(),
        timeout=timeout,
        check=False,
    )


def _imported(stderr: str) -> list[str]:
    lines = [line for line in stderr.splitlines() if line.startswith("imported: ")]
    assert len(lines) == 1, stderr[-2000:]
    names: list[str] = json.loads(lines[0].removeprefix("imported: "))
    return names


@pytest.mark.parametrize("extra", [[], ["--no-base"], ["--changed-only"], ["--format", "json"], ["--engine", "rows"]])
def test_validate_process_on_the_real_dataset_imports_no_pandas_frictionless_or_polars(extra: list[str]) -> None:
    # In the checkout, so that the default base (versioning against main) runs too, unless --no-base.
    done = _python(AS_SCRIPT, "validate", "--root", str(REPO), *extra, cwd=REPO)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert _imported(done.stderr) == []


@pytest.mark.parametrize("name", ["fk-claims-source", "report-after-source", "quote-shifted", "offsets-reversed"])
def test_validate_process_on_a_broken_dataset_imports_no_pandas(name: str, tmp_path: Path) -> None:
    case = {c.name: c for c in iter_cases()}[name]
    root = case.materialise(tmp_path / case.name)
    done = _python(AS_SCRIPT, "validate", "--root", str(root), cwd=tmp_path)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    for expected in case.expected:
        where = expected.file + (f":{expected.line}" if expected.line is not None else "")
        assert f"{where}: [{expected.code}]" in done.stdout, done.stdout[-2000:]
    assert _imported(done.stderr) == []


# Validates each root given on stdin with pandas refused, printing the JSON report per root,
# then whether pandas got imported after all.
GUARDED = """
import json, sys
from belarus_data.commands.output import render
from belarus_data.commands.pandasfree import without_pandas
from belarus_data.validation import validate
for root in sys.stdin.read().splitlines():
    with without_pandas():
        print(json.dumps(render(validate(root), "json")))
print(json.dumps("pandas" in sys.modules))
"""


def test_refusing_pandas_changes_no_answer_on_the_corpus(tmp_path: Path) -> None:
    roots = [case.materialise(tmp_path / case.name) for case in iter_cases()]
    done = _python(GUARDED, cwd=tmp_path, stdin="\n".join(str(r) for r in roots), timeout=600)
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
    done = _python(IN_PROCESS, str(REPO), cwd=REPO)
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


def test_a_snapshot_read_in_one_git_call_is_what_git_show_gives(tmp_path: Path) -> None:
    """``show_all`` (one ``cat-file --batch``) answers like ``show`` per file: changed, deleted, a directory, spaces."""
    repo = make_repo(tmp_path)
    first = git(repo, "rev-parse", "HEAD").strip()
    (repo / "records" / "events.csv").unlink()
    (repo / "records" / "actors.csv").unlink()
    (repo / "records" / "actors.csv").mkdir()
    (repo / "records" / "actors.csv" / "inside.txt").write_text("not a table\n", encoding="utf-8")
    (repo / "a b").mkdir()
    (repo / "a b" / "c d.csv").write_bytes(b"id\n\x00\r\n")
    with (repo / "records" / "claims.csv").open("a", encoding="utf-8") as out:
        out.write("a changed last line\n")
    second = commit_all(repo, "break things")
    paths = [f"records/{name}.csv" for name in ("claims", "events", "actors", "sources", "nowhere")] + ["a b/c d.csv"]
    for commit in (first, second):
        stored = show_all(repo, commit, paths)
        assert stored == {p: show(repo, commit, p) for p in paths}
    assert show_all(repo, second, paths)["records/events.csv"] is None
    assert show_all(repo / "a b", second, ["c d.csv", "e.csv"]) == {"c d.csv": b"id\n\x00\r\n", "e.csv": None}


def _table(rng: random.Random, keys: list[str], rows: int) -> pa.Table:
    values = ["a", "b", "c", "a\x01", None]
    return pa.table({k: pa.array([rng.choice(values) for _ in range(rows)], pa.string()) for k in keys})


def test_matching_keys_without_a_join_pairs_rows_as_the_join_does() -> None:
    """Versioning and diff match keys with ``index_in`` (no query engine); the inner/anti joins are the reference."""
    rng = random.Random(20261127)
    for keys in (["id"], ["actor_id", "alias"], ["event_id", "actor_id", "role"]):
        for _ in range(300):
            new, old = _table(rng, keys, rng.randint(0, 12)), _table(rng, keys, rng.randint(0, 12))
            if rng.random() < 0.5:  # distinct old keys, as in a base that passed validation
                seen: set[tuple[str | None, ...]] = set()
                rows = []
                for row in old.to_pylist():
                    key = tuple(row[k] for k in keys)
                    if None in key or key not in seen:
                        seen.add(key)
                        rows.append(row)
                old = pa.Table.from_pylist(rows, schema=old.schema)
            left = new.select(keys).append_column(POS, pa.array(range(new.num_rows), pa.int64()))
            right = old.select(keys).append_column(OPOS, pa.array(range(old.num_rows), pa.int64()))
            inner = left.join(right, keys=keys, join_type="inner")
            expected = (
                sorted(left.join(right.select(keys), keys=keys, join_type="left anti").column(POS).to_pylist()),
                sorted(right.join(left.select(keys), keys=keys, join_type="left anti").column(OPOS).to_pylist()),
                sorted(zip(inner.column(POS).to_pylist(), inner.column(OPOS).to_pylist(), strict=True)),
            )
            added, gone, new_pos, old_pos = _match_keys(keys, new, old)
            pairs = sorted(zip(list(new_pos), list(old_pos), strict=True))
            assert (added, sorted(gone), [(int(a), int(b)) for a, b in pairs]) == expected, (new, old)
