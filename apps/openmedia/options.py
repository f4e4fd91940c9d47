"""The configuration of an open media service (openmedia.md §1).

``[openmedia.{serviceName}]`` is one service, ``[openmedia]`` the catch-all. A service's
options are the catch-all's overlaid by its own section (inheritance UNCONFIRMED; our
choice: inherit). A service with neither section is unknown (404, code 101).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from apps.core.config import Options, as_bool, check_bool, register_validator
from apps.core.selectors import get_sections
from apps.openmedia import errors

CATCH_ALL = "openmedia"
SECTION_PREFIX = CATCH_ALL + "."
# Request fields that allow_overwrite=true lets replace the configured values, by option.
OVERWRITABLE = {
    "interaction_type": "interactionType",
    "interaction_subtype": "interactionSubType",
    "media_type": "mediaType",
}


@dataclass(frozen=True)
class ServiceOptions:
    name: str
    interaction_type: str
    interaction_subtype: str
    media_type: str
    allow_overwrite: bool
    queue: str
    tenant: str
    # Empty: every media type is accepted.
    allowed_media_types: frozenset[str]


def _listed(value: str) -> frozenset[str]:
    return frozenset(item.strip() for item in value.split(",") if item.strip())


def service_options(service_name: str) -> ServiceOptions:
    """The options ``service_name`` runs with; 404 (code 101) when it is not configured."""
    own = SECTION_PREFIX + service_name
    sections = get_sections([CATCH_ALL, own])
    if not sections:
        raise errors.service_not_found(service_name)
    options = {**sections.get(CATCH_ALL, {}), **sections.get(own, {})}

    def text(option: str) -> str:
        return options.get(option, "").strip()

    return ServiceOptions(
        name=service_name,
        interaction_type=text("interaction_type"),
        interaction_subtype=text("interaction_subtype"),
        media_type=text("media_type"),
        allow_overwrite=as_bool(options.get("allow_overwrite")),
        queue=text("queue"),
        tenant=text("tenant"),
        allowed_media_types=_listed(options.get("allowed_media_types", "")),
    )


@register_validator(CATCH_ALL)
def validate_openmedia_section(name: str, options: Options) -> Iterable[tuple[str, str]]:
    """Refuse on save what :func:`service_options` could not use.

    Registered under ``openmedia``: it applies to ``[openmedia]`` and ``[openmedia.*]``
    once :func:`apps.core.config.validator_key` maps those names to that key.
    """
    yield from check_bool(options, "allow_overwrite")
    allowed = _listed(options.get("allowed_media_types", ""))
    media_type = options.get("media_type", "").strip()
    if allowed and media_type and media_type not in allowed:
        yield "media_type", f"{media_type!r} is not in allowed_media_types"
