#!/usr/bin/env bash
# Re-resolve every dependency to its newest allowed release and rewrite constraints.txt, the lock CI
# installs from (`pip install -c constraints.txt -e '.[dev]'`), so that a new release of a dependency
# never reaches CI unannounced: it arrives only through a reviewed change of this file.
#
# Usage: bash scripts/refresh-constraints.sh   then run the tests, and commit constraints.txt.
# Needs the package registry; writes constraints.txt atomically (a temporary file, then a rename).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
# The project with every extra, and the build backend that `python -m build` installs (pyproject's
# [build-system]); pip itself is left out, as pip freeze does.
"$work/venv/bin/python" -m pip install --quiet -e '.[dev]' hatchling
{
  echo "# Versions CI installs (pip install -c constraints.txt -e '.[dev]'; the wheel build and the wheel"
  echo "# smoke test use them too): every dependency, pinned, so that a fresh machine tests what was tested"
  echo "# here. Regenerate with: bash scripts/refresh-constraints.sh (then run the tests and commit)."
  "$work/venv/bin/python" -m pip freeze --exclude-editable --all | grep -v -E '^(pip|setuptools|wheel)=='
} >"$work/constraints.txt"
mv "$work/constraints.txt" constraints.txt.tmp
mv constraints.txt.tmp constraints.txt
echo "constraints.txt: $(grep -c '==' constraints.txt) pinned packages"
