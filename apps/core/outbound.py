"""The HTTP POSTs this server makes to systems it is configured to call: push targets,
a telephony system's dial webhook, Orchestration Server.

One client for all of them, on the standard library (``requests`` is not a runtime
dependency): only http(s) URLs, a timeout, a bounded read, and redirects never
followed, so a configured URL cannot lead the server elsewhere and a 3xx counts as the
answer it is (each caller decides which statuses succeed).
"""

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_ANSWER_BYTES = 1024 * 1024


class PostFailed(Exception):
    """No HTTP answer: not an http(s) URL, refused, timed out, or a broken connection."""


@dataclass(frozen=True)
class Answer:
    status: int
    # At most MAX_ANSWER_BYTES + 1 bytes: more means the answer was too long.
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(
    url: str,
    body: bytes,
    *,
    content_type: str,
    timeout: float,
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """POST ``body`` to ``url`` (with more ``headers``); the answer whatever its status,
    or PostFailed."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise PostFailed(f"{url!r} is not an http(s) URL")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={**(headers or {}), "Content-Type": content_type}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return Answer(response.status, response.read(MAX_ANSWER_BYTES + 1))
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.read(MAX_ANSWER_BYTES + 1))
    except (OSError, ValueError) as error:  # URLError, timeouts, refused connections
        raise PostFailed(f"POST {url}: {error}") from error
