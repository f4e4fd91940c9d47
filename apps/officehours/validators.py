"""Office-hours sections are validated by the same parser that evaluates them."""

from collections.abc import Iterable

from apps.core.config import Options, register_validator
from apps.officehours.rules import office_hours_problems


@register_validator("service:office-hours")
def validate_office_hours(name: str, options: Options) -> Iterable[tuple[str, str]]:
    return office_hours_problems(options)
