"""The CI workflow parses, is locked down, and every command it (and scripts/checks.sh) runs exists."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from conftest import REPO

from belarus_data.cli import main

WORKFLOW = REPO / ".github" / "workflows" / "validate.yml"
CHECKS = REPO / "scripts" / "checks.sh"
CI_RUN = REPO / ".ci" / "run"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
# Sample values for the shell variables the scripts pass to belarus-data.
SHELL_VALUES = {"$format": "github", "$base": "HEAD", "$GITHUB_STEP_SUMMARY": "summary.md"}


def load_workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    return [step for job in load_workflow()["jobs"].values() for step in job["steps"]]


def test_workflow_triggers_on_pull_requests_the_merge_queue_and_main() -> None:
    data = load_workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert isinstance(triggers, dict) and set(triggers) == {"pull_request", "merge_group", "push"}
    assert triggers["push"] == {"branches": ["main"]}
    run = next(s for s in steps() if s.get("run") == "bash .ci/run")
    base = run["env"]["BASE_REF"]
    for source in ("pull_request.base.sha", "merge_group.base_sha", "github.event.before"):
        assert source in base
    code = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert not any("pull_request_target" in line for line in code)


def test_workflow_has_least_privilege() -> None:
    data = load_workflow()
    assert data["permissions"] == {"contents": "read"}
    for job in data["jobs"].values():
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}
    checkout = next(s for s in steps() if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_actions_are_pinned_to_full_commit_shas_with_their_tag() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    used = [s["uses"] for s in steps() if "uses" in s]
    assert used, "the workflow uses no actions?"
    for action in used:
        assert PINNED.match(action), f"{action} is not pinned to a full commit SHA"
        assert re.search(re.escape(action) + r" # v\d+\.\d+\.\d+", text), f"{action}: say which tag the SHA is"


def run_lines() -> list[str]:
    lines = []
    for step in steps():
        for line in str(step.get("run", "")).splitlines():
            if line.strip() and not line.strip().startswith("#"):
                lines.append(line.strip())
    return lines


def test_every_workflow_run_line_exists() -> None:
    lines = run_lines()
    assert lines == ["bash .ci/run"]
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "bash" and (REPO / words[1]).is_file(), line
    assert "bash scripts/checks.sh" in CI_RUN.read_text(encoding="utf-8")


def belarus_data_calls() -> list[list[str]]:
    """Every `belarus-data …` command line in scripts/checks.sh, shell variables filled with samples."""
    calls = []
    for line in CHECKS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#") or "belarus-data" not in line:
            continue
        for name, value in SHELL_VALUES.items():
            line = line.replace(f'"{name}"', value).replace(name, value)
        words = shlex.split(line.split(">>")[0])
        calls.append(words[words.index("belarus-data") + 1 :])
    return calls


def test_checks_script_runs_the_required_steps() -> None:
    calls = [" ".join(c) for c in belarus_data_calls()]
    for needed in (
        "fmt --check",
        "schema --check",
        "validate --format github --base HEAD",
        "diff HEAD --format markdown",
    ):
        assert any(call.startswith(needed) for call in calls), (needed, calls)
    text = CHECKS.read_text(encoding="utf-8")
    assert '>>"$GITHUB_STEP_SUMMARY"' in text
    assert "python -m build --wheel" in text and "python -m venv" in text


@pytest.mark.parametrize("args", belarus_data_calls(), ids=" ".join)
def test_every_belarus_data_call_in_the_checks_script_parses(args: list[str]) -> None:
    command = main.get_command(click.Context(main), args[0])
    assert command is not None, f"belarus-data has no command {args[0]!r}"
    # Parsing (not running) the arguments fails for an unknown option or a missing argument.
    command.make_context(args[0], args[1:], parent=click.Context(main))


@pytest.mark.parametrize("tool", ["ruff", "mypy", "git"])
def test_the_other_tools_exist(tool: str) -> None:
    assert tool in CHECKS.read_text(encoding="utf-8") or tool == "git"
    assert subprocess.run([tool, "--version"], capture_output=True, check=False).returncode == 0


def fake_tools(bin_dir: Path, failing: set[str]) -> None:
    bin_dir.mkdir()
    for tool in ("belarus-data", "ruff", "mypy", "python", "python3"):
        script = bin_dir / tool
        code = 1 if tool in failing else 0
        script.write_text(f'#!/bin/sh\necho "{tool} $*"\nexit {code}\n', encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)


def run_checks(tmp_path: Path, failing: set[str], **env: str) -> subprocess.CompletedProcess[str]:
    fake_tools(tmp_path / "bin", failing)
    environment = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}", **env}
    environment.pop("GITHUB_STEP_SUMMARY", None)
    environment.update(env)
    return subprocess.run(["bash", str(CHECKS)], capture_output=True, text=True, env=environment, check=False)


def test_every_step_is_reported_even_after_a_failure(tmp_path: Path) -> None:
    done = run_checks(tmp_path, {"belarus-data"}, BASE_REF="HEAD", GITHUB_ACTIONS="true", SKIP_WHEEL="1")
    assert done.returncode == 1
    for name in ("fmt --check", "schema --check", "validate --base", "ruff check", "mypy", "pytest"):
        assert f"::group::{name}" in done.stdout
    assert "FAILED: fmt --check" in done.stdout and "ok: ruff check" in done.stdout
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
    assert f"belarus-data validate --format github --base {head.stdout.strip()} " in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("failed steps: fmt --check schema --check validate --base")


def _validate_call(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("belarus-data validate "))


def test_a_branch_name_is_reduced_to_its_merge_base(tmp_path: Path) -> None:
    first = subprocess.run(["git", "rev-list", "--max-parents=0", "HEAD"], cwd=REPO, capture_output=True, text=True)
    root_commit = first.stdout.split()[0]
    done = run_checks(tmp_path, set(), BASE_REF=root_commit, GITHUB_EVENT_NAME="pull_request", SKIP_WHEEL="1")
    merge_base = subprocess.run(
        ["git", "merge-base", "HEAD", root_commit], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    call = _validate_call(done.stdout)
    assert f"--base {merge_base} --changed-only" in call, call


def test_after_a_merge_every_row_is_checked(tmp_path: Path) -> None:
    for event in ("push", "merge_group"):
        (tmp_path / event).mkdir()
        done = run_checks(tmp_path / event, set(), BASE_REF="HEAD~0", GITHUB_EVENT_NAME=event, SKIP_WHEEL="1")
        call = _validate_call(done.stdout)
        assert "--base " in call and "--changed-only" not in call, (event, call)


def test_a_new_branch_push_has_no_base(tmp_path: Path) -> None:
    # GitHub sends 40 zeros as `before` when a push creates the branch.
    done = run_checks(tmp_path, set(), BASE_REF="0" * 40, GITHUB_EVENT_NAME="push", SKIP_WHEEL="1")
    call = _validate_call(done.stdout)
    assert "0000000000" not in call


def test_summary_goes_to_the_step_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    done = run_checks(tmp_path, set(), BASE_REF="HEAD", GITHUB_STEP_SUMMARY=str(summary), SKIP_WHEEL="1")
    assert done.returncode == 0, done.stdout + done.stderr
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
    assert summary.read_text(encoding="utf-8") == f"belarus-data diff {head.stdout.strip()} --format markdown\n"
    assert done.stdout.strip().endswith("all checks passed")


def test_pre_commit_hooks_run_existing_commands() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    entries = sorted(hook["entry"] for hook in hooks)
    assert entries == ["belarus-data fmt", "belarus-data validate"]
    for hook in hooks:
        args = shlex.split(hook["entry"])[1:]
        command = main.get_command(click.Context(main), args[0])
        assert command is not None
        command.make_context(args[0], args[1:], parent=click.Context(main))
        assert hook["pass_filenames"] is False  # both commands work on the whole dataset


@pytest.mark.parametrize("form", ["new-source.yml", "correction.yml"])
def test_issue_forms_are_well_formed(form: str) -> None:
    data = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / form).read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(data)
    ids = [item["id"] for item in data["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids))  # GitHub rejects a form with duplicate ids
    for item in data["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert "label" in item["attributes"] or item["type"] == "markdown"
