"""The release workflow (pins, permissions, steps) and the rule that the version and CHANGELOG move together."""

from __future__ import annotations

import re
import runpy
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from belarus_data.storage.paths import REPOSITORY

RELEASE = REPO / ".github" / "workflows" / "release.yml"
CHECK = runpy.run_path(str(REPO / "scripts" / "release_check.py"))
problems, notes, main = CHECK["problems"], CHECK["notes"], CHECK["main"]
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$")


def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_runs_on_version_tags_only() -> None:
    data = workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert triggers == {"push": {"tags": ["v*"]}}


def test_every_action_is_pinned_to_a_full_sha_with_its_version() -> None:
    lines = [USES.match(line) for line in RELEASE.read_text(encoding="utf-8").splitlines()]
    uses = [(m.group(1), m.group(2)) for m in lines if m]
    assert len(uses) >= 6
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s+# v\d+(\.\d+)*", comment), (action, comment)
    assert any(a.startswith("pypa/gh-action-pypi-publish@") for a, _ in uses)


def test_permissions_are_least_privilege() -> None:
    data = workflow()
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert "permissions" not in jobs["build"]  # the workflow default: read
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    assert jobs["publish"]["environment"]["name"] == "pypi"
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    assert jobs["publish"]["needs"] == "build" and jobs["github-release"]["needs"] == "publish"


def test_no_token_or_secret_for_pypi() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    assert "secrets." not in text
    publish = [s for s in workflow()["jobs"]["publish"]["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert len(publish) == 1 and not {"password", "user"} & set(publish[0].get("with", {}))
    for job in workflow()["jobs"].values():
        for step in job["steps"]:
            if "actions/checkout" in step.get("uses", ""):
                assert step["with"]["persist-credentials"] is False


def test_build_job_builds_checks_and_smoke_tests() -> None:
    runs = [s.get("run", "") for s in workflow()["jobs"]["build"]["steps"]]
    order = [
        'python scripts/release_check.py check --tag "$TAG"',
        "python -m build --outdir dist .",
        "python -m twine check --strict dist/*",
        "bash scripts/checks.sh wheel-smoke-test",
    ]
    found = [next(i for i, run in enumerate(runs) if needed in run) for needed in order]
    assert found == sorted(found)
    # The tag reaches the shell through the environment only (no ${{ }} inside a script).
    for job in workflow()["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step


def test_github_release_carries_the_changelog_section() -> None:
    run = workflow()["jobs"]["github-release"]["steps"][-1]["run"]
    assert 'release_check.py notes "$TAG" > release-notes.md' in run
    assert 'gh release create "$TAG" dist/*' in run and "--notes-file release-notes.md" in run


def test_the_smoke_test_entry_point_exists() -> None:
    text = (REPO / "scripts" / "checks.sh").read_text(encoding="utf-8")
    assert '"${1:-}" = "wheel-smoke-test"' in text and '"${WHEEL:-}"' in text
    assert 'step "version and CHANGELOG" python scripts/release_check.py check' in text


def test_project_urls_name_the_repository() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Repository"] == REPOSITORY
    # hatch_build.py runs in the build environment (it needs hatchling): its constant is read as text.
    assert f'REPOSITORY = "{REPOSITORY}"' in (REPO / "hatch_build.py").read_text(encoding="utf-8")


CHANGELOG = """# Changelog

## [Unreleased]

- nothing yet

## [1.1.0] - 2027-02-01

### Added

- Records: two sources.

## [1.0.0] - 2027-01-01

- First release.

[Unreleased]: https://example.invalid/compare/v1.1.0...HEAD
[1.1.0]: https://example.invalid/compare/v1.0.0...v1.1.0
"""


def test_the_real_version_and_changelog_agree() -> None:
    assert main(["check"], REPO) == 0


@pytest.mark.parametrize(
    ("version", "base", "tag", "expected"),
    [
        ("1.1.0", None, None, []),
        ("1.1.0", "1.1.0", None, []),
        ("1.1.0", "1.0.0", "v1.1.0", []),
        ("1.2.0", None, None, []),  # no base: an unreleased bump is only caught against a base
        ("1.2.0", "1.1.0", None, ["version changed from 1.1.0 to 1.2.0 but CHANGELOG.md has no '## [1.2.0]"]),
        ("1.0.0", None, None, ["section 1.1.0 is newer than the package version 1.0.0"]),
        ("1.1.0", "1.2.0", None, ["version went down from 1.2.0 to 1.1.0"]),
        ("1.1.0", None, "v1.0.0", ["tag 'v1.0.0' is not v1.1.0"]),
        ("1.2.0", None, "v1.2.0", ["no (or an empty) '## [1.2.0] - YYYY-MM-DD' section"]),
        ("1.1", None, None, ["version '1.1' is not MAJOR.MINOR.PATCH"]),
        ("01.1.0", None, None, ["is not MAJOR.MINOR.PATCH"]),
        ("1.1.0-rc1", None, None, ["is not MAJOR.MINOR.PATCH"]),
    ],
)
def test_version_and_changelog_rules(version: str, base: str | None, tag: str | None, expected: list[str]) -> None:
    found = problems(version, CHANGELOG, base_version=base, tag=tag)
    assert len(found) == len(expected), found
    for line, wanted in zip(found, expected, strict=True):
        assert wanted in line


@pytest.mark.parametrize(
    ("changelog", "wanted"),
    [
        (
            CHANGELOG.replace("## [1.0.0] - 2027-01-01", "## [1.1.0] - 2027-01-01"),
            "version 1.1.0 has more than one section",
        ),
        (CHANGELOG.replace("## [1.0.0] - 2027-01-01", "## [1.2.0] - 2027-01-01"), "not newest first"),
        (CHANGELOG.replace("## [1.0.0] - 2027-01-01", "## [1.0.0]"), "is not '## [X.Y.Z] - YYYY-MM-DD'"),
        (CHANGELOG.replace("## [1.0.0]", "## [v1.0.0]"), "is not '## [X.Y.Z] - YYYY-MM-DD'"),
    ],
)
def test_malformed_changelogs_are_named(changelog: str, wanted: str) -> None:
    assert any(wanted in line for line in problems("1.2.0", changelog)), problems("1.2.0", changelog)


def test_notes_are_the_section_without_link_definitions() -> None:
    assert notes(CHANGELOG, "1.1.0") == "### Added\n\n- Records: two sources."
    assert notes(CHANGELOG, "1.0.0") == "- First release."
    assert notes(CHANGELOG, "2.0.0") is None


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_check_against_a_git_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "belarus_data").mkdir()
    version = tmp_path / "belarus_data" / "_version.py"
    version.write_text('__version__ = "1.1.0"\n', encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "1.1.0")
    assert main(["check", "--base", "HEAD"], tmp_path) == 0
    version.write_text('__version__ = "1.2.0"\n', encoding="utf-8")  # bumped, no section: fails
    assert main(["check", "--base", "HEAD"], tmp_path) == 1
    assert "no '## [1.2.0] - YYYY-MM-DD' section" in capsys.readouterr().err
    (tmp_path / "CHANGELOG.md").write_text(
        CHANGELOG.replace("## [1.1.0]", "## [1.2.0] - 2027-03-01\n\n- More.\n\n## [1.1.0]"), encoding="utf-8"
    )
    assert main(["check", "--base", "HEAD"], tmp_path) == 0
    assert main(["check", "--tag", "v1.2.0"], tmp_path) == 0
    capsys.readouterr()
    assert main(["notes", "v1.2.0"], tmp_path) == 0 and capsys.readouterr().out == "- More.\n"
    with pytest.raises(ValueError):
        main(["check", "--base=--output=x"], tmp_path)
