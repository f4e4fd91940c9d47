"""The Localization File (push.md §6; all UNCONFIRMED, the spec's choices are binding).

An event with ``mediaType=localizestring`` carries a message *key* (the tag when the
message is empty). The text comes from the file named by the push option
``localization.file`` (``push.provider.<name>`` before ``[push]``, see
:mod:`apps.notification.options`): UTF-8, Java-properties syntax, ``key`` for the
default text and ``key.<lang>`` for a language (``fr``, ``fr_CA`` or ``fr-CA``). The
language is the subscription's ``properties.language``. Lookup: ``key.lang_REGION`` →
``key.lang`` → ``key`` → the key itself. ``{0}``-style tokens are left as they are.
"""

import functools
import logging
import os
import re
from collections.abc import Mapping

from apps.notification.options import is_debug, push_option

logger = logging.getLogger(__name__)

LOCALIZE = "localizestring"
# One logical line: a key of escaped or non-separator characters, then = or : or blanks.
_ENTRY = re.compile(r"((?:\\.|[^=:\s\\])*)[ \t\f]*[=:]?[ \t\f]*(.*)", re.DOTALL)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_NAMED_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        return _NAMED_ESCAPES.get(code, code)

    return _ESCAPE.sub(replace, text)


def parse_properties(text: str) -> dict[str, str]:
    """Java-properties text as a dict: ``#``/``!`` comments, ``\\`` escapes and line ends."""
    entries: dict[str, str] = {}
    pending = ""
    for raw in text.splitlines():
        line = raw.lstrip(" \t\f")
        if not pending and (not line or line[0] in "#!"):
            continue
        backslashes = len(line) - len(line.rstrip("\\"))
        if backslashes % 2:  # continued on the next line
            pending += line[:-1]
            continue
        key, value = _ENTRY.fullmatch(pending + line).groups()
        entries[_unescape(key)] = _unescape(value)
        pending = ""
    if pending:
        key, value = _ENTRY.fullmatch(pending).groups()
        entries[_unescape(key)] = _unescape(value)
    return entries


@functools.lru_cache(maxsize=16)
def _read(path: str, modified: int, size: int) -> dict[str, str]:
    """Parsed once per version of the file: the stamp is part of the cache key."""
    with open(path, encoding="utf-8") as file:
        return parse_properties(file.read())


def load(path: str) -> dict[str, str]:
    """The entries of the file at ``path``; none (logged) when it cannot be read."""
    try:
        stat = os.stat(path)
        return _read(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, UnicodeDecodeError) as error:
        logger.warning("Localization file %s not read: %s", path, error)
        return {}


def _candidates(key: str, language: str) -> list[str]:
    """``key.fr_CA``/``key.fr-CA`` → ``key.fr`` → ``key`` for language ``fr-CA`` or ``fr_CA``."""
    lang, _, region = language.strip().replace("-", "_").partition("_")
    lang, region = lang.lower(), region.upper()
    keys = [f"{key}.{lang}_{region}", f"{key}.{lang}-{region}"] if lang and region else []
    return [*keys, *([f"{key}.{lang}"] if lang else []), key]


def localize(key: str, language: str, entries: Mapping[str, str]) -> str:
    for candidate in _candidates(key, language):
        if candidate in entries:
            return entries[candidate]
    return key


class Localizer:
    """The texts of one event: ``message`` itself for ``string``, else the localized key.

    Each (provider, debug) pair's file is looked up once per event, however many
    subscriptions share it.
    """

    def __init__(self, message: str, *, media_type: str, tag: str) -> None:
        self.message = message
        self.key = (message or tag) if media_type == LOCALIZE else None
        self._entries: dict[tuple[str, bool], dict[str, str]] = {}

    def text(self, properties: Mapping[str, str], provider_name: str = "") -> str:
        if self.key is None:
            return self.message
        scope = (provider_name, is_debug(properties))
        if scope not in self._entries:
            path = push_option("localization.file", provider_name=scope[0], debug=scope[1])
            self._entries[scope] = load(path) if path else {}
        return localize(self.key, properties.get("language", ""), self._entries[scope])
