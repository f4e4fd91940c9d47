"""Capacity sections are validated by the same parser that evaluates them."""

from collections.abc import Iterable

from apps.capacity.grid import capacity_problems
from apps.core.config import Options, register_validator


@register_validator("service:capacity")
def validate_capacity(name: str, options: Options) -> Iterable[tuple[str, str]]:
    return capacity_problems(options)
