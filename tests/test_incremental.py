"""Validating only what a pull request changed (``validate --changed-only``), against the full run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import line_of, read_rows, set_cell, today
from gitrepo import commit_all, git, make_repo

from belarus_data import validate
from belarus_data.cli import main
from belarus_data.problems import Report


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The valid fixture committed on main, checked out on a pull-request branch."""
    repo = make_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def located(report: Report) -> set[tuple[str, int | None, str | None, str]]:
    return {(p.file, p.line, p.field, p.code) for p in report.errors}


def edit(repo: Path, table: str, key: str, column: str, value: str) -> int:
    """Change one cell of a record and bump its version, as a correct pull request would."""
    line = line_of(repo, table, key)
    set_cell(repo, table, line, column, value)
    set_cell(repo, table, line, "version", "2")
    set_cell(repo, table, line, "updated", today())
    return line


def test_a_changed_row_is_checked_and_reported_as_by_the_full_run(repo: Path) -> None:
    line = edit(repo, "claims", "clm-fx1a2b3c", "quote", "words that are not in the text")
    edit(repo, "events", first_event_id(repo), "country", "Narnia")
    quick = validate(repo, base="main", changed_only=True)
    full = validate(repo, base="main")
    assert located(quick) == located(full)
    assert ("records/claims.csv", line, "quote", "quote-mismatch") in located(quick)
    # the claim, the event, and the source the claim cites (its quote is checked against its text)
    assert quick.scope.startswith("checked 3 of "), quick.scope
    assert full.scope == ""


def first_event_id(repo: Path) -> str:
    return read_rows(repo / "records" / "events.csv")[1][0]


def bad_row_on_main(repo: Path) -> int:
    """Commit a broken claim on main (it should never have landed), then branch off; returns its line."""
    git(repo, "checkout", "-q", "main")
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "modality", "surely")
    commit_all(repo, "a bad row lands on main")
    git(repo, "checkout", "-q", "-b", "pr2")
    return line


def test_an_unchanged_row_is_left_alone_but_the_full_run_still_sees_it(repo: Path) -> None:
    line = bad_row_on_main(repo)
    assert validate(repo, base="main", changed_only=True).ok
    assert ("records/claims.csv", line, "modality", "vocab") in located(validate(repo, base="main"))


def test_a_changed_source_text_rechecks_its_source_and_its_claims(repo: Path) -> None:
    text = repo / "records" / "texts" / "fixture-note.txt"
    text.write_text("Different words entirely. " + text.read_text(encoding="utf-8"), encoding="utf-8")
    quick = validate(repo, base="main", changed_only=True)
    assert located(quick) == located(validate(repo, base="main"))
    codes = {p.code for p in quick.errors}
    assert {"text-sha256", "text-length", "quote-mismatch"} <= codes


def test_a_changed_source_rechecks_the_claims_that_lean_on_it(repo: Path) -> None:
    # The outlet changes: the outlet's own claims (unchanged rows) now break the attribution rule.
    edit(repo, "sources", "src-fixture-note", "outlet_actor_id", "act-rus")
    quick = validate(repo, base="main", changed_only=True)
    assert located(quick) == located(validate(repo, base="main"))
    assert any(p.code == "attribution-mismatch" and p.file == "records/claims.csv" for p in quick.errors)


def test_changed_rules_mean_every_row_is_checked(repo: Path) -> None:
    line = bad_row_on_main(repo)
    schema = repo / "schema" / "claims.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    quick = validate(repo, base="main", changed_only=True)
    assert quick.scope.startswith("checked every row: the rules may have changed (schema/claims.schema.json")
    assert ("records/claims.csv", line, "modality", "vocab") in located(quick)


def test_the_command_says_what_it_checked_and_needs_a_base(repo: Path) -> None:
    edit(repo, "claims", "clm-fx1a2b3c", "notes", "a note")
    runner = CliRunner()
    done = runner.invoke(main, ["validate", "--root", str(repo), "--base", "main", "--changed-only"])
    assert done.exit_code == 0, done.output
    assert "note: checked" in done.output and "changed since" in done.output
    refused = runner.invoke(main, ["validate", "--root", str(repo), "--no-base", "--changed-only"])
    assert refused.exit_code == 2 and "--changed-only needs a base" in refused.output
