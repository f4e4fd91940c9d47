"""Pattern groups and the matching of request fields against them (pattern.md §1, §2).

Patterns are stored verbatim as Java regular expressions and compiled with the
``regex`` package, whose syntax is the closest to Java's (``\\p{...}`` classes,
possessive quantifiers, nested character classes and ``&&``); the few Java-only
forms are rewritten by :func:`translate_java_regex`.

Matching is bounded so a pattern with catastrophic backtracking cannot hold a
worker: each match stops after :data:`MATCH_TIMEOUT` seconds, one request gets
:data:`REQUEST_BUDGET` seconds of matching in all, and a value longer than
:data:`MAX_VALUE_LENGTH` characters is not tested. Each of these counts as "no
match" (and is logged), the answer GMS gives for a value no pattern describes.
"""

import logging
import time
from collections.abc import Mapping
from functools import lru_cache

import regex
from django.conf import settings

from apps.core.config import Options, section_kind
from apps.core.selectors import get_section

logger = logging.getLogger(__name__)

# The reserved group checked by ``POST /genesys/1/patterns`` (pattern.md §1, our choice).
GENERAL_LIST = "patterns"

MATCH_TIMEOUT = 0.1
REQUEST_BUDGET = 1.0
MAX_VALUE_LENGTH = 1024

# Java's line terminators, for its ``\Z`` (end of input but for a final terminator).
_JAVA_END_BEFORE_TERMINATOR = r"(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?\Z)"

CompiledGroup = tuple[tuple[str, regex.Pattern[str]], ...]
# What compiling a malformed pattern can raise (deep nesting exhausts the recursion limit).
COMPILE_ERRORS = (regex.error, RecursionError, ValueError, OverflowError)


def translate_java_regex(pattern: str) -> str:
    """Java regex syntax -> ``regex`` syntax (pattern.md §4).

    ``\\Q...\\E`` becomes the escaped literal, Java ``\\z`` (very end) becomes
    ``\\Z``, and Java ``\\Z`` (end, before a final line terminator) its lookahead.
    Every other escape is kept as written.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] != "\\" or i + 1 == len(pattern):
            out.append(pattern[i])
            i += 1
            continue
        escape = pattern[i + 1]
        if escape == "Q":
            end = pattern.find("\\E", i + 2)
            end = len(pattern) if end < 0 else end
            out.append(regex.escape(pattern[i + 2 : end]))
            i = end + 2
            continue
        out.append({"z": r"\Z", "Z": _JAVA_END_BEFORE_TERMINATOR}.get(escape, pattern[i : i + 2]))
        i += 2
    return "".join(out)


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile one stored (Java) pattern; raises one of COMPILE_ERRORS when it is not valid."""
    return regex.compile(translate_java_regex(pattern), regex.VERSION1)


@lru_cache(maxsize=256)
def compile_group(patterns: tuple[tuple[str, str], ...]) -> CompiledGroup:
    """A group's (name, compiled) pairs in configured order, compiled once per content.

    Keyed by the patterns themselves, so an edited group is simply compiled anew.
    A pattern that does not compile (only possible if it was stored without
    validation) is skipped.
    """
    compiled = []
    for name, pattern in patterns:
        try:
            compiled.append((name, compile_pattern(pattern)))
        except COMPILE_ERRORS as error:
            logger.error("Pattern %r = %r does not compile, skipped: %s", name, pattern, error)
    return tuple(compiled)


def pattern_group(name: str) -> Options | None:
    """The patterns of the group ``name``, or None when there is no such group.

    Only a pattern-group section counts: ``server`` or ``service.x`` are not groups.
    """
    if section_kind(name) != "patterns":
        return None
    return get_section(name)


def match_fields(patterns: Mapping[str, str], fields: Mapping[str, str]) -> dict[str, str]:
    """{field: name of the first pattern its whole value matches}, for the fields that match.

    ``settings.GMS_PATTERN_MATCH_MODE = "search"`` accepts a match anywhere in the value.
    """
    group = compile_group(tuple(patterns.items()))
    search = settings.GMS_PATTERN_MATCH_MODE == "search"
    deadline = time.monotonic() + REQUEST_BUDGET
    matched: dict[str, str] = {}
    for field, value in fields.items():
        if len(value) > MAX_VALUE_LENGTH:
            logger.info("Field %r: value of %d characters not tested", field, len(value))
            continue
        for name, compiled in group:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                logger.warning(
                    "Pattern matching budget spent; field %r and later not tested", field
                )
                return matched
            method = compiled.search if search else compiled.fullmatch
            try:
                found = method(value, timeout=min(MATCH_TIMEOUT, remaining))
            except TimeoutError:
                logger.warning("Pattern %r timed out on field %r: counted as no match", name, field)
                continue
            if found:
                matched[field] = name
                break
    return matched
