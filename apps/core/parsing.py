"""One reader for request bodies in the three encodings GMS accepts (README conventions).

``application/x-www-form-urlencoded``, ``multipart/form-data`` and
``application/json`` all become the same :class:`RequestParams`: string values by
key, files by key, and form keys shaped ``userData[key]`` (or ``userData["key"]``)
gathered into a nested ``{"userData": {"key": value}}``.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from rest_framework.request import Request

from apps.core.errors import BadRequest

USER_DATA = "userData"
BRACKET_KEY = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<key>[^\[\]]*)\]$")


@dataclass
class RequestParams:
    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def text(self, name: str, default: str = "") -> str:
        value = self.values.get(name)
        return default if value is None else str(value)


def _set(values: dict[str, Any], key: str, value: Any) -> None:
    match = BRACKET_KEY.match(key)
    if match:
        inner = match.group("key").strip().strip("\"'")
        nested = values.get(match.group("name"))
        if not isinstance(nested, dict):
            nested = values[match.group("name")] = {}
        nested[inner] = value
    else:
        values[key] = value


def parse_params(request: Request) -> RequestParams:
    """The body of a POST/PUT as RequestParams; a JSON body must be an object.

    A key sent twice keeps its last value (storage.md §2, pattern.md §2.2).
    """
    data = request.data
    params = RequestParams()
    if hasattr(data, "lists"):  # a form: QueryDict, files included for multipart
        for key, items in data.lists():
            if not items:
                continue
            value = items[-1]
            if isinstance(value, UploadedFile):
                params.files[key] = value
            else:
                _set(params.values, key, value)
    elif isinstance(data, dict):
        for key, value in data.items():
            _set(params.values, key, value)
    else:
        raise BadRequest("The request body must be a JSON object or a form")
    return params


def flat_items(values: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Each key and value, a ``userData`` object's keys in its place: form clients
    (``userData[key]``) and JSON clients then store the same plain keys."""
    for key, value in values.items():
        if key == USER_DATA and isinstance(value, dict):
            yield from value.items()
        else:
            yield key, value
