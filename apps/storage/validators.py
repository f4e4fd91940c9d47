"""Validator of the ``[storage]`` section: the Basic auth credentials of the Storage API.

A username without a password is valid: it pairs with the ``[server]`` password
(responses.md §4.2). Only a username holding ``:`` is refused, since Basic auth
splits ``user:password`` at the first colon and no client could ever log in.
"""

from collections.abc import Iterable

from apps.core.config import Options, register_validator


@register_validator("storage")
def validate_storage(name: str, options: Options) -> Iterable[tuple[str, str]]:
    if ":" in options.get("username", ""):
        yield "username", "cannot contain ':' (HTTP Basic auth splits user:password there)"
