"""No cliffs at scale: a descriptor that does not grow with the data, and a JSON export that streams.

Neither test is timed. Both generate datasets with benchmarks/generate.py.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from test_generate import load_generator

from belarus_data.checks.context import Context
from belarus_data.checks.package import check_descriptor
from belarus_data.problems import Problem
from belarus_data.storage.paths import MAX_DESCRIPTOR_BYTES

# Sources in a generated dataset of 2,000,000 claims (one source per 50 claims): the old descriptor
# listed each, and crossed MAX_DESCRIPTOR_BYTES at ~1.33M claims.
SOURCES_AT_2M = 2_000_000 // 50


def grow_sources(root: Path, count: int) -> None:
    """Make records/sources.csv hold ``count`` sources, copies of the generated ones with new ids and URLs.

    Only the sources table is made large: it is what a per-source list in the
    descriptor would grow with. Claims keep citing the original sources.
    """
    path = root / "records" / "sources.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    at_id, at_url = header.index("id"), header.index("url")
    extra = []
    for n in range(count - len(body)):
        row = list(body[n % len(body)])
        row[at_id] = f"src-scale-{n:07d}"
        row[at_url] = f"https://example.org/scale/{n}"
        extra.append(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *body, *extra])


def descriptor_problems(root: Path) -> list[Problem]:
    ctx = Context(root=root, tables={}, problems=[])
    check_descriptor(ctx)
    return ctx.problems


def test_descriptor_size_does_not_depend_on_the_number_of_records(tmp_path: Path) -> None:
    generator = load_generator()
    small = generator.generate(10_000, tmp_path / "small", seed=3)
    large = generator.generate(600, tmp_path / "large", seed=4)
    grow_sources(large, SOURCES_AT_2M)
    generator.write_generated(large)  # what `belarus-data schema` writes for it
    small_bytes = (small / "datapackage.json").read_bytes()
    large_bytes = (large / "datapackage.json").read_bytes()
    assert small_bytes == large_bytes  # the same file whatever the rows: metadata and resources only
    assert len(large_bytes) < 64 * 1024 < MAX_DESCRIPTOR_BYTES
    descriptor = json.loads(large_bytes)
    assert "sources" not in descriptor
    assert descriptor["resources"][0]["path"] == "records/sources.csv"  # the bibliography
    with (large / "records" / "sources.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in f) - 1 == SOURCES_AT_2M
    assert descriptor_problems(large) == []


PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from belarus_data.export.jsonout import write_json
write_json(Path(sys.argv[2]), Path(sys.argv[1]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def export_peak(root: Path, out: Path) -> tuple[int, int]:
    """Peak resident bytes of writing the JSON export of ``root`` (in a fresh process), and bytes written.

    The dataset is valid by construction (test_generate shows it), so the
    export's own work is measured, not the validation before it.
    """
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(root), str(out)], capture_output=True, text=True, check=True
    )
    written = sum(p.stat().st_size for p in out.iterdir())
    return int(done.stdout.split()[-1]), written


def test_json_export_memory_grows_far_less_than_its_output(tmp_path: Path) -> None:
    generate = load_generator().generate
    small_peak, small_out = export_peak(generate(20_000, tmp_path / "20k", seed=5), tmp_path / "out20k")
    large_peak, large_out = export_peak(generate(200_000, tmp_path / "200k", seed=5), tmp_path / "out200k")
    assert large_out > 9 * small_out  # ten times the claims, about ten times the JSON
    # Held whole, the nested document took ~5x its output in memory (2.2 GiB for 411 MB at 100k claims);
    # streamed, the peak follows a batch and the small tables looked up per batch.
    assert large_peak - small_peak < (large_out - small_out) / 4, (small_peak, large_peak, small_out, large_out)
