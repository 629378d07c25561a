"""The tables of the dataset: which model each CSV file holds, its keys and links.

This registry is the only place that knows file names and relations; the
validator, loaders, schema generator and exporters all iterate over ``TABLES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from belarus_data.models import columns as c
from belarus_data.models import records as m


@dataclass(frozen=True)
class ForeignKey:
    """``fields`` of this table point at ``reference`` (the primary key) of ``table``."""

    field: str
    table: str
    reference: str = "id"


@dataclass(frozen=True)
class Table:
    name: str
    model: type[m.Record]
    title: str
    description: str
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def path(self) -> str:
        """Path of the CSV file relative to the dataset root."""
        return f"records/{self.filename}"

    @cached_property
    def columns(self) -> list[str]:
        """Column order in the CSV: the record's own fields, then the lifecycle fields."""
        lifecycle = list(m.Record.model_fields)
        return [name for name in self.model.model_fields if name not in lifecycle] + lifecycle

    @cached_property
    def rules(self) -> dict[str, c.Column]:
        return {name: c.rule_of(info) for name, info in self.model.model_fields.items()}

    @cached_property
    def required(self) -> frozenset[str]:
        return frozenset(name for name, info in self.model.model_fields.items() if info.is_required())

    def description_of(self, column: str) -> str:
        return self.model.model_fields[column].description or ""


TABLES: tuple[Table, ...] = (
    Table(
        "sources",
        m.Source,
        "Sources",
        "One row per source document: bibliographic data, dating evidence and the stored text's checksum.",
        foreign_keys=(ForeignKey("outlet_actor_id", "actors"), ForeignKey("superseded_by", "sources")),
    ),
    Table(
        "actors",
        m.Actor,
        "Actors",
        "States, governments, armed forces, agencies, organisations, people and groups, with their hierarchy.",
        foreign_keys=(ForeignKey("parent_id", "actors"), ForeignKey("superseded_by", "actors")),
    ),
    Table(
        "actor_aliases",
        m.ActorAlias,
        "Actor aliases",
        "Other names of actors across spellings, scripts and metonyms ('Minsk' for the Belarusian government).",
        primary_key=("actor_id", "alias"),
        foreign_keys=(ForeignKey("actor_id", "actors"),),
    ),
    Table(
        "events",
        m.Event,
        "Events",
        "Real-world happenings (PLOVER types), deduplicated across sources.",
        foreign_keys=(ForeignKey("superseded_by", "events"),),
    ),
    Table(
        "event_participants",
        m.EventParticipant,
        "Event participants",
        "Which actors took part in each event, and in what role.",
        primary_key=("event_id", "actor_id", "role"),
        foreign_keys=(ForeignKey("event_id", "events"), ForeignKey("actor_id", "actors")),
    ),
    Table(
        "claims",
        m.Claim,
        "Claims",
        "What each source asserts, paraphrased, with a verbatim evidence quote and its offsets in the source text.",
        foreign_keys=(
            ForeignKey("source_id", "sources"),
            ForeignKey("asserted_by", "actors"),
            ForeignKey("event_id", "events"),
            ForeignKey("superseded_by", "claims"),
        ),
    ),
)

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The table called ``name`` (e.g. ``"claims"``)."""
    return BY_NAME[name]
