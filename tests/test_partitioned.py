"""A claims file too large to hold whole is validated a text group at a time, with the very same problems.

The split path (belarus_data/checks/partitioned.py) streams claims.csv once,
keeps its narrow columns and spills whole rows to one temporary Arrow file per
text group. Here it is forced on small datasets (every file "too large", every
text its own group, a few rows per chunk) and its report compared, problem for
problem (message and hint included), with the whole-table path's: on every case
of the invalid corpus and on generated datasets with many faults at once.
"""

from __future__ import annotations

import doctest
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import line_of, read_rows, set_cell, write_rows
from corpus import iter_cases
from test_generate import load_generator

from belarus_data import validate
from belarus_data.checks import evidence, partitioned
from belarus_data.problems import Report
from belarus_data.storage import partitions
from belarus_data.storage.tables import TABLES

Full = list[tuple[str, int | None, str | None, str, str, str]]


def full(report: Report) -> Full:
    return sorted((p.file, p.line, p.field, p.code, p.message, p.hint) for p in report.problems)


def both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Report, Report, bool]:
    """(whole-table report, split report, whether the split path really split the claims)."""
    whole = validate(root)
    split_ran: list[bool] = []
    real_split = partitioned.split_claims

    def spy(*args: object, **kwargs: object) -> partitioned.SplitClaims | None:
        result = real_split(*args, **kwargs)  # type: ignore[arg-type]
        split_ran.append(result is not None)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(partitioned, "WHOLE_BYTES", 0)
        patch.setattr(partitioned, "split_claims", spy)
        patch.setattr(evidence, "TEXT_GROUP_BYTES", 1)  # every text its own group
        patch.setattr(partitions, "CHUNK_ROWS", 3)  # and a group's claims read back a few at a time
        split = validate(root)
    return whole, split, any(split_ran)


def assert_same(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Report, bool]:
    whole, split, ran = both_ways(root, monkeypatch)
    a, b = full(whole), full(split)
    assert a == b, f"only whole: {sorted(set(a) - set(b))}\nonly split: {sorted(set(b) - set(a))}"
    assert [n.code for n in whole.notes] == [n.code for n in split.notes]
    assert whole.rows == split.rows
    return split, ran


CORPUS = iter_cases()


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_every_corpus_case_is_reported_alike(tmp_path: Path, case: object, monkeypatch: pytest.MonkeyPatch) -> None:
    root = case.materialise(tmp_path)  # type: ignore[attr-defined]
    assert_same(root, monkeypatch)
    shutil.rmtree(tmp_path / "outside", ignore_errors=True)


def test_the_corpus_mostly_takes_the_split_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above means something only if the split path runs: it does wherever claims.csv is regular."""
    ran = [assert_same(case.materialise(tmp_path / case.name), monkeypatch)[1] for case in CORPUS]
    assert sum(ran) >= len(ran) // 2, f"split on {sum(ran)} of {len(ran)} cases"


def test_a_valid_dataset_splits_and_passes(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, ran = assert_same(root, monkeypatch)
    assert ran and report.ok


BAD_VALUES = ["", "x", "-1", "1e9", "٣", "src-nope", "act-nope", "evt-nope", "2099-01-01", "2016-02-30", "y" * 700]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_many_faults_in_a_generated_dataset(tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    root = load_generator().generate(300, tmp_path / "generated", seed=seed)
    rng = random.Random(seed)
    claims = next(t for t in TABLES if t.name == "claims")
    for _ in range(80):
        table = claims if rng.random() < 0.7 else rng.choice(TABLES)
        path = root / table.path
        rows = read_rows(path)
        rows[rng.randrange(1, len(rows))][rng.randrange(len(rows[0]))] = rng.choice(BAD_VALUES)
        write_rows(path, rows)
    report, ran = assert_same(root, monkeypatch)
    assert ran
    assert len(report.problems) >= 40


def test_quote_faults_and_a_stray_quote(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong quote is found in its group; a row with a misplaced double quote is reported and dropped."""
    line = line_of(root, "claims", "clm-fx4d5e6f")
    set_cell(root, "claims", line, "quote", "Russian aircraft used Belarusian airfieldz")
    path = root / "records" / "claims.csv"
    lines = path.read_bytes().split(b"\n")
    other = line_of(root, "claims", "clm-fx1a2b3c")
    lines[other - 1] = lines[other - 1].replace(b",", b',x"y', 1)  # a quote inside an unquoted cell
    path.write_bytes(b"\n".join(lines))
    report, ran = assert_same(root, monkeypatch)
    assert ran
    found = {(p.line, p.code) for p in report.problems}
    assert (line, "quote-mismatch") in found and (other, "csv-syntax") in found


def test_spill_files_are_removed(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary files go when validation ends, and when a check fails part-way."""
    spill = tmp_path / "tmp"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))
    monkeypatch.setattr(partitioned, "WHOLE_BYTES", 0)
    assert validate(root).ok
    assert list(spill.iterdir()) == []

    def broken(*_: object) -> None:
        raise RuntimeError("a check failed")

    monkeypatch.setattr(partitioned, "CHUNK_CHECKS", (broken,))
    with pytest.raises(RuntimeError):
        validate(root)
    assert list(spill.iterdir()) == []


def test_partitions_example() -> None:
    result = doctest.testmod(partitions, raise_on_error=False)
    assert result.attempted >= 1 and result.failed == 0


def test_texts_loaded_ahead_hand_over_a_failure(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while loading texts in the background is raised by validate itself, not lost in the thread."""

    def fails(*_: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(evidence, "load_text_group", fails)
    with pytest.raises(RuntimeError, match="the disk went away"):
        validate(root)


def test_texts_thread_stops_when_a_check_fails(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from belarus_data import validation

    def broken(*_: object) -> None:
        raise RuntimeError("a check failed")

    monkeypatch.setattr(validation, "PARAPHRASE_CHECKS", (broken,))
    monkeypatch.setattr(validation, "LANES", (validation.TEXT_CHECKS, (broken,), validation.TABLE_CHECKS))
    monkeypatch.setattr(evidence, "TEXT_GROUP_BYTES", 1)  # several groups: the loader would wait on the queue
    with pytest.raises(RuntimeError, match="a check failed"):
        validate(root)
    assert not [t for t in threading.enumerate() if t.name == "belarus-data-texts"]


def test_versioning_rules_alike_on_the_split_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Against a git base the split path reports the same versioning problems (narrow claims suffice for them)."""
    from gitrepo import commit_all, git, make_repo

    repo = make_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "pr")
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    rows = read_rows(repo / "records" / "claims.csv")
    deleted = rows.pop(next(k for k in range(len(rows) - 1, 0, -1) if rows[k][0] != "clm-fx4d5e6f"))[0]
    write_rows(repo / "records" / "claims.csv", rows)
    commit_all(repo, "reword one claim, delete another")
    whole = validate(repo, base="main", changed_only=True)
    with monkeypatch.context() as patch:
        patch.setattr(partitioned, "WHOLE_BYTES", 0)
        split = validate(repo, base="main", changed_only=True)
    assert full(whole) == full(split)
    codes = {p.code for p in split.problems}
    assert {"version-not-bumped", "record-deleted"} <= codes, codes
    assert any(deleted in p.message for p in split.problems if p.code == "record-deleted")
    assert split.scope.startswith("checked every row: claims.csv is over 0 MiB")
