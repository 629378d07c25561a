"""Versioning rules against a git base: simulated pull requests in throwaway repositories."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import line_of, read_rows, set_cell, write_rows
from gitrepo import claim_options, commit_all, git, make_repo

from belarus_data import validate
from belarus_data.cli import main
from belarus_data.history.git import GitBaseError, check_ref, default_base
from belarus_data.history.revision import snapshot_at
from belarus_data.problems import Problem, Report
from belarus_data.storage.generated import write_generated

TODAY = "2026-11-27"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The valid fixture committed on main, checked out on a pull-request branch."""
    repo = make_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def problems_of(report: Report, code: str) -> list[Problem]:
    return [p for p in report.errors if p.code == code]


def assert_only(report: Report, code: str, file: str, line: int, field: str) -> None:
    codes = {p.code for p in report.errors}
    assert codes == {code}, [p.as_text() for p in report.errors]
    assert [(p.file, p.line, p.field) for p in problems_of(report, code)] == [(file, line, field)]


def bump(repo: Path, table: str, key: str, version: str = "2") -> None:
    line = line_of(repo, table, key)
    set_cell(repo, table, line, "version", version)
    set_cell(repo, table, line, "updated", TODAY)


def test_unchanged_branch_is_valid(repo: Path) -> None:
    assert validate(repo, base="main").ok


def test_edit_without_version_bump_is_rejected(repo: Path) -> None:
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    commit_all(repo, "reword a claim")
    report = validate(repo, base="main")
    # One problem for the forgotten bookkeeping of one change: the version and the day together.
    assert {p.code for p in report.errors} == {"version-not-bumped"}
    bumped = problems_of(report, "version-not-bumped")[0]
    assert (bumped.file, bumped.line, bumped.field) == ("records/claims.csv", line, "version")
    assert "statement" in bumped.message and "set version to 2 (old + 1) and updated to '" in bumped.hint


def test_bump_without_new_updated_date_is_rejected(repo: Path) -> None:
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    set_cell(repo, "claims", line, "version", "2")
    assert_only(validate(repo, base="main"), "version-updated", "records/claims.csv", line, "updated")


def test_valid_edit_with_bump_is_accepted(repo: Path) -> None:
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    bump(repo, "claims", "clm-fx4d5e6f")
    commit_all(repo, "reword a claim, version 2")
    report = validate(repo, base="main")
    assert report.ok, [p.as_text() for p in report.errors]


def test_bump_by_two_is_rejected(repo: Path) -> None:
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    bump(repo, "claims", "clm-fx4d5e6f", version="3")
    assert_only(validate(repo, base="main"), "version-not-bumped", "records/claims.csv", line, "version")


def test_bump_without_a_change_is_rejected(repo: Path) -> None:
    bump(repo, "actors", "act-rus")
    line = line_of(repo, "actors", "act-rus")
    assert_only(validate(repo, base="main"), "version-without-change", "records/actors.csv", line, "version")


def test_changed_created_date_is_rejected(repo: Path) -> None:
    line = line_of(repo, "actors", "act-rus")
    set_cell(repo, "actors", line, "description", "The Russian state.")
    set_cell(repo, "actors", line, "created", "2026-11-21")
    bump(repo, "actors", "act-rus")
    assert_only(validate(repo, base="main"), "version-created", "records/actors.csv", line, "created")


def test_deleted_record_is_rejected_at_its_old_line(repo: Path) -> None:
    path = repo / "records" / "claims.csv"
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    rows = read_rows(path)
    write_rows(path, rows[: line - 1] + rows[line:])
    commit_all(repo, "delete a claim")
    report = validate(repo, base="main")
    assert_only(report, "record-deleted", "records/claims.csv", line, "id")
    assert "clm-fx4d5e6f" in report.errors[0].message and "retracted" in report.errors[0].hint


def test_deleted_alias_is_rejected_with_its_composite_key(repo: Path) -> None:
    path = repo / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    write_rows(path, rows[:1] + rows[2:])
    report = validate(repo, base="main")
    assert_only(report, "record-deleted", "records/actor_aliases.csv", 2, "alias")
    assert "alias='Minsk'" in report.errors[0].message


def test_reused_id_is_rejected(repo: Path) -> None:
    # act-blr (Belarus, Q184) turned into another thing: a different Wikidata item.
    line = line_of(repo, "actors", "act-blr")
    set_cell(repo, "actors", line, "wikidata", "Q212")
    bump(repo, "actors", "act-blr")
    assert_only(validate(repo, base="main"), "id-reused", "records/actors.csv", line, "wikidata")


def test_reused_claim_id_for_another_source_is_rejected(repo: Path) -> None:
    # A second source, then a claim ID moved over to it: the ID would name another claim.
    sources = repo / "records" / "sources.csv"
    rows = read_rows(sources)
    twin = list(rows[1])
    twin[0] = "src-fixture-twin"
    write_rows(sources, [*rows, twin])
    write_generated(repo)  # as `belarus-data fmt` would: the descriptor lists the new source
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "source_id", "src-fixture-twin")
    bump(repo, "claims", "clm-fx4d5e6f")
    assert_only(validate(repo, base="main"), "id-reused", "records/claims.csv", line, "source_id")


def test_new_record_must_start_at_version_1(repo: Path) -> None:
    path = repo / "records" / "actors.csv"
    rows = read_rows(path)
    new = list(rows[-1])
    new[0] = "act-zz-new"
    rows.append(new)
    write_rows(path, rows)
    line = line_of(repo, "actors", "act-zz-new")
    set_cell(repo, "actors", line, "version", "2")
    set_cell(repo, "actors", line, "updated", TODAY)
    assert_only(validate(repo, base="main"), "version-new", "records/actors.csv", line, "version")


def test_valid_retraction_is_accepted(repo: Path) -> None:
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "record_status", "retracted")
    set_cell(repo, "claims", line, "status_reason", "The quote was misattributed.")
    bump(repo, "claims", "clm-fx4d5e6f")
    commit_all(repo, "retract a claim")
    report = validate(repo, base="main")
    assert report.ok, [p.as_text() for p in report.errors]


def test_reference_to_a_retracted_record_is_rejected(repo: Path) -> None:
    line = line_of(repo, "events", "evt-fx2q7k9m")
    set_cell(repo, "events", line, "record_status", "retracted")
    set_cell(repo, "events", line, "status_reason", "Not an exercise after all.")
    bump(repo, "events", "evt-fx2q7k9m")
    commit_all(repo, "retract an event")
    report = validate(repo, base="main")
    assert {p.code for p in report.errors} == {"reference-withdrawn"}, [p.as_text() for p in report.errors]
    claim_line = line_of(repo, "claims", "clm-fx1a2b3c")
    located = {(p.file, p.line, p.field) for p in report.errors}
    assert ("records/claims.csv", claim_line, "event_id") in located
    assert ("records/event_participants.csv", 2, "event_id") in located


def test_new_source_with_its_claims_is_accepted(repo: Path, tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    text.write_text("Minsk agreed to host more Russian troops. Kyiv objected at once.\n", encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(
        main,
        [
            "new",
            "source",
            "--root",
            str(repo),
            "--text",
            str(text),
            "--set",
            "title=Minsk to host more troops",
            "--set",
            "outlet=Fixture Weekly",
            "--set",
            "url=https://example.org/troops",
            "--set",
            "language=en",
            "--set",
            "redistribution=yes",
        ],
    )
    assert added.exit_code == 0, added.output
    claim = runner.invoke(
        main,
        [
            "new",
            "claim",
            "--root",
            str(repo),
            "--quote",
            "Kyiv objected at once",
            *claim_options("src-minsk-to-host-more-troops", statement="Ukraine protested immediately."),
        ],
    )
    assert claim.exit_code == 0, claim.output
    commit_all(repo, "add a source and its claim")
    report = validate(repo, base="main")
    assert report.ok, [p.as_text() for p in report.errors]
    assert report.rows["sources"] == 2 and report.rows["claims"] == 4


def test_cli_reports_github_annotations_and_fails(repo: Path) -> None:
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    result = CliRunner().invoke(main, ["validate", "--root", str(repo), "--base", "main", "--format", "github"])
    assert result.exit_code == 1
    assert f"::error file=records/claims.csv,line={line},title=version-not-bumped version::" in result.output


def test_cli_uses_the_merge_base_with_main_by_default(repo: Path) -> None:
    # main moves on after the branch was made; the branch is still judged against where it left main.
    git(repo, "checkout", "-q", "main")
    bump_line = line_of(repo, "actors", "act-rus")
    set_cell(repo, "actors", bump_line, "description", "The Russian state.")
    bump(repo, "actors", "act-rus")
    commit_all(repo, "main: describe act-rus")
    git(repo, "checkout", "-q", "pr")
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    base = default_base(repo)
    assert base == git(repo, "merge-base", "HEAD", "main").strip()
    result = CliRunner().invoke(main, ["validate", "--root", str(repo)])
    assert result.exit_code == 1 and "version-not-bumped" in result.output
    assert CliRunner().invoke(main, ["validate", "--root", str(repo), "--no-base"]).exit_code == 0


def test_on_main_the_default_base_is_head(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    assert default_base(repo) == git(repo, "rev-parse", "HEAD").strip()
    assert CliRunner().invoke(main, ["validate", "--root", str(repo)]).exit_code == 0


def test_outside_git_there_is_no_base(root: Path) -> None:
    assert default_base(root) is None
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("ref", ["-x", "--output=/tmp/owned", "", "main\nHEAD"])
def test_refs_that_look_like_options_are_refused(repo: Path, ref: str) -> None:
    with pytest.raises(GitBaseError):
        check_ref(ref)
    with pytest.raises(GitBaseError):
        snapshot_at(repo, ref)


def test_unknown_base_is_a_usage_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--root", str(repo), "--base", "no-such-branch"])
    assert result.exit_code == 2
    assert "no-such-branch" in result.output and "Traceback" not in result.output


def test_untracked_dataset_inside_a_checkout_has_no_base(repo: Path) -> None:
    # Like the data of a wheel installed into a virtual environment that lives inside a checkout.
    nested = repo / ".venv" / "site-packages" / "belarus_data" / "_data"
    shutil.copytree(repo / "records", nested / "records")
    shutil.copy(repo / "datapackage.json", nested / "datapackage.json")
    shutil.copytree(repo / "schema", nested / "schema")
    assert default_base(nested) is None
    assert default_base(repo) is not None


def test_a_record_published_today_may_be_corrected_today(tmp_path: Path) -> None:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    repo = make_repo(tmp_path)
    line = line_of(repo, "actors", "act-rus")
    set_cell(repo, "actors", line, "created", today)
    set_cell(repo, "actors", line, "updated", today)
    commit_all(repo, "act-rus published today")
    git(repo, "checkout", "-q", "-b", "pr")
    set_cell(repo, "actors", line, "description", "The Russian state.")
    set_cell(repo, "actors", line, "version", "2")
    assert validate(repo, base="main").ok
    set_cell(repo, "actors", line, "updated", "2026-01-01")  # but never backwards
    backwards = problems_of(validate(repo, base="main"), "version-updated")
    assert [(p.file, p.line, p.field) for p in backwards] == [("records/actors.csv", line, "updated")]
