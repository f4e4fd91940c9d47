"""Validator of pattern groups: refuse on save what the Pattern Matcher could not use."""

from collections.abc import Iterable

from apps.core.config import PATTERN_GROUP_NAME, Options, register_validator
from apps.patterns.selectors import COMPILE_ERRORS, compile_pattern


@register_validator("patterns")
def validate_pattern_group(name: str, options: Options) -> Iterable[tuple[str, str]]:
    """pattern.md §1: a group name of letters, digits, ``_.-``; every pattern compiles."""
    if not PATTERN_GROUP_NAME.match(name):
        yield "", "pattern group names are 1 to 64 letters, digits, '_', '.' or '-'"
    for pattern_name, pattern in options.items():
        try:
            compile_pattern(pattern)
        except COMPILE_ERRORS as error:
            yield pattern_name, f"is not a valid regular expression: {error}"
