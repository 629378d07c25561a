"""Actor names and aliases: one script per word, the alias's script column told truly, no look-alike spellings.

* ``name-mixed-script``: a word of an actor's name or alias mixes scripts (a
  Cyrillic ``е`` inside the Latin word "Lukashеnka"). Scripts are the Unicode
  Script_Extensions of each letter (ICU), augmented as Unicode TR39 does so that
  Japanese (Han + kana) and Korean (Hangul + Han) words count as one script;
  Common and Inherited characters (digits, punctuation, combining marks) belong
  to every script.
* ``alias-script``: an alias's ``script`` column (ISO 15924) is not the script
  of its letters.
* ``alias-confusable``: two active names or aliases are spelled differently
  but have the same TR39 confusable skeleton (ICU's SpoofChecker): "Minsk" and
  "Мinsk" (Cyrillic М). The same name in two scripts ("Лукашенко" and
  "Lukashenko") has different skeletons and is fine.

These are small tables, read once as Python strings; both engines run the same
code, so they report the same problems.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Any

from belarus_data import vocab
from belarus_data.checks.context import Context
from belarus_data.models.columns import describe_char
from belarus_data.storage.tables import table

# TR39 section 5.1: Han, the kana and Hangul are written together; their augmented script sets meet.
_AUGMENTED = {
    "Hani": {"Hanb", "Jpan", "Kore"},
    "Hira": {"Jpan"},
    "Kana": {"Jpan"},
    "Hang": {"Kore"},
    "Bopo": {"Hanb"},
}
_ANY_SCRIPT = {"Zyyy", "Zinh"}  # Common, Inherited


def _icu() -> Any:
    import icu  # lazy: only these checks need ICU

    return icu


@cache
def scripts_of(ch: str) -> frozenset[str]:
    """The ISO 15924 codes of ``ch``'s Script_Extensions, augmented; empty for Common and Inherited."""
    icu = _icu()
    codes = {icu.Script(code).getShortName() for code in icu.Script.getScriptExtensions(ch)}
    if codes <= _ANY_SCRIPT:
        return frozenset()
    for code in list(codes):
        codes |= _AUGMENTED.get(code, set())
    return frozenset(codes - _ANY_SCRIPT)


@cache
def script_name(code: str) -> str:
    """``Cyrl`` -> ``Cyrillic``."""
    icu = _icu()
    number = icu.Char.getPropertyValueEnum(icu.UProperty.SCRIPT, code)
    return str(icu.Script(number).getName()).replace("_", " ") if number >= 0 else code


def primary_script(ch: str) -> str:
    """The one script a letter is counted under (its Script property), e.g. ``Latn``."""
    return str(_icu().Script.getScript(ch).getShortName())


@cache
def _spoof_checker() -> Any:
    return _icu().SpoofChecker()


def skeleton(text: str) -> str:
    """The Unicode TR39 confusable skeleton of ``text`` (equal skeletons: the texts look alike)."""
    return str(_spoof_checker().getSkeleton(0, text))


def words(text: str) -> Iterator[str]:
    """Runs of letters, marks and digits (hyphens, spaces, apostrophes and other punctuation split words)."""
    word: list[str] = []
    for ch in text:
        if unicodedata.category(ch)[0] in "LMN":
            word.append(ch)
        elif word:
            yield "".join(word)
            word = []
    if word:
        yield "".join(word)


def odd_letter(word: str) -> tuple[str, str] | None:
    """(a letter of another script, the word's main script) if ``word`` mixes scripts, else None."""
    common: frozenset[str] | None = None
    for ch in word:
        found = scripts_of(ch)
        if found:
            common = found if common is None else common & found
    if common is None or common:
        return None
    counts = Counter(primary_script(ch) for ch in word if scripts_of(ch))
    main = counts.most_common(1)[0][0]  # ties: the script met first
    odd = next(ch for ch in word if scripts_of(ch) and main not in scripts_of(ch))
    return odd, main


# Where to look first for a letter's look-alike: the letters people type (ASCII, basic Cyrillic).
_COMMON_LETTERS = {
    "Latn": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "Cyrl": "".join(chr(cp) for cp in range(0x0400, 0x0460)),
}


def _replacement(ch: str, script: str) -> str:
    """How to fix a letter of the wrong script: its look-alike in ``script``, when TR39 knows one."""
    target = skeleton(ch)
    alike = next((c for c in _COMMON_LETTERS.get(script, "") if skeleton(c) == target), None)
    if alike is None and len(target) == 1 and script in scripts_of(target):
        alike = target
    if alike is not None:
        return f"retype it as the {script_name(script)} {alike!r}, {describe_char(alike)}"
    return f"write the word in {script_name(script)} letters only"


def _one_script(text: str, script: str | None = None) -> bool:
    """Whether every letter of ``text`` shares one script (``script``, if given): then no word can mix.

    Fast, for the common case: ASCII is all Latin, and each distinct character is looked up once.
    """
    if text.isascii():
        return script in (None, "Latn") or not any(ch.isalpha() for ch in text)
    common: frozenset[str] | None = frozenset({script}) if script else None
    for ch in set(text):
        found = scripts_of(ch)
        if found:
            common = found if common is None else common & found
            if not common:
                return False
    return True


def mixed_script_problem(text: str) -> tuple[str, str] | None:
    """(message, hint) for the first word of ``text`` that mixes scripts, or None."""
    if _one_script(text):
        return None
    for word in words(text):
        found = odd_letter(word)
        if found is not None:
            odd, main = found
            return (
                f"the word {word!r} mixes scripts: {odd!r}, {describe_char(odd)}, is "
                f"{script_name(primary_script(odd))} inside a {script_name(main)} word",
                _replacement(odd, main),
            )
    return None


def _mixed_words(text: str) -> set[str]:
    return {word for word in words(text) if odd_letter(word) is not None}


def script_problem(alias: str, script: str) -> tuple[str, str] | None:
    """(message, hint) when ``alias`` has letters outside ``script``, except in words already reported as mixed."""
    if _one_script(alias, script):
        return None
    reported = _mixed_words(alias)
    for word in words(alias):
        if word in reported:
            continue
        for ch in word:
            found = scripts_of(ch)
            if found and script not in found:
                other = primary_script(ch)
                return (
                    f"script is {script} ({script_name(script)}) but {word!r} has the "
                    f"{script_name(other)} letter {ch!r}, {describe_char(ch)}",
                    f"set script to {other}" if other in vocab.LANGUAGE_SCRIPT else "",
                )
    return None


def check_name_scripts(ctx: Context) -> None:
    """No word of an actor's name or alias mixes scripts; each alias is in the script its row names."""
    for name, column in (("actors", "name"), ("actor_aliases", "alias")):
        if name not in ctx.tables:
            continue
        for row, text in enumerate(ctx.values(name, column)):
            found = mixed_script_problem(text) if text else None
            if found is not None:
                ctx.add(table(name), row, column, "name-mixed-script", *found)
    if "actor_aliases" not in ctx.tables:
        return
    pairs = zip(ctx.values("actor_aliases", "alias"), ctx.values("actor_aliases", "script"), strict=True)
    for row, (alias, script) in enumerate(pairs):
        if not alias or script not in vocab.LANGUAGE_SCRIPT:  # empty or unknown: reported by the cell rules
            continue
        found = script_problem(alias, script)
        if found is not None:
            message, hint = found
            hint = hint or f"write the alias in {script_name(script)} letters, or give it the script of its letters"
            ctx.add(table("actor_aliases"), row, "script", "alias-script", message, hint)


def _difference(a: str, b: str) -> str:
    """Where two look-alike spellings first differ, character by character."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"at character {i}, {x!r} {describe_char(x)} against {y!r} {describe_char(y)}"
    return f"in length ({len(a)} and {len(b)} characters)"


def check_confusable_aliases(ctx: Context) -> None:
    """No two active names or aliases look alike (same TR39 skeleton) while spelled differently."""
    entries: list[tuple[str, int, str, str, str]] = []  # (table, row, column, text, actor)
    for name, column, actor in (("actors", "name", "id"), ("actor_aliases", "alias", "actor_id")):
        if name not in ctx.tables:
            continue
        active = ctx.active_mask(name)
        texts, owners = ctx.values(name, column), ctx.values(name, actor)
        entries.extend(
            (name, row, column, text, owner or "")
            for row, (text, owner) in enumerate(zip(texts, owners, strict=True))
            if text and active[row]
        )
    groups: dict[str, list[tuple[str, int, str, str, str]]] = {}
    for entry in entries:
        groups.setdefault(skeleton(entry[3]), []).append(entry)
    for group in groups.values():
        first = group[0]
        second = next((e for e in group if e[3] != first[3]), None)
        if second is None:  # one spelling, however often: not a look-alike
            continue
        for name, row, column, text, _ in group:
            # The other spelling named: the group's first, or for its own spelling the first that differs
            # (constant work a row, however many look-alikes a group holds).
            other_table, other_row, _, other, owner = first if text != first[3] else second
            parsed = ctx.tables[other_table]
            where = f"{parsed.file} line {parsed.line(other_row)}, {owner}"
            ctx.add(
                table(name),
                row,
                column,
                "alias-confusable",
                f"{text!r} looks like {other!r} ({where}) but is spelled differently: {_difference(text, other)}",
                "retype the look-alike letter; if both spellings are real, they must not look alike",
            )
