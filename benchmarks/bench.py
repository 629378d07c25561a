"""Benchmark validation and loading against the cost of reading the dataset.

    python benchmarks/bench.py                       # N = 10k, 100k, 1M claims
    python benchmarks/bench.py --sizes 10k,100k      # a quicker run
    python benchmarks/bench.py --sizes 100000,1000000 --write-readme   # what benchmarks/README.md shows

For each size it generates (once, cached under ``benchmarks/out/``) a valid
dataset with ``benchmarks/generate.py`` and measures, each in a fresh process
so that peak memory is that step's alone:

* ``read (baseline)``: pyarrow reading every record CSV as string columns with
  its default options, plus reading (not hashing) every source text: what
  validation cannot avoid;
* ``arrow read``: the CSVs alone;
* ``validate``: ``belarus_data.validate(root)`` with every check on;
* ``validate --changed-only``: the dataset committed as its own git repository
  (once), one claim appended, then ``validate(root, base="HEAD",
  changed_only=True)``: what a pull request adding a claim costs, versioning
  rules (reading the base from git) included;
* ``frictionless``: the stock ``frictionless.validate`` of the same package
  (only up to ``--frictionless-max``, one run at 1M and above);
* ``pandas.read_csv``: the claims file with the dtypes ``load_claims`` gives;
* ``load_claims``: ``belarus_data.load_claims(root)`` (validating, uncached);

then, at ``--peak-size`` (default 2M; one run each), the peak memory of every
command that reads the whole dataset (see :data:`PEAK_STEPS`: ``validate``,
``info``, ``fmt --check``, ``diff``, every export and the timeline, each loader),
each in a fresh process writing into a scratch directory removed afterwards;
then, in one process at the largest size, the validation stage by stage (wall
and CPU seconds) and the primitive each stage cannot do without, single-threaded
(``--stages``). Then, on the real dataset of this checkout: a cold
``belarus-data validate`` process, and ``import belarus_data`` over a bare
interpreter start.

Every step runs once unmeasured first (files in the page cache), then
``--repeat`` times: min, median and max of wall seconds, median CPU seconds
(all threads), and the ratio of medians to the baseline. Peak memory is the
process's maximum resident set size, or that of a child it ran (git) if larger. The machine (CPU model, cores, SHA-NI,
load average at the start) and the command are printed with the results.
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
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_OUT = HERE / "out"
SEED = 1


@dataclass
class Result:
    size: str
    step: str
    times: list[float]  # wall seconds of each run; empty: not run (timeout, failure)
    rows: int
    peak_mib: float | None
    cpu: list[float] = field(default_factory=list)  # CPU seconds (all threads) of each run
    kernel: list[float] = field(default_factory=list)  # of which in the kernel (page faults, reads) of each run
    baseline: float | None = None  # median seconds of the step this one is compared with
    note: str = ""

    @property
    def seconds(self) -> float | None:
        """The median wall time (what the ratios compare)."""
        return statistics.median(self.times) if self.times else None


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


def step_read_texts(root: Path) -> int:
    """Every file in records/texts read into memory (not hashed, not decoded); returns how many."""
    count = 0
    for path in sorted((root / "records" / "texts").iterdir()):
        with path.open("rb", buffering=0) as f:
            f.read()
        count += 1
    return count


def step_baseline(root: Path) -> int:
    """The floor of a validation: every CSV read with pyarrow, and every source text read."""
    rows = step_arrow(root)
    step_read_texts(root)
    return rows


def step_baseline_jemalloc(root: Path) -> int:
    """The baseline with the allocator ``validate`` reads with (Arrow's jemalloc): the same work, its pages reused."""
    from belarus_data.storage.arrowpool import reusing_memory

    with reusing_memory():
        return step_baseline(root)


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


def scratch() -> Path:
    """The empty directory :func:`run_worker` made for this step's output (removed when the step ends)."""
    return Path(os.environ[SCRATCH_ENV])


def command(*args: str, ok: tuple[int, ...] = (0,)) -> int:
    """Run ``belarus-data ARGS`` in this process as a user would (its output discarded); the step fails unless it exits with one of ``ok``."""
    import contextlib

    from belarus_data.cli import main

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        try:
            code = main.main(list(args), prog_name="belarus-data", standalone_mode=False)
        except SystemExit as exit:
            code = exit.code
    if (code or 0) not in ok:
        raise SystemExit(f"belarus-data {' '.join(args)} exited with {code}")
    return 0


def loader(name: str) -> Callable[[Path], int]:
    """A step calling ``belarus_data.load_<name>(root)`` (active records, validated, uncached)."""

    def step(root: Path) -> int:
        import belarus_data

        return len(getattr(belarus_data, f"load_{name}")(root))

    return step


def step_json_alone(root: Path) -> int:
    """The JSON export's own work on the (already validated) dataset: what ``export json`` adds to ``validate``."""
    from belarus_data.export.jsonout import write_json

    return len(write_json(scratch() / "json", root))


def step_sqlite_alone(root: Path) -> int:
    from belarus_data.export.sqlite import build

    build(scratch() / "belarus.db", root)
    return 1


def step_parquet_alone(root: Path) -> int:
    from belarus_data.export.parquet import write_table_parquet
    from belarus_data.storage.tables import TABLES

    for spec in TABLES:
        write_table_parquet(scratch() / f"{spec.name}.parquet", root, spec)
    return len(TABLES)


def step_timeline_alone(root: Path) -> int:
    from belarus_data.export.timeline import gather, render

    records, totals = gather(root)
    return len(render(records, "html", totals))


# Every command that reads the whole dataset, as a user runs it (the exports and the timeline validate
# first, so their peak is at least validate's), then the exports' own work without that validation.
PEAK_STEPS: dict[str, Callable[[Path], int]] = {
    "validate": lambda root: command("validate", "--root", str(root)),
    "info": lambda root: command("info", "--root", str(root), "--json"),
    # Exit 1: a file is not in canonical form (generated files need not be); the whole dataset is read either way.
    "fmt --check": lambda root: command("fmt", "--check", "--root", str(root), ok=(0, 1)),
    "diff HEAD": lambda root: command("diff", "HEAD", "--root", str(root)),
    "export json": lambda root: command("export", "json", str(scratch() / "json"), "--root", str(root)),
    "export sqlite": lambda root: command("export", "sqlite", str(scratch() / "belarus.db"), "--root", str(root)),
    "export parquet": lambda root: command("export", "parquet", str(scratch() / "parquet"), "--root", str(root)),
    "timeline": lambda root: command("timeline", str(scratch() / "timeline.html"), "--root", str(root)),
    **{f"load_{name}": loader(name) for name in ("claims", "events", "event_participants", "sources", "actors")},
    "load_actor_aliases": loader("actor_aliases"),
    "export json (writing alone)": step_json_alone,
    "export sqlite (writing alone)": step_sqlite_alone,
    "export parquet (writing alone)": step_parquet_alone,
    "timeline (drawing alone)": step_timeline_alone,
}
# What each peak step runs, for the table.
PEAK_WHAT: dict[str, str] = {
    "diff HEAD": "`belarus-data diff HEAD`, the dataset committed as its own git repository and one claim appended",
    "export json (writing alone)": "`write_json` on the validated dataset (no second validation)",
    "export sqlite (writing alone)": "`export.sqlite.build` on the validated dataset",
    "export parquet (writing alone)": "`write_table_parquet` of every table on the validated dataset",
    "timeline (drawing alone)": "`timeline.gather` + `render(..., 'html')` on the validated dataset",
}
PEAK = "peak:"  # a worker step of PEAK_STEPS (their names are not those of STEPS)
GIB = 1024  # MiB
SCRATCH_ENV = "BELARUS_BENCH_SCRATCH"

BASELINE = "read (baseline)"
BASELINE_JEMALLOC = "read (baseline, jemalloc)"
STEPS: dict[str, Callable[[Path], int]] = {
    BASELINE: step_baseline,
    BASELINE_JEMALLOC: step_baseline_jemalloc,
    "arrow read": step_arrow,
    "validate": step_validate,
    "validate --changed-only": step_changed_only,
    "frictionless": step_frictionless,
    "pandas.read_csv": step_pandas,
    "load_claims": step_load_claims,
}


def worker(step: str, root: Path) -> None:
    """Run one step in this (fresh) process and print its time and this process's peak memory as JSON."""
    sys.path.insert(1, str(REPO))
    if step.startswith(PEAK):
        # A command's own imports are part of its peak (nothing else is imported first); its time includes them.
        import belarus_data.cli

        began, cpu = time.perf_counter(), time.process_time()
        rows = PEAK_STEPS[step.removeprefix(PEAK)](root)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        peak_kib = peak_of_step()
        print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "peak_mib": peak_kib / 1024}))
        return
    # Import what the step needs first, so that the timing is the work alone.
    import pandas  # noqa: F401
    import polars  # noqa: F401
    import pyarrow.csv  # noqa: F401

    import belarus_data.loaders
    import belarus_data.validation  # noqa: F401

    if step == "frictionless":
        import frictionless  # noqa: F401
    if step in ("stages", "primitives"):
        print(json.dumps({"table": (stages if step == "stages" else primitives)(root)}))
        return
    import resource

    began, cpu, kernel = time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_stime
    rows = STEPS[step](root)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    kernel = resource.getrusage(resource.RUSAGE_SELF).ru_stime - kernel
    peak_kib = peak_of_step()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "kernel": kernel, "rows": rows, "peak_mib": peak_kib / 1024}))


def peak_of_step() -> int:
    """KiB: the larger of this process's peak and that of the largest process it ran and waited for.

    A command's git (``validate`` compares with a base revision) is part of what it costs: counting
    only this process hid a 4.1 GB ``git diff`` at 2M claims.
    """
    import resource

    return max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )


def _timed(what: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call; CPU counts every thread of the process."""
    began, cpu = time.perf_counter(), time.process_time()
    what()
    return time.perf_counter() - began, time.process_time() - cpu


# Which primitive is the floor of which stage (see :func:`primitives`); the stages are the checks of
# belarus_data.validation, run one after the other.
FLOORS: dict[str, tuple[str, ...]] = {
    "read tables": ("parse every CSV (pyarrow, one thread)",),
    "evidence.check_source_texts": (
        "read the texts",
        "SHA-256 of the texts (hashlib)",
        "UTF-8 check of the texts (Arrow)",
        "compare quote, prefix and suffix bytes (Arrow)",
    ),
    "curation.check_quote_in_one_sentence": ("sentence rule: one RE2 scan of the quotes",),
    "curation.check_statement_paraphrases": ("paraphrase rule: one literal search per row (polars)",),
    "cells.check_cells": ("cell rules: one Arrow pass per checked column",),
}


def stages(root: Path) -> list[list[object]]:
    """The validation of ``root`` check by check, in one process: [stage, wall s, CPU s] rows."""
    from belarus_data.checks import cells
    from belarus_data.checks.context import Context
    from belarus_data.storage.arrowpool import reusing_memory
    from belarus_data.storage.snapshot import Snapshot
    from belarus_data.validation import LANES

    tree = Snapshot.of_tree(root)
    ctx = Context(root=tree.root, tables={}, engine="fast")

    def read() -> None:
        ctx.tables = tree.parsed_tables(ctx.problems)

    # The cell rules are queued a table at a time; here they are one stage (where the first of them is), one floor.
    checks: list[Callable[[Context], None]] = []
    for check in (c for lane in LANES for c in lane):
        if check not in cells.CELL_CHECKS:
            checks.append(check)
        elif cells.check_cells not in checks:
            checks.append(cells.check_cells)
    table: list[list[object]] = []
    with reusing_memory():  # the allocator validate() itself uses
        table.append(["read tables", *_timed(read)])
        for check in checks:
            name = f"{check.__module__.rsplit('.', 1)[-1]}.{check.__name__}"
            table.append([name, *_timed(lambda check=check: check(ctx))])  # type: ignore[misc]
    if ctx.problems:
        raise SystemExit(f"the generated dataset is invalid: {ctx.problems[0].as_text()}")
    return table


def primitives(root: Path) -> list[list[object]]:
    """The work each stage cannot avoid, each on one thread over the whole dataset: [primitive, wall s, CPU s]."""
    import hashlib

    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from belarus_data.checks.curation import INNER_BOUNDARY_RE2
    from belarus_data.storage.arrowpool import reusing_memory
    from belarus_data.storage.tables import TABLES

    parsed: dict[str, pa.Table] = {}

    def parse() -> None:
        for spec in TABLES:
            parsed[spec.name] = pacsv.read_csv(
                root / spec.path,
                read_options=pacsv.ReadOptions(use_threads=False),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in spec.columns},
                    null_values=[""],
                    strings_can_be_null=True,
                ),
            )

    texts: list[bytes] = []

    def read() -> None:
        for path in sorted((root / "records" / "texts").iterdir()):
            with path.open("rb", buffering=0) as f:
                texts.append(f.read())

    def sha() -> None:
        for text in texts:
            hashlib.sha256(text).digest()

    joined: list[pa.Array] = []

    def utf8() -> None:
        joined[0].validate(full=True)  # the check alone: the texts are laid out as one array beforehand

    # Under the allocator validate() and the stages use: with Arrow's default one, the first parse in a
    # fresh process spent 2.2 s of its 3.2 in the kernel (2026-12-01), and the floor exceeded its stage.
    with reusing_memory():
        rows = [["parse every CSV (pyarrow, one thread)", *_timed(parse)]]
    rows += [["read the texts", *_timed(read)], ["SHA-256 of the texts (hashlib)", *_timed(sha)]]
    # One buffer, one string per text (as storage.sourcetexts lays them out): building it from 20,000
    # Python bytes objects copied 500 MB, which an earlier run counted into this floor (2.9 s, not 0.3).
    import numpy as np

    offsets = np.concatenate(([0], np.cumsum([len(t) for t in texts]))).astype(np.int64)
    joined.append(
        pa.LargeStringArray.from_buffers(len(texts), pa.py_buffer(offsets), pa.py_buffer(b"".join(texts)), null_count=0)
    )
    rows.append(["UTF-8 check of the texts (Arrow)", *_timed(utf8)])
    joined.clear()
    texts.clear()
    data = parsed["claims"].combine_chunks()
    # Each column against a copy of itself (other buffers): every byte compared.
    copies = {
        name: pa.concat_arrays([data.column(name).chunk(0), pa.nulls(1, pa.string())]) for name in data.column_names
    }

    def compare() -> None:
        for name in ("quote", "prefix", "suffix"):
            pc.equal(data.column(name).chunk(0), copies[name][:-1])

    def sentence() -> None:
        pc.match_substring_regex(data.column("quote"), INNER_BOUNDARY_RE2)

    def paraphrase() -> None:
        frame = pl.from_arrow(data.select(["statement", "quote"]))
        assert isinstance(frame, pl.DataFrame)
        frame.select(pl.col("quote").str.contains(pl.col("statement"), literal=True))

    def cells() -> None:
        for spec in TABLES:
            for column in parsed[spec.name].columns:
                pc.utf8_length(column)  # one kernel over every cell's bytes

    rows.append(["compare quote, prefix and suffix bytes (Arrow)", *_timed(compare)])
    rows.append(["sentence rule: one RE2 scan of the quotes", *_timed(sentence)])
    rows.append(["paraphrase rule: one literal search per row (polars)", *_timed(paraphrase)])
    rows.append(["cell rules: one Arrow pass per checked column", *_timed(cells)])
    return rows


def run_worker(
    step: str, root: Path, timeout: float
) -> tuple[float | None, float | None, float | None, int, float | None, str]:
    """(seconds, CPU seconds, of which kernel, rows, peak MiB, note) of one step in a child process.

    The step writes (if at all) into a scratch directory of its own, removed when it ends.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-scratch-") as place:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", step, str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, SCRATCH_ENV: place},
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return None, None, None, 0, None, f"timeout after {timeout:.0f} s"
    if proc.returncode != 0:
        return None, None, None, 0, None, "failed: " + (err.strip().splitlines() or ["?"])[-1][:120]
    data = json.loads(out.strip().splitlines()[-1])
    kernel = float(data["kernel"]) if "kernel" in data else None  # peak steps do not say
    return float(data["seconds"]), float(data["cpu"]), kernel, int(data["rows"]), float(data["peak_mib"]), ""


def run_table(step: str, root: Path, timeout: float) -> list[list[object]]:
    """The table a ``stages`` or ``primitives`` worker prints."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", step, str(root)], capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise SystemExit(f"{step} failed: {done.stderr.strip()[-500:]}")
    table: list[list[object]] = json.loads(done.stdout.strip().splitlines()[-1])["table"]
    return table


def parse_size(text: str) -> int:
    value = text.strip().lower().replace("_", "")
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if value.endswith(suffix):
            return int(float(value[: -len(suffix)]) * factor)
    return int(value)


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def generator_fingerprint() -> str:
    """A digest of what decides the generated bytes: the generator, the models and the vocabularies.

    A dataset generated by an older generator (or for older models) is regenerated, not reused:
    a stale one fails validation, or measures rules the package no longer has.
    """
    import hashlib

    digest = hashlib.sha256()
    package = REPO / "belarus_data"
    for path in [HERE / "generate.py", package / "vocab.py", *sorted((package / "models").glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def dataset(n: int, out: Path) -> Path:
    """The generated dataset with ``n`` claims, generated now unless it is already there (same generator)."""
    root = out / label(n)
    stamp = root / ".generated.json"
    wanted = {"claims": n, "seed": SEED, "generator": generator_fingerprint()}
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
        # Split on bytes first: the 64 KiB may start inside a character, never inside the last line.
        last = f.read().rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("utf-8")
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


def cpu_flags() -> tuple[str, set[str]]:
    """The CPU model and its flags, from /proc/cpuinfo (Linux; else "?" and none)."""
    model, flags = "?", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model == "?":
                model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    return model, flags


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min)"


def machine(load: str) -> list[str]:
    import frictionless
    import pandas
    import polars
    import pyarrow
    import pydantic

    model, flags = cpu_flags()
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024**2:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    cores = os.cpu_count() or 0
    busy = "unknown"
    if load != "unknown":  # judged by the load at the start: by the end it is this run's own
        idle = float(load.split(",")[0]) < 0.5 * cores
        busy = "yes" if idle else "no: other work was running, wall times are upper bounds"
    return [
        f"- command: `{' '.join(['python', 'benchmarks/bench.py', *sys.argv[1:]])}`",
        f"- machine: {cores} CPUs ({model}){mem}, SHA-NI {'present' if 'sha_ni' in flags else 'absent'} "
        f"(`sha_ni` in /proc/cpuinfo), {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, pyarrow {pyarrow.__version__}, polars {polars.__version__}, "
        f"pandas {pandas.__version__}, pydantic {pydantic.__version__}, frictionless {frictionless.__version__}",
        f"- load average at the start: {load}; otherwise idle: {busy}",
    ]


def render(results: list[Result]) -> list[str]:
    lines = [
        "| claims | step | runs | min s | median s | max s | CPU s (median) | of which kernel s | rows/s "
        "| × baseline (medians) | peak MiB | note |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        med = r.seconds
        rate = f"{r.rows / med:,.0f}" if med and r.rows else ""
        ratio = f"{med / r.baseline:.2f}" if med and r.baseline else ""
        cpu = f"{statistics.median(r.cpu):.2f}" if r.cpu else ""
        kernel = f"{statistics.median(r.kernel):.2f}" if r.kernel else ""
        peak = f"{r.peak_mib:,.0f}" if r.peak_mib else ""
        if r.times:
            low, mid, high = f"{min(r.times):.2f}", f"{med:.2f}", f"{max(r.times):.2f}"
        else:
            low = mid = high = "–"
        lines.append(
            f"| {r.size} | {r.step} | {len(r.times)} | {low} | {mid} | {high} | {cpu} | {kernel} | {rate} | {ratio} "
            f"| {peak} | {r.note} |"
        )
    return lines


def render_stages(size: str, stage_rows: list[list[object]], floor_rows: list[list[object]]) -> list[str]:
    """The stage table (each with the sum of its primitives' CPU time) and the primitive table."""
    floor_cpu = {str(name): float(cpu) for name, _, cpu in floor_rows}  # type: ignore[arg-type]
    lines = [
        f"Stages of `validate` at {size} claims, run one after the other in one process (CPU s counts every "
        "thread; `validate` itself runs the checks in lanes side by side, on two threads here):",
        "",
        "| stage | wall s | CPU s | primitive floor (CPU s, one thread) | CPU ÷ floor |",
        "|---|---:|---:|---|---:|",
    ]
    for name, wall, cpu in stage_rows:
        names = FLOORS.get(str(name), ())
        floor = sum(floor_cpu.get(n, 0.0) for n in names)
        where = f"{floor:.2f} ({' + '.join(names)})" if names else ""
        ratio = f"{float(cpu) / floor:.1f}" if names and floor > 0 else ""  # type: ignore[arg-type]
        lines.append(f"| {name} | {float(wall):.2f} | {float(cpu):.2f} | {where} | {ratio} |")  # type: ignore[arg-type]
    total = sum(float(cpu) for _, _, cpu in stage_rows)  # type: ignore[arg-type]
    floors = sum(floor_cpu.values())
    lines.append(f"| **all** | | **{total:.2f}** | {floors:.2f} (every primitive below) | {total / floors:.1f} |")
    lines += [
        "",
        f"Primitive floors at {size} claims, each alone on one thread over the whole dataset, files in the page cache:",
        "",
        "| primitive | wall s | CPU s |",
        "|---|---:|---:|",
        *(f"| {name} | {float(wall):.2f} | {float(cpu):.2f} |" for name, wall, cpu in floor_rows),  # type: ignore[arg-type]
    ]
    return lines


README = HERE / "README.md"
BEGIN, END = "<!-- bench.py --write-readme: begin -->", "<!-- bench.py --write-readme: end -->"


def write_readme(lines: list[str]) -> None:
    """Put ``lines`` between the markers in benchmarks/README.md (written whole, then renamed into place)."""
    text = README.read_text(encoding="utf-8")
    head, found, rest = text.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not found or not found_end:
        raise SystemExit(f"{README} has no {BEGIN} … {END} section to replace")
    temp = README.with_suffix(".md.tmp")
    temp.write_text(head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + tail, encoding="utf-8")
    temp.replace(README)


def measure(step: str, root: Path, runs: int, timeout: float) -> Result:
    """One unmeasured run (page cache, first-call costs), then ``runs`` measured ones, each in its own process."""
    result = Result("", step, [], 0, None)
    for run in range(runs + 1 if runs > 1 else 1):  # a single run is measured as it comes, with no warm-up
        if step.removeprefix(PEAK) in ("validate --changed-only", "diff HEAD"):
            committed(root)
            with one_claim_added(root):
                seconds, cpu, kernel, rows, peak, note = run_worker(step, root, timeout)
        else:
            seconds, cpu, kernel, rows, peak, note = run_worker(step, root, timeout)
        if seconds is None or cpu is None:
            result.note = note
            break
        if run == 0 and runs > 1:
            continue  # the warm-up
        result.times.append(seconds)
        result.cpu.append(cpu)
        if kernel is not None:
            result.kernel.append(kernel)
        result.rows = rows
        result.peak_mib = max(result.peak_mib or 0.0, peak or 0.0)
    return result


def render_peaks(size: str, results: list[Result]) -> list[str]:
    """The table of every command's peak memory at one size, each against the 2 GiB bound."""
    lines = [
        f"Peak memory of every command at {size} claims: one run each (`--peak-size`), in a fresh process "
        "(peak = its maximum resident set size or that of a process it ran, such as git, whichever is larger; imports included; seconds include the command's own imports). "
        "The exports and the timeline validate the dataset first; their *alone* rows are the same work "
        "without that validation.",
        "",
        "| command | what runs | peak MiB | ≤ 2 GiB? | wall s | CPU s | note |",
        "|---|---|---:|---|---:|---:|---|",
    ]
    for r in results:
        what = PEAK_WHAT.get(r.step) or (
            f"`belarus_data.{r.step}(root)`" if r.step.startswith("load_") else f"`belarus-data {r.step}`"
        )
        peak = f"{r.peak_mib:,.0f}" if r.peak_mib else ""
        fits = ("yes" if r.peak_mib <= 2 * GIB else "**no**") if r.peak_mib else "–"
        wall = f"{r.times[0]:.1f}" if r.times else "–"
        cpu = f"{r.cpu[0]:.1f}" if r.cpu else "–"
        lines.append(f"| {r.step} | {what} | {peak} | {fits} | {wall} | {cpu} | {r.note} |")
    return lines


def measure_peaks(root: Path, steps: list[str], timeout: float) -> list[Result]:
    """Each of ``steps`` (of :data:`PEAK_STEPS`) once at ``root``."""
    results = []
    for step in steps:
        result = measure(PEAK + step, root, 1, timeout)
        result.step, result.size = step, root.name
        if not result.note:
            result.note = "one run"
        print(f"peak {root.name} {step}: {result.times} s, peak {result.peak_mib} MiB {result.note}", file=sys.stderr)
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10k,100k,1m", help="claim counts, comma-separated (default 10k,100k,1m)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where generated datasets are kept")
    parser.add_argument("--frictionless-max", default="1m", help="largest size to run frictionless on (default 1m)")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs per step (default 3; min/median/max)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a step is given up")
    parser.add_argument(
        "--steps", help=f"only these steps, comma-separated (default all: {', '.join(STEPS)}); the baseline always runs"
    )
    parser.add_argument(
        "--peak-size", default="2m", help="size at which each command's peak memory is measured, once (default 2m)"
    )
    parser.add_argument(
        "--peak-steps",
        help=f"only these commands in the peak table, comma-separated (default all: {', '.join(PEAK_STEPS)})",
    )
    parser.add_argument("--no-peaks", action="store_true", help="skip the peak memory table")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage and primitive tables")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start numbers on the real dataset")
    parser.add_argument("--write-readme", action="store_true", help="also put the results into benchmarks/README.md")
    parser.add_argument("--worker", nargs=2, metavar=("STEP", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]))
        return 0
    try:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
        friction_max = parse_size(args.frictionless_max)
        peak_size = parse_size(args.peak_size)
    except ValueError:
        parser.error("sizes look like 10000, 10k or 1m")
    steps = (
        [
            BASELINE,
            BASELINE_JEMALLOC,
            *(s.strip() for s in args.steps.split(",") if s.strip() not in (BASELINE, BASELINE_JEMALLOC)),
        ]
        if args.steps
        else list(STEPS)
    )
    if unknown := [step for step in steps if step not in STEPS]:
        parser.error(f"unknown steps: {', '.join(unknown)}")
    peak_steps = [s.strip() for s in args.peak_steps.split(",")] if args.peak_steps else list(PEAK_STEPS)
    if unknown := [step for step in peak_steps if step not in PEAK_STEPS]:
        parser.error(f"unknown peak steps: {', '.join(unknown)}")
    load = load_average()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results: list[Result] = []
    for n in sizes:
        root = dataset(n, args.out)
        measured: dict[str, Result] = {}
        for step in steps:
            if step == "frictionless" and n > friction_max:
                continue
            # The stock validator takes minutes at 1M: one run there (said in the table).
            runs = 1 if step == "frictionless" and n >= 1_000_000 else max(1, args.repeat)
            result = measure(step, root, runs, args.timeout)
            result.size = label(n)
            if step == "frictionless" and runs == 1 and not result.note:
                result.note = "one run"
            measured[step] = result
            print(f"{label(n)} {step}: {result.times} s, peak {result.peak_mib} MiB {result.note}", file=sys.stderr)
        baseline = measured[BASELINE].seconds
        for step in ("validate", "frictionless", "validate --changed-only", "arrow read", BASELINE_JEMALLOC):
            if step in measured:
                measured[step].baseline = baseline
        if "load_claims" in measured and "pandas.read_csv" in measured:
            measured["load_claims"].baseline = measured["pandas.read_csv"].seconds
        results.extend(measured.values())
    lines = [f"Run on {started} with the command below.", "", *machine(load), ""]
    if results:
        lines += [*render(results), ""]
    for n in sizes:
        v = next((r for r in results if r.size == label(n) and r.step == "validate"), None)
        f = next((r for r in results if r.size == label(n) and r.step == "frictionless"), None)
        b = next((r for r in results if r.size == label(n) and r.step == BASELINE), None)
        j = next((r for r in results if r.size == label(n) and r.step == BASELINE_JEMALLOC), None)
        if v and v.seconds and b and b.seconds:
            also = f"; {v.seconds / j.seconds:.2f}× the same read with jemalloc" if j and j.seconds else ""
            lines.append(
                f"- {label(n)}: validate is **{v.seconds / b.seconds:.2f}×** the baseline read (medians){also}"
            )
        if v and f and v.seconds and f.seconds:
            lines.append(
                f"- {label(n)}: validate is **{f.seconds / v.seconds:.1f}×** faster than frictionless ({f.note or 'medians'})"
            )
    if not args.no_peaks:
        peaks = measure_peaks(dataset(peak_size, args.out), peak_steps, args.timeout)
        lines += ["", *render_peaks(label(peak_size), peaks)]
    if not args.no_stages and sizes:
        largest = sizes[-1]
        root = dataset(largest, args.out)
        lines += [
            "",
            *render_stages(
                label(largest), run_table("stages", root, args.timeout), run_table("primitives", root, args.timeout)
            ),
        ]
    if not args.no_cold:
        lines += ["", *cold_numbers(args.repeat * 3)]
    print("\n".join(lines))
    if args.write_readme:
        write_readme(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
