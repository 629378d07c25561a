"""benchmarks/bench.py reports honestly: min/median/max, ratios of medians, the stage table and its floors,
and --write-readme replaces only its own section of benchmarks/README.md. No timing is asserted."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPO, load_script


def load_bench() -> ModuleType:
    return load_script("benchmarks/bench.py", "bench_report")


BENCH = load_bench()


def test_a_row_gives_min_median_max_and_the_ratio_of_medians() -> None:
    result = BENCH.Result(
        "1M", "validate", [3.0, 9.0, 4.0], 1000, 512.0, cpu=[5.0, 7.0, 6.0], kernel=[1.0, 3.0, 2.5], baseline=2.0
    )
    row = BENCH.render([result])[-1]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:9] == ["1M", "validate", "3", "3.00", "4.00", "9.00", "6.00", "2.50", "250"]
    assert cells[9] == "2.00"  # median 4.0 over the baseline's median 2.0


def test_kernel_time_is_left_blank_where_a_step_did_not_say() -> None:
    row = BENCH.render([BENCH.Result("2M", "validate", [3.0], 10, 512.0, cpu=[4.0])])[-1]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[6:8] == ["4.00", ""]


def test_a_step_that_did_not_run_says_why() -> None:
    row = BENCH.render([BENCH.Result("1M", "frictionless", [], 0, None, note="timeout after 10 s")])[-1]
    assert "| – | – | – |" in row and "timeout after 10 s" in row


def test_each_stage_is_set_against_the_sum_of_its_primitives() -> None:
    stages = [
        ["read tables", 2.0, 3.0],
        ["evidence.check_source_texts", 1.0, 2.0],
        ["graph.check_parent_cycles", 0.1, 0.1],
    ]
    floors = [
        ["parse every CSV (pyarrow, one thread)", 1.5, 1.5],
        ["read the texts", 0.5, 0.4],
        ["SHA-256 of the texts (hashlib)", 0.3, 0.3],
        ["UTF-8 check of the texts (Arrow)", 0.3, 0.3],
        ["compare quote, prefix and suffix bytes (Arrow)", 0.2, 0.2],
    ]
    lines = BENCH.render_stages("1M", stages, floors)
    read = next(line for line in lines if line.startswith("| read tables |"))
    assert "| 1.50 (parse every CSV" in read and read.endswith("| 2.0 |")
    texts = next(line for line in lines if line.startswith("| evidence.check_source_texts |"))
    assert "| 1.20 (" in texts and texts.endswith("| 1.7 |")
    cycles = next(line for line in lines if line.startswith("| graph.check_parent_cycles |"))
    assert cycles.endswith("|  |  |")  # no primitive named: no ratio invented
    assert any(line.startswith("| read the texts | 0.50 | 0.40 |") for line in lines)


def test_write_readme_replaces_only_its_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# head\n{BENCH.BEGIN}\nold\n{BENCH.END}\n## tail\n", encoding="utf-8")
    monkeypatch.setattr(BENCH, "README", readme)
    BENCH.write_readme(["new 1", "new 2"])
    assert readme.read_text(encoding="utf-8") == f"# head\n{BENCH.BEGIN}\nnew 1\nnew 2\n{BENCH.END}\n## tail\n"


def test_write_readme_refuses_a_readme_without_markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    monkeypatch.setattr(BENCH, "README", readme)
    with pytest.raises(SystemExit):
        BENCH.write_readme(["x"])
    assert readme.read_text(encoding="utf-8") == "# no markers\n"


def test_the_real_readme_has_the_section() -> None:
    text = (REPO / "benchmarks" / "README.md").read_text(encoding="utf-8")
    assert text.count(BENCH.BEGIN) == 1 and text.count(BENCH.END) == 1


def test_the_machine_names_the_sha_extension_flag() -> None:
    lines = BENCH.machine("0.00, 0.00, 0.00 (1, 5, 15 min)")
    assert any("SHA-NI present" in line or "SHA-NI absent" in line for line in lines)
    assert any(line.startswith("- load average at the start: ") for line in lines)


def test_the_peak_table_sets_each_command_against_2_gib() -> None:
    results = [
        BENCH.Result("2M", "load_claims", [30.0], 0, 1954.2, cpu=[14.0], note="one run"),
        BENCH.Result("2M", "diff HEAD", [50.0], 0, 6090.4, cpu=[40.0], note="one run"),
        BENCH.Result("2M", "export json", [], 0, None, note="timeout after 10 s"),
    ]
    lines = BENCH.render_peaks("2M", results)
    assert lines[0].startswith("Peak memory of every command at 2M claims: one run each")
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.strip("|").split("|")] for line in lines[4:]}
    assert rows["load_claims"][1:6] == ["`belarus_data.load_claims(root)`", "1,954", "yes", "30.0", "14.0"]
    assert rows["diff HEAD"][2:4] == ["6,090", "**no**"]  # over 2048 MiB
    assert rows["export json"][1:4] == ["`belarus-data export json`", "", "–"] and "timeout" in rows["export json"][-1]


def test_every_peak_step_name_can_be_given_to_peak_steps() -> None:
    # --peak-steps splits on commas: a name holding one could never be chosen.
    assert all("," not in name for name in BENCH.PEAK_STEPS)
