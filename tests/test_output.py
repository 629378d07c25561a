"""What the commands print is bounded and inert, in every format.

* Bounded: 5,000 problems list 1,000 (then a count per code) in text, JSON, GitHub annotations and
  Markdown; JSON still counts every one; the loaders' exception words 20.
* Inert: values placed in records (problem messages quote cells) never reach a terminal, a CI log, a
  Markdown summary or a workflow command as anything but text: checked by reading the output the
  way its reader would (a character scan for terminals, a workflow-command parser modelled on the
  runner's for GitHub, markdown-it for Markdown).
* A skipped versioning run is a note in every format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import copy_valid, line_of, read_rows, set_cell, write_rows
from corpus import INVALID, iter_cases
from gitrepo import commit_all, git, make_repo
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from belarus_data.cli import main
from belarus_data.commands.output import MAX_PROBLEMS, render
from belarus_data.escaping import github, markdown
from belarus_data.escaping.terminal import harmless, inert, inert_json
from belarus_data.loaders import load_table
from belarus_data.problems import DatasetError, Note, Problem, Report

FORMATS = ["text", "json", "github", "markdown"]
HOSTILE = [
    "\x1b[2J\x1b[H",  # clear the screen, cursor home
    "\x1b]8;;https://evil.example\x07click me\x1b]8;;\x07",  # OSC 8 hyperlink
    "\x9b31m",  # C1 CSI
    "\u202eelif.exe\u2066",  # bidi override and isolate
    "a\r\n::error file=forged.csv,line=1::forged annotation",
    "x\n::add-mask::secret\n::stop-commands::token",
    "\u2028::warning::after a line separator",
    "``` code ```` fence ` `",
    "| a | b |\n|---|---|",
    "[link](https://evil.example) ![img](https://evil.example/i.png) <img src=x> &#10; https://evil.example",
    "*bold* _it_ ~~s~~ # h $x$ \\",
    "%0A%25 100% done, a:b",
    "\udc80 undecodable",
]

# --- a dataset with 5,000 problems


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid fixture plus 5,000 actors: 2,500 with an unknown actor_type, 2,500 with a malformed wikidata."""
    root = copy_valid(tmp_path_factory.mktemp("bulk") / "dataset")
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    header, model = rows[0], rows[1]
    for i in range(5000):
        row = list(model)
        row[0] = f"act-bulk-{i:05d}"
        row[header.index("actor_type" if i % 2 else "wikidata")] = "persn" if i % 2 else "Q0x"
        rows.append(row)
    write_rows(path, rows)
    return root


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_text_lists_1000_then_one_line_per_code(bulk: Path) -> None:
    result = run("validate", "--root", str(bulk), "--no-base")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert sum(line.startswith("records/actors.csv:") for line in lines) == MAX_PROBLEMS == 1000
    assert "... 4,000 more problem(s) not shown, by code:" in lines
    assert "  [pattern] 2,000 more" in lines and "  [vocab] 2,000 more" in lines
    assert lines[-1].startswith("✗ 5,000 problem(s) in 1 file(s).")
    assert len(lines) == 1000 + 1 + 2 + 1 + 1  # problems, "more", per code, the note, the verdict


def test_json_lists_1000_and_counts_all(bulk: Path) -> None:
    data = json.loads(run("validate", "--root", str(bulk), "--no-base", "--format", "json").stdout)
    assert data["ok"] is False
    assert data["problem_count"] == 5000
    assert data["problem_counts"] == {"pattern": 2500, "vocab": 2500}
    assert len(data["errors"]) == 1000 and data["errors_omitted"] == 4000
    assert [e["line"] for e in data["errors"]] == list(range(8, 1008))  # file and line order (6 actors before)
    everything = json.loads(
        run("validate", "--root", str(bulk), "--no-base", "--format", "json", "--max-problems", "0").stdout
    )
    assert len(everything["errors"]) == 5000 and everything["errors_omitted"] == 0


def test_github_annotates_1000_then_one_per_code(bulk: Path) -> None:
    out = run("validate", "--root", str(bulk), "--no-base", "--format", "github").stdout
    commands = [parse_command(line) for line in out.splitlines() if is_command(line)]
    located = [c for c in commands if "file" in c[1]]
    assert len(located) == 1000 and all(c[0] == "error" for c in located)
    rest = [c for c in commands if c[0] == "error" and "file" not in c[1]]
    assert [(c[1]["title"], c[2]) for c in rest] == [
        ("pattern", "2,000 more problem(s) with code pattern not shown as annotations"),
        ("vocab", "2,000 more problem(s) with code vocab not shown as annotations"),
    ]


def test_markdown_tables_1000_then_counts_per_code(bulk: Path) -> None:
    out = run("validate", "--root", str(bulk), "--no-base", "--format", "markdown").stdout
    tables = table_rows(out)
    assert len(tables) == 2
    assert len(tables[0]) == 1 + 1000  # header + problems
    assert tables[1] == [["code", "not shown"], ["pattern", "2,000"], ["vocab", "2,000"]]


def test_the_loaders_exception_words_20_and_counts_the_rest(bulk: Path) -> None:
    with pytest.raises(DatasetError) as caught:
        load_table("actors", bulk)
    assert len(caught.value.problems) == 5000
    lines = str(caught.value).splitlines()
    assert len(lines) == 1 + DatasetError.SHOWN + 1
    assert lines[-1] == "... and 4,980 more (pattern 2,490, vocab 2,490)"


# --- hostile values in the records


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One invalid cell per hostile value (an unknown `actor_type`, quoted in its problem's message)."""
    root = copy_valid(tmp_path_factory.mktemp("hostile") / "dataset")
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    header = rows[0]
    for i, value in enumerate(HOSTILE):
        row = list(rows[1])
        row[0] = f"act-hostile-{i:02d}"
        row[header.index("actor_type")] = value.replace("\udc80", "\ufffd")  # a file holds UTF-8 only
        row[header.index("description")] = value.replace("\udc80", "\ufffd").replace("\r", "").replace("\n", " ")
        rows.append(row)
    write_rows(path, rows)
    return root


def hostile_report() -> Report:
    """A report whose every field carries a hostile value (as a library caller or a future check might)."""
    problems = [
        Problem(f"records/{value}.csv", i + 2, value, "vocab", f"{value!s} is wrong", f"not {value}")
        for i, value in enumerate(HOSTILE)
    ]
    return Report(root="/tmp/\x1b]0;title\x07", problems=problems, notes=[Note("versioning-skipped", HOSTILE[4])])


def printed_text_is_inert(out: str) -> None:
    bad = sorted({f"U+{ord(ch):04X}" for ch in out if not harmless(ch) and ch != "\n"})
    assert not bad, f"characters that act on a terminal reached it: {bad}"
    assert not [line for line in out.splitlines() if is_command(line)], "a line would be read as a workflow command"


def test_validate_text_output_is_inert(hostile: Path) -> None:
    result = run("validate", "--root", str(hostile), "--no-base")
    assert result.exit_code == 1
    printed_text_is_inert(result.stdout)
    # The cell is refused for its control characters, named by code point rather than printed.
    assert "U+001B (control character, Cc)" in result.stdout
    printed_text_is_inert(render(hostile_report(), "text"))


def test_validate_json_output_is_inert_and_exact(hostile: Path) -> None:
    result = run("validate", "--root", str(hostile), "--no-base", "--format", "json")
    printed_text_is_inert(result.stdout)
    errors = json.loads(result.stdout)["errors"]
    # Every value holding a control or format character is refused for it (named by code point, not printed).
    flagged = {e["line"] for e in errors if (e["code"], e["field"]) == ("text-invisible-char", "actor_type")}
    assert len(flagged) >= 5  # the values with C0, C1, bidi or line-separator characters
    report = hostile_report()
    out = render(report, "json")
    printed_text_is_inert(out)
    assert [e["message"] for e in json.loads(out)["errors"]] == [p.message for p in report.errors]


def is_command(line: str) -> bool:
    # The runner reads a workflow command from a line that starts with "::" after leading whitespace.
    return line.lstrip().startswith("::")


def unescape(value: str, *, prop: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for code, ch in pairs:
        value = value.replace(code, ch)
    return value


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner reads it: ``::name k=v,k=v::message`` (actions/runner ActionCommand)."""
    body = line.lstrip()[2:]
    head, sep, message = body.partition("::")
    assert sep, line
    name, _, props = head.partition(" ")
    properties = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value, prop=True)
    return name, properties, unescape(message, prop=False)


def test_github_annotations_cannot_be_forged(hostile: Path) -> None:
    result = run("validate", "--root", str(hostile), "--no-base", "--format", "github")
    report = json.loads(run("validate", "--root", str(hostile), "--no-base", "--format", "json").stdout)
    lines = result.stdout.splitlines()
    commands = [parse_command(line) for line in lines if is_command(line)]
    # Exactly one command per problem, plus the note: none came from a value.
    assert len(commands) == len(report["errors"]) + 1
    assert {c[0] for c in commands} == {"error", "warning"}
    assert {c[1]["file"] for c in commands if "file" in c[1]} == {"records/actors.csv"}
    for _, properties, message in commands:
        assert set(properties) <= {"file", "line", "title"}
        assert "\n" not in message and "\r" not in message and "\x1b" not in message
    printed_text_is_inert("\n".join(line for line in lines if not is_command(line)))  # the rest of the output


def test_github_properties_carry_hostile_values_intact() -> None:
    report = hostile_report()
    out = render(report, "github")
    commands = [parse_command(line) for line in out.splitlines() if is_command(line)]
    assert len(commands) == len(report.errors) + 1
    for (_, properties, message), problem in zip(commands, report.errors, strict=False):
        assert properties["file"] == inert(problem.file)  # the runner gets back exactly the inert text
        assert properties["title"] == inert(f"{problem.code} {problem.field}")
        assert message == inert(f"{problem.message} — fix: {problem.hint}")


MD = MarkdownIt("commonmark").enable("table")


def walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def table_rows(out: str) -> list[list[list[str]]]:
    """Each table in ``out`` as rows of cell texts (as a Markdown renderer reads them)."""
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    cell: list[str] = []
    for token in walk(MD.parse(out)):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            cell = []
        elif token.type in ("text", "code_inline") and row is not None and token.content is not None:
            cell.append(token.content)
        elif token.type in ("th_close", "td_close") and row is not None:
            row.append("".join(cell))
        elif token.type == "tr_close" and row is not None:
            tables[-1].append(row)
            row = None
    return tables


def markdown_is_inert(out: str) -> None:
    kinds = {token.type for token in walk(MD.parse(out))}
    forbidden = kinds & {"link_open", "image", "html_inline", "html_block", "em_open", "strong_open", "s_open"}
    # The only strong emphasis we write ourselves is the kind of change in `diff` ("- **added**").
    assert not forbidden - {"strong_open"}, forbidden
    printed_text_is_inert(out)


def test_validate_markdown_is_inert_and_exact() -> None:
    report = hostile_report()
    out = render(report, "markdown")
    markdown_is_inert(out)
    assert "strong_open" in {t.type for t in walk(MD.parse(out))}  # "**Note**", ours
    problems = table_rows(out)[0]
    assert problems[0] == ["file", "line", "column", "code", "what is wrong (fix)"]
    assert len(problems) == 1 + len(HOSTILE)
    for cells, problem in zip(problems[1:], report.errors, strict=True):
        assert len(cells) == 5  # no pipe or line break split or ended a row
        assert cells[0] == inert(problem.file)
        assert cells[2] == inert(problem.field or "")
        assert cells[4] == inert(f"{problem.message} (fix: {problem.hint})")


@pytest.fixture
def hostile_diff(tmp_path: Path) -> Path:
    """A branch whose changes carry every hostile value: in a claim's notes and as an alias (part of a key)."""
    repo = make_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "pr")
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "notes", " ".join(HOSTILE).replace("\udc80", "\ufffd"))
    path = repo / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    for value in HOSTILE[:-1]:
        row = list(rows[1])
        row[rows[0].index("alias")] = value
        rows.append(row)
    write_rows(path, rows)
    commit_all(repo, "hostile")
    return repo


def test_diff_text_json_and_markdown_are_inert(hostile_diff: Path) -> None:
    text = run("diff", "--root", str(hostile_diff), "main", "HEAD").stdout
    printed_text_is_inert(text)
    assert "claims: 1 changed" in text
    data = run("diff", "--root", str(hostile_diff), "main", "HEAD", "--format", "json").stdout
    printed_text_is_inert(data)
    assert HOSTILE[0] in json.loads(data)["tables"]["claims"][0]["fields"][0]["new"]
    out = run("diff", "--root", str(hostile_diff), "main", "HEAD", "--format", "markdown").stdout
    markdown_is_inert(out)
    tables = table_rows(out)
    fields = next(t for t in tables if t[0] == ["field", "old", "new"])
    assert fields[1][0] == "notes" and len(fields[1]) == 3
    assert fields[1][2].startswith(inert(f"{HOSTILE[0]} {HOSTILE[1]} {HOSTILE[2]}")) and fields[1][2].endswith("…")
    codes = [t.content for t in walk(MD.parse(out)) if t.type == "code_inline"]
    for value in HOSTILE[:-1]:  # each alias stays inside its own code span, whatever backticks it holds
        value = value.replace("\r\n", "\n")  # (csv reads a CRLF inside a quoted cell as LF)
        assert any(code.endswith(f"alias={inert(value)}") for code in codes), value


# --- the escaping modules themselves


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_markdown_text_reads_back_as_the_inert_value(value: str) -> None:
    tokens = list(walk(MD.parse(f"x{markdown.text(value)}x")))
    assert {t.type for t in tokens} <= {"paragraph_open", "paragraph_close", "inline", "text"}
    assert "".join(t.content for t in tokens if t.type == "text") == f"x{inert(value)}x"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("`a |\\*\n\x1b")))
def test_markdown_code_is_one_code_span_with_the_inert_value(value: str) -> None:
    for source in (f"x {markdown.code(value)} x", f"| c |\n|---|\n| {markdown.code(value, in_table=True)} |"):
        spans = [t for t in walk(MD.parse(source)) if t.type == "code_inline"]
        shown = inert(value)
        if not shown.strip(" "):
            continue  # a code span of spaces only reads back as spaces: nothing to hide
        assert len(spans) == 1, (value, source)
        assert spans[0].content.strip(" ") == shown.strip(" ")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_github_escaping_round_trips_through_the_runner(value: str) -> None:
    line = github.command("error", {"file": value, "title": value}, value)
    assert "\n" not in line and "\r" not in line
    name, properties, message = parse_command(line)
    assert name == "error" and properties == {"file": inert(value), "title": inert(value)}
    assert message == inert(value)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_inert_text_and_json(value: str) -> None:
    shown = inert(value)
    assert all(harmless(ch) for ch in shown)
    assert inert(shown) == shown  # nothing left to escape
    document = inert_json(json.dumps({"v": value}, ensure_ascii=False))
    assert all(harmless(ch) or ch == "\n" for ch in document)
    assert json.loads(document) == {"v": value}
    shown.encode("utf-8")  # lone surrogates (undecodable file names) can be printed: no UnicodeEncodeError


def test_every_control_and_format_character_is_escaped() -> None:
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, *range(0x200B, 0x2010), *range(0x2028, 0x202F)]:
        ch = chr(code)
        assert inert(ch) != ch and re.fullmatch(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[tnr])", inert(ch)), hex(code)
    assert inert("Мінск\u00a0— 2022") == "Мінск\u00a0— 2022"  # letters and spaces stay as they are


# --- the corpus cases of this part


def test_output_corpus_cases_are_inert_in_every_format(tmp_path: Path) -> None:
    cases = [case for case in iter_cases() if case.name.startswith("output-")]
    assert len(cases) >= 3, sorted(p.name for p in INVALID.iterdir())
    for case in cases:
        root = case.materialise(tmp_path / case.name)
        for fmt in FORMATS:
            result = run("validate", "--root", str(root), "--no-base", "--format", fmt)
            assert result.exit_code == 1, (case.name, fmt, result.output)
            out = result.stdout
            if fmt == "markdown":
                markdown_is_inert(out)
            elif fmt == "github":
                commands = [parse_command(line) for line in out.splitlines() if is_command(line)]
                assert all(c[1].get("file", "records/").startswith("records/") for c in commands)
                assert all(c[0] in ("error", "warning") for c in commands)
            else:
                printed_text_is_inert(out)


# --- a silent skip is a visible note


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_skipped_versioning_run_is_a_note_in_every_format(tmp_path: Path, fmt: str) -> None:
    root = copy_valid(tmp_path / "not-a-checkout")
    result = run("validate", "--root", str(root), "--format", fmt)
    assert result.exit_code == 0
    out = result.stdout
    reason = "is not inside a git checkout"
    if fmt == "text":
        assert any(line.startswith("note: [versioning-skipped]") and reason in line for line in out.splitlines())
    elif fmt == "json":
        data = json.loads(out)
        assert data["versioning"] == {"checked": False, "base": None}
        assert data["notes"][0]["code"] == "versioning-skipped" and reason in data["notes"][0]["message"]
    elif fmt == "github":
        warnings = [parse_command(line) for line in out.splitlines() if line.startswith("::warning")]
        assert [(w[1]["title"], reason in w[2]) for w in warnings] == [("versioning-skipped", True)]
    else:
        assert "> **Note** (`versioning-skipped`)" in out and "is not inside a git checkout" in out


def test_require_base_fails_where_the_rules_cannot_run(tmp_path: Path) -> None:
    root = copy_valid(tmp_path / "copy")
    result = run("validate", "--root", str(root), "--require-base")
    assert result.exit_code == 1
    assert "--require-base: the versioning rules could not run" in result.stderr
    assert run("validate", "--root", str(root), "--require-base", "--no-base").exit_code == 2


def test_versioning_notes_name_the_reason(tmp_path: Path) -> None:
    # A checkout without a main branch (a fork's feature branch cloned alone), and one whose branch
    # shares no commit with main (what a shallow clone looks like to merge-base).
    repo = make_repo(tmp_path)
    git(repo, "branch", "-m", "main", "feature")
    data = json.loads(run("validate", "--root", str(repo), "--format", "json").stdout)
    assert data["versioning"]["checked"] is False
    assert "neither a branch main nor origin/main" in data["notes"][0]["message"]
    git(repo, "checkout", "-q", "--orphan", "main")
    commit_all(repo, "unrelated history")
    git(repo, "checkout", "-q", "feature")
    data = json.loads(run("validate", "--root", str(repo), "--format", "json").stdout)
    assert "HEAD has no commit in common with main" in data["notes"][0]["message"]
    git(repo, "checkout", "-q", "main")
    data = json.loads(run("validate", "--root", str(repo), "--format", "json").stdout)
    assert data["versioning"]["checked"] is True and data["notes"] == []


def test_versioning_notes_without_git_or_without_tracking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path)
    untracked = copy_valid(repo / "copy")  # a dataset inside a checkout that git does not track
    data = json.loads(run("validate", "--root", str(untracked), "--format", "json").stdout)
    assert "git does not track this dataset" in data["notes"][0]["message"]
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    data = json.loads(run("validate", "--root", str(repo), "--format", "json").stdout)
    assert data["versioning"]["checked"] is False
    assert data["notes"][0]["message"].startswith("the versioning rules were not run: git is not installed")
