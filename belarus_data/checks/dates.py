"""Dates against their sources: nothing reported as past may begin after the source could have been written."""

from __future__ import annotations

from belarus_data import edtf_dates
from belarus_data.checks.context import Context
from belarus_data.tables import table

PAST_EVENT_STATUSES = {"occurred", "reported", "alleged", "denied"}


def _latest_publication(ctx: Context) -> dict[str, tuple[str, object]]:
    """Source id -> (published EDTF, latest day it allows), for sources with a bounded date."""
    latest: dict[str, tuple[str, object]] = {}
    if "sources" not in ctx.tables:
        return latest
    for source_id, published in zip(ctx.values("sources", "id"), ctx.values("sources", "published"), strict=True):
        bounds = edtf_dates.parse(published) if published else None
        if source_id and bounds is not None and bounds.latest is not None:
            latest[source_id] = (published or "", bounds.latest)
    return latest


def check_past_dates(ctx: Context) -> None:
    """A past event (and a report claim's time) must not start after its source's latest possible publication."""
    if "claims" not in ctx.tables:
        return
    latest = _latest_publication(ctx)
    claims = ctx.tables["claims"].data.select(["source_id", "event_id", "claim_type", "time_edtf"]).to_pylist()
    sources_of_event: dict[str, set[str]] = {}
    for index, claim in enumerate(claims):
        source = claim["source_id"]
        if claim["event_id"]:
            sources_of_event.setdefault(claim["event_id"], set()).add(source)
        if source not in latest or claim["claim_type"] != "report" or not claim["time_edtf"]:
            continue
        bounds = edtf_dates.parse(claim["time_edtf"])
        published, last_day = latest[source]
        if bounds is not None and bounds.earliest is not None and bounds.earliest > last_day:  # type: ignore[operator]
            ctx.add(
                table("claims"),
                index,
                "time_edtf",
                "date-after-source",
                f"{claim['time_edtf']!r} begins after the source's latest possible publication ({published})",
                "a report can only describe what happened before it was written; check the date or make the claim a prediction",
            )
    if "events" not in ctx.tables:
        return
    events = ctx.tables["events"].data.select(["id", "date_edtf", "event_status"]).to_pylist()
    for index, event in enumerate(events):
        if event["event_status"] not in PAST_EVENT_STATUSES or not event["date_edtf"]:
            continue
        bounds = edtf_dates.parse(event["date_edtf"])
        if bounds is None or bounds.earliest is None:
            continue
        for source in sorted(sources_of_event.get(event["id"], ())):
            if source in latest and bounds.earliest > latest[source][1]:  # type: ignore[operator]
                ctx.add(
                    table("events"),
                    index,
                    "date_edtf",
                    "date-after-source",
                    f"the {event['event_status']} event is dated {event['date_edtf']!r}, after {source} was published ({latest[source][0]})",
                    "date the event no later than its source, or set event_status to planned/proposed",
                )
