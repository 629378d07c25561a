#!/usr/bin/env bash
# Every gate a change must pass, run by .ci/run and by the GitHub workflow alike.
# Runs every step even after one fails, then exits non-zero if any failed.
set -u
cd "$(dirname "$0")/.."
failed=()
step() {
  local name=$1; shift
  echo "::group::$name"
  if "$@"; then echo "ok: $name"; else echo "FAILED: $name"; failed+=("$name"); fi
  echo "::endgroup::"
}
step "schema --check" belarus-data schema --check
step "validate" belarus-data validate
step "ruff check" ruff check .
step "ruff format --check" ruff format --check .
step "mypy" mypy belarus_data
step "pytest" python -m pytest -q
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed steps: ${failed[*]}"
  exit 1
fi
echo "all checks passed"
