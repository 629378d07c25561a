"""Pathological inputs: each must be rejected with its problem code, in seconds and well under 1 GiB.

    python benchmarks/pathological.py                  # every input at full size, 3 runs each
    python benchmarks/pathological.py --only giant-cell --repeat 5

Each input is a copy of ``tests/fixtures/valid`` broken in one hostile way (a
50 MB cell, 100,000 bad references, 100,000 invented quotes against a 20 MB
text, a 5 MB JSON string of backslashes, JSON nested millions deep, a line of
a million characters without a newline, 50,000 columns, huge numbers and long
keys in the descriptor, links to devices, FIFOs). Each run is a fresh
``belarus-data validate --root DIR`` process (the text report, as CI runs it); the table gives the
minimum and median wall time and the peak resident memory of that process,
and the problem codes it reported. ``tests/test_pathological.py`` builds the
same inputs, smaller, and asserts on the codes (not on the time).

``SCALE`` multiplies every size: the test passes a small one.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VALID = REPO / "tests" / "fixtures" / "valid"
MiB = 1024 * 1024
PROBLEM = re.compile(r"^([^\s:]+):(?:\d+:)? \[([a-z0-9-]+)\]", re.MULTILINE)  # file[:line]: [code] in the text report


@dataclass(frozen=True)
class Input:
    """One pathological input: how to break a copy of the valid fixture, and the (file, code) pairs it must give."""

    name: str
    what: str
    build: Callable[[Path, float], None]  # (dataset root, scale)
    expect: frozenset[tuple[str, str]]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))


def _size(full: int, scale: float, least: int = 1) -> int:
    return max(least, int(full * scale))


def giant_cell(root: Path, scale: float) -> None:
    """claims.csv: the header and one row whose statement is one 50 MB cell."""
    path = root / "records" / "claims.csv"
    rows = _rows(path)
    header, row = rows[0], list(rows[1])
    row[header.index("statement")] = "a" * _size(50 * MiB, scale, 200_000)
    _write_rows(path, [header, row])


def bad_references(root: Path, scale: float) -> None:
    """100,000 claims, each asserted by an actor that does not exist (each gets a located foreign-key problem)."""
    path = root / "records" / "claims.csv"
    rows = _rows(path)
    header, template = rows[0], rows[1]
    at_id, at_by = header.index("id"), header.index("asserted_by")
    for n in range(_size(100_000, scale)):
        row = list(template)
        row[at_id] = f"clm-p{n:07x}"
        row[at_by] = f"act-blr-gov-{n:07x}"  # near an ID: each is a candidate for a suggestion
        rows.append(row)
    _write_rows(path, rows)


def _grow_text(root: Path, size: int) -> str:
    """Append filler to the fixture's source text (its claims keep their offsets); returns the new text.

    ``size`` is in characters; the filler is Cyrillic, two bytes to most characters.
    """
    text_path = root / "records" / "texts" / "fixture-note.txt"
    text = text_path.read_text(encoding="utf-8")
    sentence = "Официальные лица в Минске и Москве ничего нового об учениях на этой неделе не сказали. "
    text += sentence * max(0, (size - len(text)) // len(sentence))
    data = text.encode("utf-8")
    text_path.write_bytes(data)
    sources = root / "records" / "sources.csv"
    rows = _rows(sources)
    header = rows[0]
    rows[1][header.index("text_sha256")] = hashlib.sha256(data).hexdigest()
    rows[1][header.index("text_length")] = str(len(text))
    _write_rows(sources, rows)
    return text


def invented_quotes(root: Path, scale: float) -> None:
    """A source text of 9.9 million characters (18 MB; offsets stop at 10 million) and 100,000 invented quotes of it."""
    text = _grow_text(root, _size(9_900_000, scale, 100_000))
    path = root / "records" / "claims.csv"
    rows = _rows(path)
    header, template = rows[0], rows[1]
    at = {name: header.index(name) for name in ("id", "quote", "start", "end", "prefix", "suffix")}
    step = max(1, (len(text) - 200) // _size(100_000, scale))
    for n in range(_size(100_000, scale)):
        quote = f"an invented quote number {n:07d}"
        start = 200 + (n * step) % (len(text) - 300)
        row = list(template)
        row[at["id"]] = f"clm-q{n:07x}"
        row[at["quote"]], row[at["start"]], row[at["end"]] = quote, str(start), str(start + len(quote))
        row[at["prefix"]] = row[at["suffix"]] = ""
        rows.append(row)
    _write_rows(path, rows)


def _descriptor(root: Path) -> tuple[Path, str]:
    path = root / "datapackage.json"
    return path, path.read_text(encoding="utf-8")


def json_backslashes(root: Path, scale: float) -> None:
    """datapackage.json: the description is a string of 5 MB of backslashes (valid JSON, every one escaped)."""
    path, text = _descriptor(root)
    room = _size(5 * MiB - len(text.encode()) - 1024, scale, 10_000) // 2 * 2
    path.write_text(text.replace('"description": "', '"description": "' + "\\" * room, 1), encoding="utf-8")


def json_unterminated(root: Path, scale: float) -> None:
    """datapackage.json ends inside a string of 5 MB of backslashes and quotes (not JSON)."""
    path, text = _descriptor(root)
    room = _size(5 * MiB - len(text.encode()) - 1024, scale, 10_000)
    path.write_text(text[: text.index('"description"')] + '"x": "' + '\\"' * (room // 2), encoding="utf-8")


def json_nested(root: Path, scale: float) -> None:
    """datapackage.json and a Table Schema: arrays nested 2.6 million deep (just under the 5 MiB bound)."""
    path, text = _descriptor(root)
    depth = _size((5 * MiB - len(text.encode()) - 1024) // 2, scale, 10_000)
    path.write_text(text.replace('"keywords": [', '"keywords": ' + "[" * depth + "]" * depth + ", [", 1))
    (root / "schema" / "claims.schema.json").write_text("[" * depth + "]" * depth)


def json_numbers_and_keys(root: Path, scale: float) -> None:
    """datapackage.json: version 1e999999 (infinity), and 1,000 unknown keys of 4 kB each."""
    path, text = _descriptor(root)
    keys = "".join(f'"{"k" * 4000}{n}": 1, ' for n in range(_size(1000, scale, 200)))
    text = text.replace('"version": "0.1.0"', '"version": 1e999999', 1)
    path.write_text(text.replace('"profile"', keys + '"profile"', 1), encoding="utf-8")
    # A Table Schema with an integer of 100,000 digits (Python refuses to convert it: not valid JSON here).
    (root / "schema" / "events.schema.json").write_text('{"fields": ' + "9" * _size(100_000, scale, 5000) + "}")


def long_line(root: Path, scale: float) -> None:
    """claims.csv ends with a line of a million characters and no newline."""
    path = root / "records" / "claims.csv"
    with path.open("ab") as out:
        out.write(b"clm-tail," + b"x" * _size(1_000_000, scale, 200_000))


def many_columns(root: Path, scale: float) -> None:
    """events.csv has 50,000 extra columns in its header, and a row of 1,000,000 cells in actors.csv."""
    path = root / "records" / "events.csv"
    lines = path.read_bytes().split(b"\n", 1)
    extra = b"".join(b",extra_%d" % n for n in range(_size(50_000, scale, 500)))
    path.write_bytes(lines[0] + extra + b"\n" + lines[1])
    with (root / "records" / "actors.csv").open("ab") as out:
        out.write(b"act-wide" + b",x" * _size(1_000_000, scale, 10_000) + b"\n")


def _link(path: Path, target: str) -> None:
    path.unlink()
    os.symlink(target, path)


def device_links(root: Path, scale: float) -> None:
    """Links to /dev/zero and /dev/urandom in place of a record file, a text, the descriptor and a Table Schema."""
    _link(root / "records" / "claims.csv", "/dev/zero")
    _link(root / "records" / "texts" / "fixture-note.txt", "/dev/urandom")
    _link(root / "datapackage.json", "/dev/zero")
    _link(root / "schema" / "actors.schema.json", "/dev/urandom")


def fifos(root: Path, scale: float) -> None:
    """FIFOs (named pipes, which block a reader forever) in place of the same four kinds of file."""
    for relative in (
        "records/events.csv",
        "records/texts/fixture-note.txt",
        "datapackage.json",
        "schema/actors.schema.json",
    ):
        path = root / relative
        path.unlink()
        os.mkfifo(path)


INPUTS: tuple[Input, ...] = (
    Input(
        "giant-cell",
        "claims.csv of one 50 MB cell",
        giant_cell,
        frozenset({("records/claims.csv", "cell-too-large")}),
    ),
    Input(
        "bad-references",
        "100,000 references to actors that do not exist",
        bad_references,
        frozenset({("records/claims.csv", "foreign-key")}),
    ),
    Input(
        "invented-quotes",
        "100,000 invented quotes against an 18 MB text",
        invented_quotes,
        frozenset({("records/claims.csv", "quote-mismatch")}),
    ),
    Input(
        "json-backslashes",
        "datapackage.json with a 5 MB string of backslashes",
        json_backslashes,
        frozenset({("datapackage.json", "package-value")}),
    ),
    Input(
        "json-unterminated",
        "datapackage.json ending inside 5 MB of escaped quotes",
        json_unterminated,
        frozenset({("datapackage.json", "package-invalid")}),
    ),
    Input(
        "json-nested",
        "datapackage.json and a schema nested 2.6M deep",
        json_nested,
        frozenset({("datapackage.json", "package-too-deep"), ("schema/claims.schema.json", "schema-too-deep")}),
    ),
    Input(
        "json-numbers-keys",
        "1e999999, 1,000 keys of 4 kB, a 100,000-digit integer",
        json_numbers_and_keys,
        frozenset(
            {
                ("datapackage.json", "package-type"),
                ("datapackage.json", "package-unknown-key"),
                ("schema/events.schema.json", "schema-invalid"),
            }
        ),
    ),
    Input(
        "long-line",
        "a 1,000,000-character last line without newline",
        long_line,
        frozenset({("records/claims.csv", "final-newline"), ("records/claims.csv", "cell-too-large")}),
    ),
    Input(
        "many-columns",
        "50,000 extra header columns; a row of 1,000,000 cells",
        many_columns,
        frozenset({("records/events.csv", "header-unknown"), ("records/actors.csv", "row-columns")}),
    ),
    Input(
        "device-links",
        "links to /dev/zero and /dev/urandom",
        device_links,
        frozenset(
            {
                ("records/claims.csv", "file-symlink"),
                ("records/sources.csv", "text-path-unsafe"),
                ("datapackage.json", "package-missing"),
                ("schema/actors.schema.json", "schema-missing"),
            }
        ),
    ),
    Input(
        "fifos",
        "FIFOs in place of a table, a text, the descriptor, a schema",
        fifos,
        frozenset(
            {
                ("records/events.csv", "file-not-regular"),
                ("records/sources.csv", "file-not-regular"),
                ("datapackage.json", "file-not-regular"),
                ("schema/actors.schema.json", "file-not-regular"),
            }
        ),
    ),
)


def build(case: Input, where: Path, scale: float = 1.0) -> Path:
    """A copy of the valid fixture under ``where``, broken as ``case`` says; returns its root."""
    root = where / "dataset"
    shutil.copytree(VALID, root)
    case.build(root, scale)
    return root


def input_bytes(root: Path) -> int:
    """Bytes of the regular files under ``root`` (links and FIFOs count as nothing)."""
    return sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def run_once(root: Path, timeout: float) -> tuple[float, int, int, set[tuple[str, str]]]:
    """One ``belarus-data validate`` process: (seconds, peak RSS in bytes, exit code, (file, code) pairs)."""
    # The child writes its own high-water mark (VmHWM) on exit: ru_maxrss of a forked child would
    # count the parent's memory at the fork (Linux keeps it across exec).
    entry = (
        "import atexit, os\n"
        "def peak():\n"
        "    with open('/proc/self/status') as f, open(os.environ['BELARUS_DATA_PEAK'], 'w') as out:\n"
        "        out.write(next((l for l in f if l.startswith('VmHWM:')), ''))\n"
        "atexit.register(peak)\n"
        "from belarus_data.cli import main\n"
        "main()\n"
    )
    command = [sys.executable, "-c", entry, "validate", "--root", str(root)]  # the text report, as CI runs it
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        began = time.perf_counter()
        environment = {**os.environ, "BELARUS_DATA_PEAK": str(peak_file)}
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=environment)
        deadline = began + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        codes = {(m[1], m[2]) for m in PROBLEM.finditer(out.read().decode("utf-8", "replace"))}
        found = peak_file.read_text().split() if peak_file.exists() else []
        peak = int(found[1]) * 1024 if len(found) >= 2 else usage.ru_maxrss * 1024
    return seconds, peak, process.returncode, codes


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="runs per input (default 3)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (default 1)")
    parser.add_argument("--only", help="comma-separated input names")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is killed")
    args = parser.parse_args(argv)
    chosen = [c for c in INPUTS if not args.only or c.name in args.only.split(",")]
    print(f"Machine: {machine()}")
    print()
    print("| input | what | input MB | min s | median s | peak MiB | exit | codes as expected |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    failed = False
    for case in chosen:
        with tempfile.TemporaryDirectory(prefix="belarus-data-pathological-") as where:
            root = build(case, Path(where), args.scale)
            size = input_bytes(root)
            runs = [run_once(root, args.timeout) for _ in range(args.repeat)]
        times = [r[0] for r in runs]
        peak = max(r[1] for r in runs)
        exits = {r[2] for r in runs}
        ok = all(case.expect <= r[3] for r in runs) and exits == {1}
        failed = failed or not ok
        print(
            f"| {case.name} | {case.what} | {size / MiB:.1f} | {min(times):.2f} | {statistics.median(times):.2f} "
            f"| {peak / MiB:.0f} | {','.join(map(str, sorted(exits)))} | {'yes' if ok else 'NO'} |",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
