"""Sections the Service API tests share: a resource pool and the builtin services."""

import json

import pytest

POOL = ["+18005550100", "+18005550101"]


@pytest.fixture
def services(configure):
    """``[resources] DNIS`` with two numbers, and one service of each access kind."""
    configure(
        {
            "resources": {"DNIS": ",".join(POOL), "ONE": "+18005550199"},
            "service.request-interaction": {
                "_type": "builtin",
                "_service": "request-interaction",
            },
            "service.ri-code": {
                "_type": "builtin",
                "_service": "request-interaction",
                "_provide_code": "true",
                "_ttl": "60",
            },
            "service.request-access": {"_type": "builtin", "_service": "request-access"},
            "service.match-interaction": {"_type": "builtin", "_service": "match-interaction"},
        }
    )


def post(client, path: str, data: dict, encoding: str = "form"):
    """POST in one of the three encodings GMS accepts."""
    if encoding == "json":
        return client.post(path, json.dumps(data), content_type="application/json")
    if encoding == "multipart":
        return client.post(path, data)
    return client.post(
        path,
        "&".join(f"{k}={v}" for k, v in data.items()).replace("+", "%2B"),
        content_type="application/x-www-form-urlencoded",
    )
