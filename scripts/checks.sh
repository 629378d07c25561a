#!/usr/bin/env bash
# Every gate a change must pass, run by .ci/run and by the GitHub workflow alike (so they cannot drift).
# Runs every step even after one fails, then exits non-zero if any failed.
#
# Environment:
#   BASE_REF             git revision to check versioning rules and summarise changes against, reduced
#                        to its merge-base with HEAD (the workflow passes the pull request's base
#                        commit, the merge queue's base, or the commit before a push); default: the
#                        merge-base of HEAD with main, when there is one.
#   GITHUB_EVENT_NAME    push / merge_group: main after a merge, so every row is validated (no
#                        --changed-only).
#   GITHUB_EVENT_NAME    "pull_request" (or any BASE_REF given): the run judges a pull request, so
#                        versioning rules that cannot run (no base, shallow clone) fail the validate step.
#   GITHUB_ACTIONS       "true" under GitHub Actions: validate prints ::error annotations.
#   GITHUB_STEP_SUMMARY  when set, the validation report and the record changes are written there as Markdown.
#   SKIP_WHEEL=1         skip the wheel build + clean-venv smoke test (it downloads dependencies).
#   WHEEL=path.whl       smoke-test this wheel instead of building one (the release workflow's own build).
#
# `bash scripts/checks.sh wheel-smoke-test` runs only the wheel smoke test (the release workflow does).
set -u
cd "$(dirname "$0")/.."
failed=()
step() {
  local name=$1; shift
  echo "::group::$name"
  if "$@"; then echo "ok: $name"; else echo "FAILED: $name"; failed+=("$name"); fi
  echo "::endgroup::"
}

# The revision the change is judged against. A push event's `before` is all zeros for a new branch:
# no base. A given BASE_REF (a branch name locally, a commit in CI) is reduced to its merge-base with
# HEAD, so that commits made on main after the branch left it are not counted as the branch's changes.
base="${BASE_REF:-}"
if [[ "$base" =~ ^0+$ ]]; then base=""; fi
if [ -n "$base" ]; then
  base=$(git merge-base HEAD "$base" 2>/dev/null) || base="$BASE_REF"
fi
if [ -z "$base" ]; then
  for candidate in main origin/main; do
    if git rev-parse --verify --quiet "$candidate^{commit}" >/dev/null 2>&1; then
      base=$(git merge-base HEAD "$candidate" 2>/dev/null) && break
      base=""
    fi
  done
fi
format=text
if [ "${GITHUB_ACTIONS:-}" = "true" ]; then format=github; fi
pull_request=""
if [ -n "${BASE_REF:-}" ] || [ "${GITHUB_EVENT_NAME:-}" = "pull_request" ]; then pull_request=yes; fi
# After a merge (a push to main, a merge queue's candidate) every row is checked, not only the changed ones.
every_row=""
case "${GITHUB_EVENT_NAME:-}" in push | merge_group | schedule | workflow_dispatch) every_row=yes ;; esac

validate_against_base() {
  if [ -n "$base" ] && [ "$base" != "$(git rev-parse HEAD)" ] && [ -z "$every_row" ]; then
    # A pull request: rows unchanged since main were validated when they landed (and every row is
    # checked anyway when the rules or schema change); checks across tables always cover everything.
    belarus-data validate --format "$format" --base "$base" --changed-only --summary "${GITHUB_STEP_SUMMARY:-/dev/null}"
  elif [ -n "$base" ]; then
    belarus-data validate --format "$format" --base "$base" --summary "${GITHUB_STEP_SUMMARY:-/dev/null}"
  elif [ -n "$pull_request" ]; then
    # A pull request whose versioning rules cannot run (no main, a shallow clone) is not judged
    # without them: the report says why (every format), and the step fails.
    belarus-data validate --format "$format" --require-base --summary "${GITHUB_STEP_SUMMARY:-/dev/null}"
    echo "::error title=versioning-skipped::a pull request must be checked against its base, and there is none (no main branch or no common commit: fetch the full history)"
    return 1
  else
    # Not a pull request, no base: validate itself notes in its report why the versioning rules did not run.
    belarus-data validate --format "$format" --summary "${GITHUB_STEP_SUMMARY:-/dev/null}"
  fi
}

summarise_changes() {
  if [ -z "$base" ]; then
    echo "no git base: nothing to summarise"
    return 0
  fi
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    belarus-data diff "$base" --format markdown >>"$GITHUB_STEP_SUMMARY"
  fi
  belarus-data diff "$base"
}

# Build the wheel, install it into a fresh virtual environment outside the checkout,
# and load every table from the installed copy: what a user gets from `pip install`.
wheel_smoke_test() {
  if [ "${SKIP_WHEEL:-}" = "1" ]; then
    echo "SKIP_WHEEL=1: skipped"
    return 0
  fi
  local tmp status
  tmp=$(mktemp -d)
  # Explicit `|| exit 1`: `set -e` is ignored inside a function called as an `if` condition.
  (
    if [ -n "${WHEEL:-}" ]; then
      mkdir -p "$tmp/dist" && cp "$WHEEL" "$tmp/dist/" || exit 1
    else
      # The build backend comes from the lock too (PIP_CONSTRAINT reaches the isolated build environment).
      PIP_CONSTRAINT="$PWD/constraints.txt" python -m build --wheel --outdir "$tmp/dist" . >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
    fi
    python -m venv "$tmp/venv" || exit 1
    "$tmp/venv/bin/python" -m pip install --quiet -c constraints.txt "$tmp"/dist/*.whl || exit 1
    cd "$tmp" || exit 1
    "$tmp/venv/bin/python" -I -c '
import sys
import belarus_data as bd

assert "/venv/" in bd.__file__, f"imported {bd.__file__}, not the installed wheel"
frames = {name: getattr(bd, "load_" + name)() for name in
          ("sources", "actors", "actor_aliases", "events", "event_participants", "claims")}
for name, frame in frames.items():
    print(f"{name}: {len(frame)} rows")
assert len(frames["sources"]) and len(frames["claims"]), "the wheel ships no records"
report = bd.validate()
assert report.ok, [p.as_text() for p in report.errors]
# Texts whose source is not redistributable are not in the wheel: validate notes that once.
import csv
from belarus_data.storage.paths import installed_root
data = installed_root()
with open(data / "records" / "sources.csv", encoding="utf-8", newline="") as handle:
    withheld = [row["text_path"] for row in csv.DictReader(handle) if row["text_path"] and row["redistribution"] != "yes"]
shipped = sorted(str(p.relative_to(data / "records")) for p in data.glob("records/texts/*"))
notes = [n for n in report.notes if n.code == "texts-not-shipped"]
assert len(notes) == (1 if withheld else 0), report.notes
assert not set(withheld) & set(shipped), shipped
print(f"installed wheel: loaders and validate OK; texts shipped: {len(shipped)}, not shipped: {len(withheld)}")
'
  )
  status=$?
  rm -rf "$tmp"
  return $status
}

if [ "${1:-}" = "wheel-smoke-test" ]; then
  wheel_smoke_test
  exit $?
fi

step "fmt --check" belarus-data fmt --check
step "schema --check" belarus-data schema --check
step "validate --base" validate_against_base
step "diff (record changes)" summarise_changes
# The package version and CHANGELOG.md move together (docs/versioning.md): a changed version needs its section.
step "version and CHANGELOG" python scripts/release_check.py check ${base:+--base "$base"}
step "ruff check" ruff check .
step "ruff format --check" ruff format --check .
step "mypy" mypy belarus_data
step "import layers (lint-imports)" lint-imports
step "pytest" python3 -m pytest -q
step "wheel + loaders in a clean venv" wheel_smoke_test
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed steps: ${failed[*]}"
  exit 1
fi
echo "all checks passed"
