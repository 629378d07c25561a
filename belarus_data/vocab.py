"""Closed vocabularies: every code a column may hold, with what it means.

The vocabularies are plain data (code -> meaning) so that the models, the
generated schemas, the data dictionary and the error messages all read the same
definitions. Event types, modes and contexts follow PLOVER (the Open Event Data
Alliance ontology that succeeded CAMEO); time and geo precision follow ACLED.
"""

from __future__ import annotations

from typing import Final

Vocabulary = dict[str, str]

RECORD_STATUS: Final[Vocabulary] = {
    "active": "The record is current and may be used.",
    "retracted": "The record was withdrawn as wrong; kept so that its ID is never reused. Needs a reason.",
    "superseded": "The record was replaced by another of the same kind, named in superseded_by. Needs a reason.",
}

LANGUAGE_SCRIPT: Final[Vocabulary] = {
    "Latn": "Latin script (ISO 15924).",
    "Cyrl": "Cyrillic script (ISO 15924).",
}

REDISTRIBUTION: Final[Vocabulary] = {
    "yes": "The full text may be redistributed (licence or permission recorded in licence_note).",
    "no": "The full text may not be redistributed; only short evidence quotes are used.",
    "unknown": "The licence terms are not known; treat the full text as not redistributable.",
}

ACTOR_TYPE: Final[Vocabulary] = {
    "state": "A sovereign state as a whole (e.g. Belarus).",
    "government": "The executive of a state, or its leadership as a collective actor.",
    "armed_forces": "A state's military or one of its branches or units.",
    "intelligence_service": "A state's intelligence or security agency.",
    "ministry": "A ministry or other state agency that is not military or intelligence.",
    "international_organisation": "An organisation of states (e.g. the EU, NATO, CSTO).",
    "media": "A news outlet, analysis service or publisher.",
    "organisation": "A non-state organisation (party, NGO, company, think tank).",
    "person": "A named individual.",
    "group": "An unnamed or loosely defined set of people (e.g. 'military circles in Russia').",
}

# PLOVER/CAMEO-style sector codes for the actor's role within its country.
SECTOR: Final[Vocabulary] = {
    "GOV": "Government: executive, head of state, cabinet.",
    "MIL": "Military: armed forces and their units.",
    "SPY": "Intelligence services.",
    "COP": "Police and internal security.",
    "LEG": "Legislature.",
    "JUD": "Judiciary.",
    "PTY": "Political party.",
    "OPP": "Political opposition.",
    "MED": "Media.",
    "IGO": "Intergovernmental organisation.",
    "ELI": "Elites and influential circles without a formal office.",
    "CVL": "Civilians, the general public.",
}

ALIAS_TYPE: Final[Vocabulary] = {
    "name": "Another full or conventional name of the actor in the same language ('Republic of Belarus').",
    "spelling": "A variant spelling in the same language and script that is not a romanisation ('Belarus in Focus').",
    "transliteration": "A romanisation of a Cyrillic name ('Lukashenka' from Belarusian, 'Lukashenko' from Russian).",
    "native": "The name in the actor's own official language and script.",
    "exonym": "The name in a language that is not the actor's own ('Украина', Russian for Ukraine).",
    "abbreviation": "An acronym or short form (e.g. 'GUR').",
    "metonym": "A place or building standing for the actor ('Minsk' for the Belarusian government).",
    "descriptive": "A description used in place of a name ('the Belarusian authorities', 'Ukrainian military intelligence').",
}

CLAIM_TYPE: Final[Vocabulary] = {
    "report": "States that something happened or is happening (a factual account of an event or state).",
    "assessment": "An analytic judgement: interprets, weighs or explains facts.",
    "prediction": "States what will or may happen in the future. Needs a horizon or a note why none.",
    "characterisation": "Describes the nature or quality of something (e.g. what a weapon is designed for).",
    "intention": "Ascribes a goal, wish, hope or plan to an actor.",
    "historical": "A generalisation about the past (e.g. how relations have worked over the years).",
}

MODALITY: Final[Vocabulary] = {
    "asserted": "Stated as fact in the asserting actor's own voice.",
    "reported": "Relayed from another party whose statement the source reports.",
    "probable": "Hedged as likely ('probably', 'likely').",
    "possible": "Hedged as possible ('might', 'could', 'may').",
    "predicted": "Stated as what will happen ('will').",
    "necessary": "Stated as an obligation or constraint ('has to', 'cannot afford').",
    "desired": "Stated as a wish or hope of the actor ('hope', 'desire').",
    "negated": "Stated as not the case ('nothing new', 'did not').",
}

ATTRIBUTION: Final[Vocabulary] = {
    "author": "The source's own voice (its author or outlet).",
    "cited": "A named actor whose statement the source reports.",
    "unnamed": "Unnamed speakers the source reports ('some talk about ...').",
}

RESOLUTION: Final[Vocabulary] = {
    "open": "The prediction's horizon has not been checked yet or has not passed.",
    "came_true": "What was predicted happened; resolution_note says what showed it.",
    "did_not": "What was predicted did not happen by its horizon; resolution_note says how we know.",
    "partly": "Part of what was predicted happened; resolution_note says which part.",
    "indeterminate": (
        "Checked against later public evidence, which does not settle it (too vague to test, or the evidence is"
        " missing or conflicting); resolution_note says what was looked for and why it does not decide."
    ),
}

# Resolutions that record a verdict on later evidence, so they need a resolution_note.
RESOLVED: Final[tuple[str, ...]] = ("came_true", "did_not", "partly", "indeterminate")

# PLOVER's 16 event types.
EVENT_TYPE: Final[Vocabulary] = {
    "AGREE": "Agree to, promise or sign future cooperation.",
    "CONSULT": "Meet, talk, negotiate or visit.",
    "SUPPORT": "Express support, praise or endorsement.",
    "CONCEDE": "Make a concession, ease a restriction.",
    "COOPERATE": "Cooperate in practice, e.g. joint military exercises (needs a recipient or partner).",
    "AID": "Give material help, e.g. provide bases, airfields or personnel.",
    "RETREAT": "Withdraw forces, release, back down.",
    "REQUEST": "Ask for something.",
    "ACCUSE": "Allege wrongdoing, including reports exposing hostile activity.",
    "REJECT": "Refuse, turn down.",
    "THREATEN": "Threaten force or other harm.",
    "PROTEST": "Demonstrate or protest.",
    "SANCTION": "Impose sanctions, break off relations.",
    "MOBILIZE": "One party's exercise, deployment, alert or surveillance activity.",
    "COERCE": "Use non-lethal force or repression.",
    "ASSAULT": "Use lethal force.",
}

EVENT_MODE: Final[Vocabulary] = {
    "troops": "Ground forces (MOBILIZE).",
    "air": "Air forces or aircraft (MOBILIZE, COOPERATE).",
    "weapons": "Weapons systems (MOBILIZE, AID).",
    "bases": "Bases, airfields or infrastructure (AID).",
    "exercise": "A military exercise (COOPERATE, MOBILIZE).",
    "surveillance": "Reconnaissance or surveillance flights (MOBILIZE).",
    "statement": "A public statement or publication (ACCUSE, CONSULT).",
    "concealment": "Hiding or denying an activity (REJECT).",
    "proposal": "A proposal under discussion (AGREE, CONSULT).",
}

EVENT_CONTEXT: Final[Vocabulary] = {
    "military": "Armed forces, defence cooperation, exercises.",
    "intelligence": "Intelligence gathering, including overhead reconnaissance.",
    "political": "Political relations between governments.",
    "economic": "Trade, credit, energy and other economic matters.",
    "diplomatic": "Diplomatic contacts and representation.",
}

EVENT_STATUS: Final[Vocabulary] = {
    "occurred": "The source states as fact that it happened.",
    "reported": "The source relays another party's report that it happened.",
    "alleged": "Someone claims it happened and it is disputed or unconfirmed.",
    "planned": "Scheduled or decided, not yet happened at writing time.",
    "proposed": "Under discussion; not decided.",
    "denied": "A party denies that it happened.",
}

TIME_PRECISION: Final[Vocabulary] = {
    "1": "ACLED 1: the exact day is known.",
    "2": "ACLED 2: only the week is known (middle of the week coded).",
    "3": "ACLED 3: only the month is known (middle of the month coded).",
}

GEO_PRECISION: Final[Vocabulary] = {
    "1": "ACLED 1: a named town or place.",
    "2": "ACLED 2: near a town, or a small area.",
    "3": "ACLED 3: a larger region or the whole country.",
}

PARTICIPANT_ROLE: Final[Vocabulary] = {
    "initiator": "Carries out or starts the action (PLOVER source actor).",
    "recipient": "The party the action is directed at or done with (PLOVER target).",
    "participant": "Takes part on an equal footing with others (joint actions).",
    "target": "The object of hostile activity (e.g. the country spied on).",
    "host": "Provides the territory, airspace or infrastructure where it happens.",
    "reporter": "Made the event known (e.g. the agency whose report revealed it).",
}

ALL: Final[dict[str, Vocabulary]] = {
    "record_status": RECORD_STATUS,
    "script": LANGUAGE_SCRIPT,
    "redistribution": REDISTRIBUTION,
    "actor_type": ACTOR_TYPE,
    "sector": SECTOR,
    "alias_type": ALIAS_TYPE,
    "claim_type": CLAIM_TYPE,
    "modality": MODALITY,
    "attribution": ATTRIBUTION,
    "resolution": RESOLUTION,
    "event_type": EVENT_TYPE,
    "event_mode": EVENT_MODE,
    "event_context": EVENT_CONTEXT,
    "event_status": EVENT_STATUS,
    "time_precision": TIME_PRECISION,
    "geo_precision": GEO_PRECISION,
    "participant_role": PARTICIPANT_ROLE,
}
