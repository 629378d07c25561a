"""`belarus-data diff`: exactly the records a pull request touched, field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import line_of, read_rows, set_cell, write_rows
from gitrepo import commit_all, git, make_repo

from belarus_data.cli import main
from belarus_data.history.diffing import diff

TODAY = "2026-11-27"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A pull-request branch that adds an actor, rewords a claim and retracts another."""
    repo = make_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "pr")
    added = CliRunner().invoke(
        main,
        [
            "new",
            "actor",
            "--root",
            str(repo),
            "--set",
            "name=Ministry of Defence of Belarus",
            "--set",
            "actor_type=ministry",
        ],
    )
    assert added.exit_code == 0, added.output
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    set_cell(repo, "claims", line, "version", "2")
    set_cell(repo, "claims", line, "updated", TODAY)
    line = line_of(repo, "claims", "clm-fx7g8h9i")
    set_cell(repo, "claims", line, "record_status", "retracted")
    set_cell(repo, "claims", line, "status_reason", "Duplicate of another claim.")
    set_cell(repo, "claims", line, "version", "2")
    set_cell(repo, "claims", line, "updated", TODAY)
    commit_all(repo, "a pull request")
    return repo


def test_diff_names_exactly_the_records_touched(repo: Path) -> None:
    d = diff(repo, "main", "HEAD")
    touched = {name: {(c.key, c.kind) for c in changes} for name, changes in d.tables.items()}
    assert touched == {
        "actors": {("act-ministry-of-defence-of-belarus", "added")},
        "claims": {("clm-fx4d5e6f", "changed"), ("clm-fx7g8h9i", "withdrawn")},
    }
    changed = next(c for c in d.tables["claims"] if c.key == "clm-fx4d5e6f")
    assert [(f.field, f.old, f.new) for f in changed.fields] == [
        (
            "statement",
            "Kyiv's intelligence service says Russian planes operated from airfields in Belarus.",
            "Kyiv says Russian aircraft flew from Belarusian airfields.",
        ),
        ("version", "1", "2"),
        ("updated", "2026-11-20", TODAY),
    ]
    withdrawn = next(c for c in d.tables["claims"] if c.key == "clm-fx7g8h9i")
    assert ("record_status", "active", "retracted") in [(f.field, f.old, f.new) for f in withdrawn.fields]


def test_diff_against_the_working_tree(repo: Path) -> None:
    line = line_of(repo, "actors", "act-rus")
    set_cell(repo, "actors", line, "description", "The Russian state.")
    d = diff(repo, "HEAD")
    assert {name: [c.key for c in changes] for name, changes in d.tables.items()} == {"actors": ["act-rus"]}


def test_reordering_rows_is_no_change(repo: Path) -> None:
    path = repo / "records" / "actors.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0], *reversed(rows[1:])])
    assert diff(repo, "HEAD").empty


def test_deleted_record_is_listed(repo: Path) -> None:
    path = repo / "records" / "events.csv"
    write_rows(path, read_rows(path)[:1])
    d = diff(repo, "HEAD")
    assert [(c.key, c.kind) for c in d.tables["events"]] == [("evt-fx2q7k9m", "deleted")]


def test_markdown_summary(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "--root", str(repo), "main", "HEAD", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("## Data changes: `")
    assert "| `claims` | 0 | 1 | 1 | 0 |" in out
    assert "| `actors` | 1 | 0 | 0 | 0 |" in out
    assert "- **added** `act-ministry-of-defence-of-belarus`" in out
    assert "| `statement` | Kyiv\\'s intelligence service says" in out  # all ASCII punctuation escaped
    assert "| `record_status` | active | retracted |" in out


def test_text_and_json_formats(repo: Path) -> None:
    text = CliRunner().invoke(main, ["diff", "--root", str(repo), "main", "HEAD"])
    assert "claims: 1 changed, 1 withdrawn" in text.output
    assert "  ~ clm-fx4d5e6f (changed)" in text.output
    data = json.loads(
        CliRunner().invoke(main, ["diff", "--root", str(repo), "main", "HEAD", "--format", "json"]).output
    )
    assert [c["key"] for c in data["tables"]["actors"]] == ["act-ministry-of-defence-of-belarus"]


def test_no_changes(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "--root", str(repo), "HEAD", "HEAD", "--format", "markdown"])
    assert "No records were added, changed or withdrawn." in result.output


@pytest.mark.parametrize("ref", ["--output=x", "no-such-ref"])
def test_bad_revision_is_a_usage_error(repo: Path, ref: str) -> None:
    result = CliRunner().invoke(main, ["diff", "--root", str(repo), "--", ref])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_composite_keys_are_matched_field_by_field(repo: Path) -> None:
    path = repo / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    script = rows[0].index("language")
    rows[1][script] = "be"
    write_rows(path, rows)
    d = diff(repo, "HEAD")
    [change] = d.tables["actor_aliases"]
    assert (change.key, change.kind) == ("actor_id=act-blr-gov, alias=Minsk", "changed")
    assert [(f.field, f.old, f.new) for f in change.fields] == [("language", "en", "be")]
    assert change.line == 2


def test_markdown_escapes_what_would_break_the_summary(repo: Path) -> None:
    path = repo / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    new = list(rows[1])
    new[rows[0].index("alias")] = "Minsk `regime` | West"
    write_rows(path, [*rows, new])
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "notes", "a | b *c*")
    out = CliRunner().invoke(main, ["diff", "--root", str(repo), "HEAD", "--format", "markdown"]).output
    assert "- **added** ``actor_id=act-blr-gov, alias=Minsk `regime` | West``" in out
    assert "| `notes` | \\(empty\\) | a \\| b \\*c\\* |" in out
