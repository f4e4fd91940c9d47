"""Writes of the configuration: every save is validated first, and one transaction each."""

from collections.abc import Mapping
from pathlib import Path

from django.db import transaction

from apps.core import config
from apps.core.models import Option, Section
from apps.core.selectors import all_sections


@transaction.atomic
def save_section(*, name: str, options: Mapping[str, str]) -> Section:
    """Create or replace a whole section. A malformed option raises ConfigError; nothing is written."""
    config.validate_section(name, options)
    section, _ = Section.objects.get_or_create(name=name)
    section.options.all().delete()
    Option.objects.bulk_create(
        Option(section=section, name=option, value=value, position=position)
        for position, (option, value) in enumerate(options.items())
    )
    section.save(update_fields=["updated_at"])
    return section


@transaction.atomic
def delete_section(*, name: str) -> bool:
    deleted, _ = Section.objects.filter(name=name).delete()
    return bool(deleted)


@transaction.atomic
def load_ini(*, text: str, replace_all: bool = False) -> list[str]:
    """Load GMS-style INI text. Each section in it replaces the stored one of the same name.

    Every section is validated before anything is written: one bad option and the
    load changes nothing. With ``replace_all`` the sections not in the text are removed.
    Returns the names of the sections loaded.
    """
    sections = config.parse_ini(text)
    config.validate_sections(sections)
    if replace_all:
        Section.objects.exclude(name__in=list(sections)).delete()
    for name, options in sections.items():
        save_section(name=name, options=options)
    return list(sections)


def load_ini_file(*, path: Path, replace_all: bool = False) -> list[str]:
    return load_ini(text=path.read_text(encoding="utf-8"), replace_all=replace_all)


def dump_ini() -> str:
    return config.format_ini(all_sections())
