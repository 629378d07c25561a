"""Benchmark validation and loading against the cost of parsing the CSV files.

    python benchmarks/bench.py                       # N = 10k, 100k, 1M claims
    python benchmarks/bench.py --sizes 10k,100k      # a quicker run

For each size it generates (once, cached under ``benchmarks/out/``) a valid
dataset with ``benchmarks/generate.py`` and measures, each in a fresh process
so that peak memory is that step's alone:

* ``arrow read``: pyarrow reading every record CSV as string columns with its
  default options, the baseline (what validation cannot avoid);
* ``validate``: ``belarus_data.validate(root)`` with every check on;
* ``validate --changed-only``: the dataset committed as its own git repository
  (once), one claim appended, then ``validate(root, base="HEAD",
  changed_only=True)``: what a pull request adding a claim costs, versioning
  rules (reading the base from git) included;
* ``frictionless``: the stock ``frictionless.validate`` of the same package
  (only up to ``--frictionless-max``; above it the rate is extrapolated);
* ``pandas.read_csv``: the claims file with the dtypes ``load_claims`` gives;
* ``load_claims``: ``belarus_data.load_claims(root)`` (validating, uncached).

Then, on the real dataset of this checkout: a cold ``belarus-data validate``
process, and ``import belarus_data`` over a bare interpreter start.

Times are wall-clock seconds of the step itself (imports excluded), the best of
``--repeat`` runs; peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_OUT = HERE / "out"
SEED = 1


@dataclass
class Result:
    size: str
    step: str
    seconds: float | None  # None: not run (timeout or above --frictionless-max)
    rows: int
    peak_mib: float | None
    baseline: float | None = None
    note: str = ""


# Steps run in the worker process: each returns the number of rows it handled.
def step_arrow(root: Path) -> int:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from belarus_data.storage.tables import TABLES

    rows = 0
    for table in TABLES:
        data = pacsv.read_csv(
            root / table.path,
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in table.columns},
                null_values=[""],
                strings_can_be_null=True,
            ),
        )
        rows += data.num_rows
    return rows


def step_validate(root: Path) -> int:
    import belarus_data

    report = belarus_data.validate(root)
    if not report.ok:
        raise SystemExit("the generated dataset is invalid:\n" + "\n".join(p.as_text() for p in report.errors[:20]))
    return sum(report.rows.values())


def step_changed_only(root: Path) -> int:
    """``validate --base HEAD --changed-only`` with one claim added since HEAD (see :func:`one_claim_added`)."""
    import belarus_data

    report = belarus_data.validate(root, base="HEAD", changed_only=True)
    if not report.ok or not report.scope.startswith("checked 2 of"):
        raise SystemExit(f"unexpected: {report.scope}; " + "; ".join(p.as_text() for p in report.errors[:5]))
    return sum(report.rows.values())


def step_frictionless(root: Path) -> int:
    import frictionless

    report = frictionless.validate(str(root / "datapackage.json"), limit_errors=1000)
    return sum(int(task.stats.get("rows") or 0) for task in report.tasks)


def claims_dtypes() -> tuple[dict[str, object], list[str]]:
    from belarus_data.loaders import pandas_dtype
    from belarus_data.storage.tables import table

    spec = table("claims")
    dates = [name for name in spec.columns if spec.rules[name].kind == "date"]
    return {name: pandas_dtype(spec.rules[name]) for name in spec.columns if name not in dates}, dates


def step_pandas(root: Path) -> int:
    import pandas as pd

    dtypes, dates = claims_dtypes()
    frame = pd.read_csv(
        root / "records" / "claims.csv", dtype=dtypes, parse_dates=dates, keep_default_na=False, na_values=[""]
    )
    return len(frame)


def step_load_claims(root: Path) -> int:
    import belarus_data

    return len(belarus_data.load_claims(root))


STEPS: dict[str, Callable[[Path], int]] = {
    "arrow read": step_arrow,
    "validate": step_validate,
    "validate --changed-only": step_changed_only,
    "frictionless": step_frictionless,
    "pandas.read_csv": step_pandas,
    "load_claims": step_load_claims,
}


def worker(step: str, root: Path) -> None:
    """Run one step in this (fresh) process and print its time and this process's peak memory as JSON."""
    import resource

    sys.path.insert(1, str(REPO))
    # Import what the step needs first, so that the timing is the work alone.
    import pandas  # noqa: F401
    import pyarrow.csv  # noqa: F401

    import belarus_data.loaders
    import belarus_data.validation  # noqa: F401

    if step == "frictionless":
        import frictionless  # noqa: F401
    began = time.perf_counter()
    rows = STEPS[step](root)
    seconds = time.perf_counter() - began
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_mib": peak_kib / 1024}))


def run_worker(step: str, root: Path, timeout: float) -> tuple[float | None, int, float | None, str]:
    """(seconds, rows, peak MiB, note) of one step in a child process."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", step, str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None, 0, None, f"timeout after {timeout:.0f} s"
    if proc.returncode != 0:
        return None, 0, None, "failed: " + (err.strip().splitlines() or ["?"])[-1][:120]
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["seconds"]), int(data["rows"]), float(data["peak_mib"]), ""


def parse_size(text: str) -> int:
    value = text.strip().lower().replace("_", "")
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if value.endswith(suffix):
            return int(float(value[: -len(suffix)]) * factor)
    return int(value)


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def dataset(n: int, out: Path) -> Path:
    """The generated dataset with ``n`` claims, generated now unless it is already there."""
    root = out / label(n)
    stamp = root / ".generated.json"
    wanted = {"claims": n, "seed": SEED}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return root
    print(f"generating {label(n)} claims into {root} ...", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--claims", str(n), "--out", str(root), "--seed", str(SEED)],
        check=True,
    )
    stamp.write_text(json.dumps(wanted))
    return root


GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def committed(root: Path) -> None:
    """Make the generated dataset its own git repository with everything committed (once; it is the base)."""
    if (root / ".git").is_dir():
        return
    print(f"committing {root} as a git base ...", file=sys.stderr, flush=True)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "generated dataset"]):
        # Level-0 compression: the objects are only read back once per run.
        subprocess.run(["git", "-c", "core.compression=0", "-C", str(root), *args], env=env, check=True)


@contextmanager
def one_claim_added(root: Path) -> Iterator[None]:
    """A pull request's worth of change: one new claim appended to claims.csv, removed again afterwards."""
    path = root / "records" / "claims.csv"
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 65536))
        last = f.read().decode("utf-8").splitlines()[-1]
    row = next(csv.reader([last]))
    row[0] = "clm-benchadd1"  # a new id; the rest is a copy of a valid claim
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    with path.open("ab") as f:
        f.write(out.getvalue().encode("utf-8"))
    try:
        yield
    finally:
        with path.open("r+b") as f:
            f.truncate(size)


def time_process(argv: list[str], repeat: int, cwd: Path) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - began)
    return times


def cold_numbers(repeat: int) -> list[str]:
    """Cold-process timings on the real dataset of this checkout."""
    env_python = [sys.executable, "-X", "frozen_modules=on"]
    bare = time_process([*env_python, "-c", "pass"], repeat, REPO)
    imported = time_process([*env_python, "-c", "import belarus_data"], repeat, REPO)
    cli = [*env_python, "-m", "belarus_data.cli", "validate", "--root", str(REPO)]
    done = subprocess.run(cli, cwd=REPO, capture_output=True, text=True, check=False)
    validate = time_process(cli, repeat, REPO)
    med = statistics.median
    return [
        f"- bare interpreter start: {med(bare) * 1000:.0f} ms (median of {repeat})",
        f"- `import belarus_data`: {med(imported) * 1000:.0f} ms, i.e. **{(med(imported) - med(bare)) * 1000:.0f} ms** "
        "over a bare start (target ≤ 50 ms)",
        f"- cold `belarus-data validate` on the real dataset: **{med(validate):.2f} s** (median of {repeat}; "
        f"exit code {done.returncode}; target ≤ 1 s)",
    ]


def machine() -> str:
    import frictionless
    import pandas
    import pyarrow
    import pydantic

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024**2:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}){mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, pyarrow {pyarrow.__version__}, pandas {pandas.__version__}, "
        f"pydantic {pydantic.__version__}, frictionless {frictionless.__version__}"
    )


def render(results: list[Result]) -> list[str]:
    lines = [
        "| claims | step | seconds | rows | rows/s | × baseline | peak MiB | note |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rate = f"{r.rows / r.seconds:,.0f}" if r.seconds and r.rows else ""
        ratio = f"{r.seconds / r.baseline:.2f}" if r.seconds and r.baseline else ""
        seconds = f"{r.seconds:.2f}" if r.seconds is not None else "–"
        peak = f"{r.peak_mib:,.0f}" if r.peak_mib else ""
        lines.append(f"| {r.size} | {r.step} | {seconds} | {r.rows:,} | {rate} | {ratio} | {peak} | {r.note} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10k,100k,1m", help="claim counts, comma-separated (default 10k,100k,1m)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where generated datasets are kept")
    parser.add_argument("--frictionless-max", default="100k", help="largest size to run frictionless on")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step below 1M claims (best is kept)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a step is given up")
    parser.add_argument("--worker", nargs=2, metavar=("STEP", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]))
        return 0
    try:
        sizes = [parse_size(s) for s in args.sizes.split(",")]
        friction_max = parse_size(args.frictionless_max)
    except ValueError:
        parser.error("sizes look like 10000, 10k or 1m")
    results: list[Result] = []
    linear: list[tuple[int, float]] = []
    for n in sizes:
        root = dataset(n, args.out)
        repeat = args.repeat if n < 1_000_000 else 1
        measured: dict[str, Result] = {}
        for step in STEPS:
            if step == "frictionless" and n > friction_max:
                continue
            best: Result | None = None
            for _ in range(repeat):
                if step == "validate --changed-only":
                    committed(root)
                    with one_claim_added(root):
                        seconds, rows, peak, note = run_worker(step, root, args.timeout)
                else:
                    seconds, rows, peak, note = run_worker(step, root, args.timeout)
                current = Result(label(n), step, seconds, rows, peak, note=note)
                if best is None or (seconds is not None and (best.seconds is None or seconds < best.seconds)):
                    best = current
                if seconds is None:
                    break
            assert best is not None
            measured[step] = best
            print(f"{label(n)} {step}: {best.seconds} s, peak {best.peak_mib} MiB {best.note}", file=sys.stderr)
        arrow = measured["arrow read"].seconds
        for step in ("validate", "frictionless", "validate --changed-only"):
            if step in measured:
                measured[step].baseline = arrow
        measured["load_claims"].baseline = measured["pandas.read_csv"].seconds
        if "frictionless" not in measured and measured["validate"].seconds:
            # Extrapolate the stock validator linearly from its largest measured rate.
            rates = [r for r in results if r.step == "frictionless" and r.seconds]
            if rates:
                rate = rates[-1].rows / (rates[-1].seconds or 1)
                rows = measured["validate"].rows
                measured["frictionless"] = Result(
                    label(n), "frictionless", rows / rate, rows, None, arrow, f"extrapolated from {rates[-1].size}"
                )
        results.extend(measured.values())
        if measured["validate"].seconds:
            linear.append((measured["validate"].rows, measured["validate"].seconds))
    print(f"Machine: {machine()}\n")
    print("\n".join(render(results)))
    print()
    for n in sizes:
        v = next((r for r in results if r.size == label(n) and r.step == "validate"), None)
        f = next((r for r in results if r.size == label(n) and r.step == "frictionless"), None)
        if v and f and v.seconds and f.seconds:
            print(f"- {label(n)}: validate is {f.seconds / v.seconds:.0f}× faster than frictionless")
    if len(linear) > 1:
        per = ", ".join(f"{seconds / rows * 1e6:.1f} µs/row at {rows:,} rows" for rows, seconds in linear)
        print(f"- validate time per row: {per}")
    print("\n".join(cold_numbers(args.repeat * 3)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
