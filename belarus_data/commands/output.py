"""Rendering a validation report for people (text), machines (JSON) and GitHub (annotations)."""

from __future__ import annotations

import json

from belarus_data.problems import Problem, Report


def _github_escape(value: str, *, property_value: bool = False) -> str:
    # GitHub workflow-command escaping: % first, then CR/LF (and ':' ',' in properties).
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_annotation(problem: Problem) -> str:
    props = [f"file={_github_escape(problem.file, property_value=True)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
    props.append(
        f"title={_github_escape(problem.code + (' ' + problem.field if problem.field else ''), property_value=True)}"
    )
    text = problem.message + (f" — fix: {problem.hint}" if problem.hint else "")
    return f"::error {','.join(props)}::{_github_escape(text)}"


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str)
    if fmt == "github":
        lines = [github_annotation(p) for p in report.errors]
        lines.append(
            f"{len(report.errors)} error(s) in {report.root}"
            if not report.ok
            else f"valid: {sum(report.rows.values())} rows"
        )
        return "\n".join(lines)
    return render_text(report)


def render_text(report: Report) -> str:
    lines = [p.as_text() for p in report.errors]
    if report.scope:
        lines.append(f"note: {report.scope}")
    if report.ok:
        lines.append(f"✓ valid: {report.root}")
        lines.extend(summary_lines(report))
    else:
        files = len({p.file for p in report.errors})
        lines.append(
            f"✗ {len(report.errors)} problem(s) in {files} file(s). Each line: file:line: [code] column: what is wrong (fix: what would be right)."
        )
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
            f"  {name:<20} {entry['rows']:>8} rows ({withdrawn} withdrawn)"
            + ("; " + "; ".join(details) if details else "")
        )
    dates = report.summary.get("event_dates")
    if dates:
        lines.append(f"  events dated between {dates['earliest']} and {dates['latest']} (widest EDTF bounds)")
    return lines
