"""The layout merges: two pull requests made in parallel, merged in a throwaway repository, validate."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import REPO, line_of, set_cell
from gitrepo import ENV, claim_options, commit_all, git, make_repo

from belarus_data import validate
from belarus_data.cli import main
from belarus_data.storage.formatting import format_dataset

ATTRIBUTES = (REPO / ".gitattributes").read_text(encoding="utf-8")
CLAIM = claim_options()


def new(repo: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["new", *args, "--root", str(repo)])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def two_pull_requests(repo: Path, *, same_place: bool) -> tuple[str, str]:
    """Branches a and b, each adding a claim (and a or b an actor); returns the two claim IDs.

    With ``same_place`` the claim IDs sort after every existing one, so both
    pull requests insert a line at the very same place: the case that conflicts
    under git's default merge.
    """
    git(repo, "checkout", "-q", "-b", "a", "main")
    first = new(
        repo,
        "claim",
        *(["--id", "clm-zzzz0001"] if same_place else []),
        "--quote",
        "Minsk hosted a joint air exercise",
        "--set",
        "statement=Belarus hosted a joint air exercise.",
        *CLAIM,
    )
    new(repo, "actor", "--set", "name=Russian Aerospace Forces", "--set", "actor_type=armed_forces")
    commit_all(repo, "PR a: a claim and an actor")
    git(repo, "checkout", "-q", "-b", "b", "main")
    second = new(
        repo,
        "claim",
        *(["--id", "clm-zzzz0002"] if same_place else []),
        "--quote",
        "Russian aircraft used Belarusian airfields",
        "--set",
        "statement=Belarusian airfields served Russian aircraft.",
        *CLAIM,
    )
    commit_all(repo, "PR b: a claim")
    return first, second


def merge(repo: Path, branch: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), "merge", "--no-edit", "-q", branch],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        check=False,
    )


def test_repository_declares_the_union_driver_for_records() -> None:
    out = git(REPO, "check-attr", "merge", "--", "records/claims.csv", "records/actors.csv")
    assert out.splitlines() == ["records/claims.csv: merge: union", "records/actors.csv: merge: union"]
    texts = git(REPO, "check-attr", "text", "--", "records/texts/minsk-compensate-defence-cooperation.txt")
    assert texts.strip().endswith("text: unset")  # stored exactly as received


def test_parallel_pull_requests_merge_cleanly_and_validate(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, attributes=ATTRIBUTES)
    first, second = two_pull_requests(repo, same_place=True)
    git(repo, "checkout", "-q", "main")
    assert merge(repo, "a").returncode == 0
    merged = merge(repo, "b")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "<<<<<<<" not in (repo / "records" / "claims.csv").read_text(encoding="utf-8")
    report = validate(repo, base=git(repo, "rev-parse", "HEAD~1").strip())
    assert report.ok, [p.as_text() for p in report.errors]
    assert {first, second} <= {row.split(",")[0] for row in (repo / "records" / "claims.csv").read_text().splitlines()}
    # Canonical form survives (or is restored by fmt), and fmt is then a no-op.
    format_dataset(repo)
    assert format_dataset(repo, check=True).changed == []
    assert validate(repo).ok


def test_random_ids_merge_cleanly(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, attributes=ATTRIBUTES)
    two_pull_requests(repo, same_place=False)
    git(repo, "checkout", "-q", "main")
    assert merge(repo, "a").returncode == 0
    assert merge(repo, "b").returncode == 0
    assert validate(repo).ok


def test_without_the_union_driver_the_same_merge_conflicts(tmp_path: Path) -> None:
    # Why .gitattributes matters: git's default merge refuses two insertions at one place.
    repo = make_repo(tmp_path)
    two_pull_requests(repo, same_place=True)
    git(repo, "checkout", "-q", "main")
    assert merge(repo, "a").returncode == 0
    conflicted = merge(repo, "b")
    assert conflicted.returncode != 0
    assert "CONFLICT" in conflicted.stdout and "records/claims.csv" in conflicted.stdout


def test_the_same_record_edited_in_both_pull_requests_is_caught(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, attributes=ATTRIBUTES)
    for branch, statement in (("a", "Version A of the statement."), ("b", "Version B of the statement.")):
        git(repo, "checkout", "-q", "-b", branch, "main")
        line = line_of(repo, "claims", "clm-fx4d5e6f")
        set_cell(repo, "claims", line, "statement", statement)
        set_cell(repo, "claims", line, "version", "2")
        set_cell(repo, "claims", line, "updated", "2026-11-27")
        commit_all(repo, f"PR {branch}: edit clm-fx4d5e6f")
    git(repo, "checkout", "-q", "main")
    assert merge(repo, "a").returncode == 0
    assert merge(repo, "b").returncode == 0  # union keeps both versions of the line ...
    report = validate(repo)
    dupes = [p for p in report.errors if p.code == "duplicate-key"]  # ... and validate refuses them
    assert [(p.file, p.field) for p in dupes] == [("records/claims.csv", "id")]
    assert "clm-fx4d5e6f" in dupes[0].message
