"""Push options as a subscription sees them: its named provider, ``[push]``, debug twins.

push.md §3 (section naming UNCONFIRMED; the spec's choice): a provider is the section
``push.provider.<providerName>`` holding ``[push]``'s option names. An option is looked
up there first, then in ``[push]``; with ``debug`` (push.md §4: the subscription's
``properties.debug`` is ``true``, in any case) ``debug.<option>`` comes first at each
level. An unknown provider falls back to ``[push]`` with a warning, never a 400.
"""

import logging
from collections.abc import Mapping

from apps.core.selectors import get_sections

logger = logging.getLogger(__name__)

PROVIDER_PREFIX = "push.provider."


def is_debug(properties: Mapping[str, str]) -> bool:
    return str(properties.get("debug", "")).strip().lower() == "true"


def push_option(name: str, *, provider_name: str = "", debug: bool = False) -> str:
    """The value of push option ``name`` for this provider and debug flag; "" when unset."""
    provider_section = PROVIDER_PREFIX + provider_name if provider_name else ""
    sections = get_sections(["push", provider_section] if provider_section else ["push"])
    levels = []
    if provider_section:
        if provider_section in sections:
            levels.append(sections[provider_section])
        else:
            logger.warning("Push provider %r is not configured; using [push]", provider_name)
    levels.append(sections.get("push", {}))
    names = [f"debug.{name}", name] if debug else [name]
    for options in levels:
        for option in names:
            value = options.get(option, "").strip()
            if value:
                return value
    return ""
