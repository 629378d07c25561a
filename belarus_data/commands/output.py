"""Rendering a validation report for people (text), machines (JSON), GitHub (annotations) and Markdown.

Every format shows at most ``limit`` problems (default :data:`MAX_PROBLEMS`, in file and line order),
then how many more there are per problem code, so a table with a million broken rows cannot flood a
terminal, a CI log or a job summary. JSON still counts every problem (``problem_count``,
``problem_counts``, ``errors_omitted``: see :meth:`belarus_data.problems.Report.as_dict`). Every value
is escaped by the module for its kind of output (:mod:`belarus_data.escaping`), and every format
carries the report's notes (e.g. that the versioning rules could not run).
"""

from __future__ import annotations

import json

from belarus_data.escaping import github, markdown
from belarus_data.escaping.terminal import clip, inert, inert_json
from belarus_data.problems import MAX_SHOWN_CHARS, Problem, Report, counts_by_code

MAX_PROBLEMS = 1_000  # problems listed by default; the rest are counted per code
FORMATS = ("text", "json", "github", "markdown")
LEGEND = "Each line: file:line: [code] column: what is wrong (fix: what would be right)."


def _limited(problems: list[Problem], limit: int | None) -> tuple[list[Problem], dict[str, int]]:
    """The problems to list, and per code how many of the rest are only counted."""
    if limit is None or len(problems) <= limit:
        return problems, {}
    return problems[:limit], counts_by_code(problems[limit:])


def problem_lines(problems: list[Problem], limit: int | None = MAX_PROBLEMS) -> list[str]:
    """Text lines for ``problems`` (sorted by the caller): the first ``limit``, then one line per code of the rest.

    Shared by every command that prints problems (validate, fmt, new, the exports).
    """
    shown, rest = _limited(problems, limit)
    lines = [p.as_text() for p in shown]
    if rest:
        lines.append(f"... {sum(rest.values()):,} more problem(s) not shown, by code:")
        lines += [inert(f"  [{code}] {n:,} more") for code, n in rest.items()]
    return lines


def render(report: Report, fmt: str, limit: int | None = MAX_PROBLEMS) -> str:
    """``report`` in ``fmt`` (one of :data:`FORMATS`), listing at most ``limit`` problems (None: all)."""
    if fmt == "json":
        return inert_json(json.dumps(report.as_dict(limit), indent=2, ensure_ascii=False, default=str))
    if fmt == "github":
        return render_github(report, limit)
    if fmt == "markdown":
        return render_markdown(report, limit)
    return render_text(report, limit)


def github_annotation(problem: Problem) -> str:
    title = problem.code + (" " + problem.field if problem.field else "")
    text = clip(problem.message, MAX_SHOWN_CHARS) + (
        f" — fix: {clip(problem.hint, MAX_SHOWN_CHARS)}" if problem.hint else ""
    )
    return github.command("error", {"file": problem.file, "line": problem.line, "title": title}, text)


def render_github(report: Report, limit: int | None = MAX_PROBLEMS) -> str:
    errors = report.errors
    shown, rest = _limited(errors, limit)
    lines = [github_annotation(p) for p in shown]
    lines += [
        github.command("error", {"title": code}, f"{n:,} more problem(s) with code {code} not shown as annotations")
        for code, n in rest.items()
    ]
    lines += [github.command("warning", {"title": note.code}, note.message) for note in report.notes]
    if report.scope:
        lines.append(github.command("notice", {"title": "scope"}, report.scope))
    lines.append(
        inert(f"{len(errors):,} error(s) in {report.root}" if errors else f"valid: {sum(report.rows.values()):,} rows")
    )
    return "\n".join(lines)


def render_text(report: Report, limit: int | None = MAX_PROBLEMS) -> str:
    errors = report.errors
    lines = problem_lines(errors, limit)
    lines += [inert(f"note: [{note.code}] {note.message}") for note in report.notes]
    if report.scope:
        lines.append(inert(f"note: {report.scope}"))
    if not errors:
        lines.append(inert(f"✓ valid: {report.root}"))
        lines.extend(summary_lines(report))
    else:
        files = len({p.file for p in errors})
        lines.append(f"✗ {len(errors):,} problem(s) in {files:,} file(s). {LEGEND}")
    return "\n".join(lines)


def render_markdown(report: Report, limit: int | None = MAX_PROBLEMS) -> str:
    """A Markdown report (for ``$GITHUB_STEP_SUMMARY``): verdict, notes, a table of problems, the rest per code."""
    errors = report.errors
    shown, rest = _limited(errors, limit)
    if errors:
        files = len({p.file for p in errors})
        lines = [f"## Validation: ✗ {len(errors):,} problem(s) in {files:,} file(s)", ""]
    else:
        lines = [f"## Validation: ✓ valid ({sum(report.rows.values()):,} rows)", ""]
    lines += [f"> **Note** ({markdown.code(note.code)}): {markdown.text(note.message)}" for note in report.notes]
    if report.scope:
        lines.append(f"> **Scope**: {markdown.text(report.scope)}")
    if report.notes or report.scope:
        lines.append("")
    if shown:
        lines += ["| file | line | column | code | what is wrong (fix) |", "|---|---:|---|---|---|"]
        for p in shown:
            text = clip(p.message, MAX_SHOWN_CHARS) + (f" (fix: {clip(p.hint, MAX_SHOWN_CHARS)})" if p.hint else "")
            cells = [
                markdown.code(p.file, in_table=True),
                str(p.line) if p.line is not None else "",
                markdown.code(p.field, in_table=True) if p.field else "",
                markdown.code(p.code, in_table=True),
                markdown.text(text),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    if rest:
        lines += [
            f"{sum(rest.values()):,} more problem(s) not shown, by code:",
            "",
            "| code | not shown |",
            "|---|---:|",
        ]
        lines += [f"| {markdown.code(code, in_table=True)} | {n:,} |" for code, n in rest.items()]
        lines.append("")
    return "\n".join(lines)


def summary_lines(report: Report) -> list[str]:
    lines = []
    for name, entry in report.summary.get("tables", {}).items():
        details = [
            f"{k}: " + ", ".join(f"{code} {n}" for code, n in v.items())
            for k, v in entry.items()
            if isinstance(v, dict) and k != "record_status"
        ]
        status = entry.get("record_status", {})
        withdrawn = sum(n for code, n in status.items() if code != "active")
        lines.append(
            inert(
                f"  {name:<20} {entry['rows']:>8} rows ({withdrawn} withdrawn)"
                + ("; " + "; ".join(details) if details else "")
            )
        )
    dates = report.summary.get("event_dates")
    if dates:
        lines.append(inert(f"  events dated between {dates['earliest']} and {dates['latest']} (widest EDTF bounds)"))
    return lines
