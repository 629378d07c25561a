"""Column rules: the typed, checked cell types that the record models are built from.

A ``Column`` is plain data describing one CSV column (its kind, pattern,
vocabulary, length limit, text rules). The same object is read by three
consumers, so they cannot disagree:

* the Pydantic validator below (row by row, words every error message),
* the generated Frictionless Table Schema and JSON Schema,
* the vectorised fast checker in :mod:`belarus_data.checks.cells`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import importlib.util
import re
import typing
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from belarus_data import vocab
from belarus_data.models import characters, integers

Kind = Literal["string", "integer", "boolean", "date"]

# Characters no text cell may hold (free text and IDs): derived from Unicode properties in
# models/characters.py, as sorted inclusive ranges; the fast checker screens for the same ranges.
FORBIDDEN_RANGES: tuple[tuple[int, int], ...] = characters.FORBIDDEN_RANGES
FORBIDDEN_CHARS_RE = re.compile(
    re.sub(r"\\x\{([0-9a-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08x}", characters.forbidden_class())
)
# Leading characters that make Excel/LibreOffice evaluate a cell as a formula.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Column:
    """What one CSV column may hold. Plain data; see the module docstring."""

    kind: Kind = "string"
    description_of_value: str = "text"
    pattern: str | None = None  # whole-value regex, valid in Python re and RE2
    example: str | None = None
    vocab: str | None = None  # key into belarus_data.vocab.ALL
    multi: bool = False  # ';'-separated list of pattern/vocab items
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    free_text: bool = False  # NFC, no invisible characters, no formula lead
    edtf: bool = False
    country: bool = False
    language: bool = False
    uri: bool = False

    @property
    def codes(self) -> list[str]:
        return list(vocab.ALL[self.vocab]) if self.vocab else []

    # Used as Annotated metadata (``Annotated[str, rule]``): Pydantic calls these
    # hooks, so the rule both converts/validates the cell and describes it.
    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(lambda v: convert(self, v), handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return json_schema_for(self)


def fail(code: str, message: str, hint: str, field: str | None = None) -> PydanticCustomError:
    """An error whose type is our stable code; the hint says what would be right.

    ``field`` names the column a row-level (model validator) problem is shown at.
    """
    return PydanticCustomError(code, message, {"hint": hint, "field": field})


MAX_SUGGESTED_CHARS = 200  # a longer value is no typo of a code, column name or ID: nothing is suggested
NEAREST_WINDOW = 24  # neighbours compared on each side, in each of the three orders


def _closest(value: str, candidates: list[str]) -> str | None:
    found = difflib.get_close_matches(value, candidates, n=1, cutoff=0.5)
    if not found:
        found = difflib.get_close_matches(value.lower(), [c.lower() for c in candidates], n=1, cutoff=0.5)
        if found:
            return next(c for c in candidates if c.lower() == found[0])
    return found[0] if found else None


def _same(value: str) -> str:
    return value


def _reversed(value: str) -> str:
    return value[::-1]


class Nearest:
    """The choice closest to a value ("did you mean"), with a bounded number of comparisons per value.

    Comparing a value with every choice costs O(choices) per bad value, so
    100,000 bad references to 100,000 IDs would take hours. A typo leaves
    either the start or the end of the word intact, so the candidates are the
    neighbours of the value in the choices sorted as they are, lower-cased and
    reversed: at most ``6 * NEAREST_WINDOW`` of them, found by bisection.

    >>> Nearest([f"act-{n:05d}" for n in range(100_000)])("act-12345x")
    'act-12345'
    """

    def __init__(self, choices: Iterable[str]) -> None:
        unique = sorted(set(choices))
        self._small = unique if len(unique) <= 6 * NEAREST_WINDOW else None
        self._orders = [(unique, unique, _same)] + [self._order(unique, key) for key in (str.lower, _reversed)]

    @staticmethod
    def _order(unique: list[str], key: Callable[[str], str]) -> tuple[list[str], list[str], Callable[[str], str]]:
        pairs = sorted((key(c), c) for c in unique)
        return [k for k, _ in pairs], [c for _, c in pairs], key

    def __call__(self, value: str) -> str | None:
        if len(value) > MAX_SUGGESTED_CHARS:
            return None
        if self._small is not None:
            return _closest(value, self._small)
        candidates: dict[str, None] = {}
        for keys, originals, key in self._orders:
            at = bisect.bisect_left(keys, key(value))
            candidates.update(dict.fromkeys(originals[max(0, at - NEAREST_WINDOW) : at + NEAREST_WINDOW]))
        return _closest(value, list(candidates))


def nearest(value: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``value``, if any is close (see :class:`Nearest`; build one for many values)."""
    return Nearest(choices)(value)


def describe_char(ch: str) -> str:
    """``U+00AD (SOFT HYPHEN, Cf)``: the code point, its name and general category."""
    category = unicodedata.category(ch)
    fallback = {"Cc": "control character", "Co": "private-use character", "Cn": "unassigned code point"}
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, fallback.get(category, 'unnamed character'))}, {category})"


# Why a character is forbidden -> (problem code, what it is, hint).
_FORBIDDEN_WORDING: dict[characters.Reason, tuple[str, str, str]] = {
    "invisible": (
        "text-invisible-char",
        "the invisible, control or format character",
        "delete the character; records are single-line plain text without invisible characters",
    ),
    "private-use": (
        "text-private-use-char",
        "the private-use character",
        "replace it with the standard character it stands for (private-use code points have no agreed meaning)",
    ),
    "unassigned": (
        "text-unassigned-char",
        "the code point",
        f"delete it: it is unassigned (or a noncharacter) in Unicode {characters.UNICODE_VERSION}, "
        "the version this dataset is checked against",
    ),
}


def check_chars(value: str) -> None:
    """No forbidden character (see :mod:`belarus_data.models.characters`) anywhere in a text cell."""
    if value.isascii() and value.isprintable():  # the only forbidden ASCII are C0 and DEL; the class is slow
        return
    bad = FORBIDDEN_CHARS_RE.search(value)
    if bad:
        why = characters.reason(bad.group()) or "invisible"
        code, what, hint = _FORBIDDEN_WORDING[why]
        raise fail(code, f"contains {what} {describe_char(bad.group())} at character {bad.start()}", hint)


def check_free_text(value: str) -> None:
    check_chars(value)
    if not unicodedata.is_normalized("NFC", value):
        raise fail(
            "text-not-nfc",
            "is not in Unicode NFC form (a letter and its accent are stored as separate code points)",
            "run `belarus-data fmt`, which normalises text to NFC",
        )
    if value.startswith(FORMULA_LEADS):
        raise fail(
            "text-formula-lead",
            f"starts with {value[0]!r}, which a spreadsheet would run as a formula",
            "start the text with a letter, digit or quotation mark",
        )


@lru_cache(maxsize=65536)
def edtf_is_valid(value: str) -> bool:
    from belarus_data.dates import edtf  # lazy: the EDTF parser is slow to import

    return edtf.parse(value) is not None


@cache
def iso_codes(database: str, field: str) -> frozenset[str]:
    """Every ``field`` code in one of pycountry's ISO databases (e.g. ``"639-3"``, ``"alpha_2"``), lower-cased.

    The codes are picked out of pycountry's JSON file with a regex (~10 ms):
    ``pycountry.languages`` first builds an object and a case-insensitive index
    per field for each of its 7,900 languages (~130 ms, an eighth of a cold
    ``validate``). The package is located, not imported (its import reads
    package metadata). Lower-cased because pycountry's lookups ignore case.
    """
    spec = importlib.util.find_spec("pycountry")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("pycountry is not installed", name="pycountry")
    text = (Path(spec.origin).parent / "databases" / f"iso{database}.json").read_text(encoding="utf-8")
    return frozenset(code.lower() for code in re.findall(rf'"{re.escape(field)}"\s*:\s*"([^"\\]*)"', text))


def country_is_valid(code: str) -> bool:
    return code.lower() in iso_codes("3166-1", "alpha_3")


def language_is_valid(code: str) -> bool:
    return code.lower() in iso_codes("639-3", "alpha_2")


def check_item(rule: Column, item: str) -> None:
    """Check one value (or one item of a list) against the rule's string constraints."""
    if rule.vocab and item not in vocab.ALL[rule.vocab]:
        guess = nearest(item, rule.codes)
        hint = (f"did you mean {guess!r}? " if guess else "") + "allowed: " + ", ".join(rule.codes)
        raise fail("vocab", f"{item!r} is not a {rule.vocab} code", hint)
    if rule.pattern and not re.fullmatch(rule.pattern, item):
        raise fail(
            "pattern",
            f"{item!r} is not a valid {rule.description_of_value}",
            f"write it like {rule.example!r}" if rule.example else f"match {rule.pattern}",
        )
    if rule.edtf and not edtf_is_valid(item):
        raise fail(
            "edtf",
            f"{item!r} is not a valid EDTF (ISO 8601-2) date",
            "examples: 2022-08-16, 2022-06, 2022-06-~15, 2022-08/2022-09, 2022?, 2022-08-16T13:19:00",
        )
    if rule.country and not country_is_valid(item):
        raise fail("country", f"{item!r} is not an ISO 3166-1 alpha-3 country code", "e.g. BLR, RUS, UKR, USA")
    if rule.language and not language_is_valid(item):
        raise fail("language", f"{item!r} is not an ISO 639-1 language code", "e.g. en, be, ru, uk")


def convert(rule: Column, value: Any) -> Any:
    """Turn one CSV cell (a str, or None for an empty cell) into its Python value."""
    if value is None:
        return None
    if rule.kind == "integer":
        return _convert_integer(rule, value)
    if rule.kind == "boolean":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise fail("not-boolean", f"{value!r} is not a boolean", "write true or false")
    if rule.kind == "date":
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and DATE_RE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise fail("not-date", f"{value!r} is not a calendar date", "write YYYY-MM-DD, e.g. 2026-11-27")
    if not isinstance(value, str):
        raise fail("not-text", f"{value!r} is not text", "write the value as text")
    if rule.max_length is not None and len(value) > rule.max_length:
        raise fail(
            "too-long",
            f"has {len(value)} characters, more than the {rule.max_length} allowed",
            f"shorten it to at most {rule.max_length} characters",
        )
    if rule.free_text:
        check_free_text(value)
    else:
        check_chars(value)  # IDs, codes, URLs, dates: a clearer message than the pattern's
    items = value.split(LIST_SEPARATOR) if rule.multi else [value]
    for item in items:
        check_item(rule, item)
    return value


def _convert_integer(rule: Column, value: Any) -> int:
    """A cell (text) or a value already read (an int, from a loaded frame) by the one integer rule."""
    if isinstance(value, str):
        try:
            return integers.parse_in_range(value, rule.minimum, rule.maximum)
        except integers.IntegerError as err:
            raise fail(err.code, err.message, err.hint) from None
    if not isinstance(value, int) or isinstance(value, bool):
        raise fail("not-integer", f"{value!r} is not a whole number", integers.EXAMPLE_HINT)
    problem = integers.range_problem(value, rule.minimum, rule.maximum)
    if problem is not None:
        raise fail(problem.code, problem.message, problem.hint)
    return value


def json_schema_for(rule: Column) -> dict[str, Any]:
    if rule.kind == "integer":
        schema: dict[str, Any] = {"type": "integer"}
        if rule.minimum is not None:
            schema["minimum"] = rule.minimum
        if rule.maximum is not None:
            schema["maximum"] = rule.maximum
        return schema
    if rule.kind == "boolean":
        return {"type": "boolean"}
    if rule.kind == "date":
        return {"type": "string", "format": "date"}
    schema = {"type": "string"}
    if rule.vocab and not rule.multi:
        schema["enum"] = rule.codes
    elif rule.pattern:
        schema["pattern"] = f"^(?:{rule.pattern})(?:;(?:{rule.pattern}))*$" if rule.multi else f"^(?:{rule.pattern})$"
    if rule.vocab and rule.multi:
        alternatives = "|".join(re.escape(c) for c in rule.codes)
        schema["pattern"] = f"^(?:{alternatives})(?:;(?:{alternatives}))*$"
    if rule.max_length is not None:
        schema["maxLength"] = rule.max_length
    if rule.uri:
        schema["format"] = "uri"
    return schema


def rule_of(field: FieldInfo) -> Column:
    """The Column rule of a model field, whether the field is optional or not."""
    stack: list[Any] = [*field.metadata, field.annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, Column):
            return item
        stack.extend(getattr(item, "__metadata__", ()))
        stack.extend(typing.get_args(item))
    raise LookupError("field has no Column rule")


# The column vocabulary the models are written in.
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def id_column(prefix: str, example: str) -> Column:
    return Column(
        description_of_value=f"{prefix} ID (lower-case ASCII: '{prefix}-' then letters, digits and single hyphens)",
        pattern=prefix + "-" + SLUG,
        example=example,
        max_length=64,
    )


def text_column(max_length: int, what: str = "text") -> Column:
    return Column(description_of_value=what, max_length=max_length, free_text=True)


def vocab_column(name: str, multi: bool = False) -> Column:
    return Column(description_of_value=f"{name} code", vocab=name, multi=multi)


def int_column(minimum: int | None = None, maximum: int | None = None) -> Column:
    return Column(kind="integer", description_of_value="whole number", minimum=minimum, maximum=maximum)


EDTF = Column(description_of_value="EDTF date", edtf=True, max_length=64)
DATE = Column(kind="date", description_of_value="calendar date (YYYY-MM-DD)")
BOOLEAN = Column(kind="boolean", description_of_value="boolean")
COUNTRY = Column(description_of_value="ISO 3166-1 alpha-3 code", pattern="[A-Z]{3}", example="BLR", country=True)
LANGUAGE = Column(description_of_value="ISO 639-1 code", pattern="[a-z]{2}", example="en", language=True)
URL = Column(
    description_of_value="http(s) URL",
    pattern=r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[!-~]*)?",
    example="https://example.org/article.html",
    max_length=2000,
    uri=True,
)
SHA256 = Column(description_of_value="SHA-256 hex digest", pattern="[0-9a-f]{64}", example="6be5…(64 hex digits)")
TEXT_PATH = Column(
    description_of_value="path of a text file inside records/texts",
    pattern=r"texts/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*\.txt",
    example="texts/minsk-compensate-defence-cooperation.txt",
    max_length=200,
)
TAGS = Column(
    description_of_value="tag list (lower-case slugs separated by ';')",
    pattern=SLUG,
    multi=True,
    example="defence;air-force",
    max_length=500,
)
WIKIDATA = Column(description_of_value="Wikidata item ID", pattern="Q[1-9][0-9]*", example="Q184")
CAMEO = Column(description_of_value="CAMEO event code", pattern="[0-9]{2,4}", example="062")
SCRIPT = vocab_column("script")
