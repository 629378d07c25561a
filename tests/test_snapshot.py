"""One way to read the dataset at a place: the working tree and a git revision through the same reader."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from conftest import line_of, set_cell
from gitrepo import commit_all, git, make_repo

from belarus_data.history.git import GitBaseError
from belarus_data.history.revision import snapshot_at
from belarus_data.problems import Problem
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import TABLES


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def _strict(snapshot: Snapshot) -> tuple[dict[str, pa.Table], list[Problem]]:
    problems: list[Problem] = []
    tables = {name: parsed.data for name, parsed in snapshot.parsed_tables(problems).items()}
    return tables, problems


def test_a_clean_tree_and_its_commit_read_the_same(repo: Path) -> None:
    tree = Snapshot.of_tree(repo)
    with snapshot_at(repo, "HEAD") as head:
        assert head.label == git(repo, "rev-parse", "HEAD").strip()[:12]
        assert tree.label == "working tree"
        for spec in TABLES:
            assert head.tables[spec.name].equals(tree.tables[spec.name]), spec.name
            assert tree.tables[spec.name].num_rows > 0
        assert _strict(head) == _strict(tree)
        assert _strict(tree)[1] == []
        assert not any(head.differs_from_tree(spec.path) for spec in TABLES)


def test_a_revision_reads_what_was_committed_not_what_was_edited_since(repo: Path) -> None:
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "An edit that is not committed.")
    (repo / "records" / "texts" / "draft.txt").write_text("not tracked yet\n", encoding="utf-8")
    tree = Snapshot.of_tree(repo)
    with snapshot_at(repo, "HEAD") as head:
        assert head.changed_paths() == {"records/claims.csv"}
        assert head.differs_from_tree("records/claims.csv")
        assert head.differs_from_tree("records/texts/draft.txt")  # untracked: the revision cannot know it
        assert not head.differs_from_tree("records/actors.csv")
        statements = {
            name: snapshot.tables["claims"].column("statement").to_pylist()
            for name, snapshot in (("head", head), ("tree", tree))
        }
        assert "An edit that is not committed." in statements["tree"]
        assert "An edit that is not committed." not in statements["head"]
        # The strict reader gives the committed bytes too, with the same physical lines.
        problems: list[Problem] = []
        parsed = head.parsed("claims", problems)
        assert problems == [] and parsed is not None
        assert parsed.data.column("statement").to_pylist() == statements["head"]
        assert parsed.lines.tolist() == head.tables["claims"].column("__line").to_pylist()


def test_a_file_the_revision_lacks_is_missing_there_and_nowhere_else(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    (repo / "records" / "events.csv").unlink()
    commit_all(repo, "events gone")
    with snapshot_at(repo, "HEAD") as head, snapshot_at(repo, first) as before:
        assert head.file("records/events.csv") is None
        assert head.tables["events"].num_rows == 0
        problems: list[Problem] = []
        assert head.parsed("events", problems) is None
        assert [(p.file, p.code) for p in problems] == [("records/events.csv", "file-missing")]
        assert before.tables["events"].num_rows > 0
        # The working tree words the same absence in the same way, through the strict reader.
        tree_problems: list[Problem] = []
        assert Snapshot.of_tree(repo).parsed("events", tree_problems) is None
        assert tree_problems == problems


def test_the_working_tree_hands_a_link_to_the_reader_which_refuses_it(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_bytes((repo / "records" / "claims.csv").read_bytes())
    (repo / "records" / "claims.csv").unlink()
    (repo / "records" / "claims.csv").symlink_to(outside)
    problems: list[Problem] = []
    assert Snapshot.of_tree(repo).parsed("claims", problems) is None
    assert [p.code for p in problems] == ["file-symlink"]
    assert Snapshot.of_tree(repo).tables["claims"].num_rows == 0  # the tolerant reader does not follow it either


def test_files_written_for_a_revision_go_when_it_is_closed(repo: Path) -> None:
    with snapshot_at(repo, "HEAD") as head:
        stored = head.file("records/claims.csv")
        assert stored is not None and stored.read_bytes() == (repo / "records" / "claims.csv").read_bytes()
        assert head.file("records/claims.csv") == stored  # written once
        assert not stored.is_relative_to(repo)
    assert not stored.exists() and not stored.parent.exists()


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x", ""])
def test_an_unusable_revision_is_refused_when_the_snapshot_is_made(repo: Path, ref: str) -> None:
    with pytest.raises(GitBaseError):
        snapshot_at(repo, ref)


def _reference_changes(repo: Path, commit: str) -> set[str]:
    """What ``git diff --name-only`` says (it reads and compares the files itself)."""
    out = git(repo, "diff", "--name-only", "--no-renames", "--relative", "-z", commit, "--", ".")
    return {p for p in out.split("\0") if p}


def _touch(path: Path) -> None:
    """Change a file's times (and so git's stat data) but not its bytes."""
    import os

    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns + 10**9, info.st_mtime_ns + 10**9))


def test_changed_paths_agree_with_git_diff_on_every_kind_of_change(repo: Path) -> None:
    """Touched only: not changed (git's index is stale, the bytes are not); every real change is listed."""
    from belarus_data.history.git import changed_paths

    base = git(repo, "rev-parse", "HEAD").strip()
    records = repo / "records"
    _touch(records / "actors.csv")  # stat-dirty, same bytes
    _touch(records / "texts" / next(p.name for p in (records / "texts").iterdir()))
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "An edit that is not committed.")  # content changed
    events = (records / "events.csv").read_bytes()
    (records / "events.csv").write_bytes(events.replace(b"active", b"activf", 1))  # same size, other bytes
    (records / "event_participants.csv").unlink()  # deleted
    sources = (records / "sources.csv").read_bytes()
    (records / "sources.csv").write_bytes(sources + b"")
    git(repo, "add", "records/sources.csv")  # staged, same bytes: not a change
    aliases = records / "actor_aliases.csv"
    aliases.write_bytes(aliases.read_bytes() + b"x\n")
    git(repo, "add", "records/actor_aliases.csv")
    aliases.write_bytes(aliases.read_bytes()[:-2])  # staged a change, then undid it in the tree: git diff says none
    expected = {"records/claims.csv", "records/events.csv", "records/event_participants.csv"}
    assert _reference_changes(repo, base) == expected  # (git diff refreshes its index as it goes)
    _touch(records / "actors.csv")
    assert changed_paths(repo, base) == expected | {"records/actor_aliases.csv"}  # staged differently: listed
    git(repo, "reset", "-q", "--", "records/actor_aliases.csv")
    _touch(records / "actors.csv")
    assert changed_paths(repo, base) == _reference_changes(repo, base) == expected


def test_a_file_replaced_by_a_link_is_changed_and_never_followed(repo: Path, tmp_path: Path) -> None:
    from belarus_data.history.git import changed_paths

    base = git(repo, "rev-parse", "HEAD").strip()
    actors = repo / "records" / "actors.csv"
    outside = tmp_path / "outside.csv"
    outside.write_bytes(actors.read_bytes())  # the very same bytes, elsewhere
    actors.unlink()
    actors.symlink_to(outside)
    assert changed_paths(repo, base) == {"records/actors.csv"} == _reference_changes(repo, base)
