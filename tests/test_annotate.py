"""`belarus-data annotate` without a browser: the server's guards over real HTTP, and the session's
drafts, live check (validate's own messages) and saves on a copy of the dataset."""

from __future__ import annotations

import http.client
import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from annotating import (
    ASTRAL_QUOTE,
    ASTRAL_TEXT,
    SEED,
    TOKEN,
    add_astral_source,
    copy_dataset,
    rows_of,
    serving,
)
from click.testing import CliRunner
from conftest import today

from belarus_data import validate
from belarus_data.annotate.aliases import fold
from belarus_data.annotate.app import Server
from belarus_data.annotate.session import Session, SessionError
from belarus_data.annotate.timephrase import suggest
from belarus_data.cli import main
from belarus_data.dates.edtf import stated
from belarus_data.dates.phrases import allowed, within


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path / "dataset")


def request(
    server: Server, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    sent = {"Host": f"127.0.0.1:{server.port}"} | (headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    answer = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    connection.close()
    return answer


def claim_fields(text: str, quote: str, **values: str) -> dict[str, Any]:
    start = text.index(quote)
    fields = {
        "start": str(start),
        "end": str(start + len(quote)),
        "asserted_by": "Minsk",
        "attribution": "cited",
        "claim_type": "report",
        "modality": "reported",
        "statement": "Belarusian officials describe the flights as training only.",
    }
    return {"fields": fields | values, "event": {"choice": ""}}


# ------------------------------------------------------------------ the guards, over HTTP
def test_page_needs_the_token(dataset: Path) -> None:
    with serving(dataset, SEED) as server:
        status, headers, body = request(server, "GET", f"/?token={TOKEN}")
        assert status == 200 and b'data-testid="source-text"' in body
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "no-referrer"
        for path in ("/", "/?token=wrong", "/api/state", f"/api/state?token={TOKEN[:-1]}"):
            status, _, body = request(server, "GET", path)
            assert status == 403, path
            assert b"token" in body
        status, _, _ = request(server, "GET", "/api/state", headers={"X-Annotate-Token": TOKEN})
        assert status == 200


def test_other_host_headers_are_refused(dataset: Path) -> None:
    with serving(dataset, SEED) as server:
        for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1", f"127.0.0.1.nip.io:{server.port}"):
            status, _, body = request(server, "GET", f"/?token={TOKEN}", headers={"Host": host})
            assert status == 421, host
            assert b"Host" in body
        status, _, _ = request(server, "GET", f"/?token={TOKEN}", headers={"Host": f"localhost:{server.port}"})
        assert status == 200


def test_cross_site_posts_are_refused(dataset: Path) -> None:
    text = (dataset / "records" / "texts" / "minsk-compensate-defence-cooperation.txt").read_text(encoding="utf-8")
    payload = claim_fields(text, "the red line")
    before = (dataset / "records" / "claims.csv").read_bytes()
    with serving(dataset, SEED) as server:
        refused = [
            {"Origin": "http://evil.example"},
            {"Origin": f"http://127.0.0.1:{server.port + 1}"},
            {"Origin": "null"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site"},
        ]
        for headers in refused:
            status, _, _ = request(server, "POST", f"/api/save?token={TOKEN}", body=payload, headers=headers)
            assert status == 403, headers
        # A form post (text/plain) needs no preflight: refused too.
        status, _, _ = request(
            server, "POST", f"/api/save?token={TOKEN}", body=payload, headers={"Content-Type": "text/plain"}
        )
        assert status == 415
        status, _, _ = request(server, "POST", "/api/save?token=nope", body=payload)
        assert status == 403
        assert (dataset / "records" / "claims.csv").read_bytes() == before
        status, _, body = request(
            server,
            "POST",
            f"/api/check?token={TOKEN}",
            body=payload,
            headers={"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"},
        )
        assert status == 200 and json.loads(body)["quote"]["quote"] == "the red line"


def test_binds_only_the_loopback_address(dataset: Path) -> None:
    with serving(dataset, SEED) as server:
        assert server.sock.getsockname()[0] == "127.0.0.1"
        assert server.url.startswith(f"http://127.0.0.1:{server.port}/?token=")
        # 127.0.0.2 is this machine too, but not the address bound.
        with pytest.raises(OSError), socket.create_connection(("127.0.0.2", server.port), timeout=5):
            pass
        with socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass


def test_tokens_differ_per_run() -> None:
    from belarus_data.annotate.security import new_token

    tokens = {new_token() for _ in range(5)}
    assert len(tokens) == 5 and all(len(t) >= 40 for t in tokens)


# ------------------------------------------------------------------ the session
def test_astral_quote_saved_with_code_point_offsets(dataset: Path) -> None:
    source_id = add_astral_source(dataset)
    session = Session(dataset, source_id=source_id)
    text = ASTRAL_TEXT.read_text(encoding="utf-8")
    draft = session.draft(claim_fields(text, ASTRAL_QUOTE))
    assert session.check(draft) == []
    assert draft.resolved == {"asserted_by": "act-blr-gov"}  # found by the metonym "Minsk"
    saved = session.save(draft)
    rows = [r for r in rows_of(dataset, "claims") if r["id"] == saved[0]]
    assert len(rows) == 1
    row = rows[0]
    start = text.index(ASTRAL_QUOTE)
    assert start != text.encode("utf-16-le").index(ASTRAL_QUOTE.encode("utf-16-le")) // 2
    assert (row["quote"], row["start"], row["end"]) == (ASTRAL_QUOTE, str(start), str(start + len(ASTRAL_QUOTE)))
    assert (
        row["prefix"] == text[start - 32 : start] and row["suffix"] == text[start + len(ASTRAL_QUOTE) :].rstrip()[:32]
    )
    assert (row["version"], row["created"], row["updated"], row["record_status"]) == ("1", today(), today(), "active")
    assert row["asserted_by"] == "act-blr-gov"
    assert validate(dataset).ok


def test_selection_is_trimmed_of_white_space(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    start = session.text.index("the red line")
    payload = claim_fields(session.text, "the red line")
    payload["fields"] |= {"start": str(start - 1), "end": str(start + len("the red line") + 1)}
    draft = session.draft(payload)
    assert draft.quote["quote"] == "the red line"


def test_a_later_occurrence_keeps_its_own_offsets(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    first = session.text.index("Minsk")
    second = session.text.index("Minsk", first + 1)
    payload = claim_fields(session.text, "Minsk")
    payload["fields"] |= {"start": str(second), "end": str(second + 5)}
    draft = session.draft(payload)
    assert (draft.quote["start"], draft.occurrence) == (second, 2)
    assert draft.quote["prefix"] and session.text[:second].endswith(draft.quote["prefix"])


def test_a_new_claim_ignores_forged_lifecycle_and_quote_fields(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    forged = {"id": "clm-forged00", "version": "7", "created": "2000-01-01", "record_status": "retracted"}
    forged |= {"quote": "typed words", "prefix": "typed", "source_id": "src-other"}
    payload = claim_fields(session.text, "the red line")
    payload["fields"] |= forged
    draft = session.draft(payload)
    _, row, _, _ = draft.rows[0]
    assert row["id"] != "clm-forged00" and str(row["id"]).startswith("clm-")
    assert (row["version"], row["created"], row["record_status"], row["status_reason"]) == (
        "1",
        today(),
        "active",
        None,
    )
    assert (row["quote"], row["source_id"]) == ("the red line", SEED)
    assert session.check(draft) == []


def test_odd_payloads_are_problems_not_errors(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    for payload in (
        {},
        {"fields": ["not", "a", "dict"]},
        {"fields": {"start": "-5", "end": "99999999999"}, "event": {"choice": "new", "participants": 7}},
        {"fields": {"start": "١٢", "end": "٢٠"}, "event": "x"},
    ):
        problems = session.check(session.draft(payload))
        assert problems and all(p.text for p in problems), payload


def test_check_gives_validates_message_and_save_refuses(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    before = (dataset / "records" / "claims.csv").read_bytes()
    draft = session.draft(claim_fields(session.text, "the red line", horizon="2017"))
    problems = session.check(draft)
    assert [(p.field, p.code) for p in problems] == [("horizon", "prediction-fields")]
    assert "horizon/resolution are for predictions only" in problems[0].text
    assert problems[0].text.startswith("records/claims.csv:")
    # The same row written by hand gets the same message from `validate`.
    from belarus_data.annotate.overlay import write_draft

    spec, row, _, _ = draft.rows[0]
    write_draft(dataset, spec, row)
    reported = [p for p in validate(dataset).problems if p.code == "prediction-fields"]
    assert [p.as_text() for p in reported] == [problems[0].text]
    (dataset / "records" / "claims.csv").write_bytes(before)
    with serving(dataset, SEED) as server:
        status, _, body = request(
            server,
            "POST",
            f"/api/save?token={TOKEN}",
            body=claim_fields(session.text, "the red line", horizon="2017"),
        )
        answer = json.loads(body)
    assert status == 200 and answer["saved"] == [] and answer["problems"][0]["code"] == "prediction-fields"
    assert (dataset / "records" / "claims.csv").read_bytes() == before


def test_missing_selection_and_unknown_actor_are_named(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    payload = claim_fields(session.text, "the red line", asserted_by="Lukashenkko")
    del payload["fields"]["start"]
    problems: dict[str, str] = {}
    for problem in session.check(session.draft(payload)):
        problems[problem.field] = problems.get(problem.field, "") + problem.text
    assert "select the quote" in problems["quote"]
    assert "no actor is called 'Lukashenkko'" in problems["asserted_by"]


@pytest.mark.parametrize(
    ("typed", "actor"),
    [("Minsk", "act-blr-gov"), ("Лукашэнка", "act-lukashenka"), ("lukashenko", "act-lukashenka")],
)
def test_actors_found_by_any_alias(dataset: Path, typed: str, actor: str) -> None:
    session = Session(dataset, source_id=SEED)
    assert session.actors.resolve(typed) == [actor]
    assert actor in {n.actor_id for n in session.actors.search(typed[:4])}


def test_new_event_with_participants_is_linked(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    payload = claim_fields(session.text, "the red line")
    payload["event"] = {
        "choice": "new",
        "fields": {"event_type": "CONSULT", "event_status": "occurred", "description": "Officials met."},
        "participants": [{"actor_id": "Лукашэнка", "role": "initiator"}, {"actor_id": "", "role": ""}],
    }
    draft = session.draft(payload)
    assert session.check(draft) == []
    saved = session.save(draft)
    event_id, claim_id = saved
    assert [r["event_id"] for r in rows_of(dataset, "claims") if r["id"] == claim_id] == [event_id]
    parts = [r for r in rows_of(dataset, "event_participants") if r["event_id"] == event_id]
    assert [(p["actor_id"], p["role"], p["version"]) for p in parts] == [("act-lukashenka", "initiator", "1")]
    assert validate(dataset).ok


def test_edit_linking_a_new_event(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    first = rows_of(dataset, "claims")[0]
    fields = {k: first[k] for k in ("asserted_by", "attribution", "claim_type", "modality", "statement", "tags")}
    event = {"choice": "new", "fields": {"event_type": "CONSULT", "event_status": "occurred", "description": "Met."}}
    draft = session.draft({"edit_id": first["id"], "fields": fields, "event": event})
    assert session.check(draft) == []
    event_id, claim_id = session.save(draft)
    assert claim_id == first["id"]
    assert [r["event_id"] for r in rows_of(dataset, "claims") if r["id"] == claim_id] == [event_id]
    assert validate(dataset).ok


def test_edit_raises_version_once_and_withdraw_needs_a_reason(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    first = rows_of(dataset, "claims")[0]
    edit = {"edit_id": first["id"], "fields": {"statement": first["statement"] + " (edited)"}, "event": {}}
    for field in ("asserted_by", "attribution", "claim_type", "modality", "tags", "notes"):
        edit["fields"][field] = first[field]
    draft = session.draft(edit)
    assert session.check(draft) == []
    session.save(draft)
    row = next(r for r in rows_of(dataset, "claims") if r["id"] == first["id"])
    published = int(first["version"])
    assert (row["version"], row["updated"], row["created"]) == (str(published + 1), today(), first["created"])
    assert (row["quote"], row["start"], row["end"]) == (first["quote"], first["start"], first["end"])
    # Withdrawing without a reason: validate's lifecycle rule.
    edit["fields"] |= {"record_status": "retracted"}
    problems = session.check(session.draft(edit))
    assert [p.code for p in problems] == ["lifecycle-reason"]
    edit["fields"] |= {"status_reason": "The quote does not support the claim."}
    session.save(session.draft(edit))
    row = next(r for r in rows_of(dataset, "claims") if r["id"] == first["id"])
    # Still one version above the published one (the copy is not in git: the file is what was published).
    assert (row["version"], row["record_status"]) == (str(published + 2), "retracted")


def test_new_source_from_a_text_file(dataset: Path) -> None:
    session = Session(dataset, text_file=ASTRAL_TEXT)
    assert session.state()["mode"] == "source"
    fields = {
        "title": "Air force drills near Minsk",
        "outlet": "Test outlet",
        "url": "https://example.org/astral",
        "language": "en",
        "redistribution": "yes",
    }
    draft = session.draft({"fields": fields})
    assert session.check(draft) == []
    import hashlib

    data = ASTRAL_TEXT.read_bytes()
    assert draft.resolved["text_sha256"] == hashlib.sha256(data).hexdigest()
    assert draft.resolved["text_length"] == str(len(data.decode("utf-8")))
    saved = session.save(draft)
    assert saved == ["src-air-force-drills-near-minsk"]
    assert session.state()["mode"] == "claim" and session.source_id == saved[0]
    assert (dataset / "records" / "texts" / "air-force-drills-near-minsk.txt").read_bytes() == data
    assert validate(dataset).ok
    problems = Session(dataset, text_file=ASTRAL_TEXT).check(
        Session(dataset, text_file=ASTRAL_TEXT).draft({"fields": fields})
    )
    assert "already exists" in problems[0].text


def test_time_phrase_gets_anchor_and_suggestion(dataset: Path) -> None:
    session = Session(dataset, source_id=SEED)
    draft = session.draft(claim_fields(session.text, "the red line", time_phrase="in mid-June"))
    assert draft.resolved["time_anchor"] == session.source["published"]
    assert draft.suggestions["time_edtf"] == "2016-06-11/2016-06-20"  # June in every year the anchor allows


@pytest.mark.parametrize(
    ("phrase", "anchor", "expected"),
    [
        ("mid-June", "2016-07-01", "2016-06-11/2016-06-20"),
        ("earlier this month", "2016-06-21?/2016-08?", "2016-06-01?/2016-08-30?"),
        ("earlier this month", "2016-06-21/2016-07-03", "2016-06-01/2016-07-02"),
        ("last year", "2016", "2015"),
        ("next month", "2016-12-05", "2017-01"),
        ("last week", "2016-06-22", "2016-06-13/2016-06-19"),
        ("yesterday", "2016-03-01", "2016-02-29"),
        ("in August 2015", "2016", "2015-08"),
        ("some day", "2016", None),
        ("this month", "not a date", None),
    ],
)
def test_time_suggestions(phrase: str, anchor: str, expected: str | None) -> None:
    assert suggest(phrase, anchor) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "earlier this month",
        "later this month",
        "last week",
        "this year",
        "earlier this year",
        "mid-June",
        "in August-September this year",
        "late May",
        "next month",
        "now",
    ],
)
@pytest.mark.parametrize("anchor", ["2016-06-21/2016-07-03", "2016-07-01", "2016-12-30/2017-01-02"])
def test_every_suggestion_passes_the_validators_phrase_rule(phrase: str, anchor: str) -> None:
    # The form and validate read phrases from one table: what the page suggests, validate accepts.
    anchor_bounds = stated(anchor)
    assert anchor_bounds is not None
    intervals = allowed(phrase, anchor_bounds.earliest, anchor_bounds.latest)
    assert intervals is not None
    value = suggest(phrase, anchor)
    if value is None:
        # Only where no single non-empty interval exists: an empty one, or a month in either of two years.
        lo, hi = anchor_bounds.earliest, anchor_bounds.latest
        assert lo is not None and hi is not None
        usable = [i for i in intervals if i[0] and i[1] and i[0] <= i[1] and lo.year <= i[0].year <= hi.year]
        assert len(usable) != 1, (phrase, anchor, intervals)
        return
    value_bounds = stated(value)
    assert value_bounds is not None
    assert within((value_bounds.earliest, value_bounds.latest), intervals), (value, intervals)


def test_fold_matches_across_apostrophes_and_accents() -> None:
    assert fold("Lukashénka’s") == fold("LUKASHENKA's")
    assert fold("Лукашэнка") != fold("Лукашенка")


def test_command_refuses_unknown_targets(dataset: Path) -> None:
    result = CliRunner().invoke(main, ["annotate", "--root", str(dataset), "--no-browser", "src-nope"])
    assert result.exit_code == 1 and "src-nope is not in records/sources.csv" in result.output
    result = CliRunner().invoke(main, ["annotate", "--root", str(dataset), "--no-browser", "no-such-file.txt"])
    assert result.exit_code == 1 and "neither a source ID" in result.output
    with pytest.raises(SessionError):
        Session(dataset)


def test_missing_extra_says_which(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "starlette", None)  # an import of it now fails, as when not installed
    result = CliRunner().invoke(main, ["annotate", "--root", str(dataset), "--no-browser", SEED])
    assert result.exit_code != 0 and result.exit_code != 3
    assert "pip install 'belarus-data[annotate]'" in result.output
