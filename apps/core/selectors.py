"""Reads of the configuration. Options are read on every request, so an edit applies at once."""

from collections.abc import Iterable

from apps.core.config import Options
from apps.core.models import Option, Section


def get_sections(names: Iterable[str]) -> dict[str, Options]:
    """{name: options} for the named sections that exist, in one query."""
    found: dict[str, Options] = {}
    rows = (
        Option.objects.filter(section__name__in=list(names))
        .order_by("section__name", "position", "id")
        .values_list("section__name", "name", "value")
    )
    for section, name, value in rows:
        found.setdefault(section, {})[name] = value
    return found


def get_section(name: str) -> Options | None:
    """The options of one section, or None when it is not configured.

    A section with no option at all counts as not configured.
    """
    return get_sections([name]).get(name)


def all_sections() -> dict[str, Options]:
    """Every section with its options, sections by name, options in file order."""
    return {
        section.name: {option.name: option.value for option in section.options.all()}
        for section in Section.objects.prefetch_related("options")
    }


def service_sections(kind: str) -> dict[str, Options]:
    """The ``service.*`` sections whose ``_service`` is ``kind``, by service name."""
    names = Option.objects.filter(
        section__name__startswith="service.", name="_service", value=kind
    ).values_list("section__name", flat=True)
    return {name.removeprefix("service."): options for name, options in get_sections(names).items()}
