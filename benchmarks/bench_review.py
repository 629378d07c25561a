"""Benchmark the pull-request tools: ``validate --base``, ``diff`` and ``fmt --check`` on a large dataset.

    python benchmarks/bench_review.py --root benchmarks/out/100k --edits 1000

Copies the dataset root (made by ``benchmarks/generate.py``) into a throwaway
git repository, commits it on ``main``, then on a branch edits ``--edits``
claims the way a contributor would (statement changed, version + 1, updated
today) and measures, each as a fresh ``belarus-data`` process:

* ``validate --no-base`` (everything except the versioning rules), the baseline;
* ``validate --base main`` (the same plus reading ``main`` with git and the versioning rules);
* ``diff main --format markdown``;
* ``fmt --check``.

Printed: wall-clock seconds (best of ``--repeat`` runs), the exit code, and
the largest resident set of any child so far (``RUSAGE_CHILDREN``): an upper
bound for the step's own peak memory.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env={**os.environ, **GIT_ENV}, capture_output=True)


def edit_claims(root: Path, edits: int) -> None:
    path = root / "records" / "claims.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    col = {name: header.index(name) for name in ("statement", "version", "updated")}
    step = max(1, (len(rows) - 1) // max(edits, 1))
    for row in rows[1::step][:edits]:
        row[col["statement"]] = row[col["statement"]].rstrip(".") + " (corrected)."
        row[col["version"]] = str(int(row[col["version"]]) + 1)
        row[col["updated"]] = "2099-01-01"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def measure(repo: Path, args: list[str], repeat: int) -> tuple[float, float, int]:
    best = float("inf")
    peak = 0.0
    code = 0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "belarus_data.cli", *args, "--root", str(repo)],
            capture_output=True,
            env={**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO)},
            check=False,
        )
        best = min(best, time.perf_counter() - start)
        code = done.returncode
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return best, peak, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, required=True, help="a dataset root made by benchmarks/generate.py")
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(args.root, repo, ignore=shutil.ignore_patterns(".git"))
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
        git(repo, "checkout", "-q", "-b", "pr")
        edit_claims(repo, args.edits)
        print(f"{args.root}: {args.edits} claims edited on a branch")
        print(f"{'step':<34}{'seconds':>9}{'peak MiB':>10}{'exit':>6}")
        for label, command in (
            ("validate --no-base", ["validate", "--no-base"]),
            ("validate --base main", ["validate", "--base", "main"]),
            ("diff main --format markdown", ["diff", "main", "--format", "markdown"]),
            ("fmt --check", ["fmt", "--check"]),
        ):
            seconds, peak, code = measure(repo, command, args.repeat)
            print(f"{label:<34}{seconds:>9.2f}{peak:>10.0f}{code:>6}")


if __name__ == "__main__":
    main()
