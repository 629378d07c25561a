"""Throwaway git repositories for tests that simulate pull requests (no global git config is touched)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import copy_valid

ENV = {
    "GIT_AUTHOR_NAME": "Test Contributor",
    "GIT_AUTHOR_EMAIL": "contributor@example.org",
    "GIT_COMMITTER_NAME": "Test Contributor",
    "GIT_COMMITTER_EMAIL": "contributor@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity; fail the test on a non-zero exit."""
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        check=False,
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}{done.stdout}"
    return done.stdout


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def make_repo(tmp_path: Path, *, attributes: str | None = None) -> Path:
    """A git repository whose ``main`` holds the valid fixture (and ``.gitattributes``, if given)."""
    repo = copy_valid(tmp_path / "repo")
    if attributes is not None:
        (repo / ".gitattributes").write_text(attributes, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "base dataset")
    return repo


def set_options(**fields: str) -> list[str]:
    """``--set FIELD=VALUE`` arguments for ``belarus-data new``."""
    return [arg for name, value in fields.items() for arg in ("--set", f"{name}={value}")]


def claim_options(source_id: str = "src-fixture-note", **fields: str) -> list[str]:
    """``new claim`` options for an own-voice report by the fixture's outlet; ``fields`` add or override."""
    base = {
        "source_id": source_id,
        "asserted_by": "act-fixture-weekly",
        "attribution": "author",
        "claim_type": "report",
        "modality": "asserted",
    }
    return set_options(**(base | fields))
