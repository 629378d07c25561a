"""The record models: the single source of truth for every table.

Each model is one CSV row. Field order is column order. Types come from
:mod:`belarus_data.models.columns`; cross-field rules are model validators that
raise errors with stable codes. Schemas, the data dictionary and the fast
checker are all generated from these classes.

>>> Actor.model_validate({"id": "act-blr", "name": "Belarus", "actor_type": "state",
...     "version": "1", "created": "2026-11-27", "updated": "2026-11-27", "record_status": "active"}).name
'Belarus'
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from belarus_data import vocab
from belarus_data.models import columns as c

SourceId = Annotated[str, c.id_column("src", "src-minsk-compensate-defence-cooperation")]
ActorId = Annotated[str, c.id_column("act", "act-blr-gov")]
ClaimId = Annotated[str, c.id_column("clm", "clm-7k2m9qxa")]
EventId = Annotated[str, c.id_column("evt", "evt-4h8v2c6d")]
ShortText = Annotated[str, c.text_column(300)]
LongText = Annotated[str, c.text_column(2000)]
Edtf = Annotated[str, c.EDTF]
Day = Annotated[dt.date, c.DATE]
Url = Annotated[str, c.URL]
Language = Annotated[str, c.LANGUAGE]
Country = Annotated[str, c.COUNTRY]
Count = Annotated[int, c.int_column(minimum=1, maximum=10_000_000)]
Offset = Annotated[int, c.int_column(minimum=0, maximum=10_000_000)]


class Record(BaseModel):
    """Lifecycle fields shared by every record: records are versioned, never deleted."""

    # defer_build: the validators are built on first use, not at import. A clean dataset is checked by the
    # vectorised rules alone and never needs them, so a cold `validate` does not pay for building six models.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)

    version: Annotated[int, c.int_column(minimum=1, maximum=1_000_000)] = Field(
        description="Starts at 1; raised by exactly 1 whenever the record's content changes."
    )
    created: Day = Field(description="Day the record was first published in the dataset.")
    updated: Day = Field(description="Day of the record's latest version (equals created for version 1).")
    record_status: Annotated[str, c.vocab_column("record_status")] = Field(
        description="active, retracted or superseded."
    )
    status_reason: ShortText | None = Field(
        default=None, description="Why the record was retracted or superseded (required then)."
    )

    @model_validator(mode="after")
    def _lifecycle(self) -> Record:
        if self.updated < self.created:
            raise c.fail(
                "lifecycle-dates",
                "updated is before created",
                "set updated to the day of the change, on or after created",
                field="updated",
            )
        if self.version == 1 and self.updated != self.created:
            raise c.fail(
                "lifecycle-version",
                "version 1 has updated != created",
                "a changed record has version 2 or more",
                field="updated",
            )
        if self.record_status != "active" and not self.status_reason:
            raise c.fail(
                "lifecycle-reason",
                f"a {self.record_status} record needs status_reason",
                "say in status_reason why it was withdrawn",
                field="status_reason",
            )
        if self.record_status == "active" and self.status_reason:
            raise c.fail(
                "lifecycle-reason",
                "an active record has a status_reason",
                "empty status_reason, or retract the record",
                field="status_reason",
            )
        superseded_by = getattr(self, "superseded_by", None)
        if (self.record_status == "superseded") != (superseded_by is not None):
            raise c.fail(
                "lifecycle-superseded",
                "superseded_by must be filled exactly when record_status is superseded",
                "name the replacing record in superseded_by and set record_status to superseded, or neither",
                field="superseded_by",
            )
        if superseded_by is not None and superseded_by == getattr(self, "id", None):
            raise c.fail(
                "lifecycle-superseded",
                "a record cannot supersede itself",
                "name a different record",
                field="superseded_by",
            )
        return self


class Source(Record):
    """One document that claims are extracted from."""

    id: SourceId = Field(description="Stable ID: 'src-' and a slug of the document's title.")
    title: ShortText = Field(description="Title as published.")
    outlet: ShortText = Field(description="Outlet or publisher that published the document.")
    outlet_actor_id: ActorId | None = Field(
        default=None, description="The outlet as an actor (asserts the source's own claims)."
    )
    author: ShortText | None = Field(default=None, description="Author's name, if the document names one.")
    url: Annotated[str, c.URL] = Field(description="Where the document was retrieved.")
    language: Annotated[str, c.LANGUAGE] = Field(description="Language of the text (ISO 639-1).")
    published: Edtf | None = Field(
        default=None, description="Publication date (EDTF); may be an uncertain range. Empty if nothing is known."
    )
    published_basis: LongText | None = Field(
        default=None, description="What the published date rests on, and why it is as uncertain as it is."
    )
    page_stamp: ShortText | None = Field(
        default=None,
        description="The page's own date stamp, verbatim (e.g. 'Updated at 13:19,16-08-2022'). Not a publication date.",
    )
    page_updated: Edtf | None = Field(default=None, description="The page stamp as an EDTF date-time.")
    retrieved: Day = Field(description="Day the text was captured.")
    text_path: Annotated[str, c.TEXT_PATH] = Field(description="The text file, relative to records/.")
    text_sha256: Annotated[str, c.SHA256] = Field(description="SHA-256 of the text file's bytes.")
    text_length: Annotated[int, c.int_column(minimum=1, maximum=10_000_000)] = Field(
        description="Length of the text in Unicode code points."
    )
    redistribution: Annotated[str, c.vocab_column("redistribution")] = Field(
        description="Whether the full text may be redistributed."
    )
    licence_note: LongText | None = Field(default=None, description="What is known of the text's licence.")
    notes: LongText | None = Field(default=None, description="Curator's notes.")
    superseded_by: SourceId | None = Field(default=None, description="The source record that replaces this one.")

    @model_validator(mode="after")
    def _published(self) -> Source:
        if self.published and not self.published_basis:
            raise c.fail(
                "source-published-basis",
                "published is filled but published_basis is empty",
                "say what the publication date rests on",
                field="published_basis",
            )
        return self


class Actor(Record):
    """A state, government, armed force, agency, organisation, person or group."""

    id: ActorId = Field(description="Stable ID: 'act-' and a readable slug (e.g. act-blr-gov).")
    name: ShortText = Field(description="Preferred English name.")
    actor_type: Annotated[str, c.vocab_column("actor_type")] = Field(description="What kind of actor.")
    country: Annotated[str, c.COUNTRY] | None = Field(
        default=None, description="ISO 3166-1 alpha-3 country the actor belongs to."
    )
    parent_id: ActorId | None = Field(
        default=None, description="The actor this one is part of (air force -> armed forces -> state)."
    )
    sector: Annotated[str, c.vocab_column("sector")] | None = Field(
        default=None, description="PLOVER/CAMEO sector code."
    )
    wikidata: Annotated[str, c.WIKIDATA] | None = Field(default=None, description="Wikidata QID, where one exists.")
    description: LongText | None = Field(default=None, description="Who or what this is, in a sentence.")
    superseded_by: ActorId | None = Field(default=None, description="The actor record that replaces this one.")

    @model_validator(mode="after")
    def _parent(self) -> Actor:
        if self.parent_id == self.id:
            raise c.fail(
                "actor-parent-self",
                "an actor cannot be its own parent",
                "name the larger body it belongs to, or leave parent_id empty",
                field="parent_id",
            )
        return self


class ActorAlias(Record):
    """Another name by which an actor appears in texts."""

    actor_id: ActorId = Field(description="The actor.")
    alias: ShortText = Field(description="The name as written (any script).")
    alias_type: Annotated[str, c.vocab_column("alias_type")] = Field(description="What kind of name.")
    language: Annotated[str, c.LANGUAGE] | None = Field(default=None, description="Language of the alias (ISO 639-1).")
    script: Annotated[str, c.SCRIPT] = Field(description="Script of the alias (ISO 15924).")


class Claim(Record):
    """One thing a source asserts, in our words, anchored to a verbatim quote."""

    id: ClaimId = Field(description="Stable ID: 'clm-' and 8 random characters.")
    source_id: SourceId = Field(description="The source that contains the claim.")
    asserted_by: ActorId = Field(description="Who asserts it: the outlet for its own analysis, or the cited actor.")
    attribution: Annotated[str, c.vocab_column("attribution")] = Field(
        description="Whose voice: the source's own, a cited actor's, or unnamed speakers'."
    )
    claim_type: Annotated[str, c.vocab_column("claim_type")] = Field(description="Kind of assertion.")
    modality: Annotated[str, c.vocab_column("modality")] = Field(description="How sure or hedged the assertion is.")
    statement: LongText = Field(description="The claim in our own words (a paraphrase, never a copy of the quote).")
    quote: Annotated[str, c.text_column(600, "verbatim quote")] = Field(
        description="Verbatim evidence: exactly the source text from start to end."
    )
    start: Annotated[int, c.int_column(minimum=0, maximum=10_000_000)] = Field(
        description="Quote start offset in code points (0-based, W3C TextPositionSelector)."
    )
    end: Annotated[int, c.int_column(minimum=1, maximum=10_000_000)] = Field(
        description="Quote end offset in code points (exclusive)."
    )
    prefix: Annotated[str, c.text_column(64, "quote prefix")] | None = Field(
        default=None, description="Up to 32 characters before the quote (W3C TextQuoteSelector)."
    )
    suffix: Annotated[str, c.text_column(64, "quote suffix")] | None = Field(
        default=None, description="Up to 32 characters after the quote (W3C TextQuoteSelector)."
    )
    event_id: EventId | None = Field(default=None, description="The event the claim reports, if any.")
    time_edtf: Edtf | None = Field(default=None, description="When the claimed matter happens or happened (EDTF).")
    time_phrase: ShortText | None = Field(
        default=None, description="The text's own time words ('in mid-June') the date was resolved from."
    )
    time_anchor: Edtf | None = Field(
        default=None,
        description="The date the phrase was resolved against (usually the source's publication date, itself uncertain).",
    )
    tags: Annotated[str, c.TAGS] | None = Field(default=None, description="Topic tags, ';'-separated slugs.")
    horizon: Edtf | None = Field(default=None, description="For predictions: by when it should come true (EDTF).")
    resolution: Annotated[str, c.vocab_column("resolution")] | None = Field(
        default=None, description="For predictions: open, came_true, did_not, partly or indeterminate."
    )
    resolution_note: LongText | None = Field(
        default=None,
        description="For checked predictions: the later public evidence (report name and URL) or what was looked for.",
    )
    notes: LongText | None = Field(default=None, description="Curator's notes (e.g. why there is no horizon).")
    superseded_by: ClaimId | None = Field(default=None, description="The claim record that replaces this one.")

    @model_validator(mode="after")
    def _claim_rules(self) -> Claim:
        if self.end <= self.start:
            raise c.fail(
                "offsets-order",
                f"end ({self.end}) is not after start ({self.start})",
                "end is start plus the quote's length",
                field="end",
            )
        if self.end - self.start != len(self.quote):
            raise c.fail(
                "offsets-length",
                f"end - start = {self.end - self.start} but the quote has {len(self.quote)} characters",
                f"set end to {self.start + len(self.quote)}",
                field="end",
            )
        if (self.time_phrase is None) != (self.time_anchor is None) and self.time_phrase is not None:
            raise c.fail(
                "time-anchor",
                "time_phrase is given without time_anchor",
                "record the date the phrase was resolved against",
                field="time_anchor",
            )
        if self.time_phrase is not None and self.time_edtf is None:
            raise c.fail(
                "time-anchor",
                "time_phrase is given without time_edtf",
                "record the EDTF date the phrase resolves to",
                field="time_anchor",
            )
        if self.claim_type == "prediction":
            if self.resolution is None:
                raise c.fail(
                    "prediction-resolution",
                    "a prediction needs a resolution",
                    "use open until it is checked",
                    field="resolution",
                )
        elif self.resolution is not None or self.horizon is not None:
            raise c.fail(
                "prediction-fields",
                "horizon/resolution are for predictions only",
                "empty them or set claim_type to prediction",
                field="horizon",
            )
        if self.resolution in vocab.RESOLVED and not self.resolution_note:
            raise c.fail(
                "prediction-resolution",
                "a resolved prediction needs resolution_note",
                "say what resolved it",
                field="resolution",
            )
        return self


class Event(Record):
    """One real-world happening, shared by every claim that reports it."""

    id: EventId = Field(description="Stable ID: 'evt-' and 8 random characters.")
    event_type: Annotated[str, c.vocab_column("event_type")] = Field(description="PLOVER event type.")
    mode: Annotated[str, c.vocab_column("event_mode")] | None = Field(default=None, description="PLOVER mode (how).")
    context: Annotated[str, c.vocab_column("event_context", multi=True)] | None = Field(
        default=None, description="PLOVER contexts, ';'-separated."
    )
    cameo_code: Annotated[str, c.CAMEO] | None = Field(
        default=None, description="Nearest CAMEO code, for crosswalks to GDELT/ICEWS."
    )
    description: LongText = Field(description="What happened, in our own words.")
    date_edtf: Edtf | None = Field(
        default=None, description="When it happened (EDTF), as precise as the sources allow and no more."
    )
    time_precision: Annotated[str, c.vocab_column("time_precision")] | None = Field(
        default=None, description="ACLED time precision where it maps (1 day, 2 week, 3 month)."
    )
    date_phrase: ShortText | None = Field(
        default=None, description="The text's own time words the date was resolved from."
    )
    date_anchor: Edtf | None = Field(default=None, description="The date the phrase was resolved against.")
    country: Annotated[str, c.COUNTRY] | None = Field(default=None, description="Where (ISO 3166-1 alpha-3).")
    location_name: ShortText | None = Field(default=None, description="Place name, as precise as known.")
    geo_precision: Annotated[str, c.vocab_column("geo_precision")] | None = Field(
        default=None, description="ACLED geo precision (1 town, 2 area, 3 region/country)."
    )
    event_status: Annotated[str, c.vocab_column("event_status")] = Field(
        description="Occurred, reported, alleged, planned, proposed or denied."
    )
    notes: LongText | None = Field(default=None, description="Curator's notes: folds, splits, dating decisions.")
    superseded_by: EventId | None = Field(
        default=None, description="The event record that replaces this one (e.g. a duplicate)."
    )

    @model_validator(mode="after")
    def _event_rules(self) -> Event:
        if self.date_phrase is not None and (self.date_anchor is None or self.date_edtf is None):
            raise c.fail(
                "time-anchor",
                "date_phrase is given without date_edtf and date_anchor",
                "record the resolved date and what it was resolved against",
                field="date_anchor",
            )
        if self.geo_precision is not None and self.country is None and self.location_name is None:
            raise c.fail(
                "event-place",
                "geo_precision is given without a place",
                "fill country or location_name",
                field="geo_precision",
            )
        return self


class EventParticipant(Record):
    """An actor's role in an event."""

    event_id: EventId = Field(description="The event.")
    actor_id: ActorId = Field(description="The actor.")
    role: Annotated[str, c.vocab_column("participant_role")] = Field(description="The actor's role in the event.")
    notes: ShortText | None = Field(default=None, description="Curator's notes.")


ALL_MODELS: tuple[type[Record], ...] = (Source, Actor, ActorAlias, Claim, Event, EventParticipant)
__all__ = ["ALL_MODELS", "Actor", "ActorAlias", "Claim", "Event", "EventParticipant", "Record", "Source", "dt"]
