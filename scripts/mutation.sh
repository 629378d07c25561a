#!/usr/bin/env bash
# Mutation testing of belarus_data/checks/, on demand and weekly (.github/workflows/mutation.yml);
# not part of every CI run (it takes minutes per module).
#
#   scripts/mutation.sh                  # every module of belarus_data/checks/ listed in pyproject.toml
#   scripts/mutation.sh evidence cells   # only these modules
#
# Per module: mutants, killed, survived, equivalent (scripts/mutation-equivalent.txt), kill rate and
# wall time; exits 1 when a module is under 90% (MUTATION_MIN), 2 when mutmut itself failed.
# Needs the dev extras (mutmut). Environment variables and details: scripts/mutation.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec "${PYTHON:-python}" "$here/mutation.py" "$@"
