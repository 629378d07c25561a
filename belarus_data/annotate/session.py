"""One curation session: the source on the page, drafts built from the form, checked and saved.

Drafts are checked by :func:`belarus_data.validation.validate` on a scratch copy (:mod:`.overlay`),
so the page shows exactly the problems ``validate`` would report. New records are saved through
``new``'s own functions (:func:`~belarus_data.commands.scaffold.build_record`,
:func:`~belarus_data.commands.scaffold.write_record`); an edited record replaces its line, with its
version raised once against the published (base) version and ``updated`` set to today.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from belarus_data import vocab
from belarus_data.annotate.aliases import ActorIndex
from belarus_data.annotate.overlay import Row, key_of, lines_of, replace_record, scratch_copy, write_draft
from belarus_data.annotate.timephrase import suggest
from belarus_data.checks.curation import INNER_BOUNDARY
from belarus_data.commands.scaffold import (
    PREFIXES,
    ScaffoldError,
    build_record,
    find_quote,
    random_id,
    slugify,
    write_record,
)
from belarus_data.models import integers
from belarus_data.problems import Problem
from belarus_data.storage.paths import UnsafePath, inside
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.sourcetexts import UnreadableText, read_regular
from belarus_data.storage.tables import Table, table

LIFECYCLE = ("version", "created", "updated", "record_status", "status_reason", "superseded_by")
QUOTE_FIELDS = ("quote", "start", "end", "prefix", "suffix")
# The form's choices, with each code's meaning shown beside it.
CHOICES = {
    name: vocab.ALL[name]
    for name in ("claim_type", "modality", "attribution", "resolution", "event_type", "event_status", "record_status")
} | {
    "mode": vocab.EVENT_MODE,
    "context": vocab.EVENT_CONTEXT,
    "role": vocab.PARTICIPANT_ROLE,
    "redistribution": vocab.REDISTRIBUTION,
    "time_precision": vocab.TIME_PRECISION,
    "geo_precision": vocab.GEO_PRECISION,
}


class SessionError(ValueError):
    """The session cannot start (unknown source, unreadable text); the message says what to do."""


@dataclass
class FormProblem:
    """A problem for the page: the form field it belongs to, and ``validate``'s own words."""

    field: str
    text: str
    code: str
    message: str
    hint: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "text": self.text, "code": self.code, "message": self.message, "hint": self.hint}


def _local(field: str, text: str) -> FormProblem:
    """A problem the form finds before any row exists (e.g. nothing selected yet)."""
    return FormProblem(field, f"{field}: {text}", "form", text, "")


@dataclass
class Draft:
    """The rows one save would write, each with the form prefix of its fields."""

    rows: list[tuple[Table, Row, str, tuple[str, ...] | None]] = field(default_factory=list)
    problems: list[FormProblem] = field(default_factory=list)
    resolved: dict[str, str] = field(default_factory=dict)
    suggestions: dict[str, str] = field(default_factory=dict)
    quote: dict[str, Any] = field(default_factory=dict)
    text_bytes: bytes | None = None
    claim_values: dict[str, str] = field(default_factory=dict)
    event_values: dict[str, str] | None = None
    occurrence: int | None = None


def _clean(values: Any) -> dict[str, str]:
    if not isinstance(values, dict):
        return {}
    return {str(k): str(v).strip() if k not in ("statement", "notes") else str(v) for k, v in values.items() if v}


def _read_text(path: Path) -> str:
    try:
        return read_regular(path).decode("utf-8")
    except UnreadableText as err:
        raise SessionError(f"{path}: {err}") from None
    except UnicodeDecodeError:
        raise SessionError(f"{path}: not UTF-8; save the text as UTF-8 first") from None


class Session:
    """The state of one ``annotate`` run: a source (or a text file to start one) under a dataset root."""

    def __init__(self, root: Path, source_id: str | None = None, text_file: Path | None = None) -> None:
        self.root = root
        self.lock = threading.Lock()
        self.text_file = text_file
        self.source_id = source_id
        self._baseline: set[tuple[str, str | None, str, str]] | None = None
        if source_id is None and text_file is None:
            raise SessionError("give a source ID (src-…) or a text file to start a new source from")
        self.reload()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        """Read the tables (again, after a save)."""
        snapshot = Snapshot.of_tree(self.root)
        self.tables = {name: snapshot.tables[name].to_pylist() for name in snapshot.tables}
        self.actors = ActorIndex(self.tables["actors"], self.tables["actor_aliases"])
        if self.source_id is not None:
            found = [r for r in self.tables["sources"] if r.get("id") == self.source_id]
            if not found:
                raise SessionError(
                    f"{self.source_id} is not in records/sources.csv; give an existing source ID or a text file"
                )
            self.source: Row = found[0]
            relative = str(self.source.get("text_path") or "")
            try:
                path = inside(self.root / "records", relative)
            except UnsafePath as err:
                raise SessionError(f"{self.source_id}: {err}") from None
            self.text = _read_text(path)
        else:
            assert self.text_file is not None
            self.source = {}
            self.text = _read_text(self.text_file)

    def state(self) -> dict[str, Any]:
        """Everything the page shows: text, sentence starts, claims, choices, events, actors."""
        claims = [r for r in self.tables["claims"] if r.get("source_id") == self.source_id] if self.source_id else []
        starts = [0] + [m.end() for m in INNER_BOUNDARY.finditer(self.text)]
        return {
            "mode": "claim" if self.source_id else "source",
            "source": self.source,
            "source_id": self.source_id,
            "text": self.text,
            "text_file": str(self.text_file) if self.text_file else None,
            "sentences": starts,
            "claims": claims,
            "choices": CHOICES,
            "events": [
                {k: r.get(k) for k in ("id", "event_type", "description", "date_edtf", "record_status")}
                for r in self.tables["events"]
            ],
            "participants": self.tables["event_participants"],
            "actors": [{"id": n.actor_id, "name": n.name, "label": n.label, "kind": n.kind} for n in self.actors.names],
            "descriptions": {
                spec: {c: table(spec).description_of(c) for c in table(spec).columns}
                for spec in ("claims", "events", "sources")
            },
        }

    # ------------------------------------------------------------------ drafts
    def _actor(self, draft: Draft, form_field: str, value: str | None) -> str | None:
        """An actor ID for what was typed: an ID, a name or any alias; a form problem if none or several."""
        if not value:
            return None
        found = self.actors.resolve(value)
        if len(found) == 1:
            if found[0] != value:
                draft.resolved[form_field] = found[0]
            return found[0]
        if found:
            names = ", ".join(f"{i} ({self.actors.preferred[i]})" for i in found)
            draft.problems.append(_local(form_field, f"{value!r} names several actors: {names}; choose one ID"))
        else:
            near = ", ".join(f"{n.label} → {n.actor_id}" for n in self.actors.search(value, 5))
            hint = f"; did you mean {near}?" if near else "; add the actor first (belarus-data new actor)"
            draft.problems.append(_local(form_field, f"no actor is called {value!r}{hint}"))
        return value

    def _lifecycle(self, today: str) -> Row:
        return {"version": "1", "created": today, "updated": today, "record_status": "active"}

    def _edit(self, spec: Table, edit_id: str, values: dict[str, str], today: str) -> tuple[Row, tuple[str, ...]]:
        """The edited row: the old one with the form's values, version raised once against the base."""
        rows = [r for r in self.tables[spec.name] if r.get("id") == edit_id]
        if not rows:
            raise ScaffoldError([f"{edit_id} is not in {spec.path}"])
        old: Row = {c: rows[0].get(c) for c in spec.columns}
        row = dict(old)
        for name in spec.columns:
            # The quote and its offsets come only from a new selection (see _quote), never from the form.
            if name in ("id", "version", "created", "updated", "source_id", *QUOTE_FIELDS):
                continue
            if name in values or name in ("status_reason", "superseded_by"):
                row[name] = values.get(name) or None
        if row == old:
            raise ScaffoldError([f"{edit_id}: nothing changed"])
        published = self._published_version(spec, edit_id)
        if published is not None:
            row["version"] = str(published + 1)
            row["updated"] = today
        return row, key_of(spec, old)

    def _published_version(self, spec: Table, record_id: str) -> int | None:
        """The record's version where it was published: the base revision in git, else the file as it is."""
        from belarus_data.history.git import find_base
        from belarus_data.history.revision import snapshot_at

        base, _ = find_base(self.root)
        if base is None:
            current = [r for r in self.tables[spec.name] if r.get("id") == record_id]
            return integers.parse_or_none(current[0].get("version")) if current else None
        with snapshot_at(self.root, base) as published:
            at_base = [r for r in published.tables[spec.name].to_pylist() if r.get("id") == record_id]
        return integers.parse_or_none(at_base[0].get("version")) if at_base else None

    def _quote(self, draft: Draft, values: dict[str, str], row: Row) -> None:
        """The quote, offsets, prefix and suffix from the selection's code-point offsets (never typed)."""
        start, end = integers.parse_or_none(values.get("start")), integers.parse_or_none(values.get("end"))
        if start is None or end is None:
            if row.get("quote"):
                return  # an edit that keeps its quote
            draft.problems.append(_local("quote", "select the quote's words in the text"))
            return
        start, end = max(0, min(start, len(self.text))), max(0, min(end, len(self.text)))
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end:
            draft.problems.append(_local("quote", "select the quote's words in the text"))
            return
        quote = self.text[start:end]
        occurrence, at = 0, self.text.find(quote)
        while 0 <= at <= start:
            occurrence += 1
            at = self.text.find(quote, at + 1)
        match = find_quote(self.text, quote, occurrence)
        draft.occurrence = occurrence
        row.update(
            {"quote": quote, "start": str(match.start), "end": str(match.end)}
            | {"prefix": match.prefix, "suffix": match.suffix}
        )
        draft.quote = {"quote": quote, "start": match.start, "end": match.end}
        draft.quote |= {"prefix": match.prefix or "", "suffix": match.suffix or ""}

    def draft(self, payload: dict[str, Any], today: dt.date | None = None) -> Draft:
        """The rows the form describes (not written), with what was resolved or suggested on the way."""
        day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
        draft = Draft()
        values = _clean(payload.get("fields"))
        if self.source_id is None:
            self._draft_source(draft, values, day)
            return draft
        spec = table("claims")
        edit_id = payload.get("edit_id") or None
        for name in ("asserted_by",):
            if name in values:
                values[name] = self._actor(draft, name, values[name]) or ""
        if values.get("time_phrase") and not values.get("time_anchor") and self.source.get("published"):
            values["time_anchor"] = str(self.source["published"])
            draft.resolved["time_anchor"] = values["time_anchor"]
        if values.get("time_phrase") and values.get("time_anchor"):
            suggestion = suggest(values["time_phrase"], values["time_anchor"])
            if suggestion:
                draft.suggestions["time_edtf"] = suggestion
        given = payload.get("event")
        event: dict[str, Any] = given if isinstance(given, dict) else {}
        choice = str(event.get("choice") or "")
        if choice == "new":
            self._draft_event(draft, event, day)
            values["event_id"] = str(draft.rows[0][1]["id"])
        elif choice:
            values["event_id"] = choice
        else:
            values.pop("event_id", None)
        if edit_id:
            row, old_key = self._edit(spec, str(edit_id), values, day)
            self._quote(draft, values, row)
            if row.get("claim_type") == "prediction" and not row.get("resolution"):
                row["resolution"] = "open"
            draft.rows.append((spec, row, "", old_key))
        else:
            taken = {str(r.get("id")) for r in self.tables["claims"]}
            row = dict.fromkeys(spec.columns) | self._lifecycle(day) | {"id": random_id(PREFIXES["claims"], taken)}
            if values.get("claim_type") == "prediction":
                row["resolution"] = "open"  # as `new` does: a prediction starts open
            # A new record's lifecycle, ID and quote are never taken from the form (as `new` refuses --set of them).
            kept = {k: v for k, v in values.items() if k in spec.columns and k not in (*QUOTE_FIELDS, *LIFECYCLE, "id")}
            row.update(kept | {"source_id": self.source_id})
            self._quote(draft, values, row)
            draft.rows.append((spec, row, "", None))
        draft.claim_values = {
            k: str(v) for k, v in row.items() if v and k not in (*QUOTE_FIELDS, *LIFECYCLE, "id", "event_id")
        }
        if row.get("event_id") and choice != "new":
            draft.claim_values["event_id"] = str(row["event_id"])
        return draft

    def _draft_event(self, draft: Draft, event: dict[str, Any], day: str) -> None:
        spec = table("events")
        values = _clean(event.get("fields"))
        taken = {str(r.get("id")) for r in self.tables["events"]}
        row = dict.fromkeys(spec.columns) | {k: v for k, v in values.items() if k in spec.columns}
        row |= self._lifecycle(day) | {"id": random_id(PREFIXES["events"], taken), "status_reason": None}
        if row.get("date_phrase") and not row.get("date_anchor") and self.source.get("published"):
            row["date_anchor"] = str(self.source["published"])
            draft.resolved["event.date_anchor"] = str(row["date_anchor"])
        if row.get("date_phrase") and row.get("date_anchor"):
            suggestion = suggest(str(row["date_phrase"]), str(row["date_anchor"]))
            if suggestion:
                draft.suggestions["event.date_edtf"] = suggestion
        draft.rows.append((spec, row, "event.", None))
        draft.event_values = {k: str(v) for k, v in row.items() if v and k not in (*LIFECYCLE, "id")}
        participants = table("event_participants")
        given = event.get("participants")
        for number, item in enumerate(given if isinstance(given, list) else []):
            cells = _clean(item)
            if not cells.get("actor_id") and not cells.get("role"):
                continue
            prefix = f"participant.{number}."
            actor = self._actor(draft, prefix + "actor_id", cells.get("actor_id"))
            part = dict.fromkeys(participants.columns) | {k: v for k, v in cells.items() if k in participants.columns}
            part |= self._lifecycle(day) | {"event_id": row["id"], "actor_id": actor}
            draft.rows.append((participants, part, prefix, None))

    def _draft_source(self, draft: Draft, values: dict[str, str], day: str) -> None:
        assert self.text_file is not None
        spec = table("sources")
        if "outlet_actor_id" in values:
            values["outlet_actor_id"] = self._actor(draft, "outlet_actor_id", values["outlet_actor_id"]) or ""
        data = self.text.encode("utf-8")
        taken = {str(r.get("id")) for r in self.tables["sources"]}
        slug = slugify(values.get("title", ""), 60)
        new_id = f"{PREFIXES['sources']}-{slug}" if slug else ""
        if not new_id:
            draft.problems.append(_local("title", "missing; the source's ID is made from it"))
        elif new_id in taken:
            draft.problems.append(_local("title", f"{new_id} already exists: if it is the same source, annotate it"))
        row = dict.fromkeys(spec.columns) | {k: v for k, v in values.items() if k in spec.columns}
        row |= self._lifecycle(day) | {"id": new_id or "src-untitled", "retrieved": day}
        row |= {
            "text_path": f"texts/{(new_id or 'src-untitled').removeprefix('src-')}.txt",
            "text_sha256": hashlib.sha256(data).hexdigest(),
            "text_length": str(len(self.text)),
        }
        draft.text_bytes = data
        draft.rows.append((spec, row, "", None))
        draft.claim_values = {k: v for k, v in values.items() if k in spec.columns}
        draft.resolved |= {k: str(row[k]) for k in ("id", "text_path", "text_sha256", "text_length")}

    # ------------------------------------------------------------------ checking
    def _baseline_problems(self) -> set[tuple[str, str | None, str, str]]:
        if self._baseline is None:
            from belarus_data.validation import validate

            self._baseline = {(p.file, p.field, p.code, p.message) for p in validate(self.root).problems}
        return self._baseline

    def check(self, draft: Draft) -> list[FormProblem]:
        """Every problem ``validate`` reports on the draft's rows once they are in the dataset."""
        from belarus_data.storage.generated import write_generated
        from belarus_data.validation import validate

        if not draft.rows:
            return list(draft.problems)
        with scratch_copy(self.root) as copy:
            for spec, row, _, replaces in draft.rows:
                try:
                    if spec.name == "sources" and draft.text_bytes is not None:
                        write_record(copy, spec, row, draft.text_bytes)
                        write_generated(copy)
                    else:
                        write_draft(copy, spec, row, replaces=replaces)
                except ScaffoldError as err:
                    return [*draft.problems, *(_local("", p) for p in err.problems)]
            report = validate(copy)
            where: dict[tuple[str, int], str] = {}
            for spec, row, prefix, _ in draft.rows:
                for line in lines_of(copy, spec, {key_of(spec, row)}):
                    where[(spec.path, line)] = prefix
        baseline = self._baseline_problems()
        found = list(draft.problems)
        for problem in report.errors:
            located = where.get((problem.file, problem.line or 0))
            if located is None:
                # Not on a draft's line: shown only if it concerns a whole file and is new.
                if problem.line is not None or (problem.file, problem.field, problem.code, problem.message) in baseline:
                    continue
                located = ""
            found.append(_form_problem(located, problem))
        return found

    # ------------------------------------------------------------------ saving
    def save(self, draft: Draft) -> list[str]:
        """Write the draft's rows (after :meth:`check` found nothing); returns the IDs written."""
        from belarus_data.storage.generated import write_generated

        written: list[str] = []
        claim_values = dict(draft.claim_values)
        event_id = ""
        for spec, row, _, replaces in draft.rows:
            if replaces is not None:
                if event_id:  # the edited claim links the event just created (its ID drawn on saving)
                    row = row | {"event_id": event_id}
                replace_record(self.root, spec, row, replaces)
                written.append(str(row["id"]))
            elif spec.name == "sources":
                assert self.text_file is not None
                spec, built, text_bytes = build_record(
                    self.root, "source", draft.claim_values, text_file=self.text_file
                )
                write_record(self.root, spec, built, text_bytes)
                write_generated(self.root)
                self.source_id, self.text_file = str(built["id"]), None
                written.append(str(built["id"]))
            elif spec.name == "events":
                assert draft.event_values is not None
                spec, built, _ = build_record(self.root, "event", draft.event_values)
                write_record(self.root, spec, built)
                claim_values["event_id"] = str(built["id"])
                event_id = str(built["id"])
                written.append(event_id)
            elif spec.name == "event_participants":
                write_record(self.root, spec, row | {"event_id": event_id})
            else:
                spec, built, _ = build_record(
                    self.root, "claim", claim_values, quote=str(row["quote"]), occurrence=draft.occurrence
                )
                write_record(self.root, spec, built)
                written.append(str(built["id"]))
        self._baseline = None
        self.reload()
        return written


def _form_problem(prefix: str, problem: Problem) -> FormProblem:
    return FormProblem(prefix + (problem.field or ""), problem.as_text(), problem.code, problem.message, problem.hint)
