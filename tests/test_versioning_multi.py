"""Versioning rules on changes of more than one record, and on the edge cases of a single one.

Every test builds a base on ``main`` (tests/gitrepo.py), edits the working tree of a pull-request
branch, and names the exact problems (code, file, line, field) validate must report against main.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

import pytest
from conftest import line_of, read_rows, set_cell, write_rows
from gitrepo import commit_all, git, make_repo

from belarus_data import validate
from belarus_data.checks import versioning
from belarus_data.checks.context import Context
from belarus_data.history.revision import snapshot_at
from belarus_data.problems import Problem
from belarus_data.storage.snapshot import Snapshot

DAY = "2026-11-27"  # after the fixture's dates (2026-11-20), before today
ACTORS, SOURCES, ALIASES = "records/actors.csv", "records/sources.csv", "records/actor_aliases.csv"
Located = tuple[str, str, int | None, str | None]


def located(repo: Path, engine: str = "fast") -> list[Located]:
    return sorted((p.code, p.file, p.line, p.field) for p in errors(repo, engine))


def errors(repo: Path, engine: str = "fast") -> list[Problem]:
    return validate(repo, base="main", engine=engine).errors  # type: ignore[arg-type]


def only(repo: Path, code: str, file: str, line: int, field: str) -> Problem:
    found = errors(repo)
    assert [(p.code, p.file, p.line, p.field) for p in found] == [(code, file, line, field)], [
        p.as_text() for p in found
    ]
    return found[0]


def actor_row(repo: Path, key: str, name: str, **values: str) -> list[str]:
    """A new actor row (a copy of act-rus with another ID and name)."""
    rows = read_rows(repo / "records" / "actors.csv")
    header = rows[0]
    row = list(next(r for r in rows if r[0] == "act-rus"))
    for column, value in ({"id": key, "name": name, "wikidata": ""} | values).items():
        row[header.index(column)] = value
    return row


def append(repo: Path, table: str, *new: list[str]) -> None:
    path = repo / "records" / f"{table}.csv"
    write_rows(path, [*read_rows(path), *new])


def delete(repo: Path, table: str, *keys: str) -> None:
    path = repo / "records" / f"{table}.csv"
    write_rows(path, [r for r in read_rows(path) if r[0] not in keys])


def edit(repo: Path, table: str, key: str, *, bump: bool = True, **values: str) -> int:
    """Set ``values`` of one record (after the bump to version 2 and updated DAY, which they may override)."""
    line = line_of(repo, table, key)
    if bump:
        set_cell(repo, table, line, "version", "2")
        set_cell(repo, table, line, "updated", DAY)
    for column, value in values.items():
        set_cell(repo, table, line, column, value)
    return line


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: the valid fixture plus two actors nobody points at; checked out on a branch `pr`."""
    repo = make_repo(tmp_path)
    append(repo, "actors", actor_row(repo, "act-zz-one", "Spare One"), actor_row(repo, "act-zz-two", "Spare Two"))
    commit_all(repo, "two spare actors")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def test_the_base_is_valid(repo: Path) -> None:
    assert located(repo) == []


def test_many_records_added_changed_and_deleted_in_one_table(repo: Path) -> None:
    one, two = line_of(repo, "actors", "act-zz-one"), line_of(repo, "actors", "act-zz-two")
    delete(repo, "actors", "act-zz-one", "act-zz-two")
    good = edit(repo, "actors", "act-blr", description="The Belarusian state.")
    unbumped = edit(repo, "actors", "act-rus", bump=False, description="The Russian state.")
    twice = edit(repo, "actors", "act-ukr-intel", description="HUR.", version="3")
    append(
        repo,
        "actors",
        actor_row(repo, "act-zz-new-a", "New A"),
        actor_row(repo, "act-zz-new-b", "New B", version="2", updated=DAY),
        actor_row(repo, "act-zz-new-c", "New C"),
    )
    new_b = line_of(repo, "actors", "act-zz-new-b")
    found = errors(repo)
    assert sorted((p.code, p.file, p.line, p.field) for p in found) == sorted(
        [
            ("record-deleted", ACTORS, one, "id"),
            ("record-deleted", ACTORS, two, "id"),
            ("version-not-bumped", ACTORS, unbumped, "version"),
            ("version-not-bumped", ACTORS, twice, "version"),
            ("version-new", ACTORS, new_b, "version"),
        ]
    )
    assert good not in {p.line for p in found}
    by_code = {(p.code, p.line): p for p in found}
    assert by_code["record-deleted", one].message.startswith("'act-zz-one' ")  # an ID is shown as itself
    assert f"line {one}" in by_code["record-deleted", one].message
    assert "'act-zz-two'" in by_code["record-deleted", two].message
    assert "'act-zz-new-b'" in by_code["version-new", new_b].message
    assert (
        "version 2" in by_code["version-new", new_b].message or "has version 2" in by_code["version-new", new_b].message
    )
    assert "set version to 2" in by_code["version-not-bumped", unbumped].hint
    assert "description" in by_code["version-not-bumped", unbumped].message
    assert "set version to 2" in by_code["version-not-bumped", twice].hint
    assert "version is 3" in by_code["version-not-bumped", twice].message


def test_changes_in_several_tables_are_each_reported(repo: Path) -> None:
    actor = edit(repo, "actors", "act-rus", bump=False, description="The Russian state.")
    claim = edit(repo, "claims", "clm-fx4d5e6f", bump=False, notes="Checked again.")
    alias = edit(repo, "actor_aliases", "act-blr-gov", bump=False, language="ru", script="Latn")
    assert located(repo) == sorted(
        [
            ("version-not-bumped", ACTORS, actor, "version"),
            ("version-not-bumped", "records/claims.csv", claim, "version"),
            ("version-not-bumped", ALIASES, alias, "version"),
        ]
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [("version", "2"), ("updated", DAY)],
    ids=["version-only", "updated-only"],
)
def test_a_bump_without_a_change_is_rejected(repo: Path, column: str, value: str) -> None:
    line = edit(repo, "actors", "act-rus", bump=False, **{column: value})
    found = errors(repo)
    bumped = [p for p in found if p.code == "version-without-change"]
    assert [(p.file, p.line, p.field) for p in bumped] == [(ACTORS, line, "version")]
    assert "restore version 1 and updated 2026-11-20" in bumped[0].hint
    # A version 1 whose updated moved is also a lifecycle fault of the row itself.
    others = {(p.code, p.line, p.field) for p in found} - {("version-without-change", line, "version")}
    assert others == ({("lifecycle-version", line, "updated")} if column == "updated" else set())


def test_a_version_only_bump_names_both_versions(repo: Path) -> None:
    line = edit(repo, "actors", "act-rus", bump=False, version="2")
    problem = only(repo, "version-without-change", ACTORS, line, "version")
    assert "1 -> 2" in problem.message


def test_an_updated_only_bump_keeps_the_version_in_the_message(repo: Path) -> None:
    edit(repo, "actors", "act-rus", bump=False, updated=DAY)
    problem = next(p for p in errors(repo) if p.code == "version-without-change")
    assert "1 -> 1" in problem.message


def test_a_change_with_the_version_bumped_but_updated_kept_is_rejected(repo: Path) -> None:
    line = edit(repo, "actors", "act-rus", bump=False, description="The Russian state.", version="2")
    problem = only(repo, "version-updated", ACTORS, line, "updated")
    assert "description" in problem.message and "2026-11-20" in problem.message


def test_a_change_with_updated_moved_back_is_rejected(repo: Path) -> None:
    line = edit(repo, "actors", "act-rus", description="The Russian state.")
    set_cell(repo, "actors", line, "created", "2026-11-19")
    set_cell(repo, "actors", line, "updated", "2026-11-19")
    found = located(repo)
    assert ("version-updated", ACTORS, line, "updated") in found
    assert ("version-created", ACTORS, line, "created") in found


def test_a_change_with_created_moved_is_rejected_with_the_old_date(repo: Path) -> None:
    line = edit(repo, "actors", "act-rus", description="The Russian state.", created="2026-11-21")
    problem = only(repo, "version-created", ACTORS, line, "created")
    assert "2026-11-20" in problem.message and "2026-11-21" in problem.message
    assert "restore 2026-11-20" in problem.hint


def test_a_version_decreased_is_not_a_bump(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    edit(repo, "actors", "act-rus", description="The Russian state.")
    commit_all(repo, "act-rus version 2")
    git(repo, "checkout", "-q", "-B", "pr")
    line = edit(repo, "actors", "act-rus", bump=False, description="Russia.", version="1", updated="2026-11-28")
    found = errors(repo)
    # version 1 with updated != created (lifecycle-version) is this same mistake: one problem, the bump.
    assert sorted((p.code, p.line, p.field) for p in found) == [("version-not-bumped", line, "version")]
    problem = next(p for p in found if p.code == "version-not-bumped")
    assert "set version to 3" in problem.hint and "it was 2" in problem.message


def test_a_source_whose_text_is_replaced_under_the_same_id_is_a_reused_id(repo: Path) -> None:
    texts = repo / "records" / "texts" / "fixture-note.txt"
    text = texts.read_text(encoding="utf-8") + " Nothing else was said."
    texts.write_text(text, encoding="utf-8")
    line = edit(
        repo,
        "sources",
        "src-fixture-note",
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text_length=str(len(text)),
    )
    problem = only(repo, "id-reused", SOURCES, line, "text_sha256")
    assert "c489666b" in problem.message and "fresh ID" in problem.hint


def test_an_identity_field_filled_in_later_is_a_correction(repo: Path) -> None:
    edit(repo, "actors", "act-blr-gov", wikidata="Q1234567")
    assert located(repo) == []


def test_an_identity_field_filled_in_later_still_needs_a_bump(repo: Path) -> None:
    line = edit(repo, "actors", "act-blr-gov", bump=False, wikidata="Q1234567")
    assert located(repo) == [
        ("version-not-bumped", ACTORS, line, "version"),
    ]


def test_an_identity_field_changed_is_reported_even_with_a_bump_and_other_faults(repo: Path) -> None:
    # The reused ID is the one problem: version and created faults of a reused ID would only distract.
    line = edit(repo, "actors", "act-rus", wikidata="Q212", created="2026-11-21", version="5")
    problem = only(repo, "id-reused", ACTORS, line, "wikidata")
    assert "'Q159'" in problem.message and "'Q212'" in problem.message


def test_a_composite_key_record_changed_without_a_bump(repo: Path) -> None:
    path = repo / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    rows[1][rows[0].index("language")] = "ru"
    write_rows(path, rows)
    assert located(repo) == [("version-not-bumped", ALIASES, 2, "version")]


def test_a_new_alias_at_version_2_names_its_composite_key(repo: Path) -> None:
    path = repo / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    new = list(rows[1])
    new[1], new[5], new[7] = "Mensk", "2", DAY
    write_rows(path, [*rows, new])
    problem = only(repo, "version-new", ALIASES, len(rows) + 1, "version")
    assert "actor_id='act-blr-gov', alias='Mensk'" in problem.message
    assert "version 1" in problem.hint


def test_a_new_record_at_version_1_is_accepted_next_to_a_new_one_at_2(repo: Path) -> None:
    append(repo, "actors", actor_row(repo, "act-zz-new-a", "New A"))
    assert located(repo) == []
    append(repo, "actors", actor_row(repo, "act-zz-new-b", "New B", version="2", updated=DAY))
    assert located(repo) == [("version-new", ACTORS, line_of(repo, "actors", "act-zz-new-b"), "version")]


def test_a_corrected_record_of_an_earlier_day_may_not_keep_its_updated(repo: Path) -> None:
    line = edit(repo, "actors", "act-rus", description="The Russian state.", updated="2026-11-20")
    problem = only(repo, "version-updated", ACTORS, line, "updated")
    assert dt.datetime.now(dt.UTC).date().isoformat() in problem.hint


def test_only_changed_files_are_read_at_the_base(repo: Path) -> None:
    # A deleted record in one table and an unchanged other table: only the first is reported.
    line = line_of(repo, "actors", "act-zz-two")
    delete(repo, "actors", "act-zz-two")
    assert located(repo) == [("record-deleted", ACTORS, line, "id")]


def test_rows_engine_agrees_on_many_changes(repo: Path) -> None:
    delete(repo, "actors", "act-zz-one")
    edit(repo, "actors", "act-rus", bump=False, description="The Russian state.")
    append(repo, "actors", actor_row(repo, "act-zz-new-b", "New B", version="2", updated=DAY))
    assert located(repo, "rows") == located(repo, "fast")
    assert len(located(repo)) == 3


def test_today_is_the_utc_day_wherever_the_machine_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A local time zone whose date differs from UTC's now: the same-day rule must still read UTC.
    now = dt.datetime.now(dt.UTC)
    ahead = now.hour >= 10  # UTC+14 is then already tomorrow; else UTC-12 is still yesterday
    day = now.date() if ahead else now.date() - dt.timedelta(days=1)
    monkeypatch.setenv("TZ", "Etc/GMT-14" if ahead else "Etc/GMT+12")
    time.tzset()
    try:
        if dt.datetime.now().date() == now.date():
            pytest.skip("the time zone database is missing: local time is UTC")
        repo = make_repo(tmp_path)
        line = line_of(repo, "actors", "act-rus")
        set_cell(repo, "actors", line, "created", day.isoformat())
        set_cell(repo, "actors", line, "updated", day.isoformat())
        commit_all(repo, f"act-rus published on {day}")
        git(repo, "checkout", "-q", "-b", "pr")
        set_cell(repo, "actors", line, "description", "The Russian state.")
        set_cell(repo, "actors", line, "version", "2")
        # Published today (UTC): may be corrected today; published yesterday (UTC): may not.
        expected = [] if ahead else [("version-updated", ACTORS, line, "updated")]
        assert located(repo) == expected
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_changed_record_whose_version_is_not_a_number(repo: Path) -> None:
    # The cell is reported; the versioning rule, which cannot compare versions, adds nothing (and never crashes).
    line = edit(repo, "actors", "act-rus", description="The Russian state.", version="two")
    found = located(repo)
    assert ("not-integer", ACTORS, line, "version") in found
    assert not [f for f in found if f[0] == "version-not-bumped"]


def test_the_rules_still_run_on_the_tables_after_a_missing_one(repo: Path) -> None:
    (repo / "records" / "events.csv").unlink()  # file-missing; the claims after it are still compared
    line = edit(repo, "claims", "clm-fx4d5e6f", bump=False, notes="Checked again.")
    found = located(repo)
    assert ("version-not-bumped", "records/claims.csv", line, "version") in found


def test_messages_name_the_base_revision(repo: Path) -> None:
    label = snapshot_at(repo, "main").label
    line = edit(repo, "actors", "act-rus", bump=False, description="The Russian state.")
    found = {p.code: p for p in errors(repo)}
    assert f"at base {label}" in found["version-not-bumped"].message
    assert "and updated to" in found["version-not-bumped"].hint
    assert found["version-not-bumped"].line == line


def test_check_against_compares_the_tables_itself_when_not_given_the_changes(repo: Path) -> None:
    line = edit(repo, "actors", "act-rus", bump=False, description="The Russian state.")
    tree = Snapshot.of_tree(repo)
    ctx = Context(root=repo, tables={})
    ctx.tables = tree.parsed_tables(ctx.problems)
    versioning.check_against(ctx, snapshot_at(repo, "main"))
    assert sorted((p.code, p.file, p.line, p.field) for p in ctx.problems) == [
        ("version-not-bumped", ACTORS, line, "version"),
    ]
