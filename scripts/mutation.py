"""Mutation testing of belarus_data/checks/ with mutmut, one module at a time.

Usage (from anywhere in the checkout, in a venv with the dev extras installed):

    scripts/mutation.sh                    # every module listed in [tool.mutmut.tests_per_module]
    scripts/mutation.sh evidence cells     # only these modules of belarus_data/checks/

For each module it copies the working tree (tracked and untracked files, not ignored ones) into
its own directory, narrows mutmut to that module and to the tests that exercise it (the module's
list in pyproject.toml, [tool.mutmut.tests_per_module]), runs ``mutmut run``, and prints the
mutants, killed, survived, equivalent, kill rate and wall time. Survivors are printed as diffs in
the format of scripts/mutation-equivalent.txt, the list of mutants judged equivalent (no test can
tell them from the original); those are left out of the rate. It exits 1 when any module's rate
is under the minimum, 2 when mutmut itself failed.

Kill rate = (killed + timeout + crashed) / (mutants - equivalent - wording). A mutant no selected
test reaches ("no tests") counts as survived. "Wording" is a surviving mutant whose only change is
inside a string literal holding a space (prose: the message or hint of a problem, such as
"XXdoes not matchXX" or "DOES NOT MATCH"): the gate's verdict is its code, file, line and field,
which the tests assert, while the wording is free to change; the script prints how many there are
and the rate with them counted as survivors too.

Environment:
    MUTATION_WORK   where the per-module copies live (default: $TMPDIR/belarus-data-mutation);
                    a module's copy is rebuilt from scratch on every run unless MUTATION_KEEP=1
    MUTATION_KEEP   1: reuse the previous copy and its results, and re-test only the mutants that
                    were not killed (fast re-runs while writing tests); the module itself must be
                    unchanged since (otherwise every mutant is tested again)
    MUTATION_JOBS   mutants tested at once (default: the number of CPUs)
    MUTATION_MIN    minimum kill rate in percent (default 90)
    MUTATION_SAMPLE N: test only a seeded random sample of N mutants per module (the same sample
                    while the module is unchanged) and print the rate's 95% interval; for a quick
                    estimate on a busy machine. Default: every mutant.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = REPO / "scripts" / "mutation-equivalent.txt"
PACKAGE = "belarus_data/checks"
# Never copied: environments, caches, earlier mutation runs.
SKIP_PARTS = {".git", "mutants", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}

# mutmut's verdicts (mutmut.stats.status_by_exit_code), grouped for the rate.
KILLED = {"killed", "timeout", "segfault"}
SURVIVED = {"survived", "no tests", "suspicious", "skipped", "not checked", "check was interrupted by user"}


@dataclass(frozen=True)
class Mutation:
    """A mutant by what it changes, not by its number (numbers shift whenever the module is edited)."""

    function: str
    removed: tuple[str, ...]
    added: tuple[str, ...]

    def as_text(self, name: str) -> str:
        lines = [f"mutant: {name}", f"function: {self.function}"]
        lines += [f"- {line}" for line in self.removed] + [f"+ {line}" for line in self.added]
        return "\n".join(lines)


@dataclass
class Equivalent:
    mutation: Mutation
    why: str
    used: bool = False


@dataclass
class Result:
    module: str
    seconds: float
    statuses: dict[str, str] = field(default_factory=dict)  # mutant name -> mutmut status
    survivors: list[tuple[str, Mutation]] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)
    wording: list[str] = field(default_factory=list)

    @property
    def killed(self) -> int:
        return sum(1 for s in self.statuses.values() if s in KILLED)

    @property
    def counted(self) -> int:
        return len(self.statuses) - len(self.equivalent) - len(self.wording)

    @property
    def rate(self) -> float:
        return 100.0 * self.killed / self.counted if self.counted else 100.0

    def interval(self) -> tuple[float, float]:
        """95% Wilson interval of the rate (meaningful when the mutants are a sample)."""
        n = self.counted
        if not n:
            return 100.0, 100.0
        p, z = self.killed / n, 1.96
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return 100.0 * (centre - half), 100.0 * (centre + half)

    @property
    def rate_with_wording(self) -> float:
        total = self.counted + len(self.wording)
        return 100.0 * self.killed / total if total else 100.0


STRING = re.compile(r"""(?P<prefix>[rRbBuUfF]{0,2})(?P<q>['"])(?P<body>(?:\\.|(?!(?P=q)).)*)(?P=q)""")


def is_wording(mutation: Mutation) -> bool:
    """Whether the mutant changes nothing but the text of string literals that hold a space (prose)."""
    if len(mutation.removed) != len(mutation.added) or not mutation.removed:
        return False
    for old, new in zip(mutation.removed, mutation.added, strict=True):
        old_strings, new_strings = STRING.findall(old), STRING.findall(new)
        if STRING.sub("S", old) != STRING.sub("S", new) or len(old_strings) != len(new_strings):
            return False
        for (_, _, before), (_, _, after) in zip(old_strings, new_strings, strict=True):
            if before != after and " " not in before:
                return False
    return True


def _normal(line: str) -> str:
    return " ".join(line.split())


def read_equivalents(path: Path) -> list[Equivalent]:
    """Blocks of ``mutant:`` (informative), ``function:``, ``- old``/``+ new`` lines and ``why:``; # comments."""
    found: list[Equivalent] = []
    block: dict[str, list[str]] = {}

    def close() -> None:
        if not block:
            return
        if not block.get("function") or not block.get("why"):
            sys.exit(f"{path}: every entry needs 'function:' and 'why:' lines: {block}")
        mutation = Mutation(block["function"][0], tuple(block.get("-", [])), tuple(block.get("+", [])))
        found.append(Equivalent(mutation, " ".join(block["why"])))
        block.clear()

    for raw in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        line = raw.rstrip()
        if line.startswith("#"):
            continue
        if not line.strip():
            close()
            continue
        if line.startswith(("- ", "+ ")) or line in ("-", "+"):
            block.setdefault(line[0], []).append(_normal(line[2:]))
        else:
            key, _, value = line.partition(":")
            block.setdefault(key.strip(), []).append(value.strip())
    close()
    return found


def copy_tree(dest: Path) -> None:
    """The checkout as it is now (edited and new files included), without ignored files."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=False,
    )
    if listed.returncode == 0:
        names = sorted({n for n in listed.stdout.decode().split("\0") if n})
    else:  # not a git checkout: everything except environments and caches
        names = [
            str(p.relative_to(REPO))
            for p in REPO.rglob("*")
            if p.is_file() and not (set(p.relative_to(REPO).parts) & SKIP_PARTS) and ".venv" not in str(p)
        ]
    for name in names:
        source = REPO / name
        if not source.is_file() or source.is_symlink() or set(Path(name).parts) & SKIP_PARTS:
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} to [tool.mutmut]")


def module_config(pyproject: dict[str, object], module: str) -> str:
    """The [tool.mutmut] table for one module: the shared settings, that module, its tests."""
    shared = dict(pyproject["tool"]["mutmut"])  # type: ignore[index]
    per_module = shared.pop("tests_per_module")
    tests = per_module.get(module)
    if not tests:
        sys.exit(f"no tests listed for {module!r} in [tool.mutmut.tests_per_module] of pyproject.toml")
    shared["only_mutate"] = [f"{PACKAGE}/{module}.py"]
    shared["pytest_add_cli_args_test_selection"] = list(tests)
    return "[tool.mutmut]\n" + "".join(f"{key} = {_toml_value(value)}\n" for key, value in shared.items())


def rewrite_pyproject(path: Path, table: str) -> None:
    """Replace every [tool.mutmut...] table of the copy's pyproject.toml with ``table``."""
    kept: list[str] = []
    skipping = False
    for line in path.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\s*\[\[?([^\]]+)\]", line)
        if header:
            skipping = header.group(1).strip().startswith("tool.mutmut")
        if not skipping:
            kept.append(line)
    path.write_text("\n".join(kept) + "\n\n" + table, encoding="utf-8")


GENERATE = """
import os
from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants, setup_source_paths
from mutmut.__main__ import store_lines_covered_by_tests
os.makedirs("mutants", exist_ok=True)
copy_src_dir(); copy_also_copy_files(); setup_source_paths(); store_lines_covered_by_tests()
create_mutants(1)
"""


def generate_mutants(work: Path) -> None:
    """Only write the mutants (no test runs), so that a sample of them can be named to ``mutmut run``."""
    done = subprocess.run([sys.executable, "-c", GENERATE], cwd=work, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        sys.exit(f"could not generate the mutants in {work}")


def mutation_of(name: str, work: Path) -> Mutation:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    with contextlib.chdir(work):
        diff = get_diff_for_mutant(name, path=f"{PACKAGE}/{name.split('.')[2]}.py")
    removed = tuple(_normal(d[1:]) for d in diff.splitlines() if d.startswith("-") and not d.startswith("---"))
    added = tuple(_normal(d[1:]) for d in diff.splitlines() if d.startswith("+") and not d.startswith("+++"))
    function = name.rpartition(".")[2].partition("__mutmut_")[0].removeprefix("x_")
    return Mutation(f"{name.split('.')[2]}.{function}", removed, added)


def run_module(module: str, pyproject: dict[str, object], work_root: Path, equivalents: list[Equivalent]) -> Result:
    from mutmut.stats import status_by_exit_code

    work = work_root / module
    meta = work / "mutants" / PACKAGE / f"{module}.py.meta"
    source = f"{PACKAGE}/{module}.py"
    again: list[str] = []
    keep = (
        os.environ.get("MUTATION_KEEP") == "1"
        and meta.exists()
        and (work / source).read_bytes() == (REPO / source).read_bytes()
    )
    if keep:
        # Tests may have changed: which tests reach which function is worked out afresh.
        (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    else:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    copy_tree(work)
    rewrite_pyproject(work / "pyproject.toml", module_config(pyproject, module))
    sample = int(os.environ.get("MUTATION_SAMPLE") or 0)
    if sample and not meta.exists():
        generate_mutants(work)
    chosen: set[str] | None = None
    if sample:
        names = sorted(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
        chosen = set(random.Random(module).sample(names, min(sample, len(names))))
    if keep or sample:
        previous = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"] if meta.exists() else {}
        again = sorted(
            name
            for name, code in previous.items()
            if (chosen is None or name in chosen) and not (keep and status_by_exit_code[code] in KILLED)
        )
    jobs = os.environ.get("MUTATION_JOBS") or str(os.cpu_count() or 1)
    log = work / "mutmut.log"
    started = time.monotonic()
    if (keep or sample) and not again:
        print(f"{module}: every chosen mutant was already killed")
    else:
        with log.open("w", encoding="utf-8") as out:
            done = subprocess.run(
                [sys.executable, "-m", "mutmut", "run", "--max-children", jobs, *again],
                cwd=work,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
                check=False,
            )
        if done.returncode != 0 or not meta.exists():
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
            print("\n".join(tail), file=sys.stderr)
            print(f"{module}: mutmut failed (exit {done.returncode}); full log: {log}", file=sys.stderr)
            sys.exit(2)
    seconds = time.monotonic() - started
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    if chosen is not None:
        codes = {name: code for name, code in codes.items() if name in chosen}
    result = Result(module, seconds, {name: status_by_exit_code[code] for name, code in codes.items()})
    for name, status in sorted(result.statuses.items(), key=lambda item: _number(item[0])):
        if status in KILLED:
            continue
        mutation = mutation_of(name, work)
        match = next((e for e in equivalents if e.mutation == mutation), None)
        if match is not None:
            match.used = True
            result.equivalent.append(name)
        elif is_wording(mutation):
            result.wording.append(name)
        else:
            result.survivors.append((name, mutation))
    return result


def _number(name: str) -> tuple[str, int]:
    head, _, number = name.rpartition("__mutmut_")
    return head, int(number) if number.isdigit() else 0


def main(argv: list[str]) -> int:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = list(pyproject["tool"]["mutmut"]["tests_per_module"])
    modules = argv or listed
    unknown = [m for m in modules if m not in listed or not (REPO / PACKAGE / f"{m}.py").is_file()]
    if unknown:
        print(f"unknown module(s) {unknown}; known: {' '.join(listed)}", file=sys.stderr)
        return 2
    minimum = float(os.environ.get("MUTATION_MIN", "90"))
    work_root = Path(os.environ.get("MUTATION_WORK") or Path(tempfile.gettempdir()) / "belarus-data-mutation")
    equivalents = read_equivalents(EQUIVALENT_FILE)
    results = []
    for module in modules:
        print(f"== {module}: mutmut on {PACKAGE}/{module}.py ...", flush=True)
        result = run_module(module, pyproject, work_root, equivalents)
        results.append(result)
        for name, mutation in result.survivors:
            print(f"\n{mutation.as_text(name)}\nstatus: {result.statuses[name]}")
        print(
            f"== {module}: {len(result.statuses)} mutants, {result.killed} killed, {len(result.survivors)} survived, "
            f"{len(result.equivalent)} equivalent, {len(result.wording)} wording: {result.rate:.1f}% "
            f"({result.rate_with_wording:.1f}% counting wording) in {result.seconds:.0f} s"
            + (
                "; sample, 95% interval {:.0f}-{:.0f}%".format(*result.interval())
                if os.environ.get("MUTATION_SAMPLE")
                else ""
            )
            + "\n",
            flush=True,
        )
    print(
        f"{'module':<12} {'mutants':>7} {'killed':>7} {'survived':>8} {'equiv.':>6} {'wording':>7} {'rate':>7} "
        f"{'+wording':>8} {'time':>7}"
    )
    for r in results:
        print(
            f"{r.module:<12} {len(r.statuses):>7} {r.killed:>7} {len(r.survivors):>8} {len(r.equivalent):>6} "
            f"{len(r.wording):>7} {r.rate:>6.1f}% {r.rate_with_wording:>7.1f}% {r.seconds:>6.0f}s"
        )
    checked = {r.module for r in results}
    for stale in (e for e in equivalents if not e.used and e.mutation.function.split(".")[0] in checked):
        print(f"note: no mutant matches this entry of {EQUIVALENT_FILE.name} any more: {stale.mutation}")
    below = [r.module for r in results if r.rate < minimum]
    if below:
        print(f"FAILED: kill rate under {minimum:g}% in {', '.join(below)}")
        return 1
    print(f"ok: every module at or above {minimum:g}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
