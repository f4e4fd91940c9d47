"""Push delivery (push.md §1, §5): one provider per channel, found by the channel's name.

A provider sends one message to one target and raises :class:`DeliveryError` when the
channel did not accept it; retrying is the caller's business (``apps.notification.tasks``).
The providers today are the two HTTP channels, ``httpcb`` and ``customhttp``; ``fcm``,
``gcm``, ``ios``, ``comet`` and ``orscb`` have none yet: a push to them is logged and
skipped (apps.notification.services.queue).
"""

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping

from apps.core import outbound
from apps.core.selectors import get_section

logger = logging.getLogger(__name__)

# push.md §2: ``comet`` since 8.5.103.10. Unknown names are ignored; an empty value
# disables push entirely.
DEFAULT_PUSH_ENABLED = "comet"
# GMS's [gms] http.connection_timeout / http.socket_timeout default to 10 s (push.md §2).
# Our choice: 5 s, because the embedded Celery worker is one thread that the callback
# dispatcher shares.
TIMEOUT_SECONDS = 5


class DeliveryError(Exception):
    """The channel did not accept the message: a network error or an unexpected status."""


def _post(
    url: str,
    body: bytes,
    content_type: str,
    accepted: Callable[[int], bool],
    headers: Mapping[str, str] | None = None,
) -> None:
    """A redirect is an answer like any other status (push.md §5.1): never followed."""
    try:
        status = outbound.post(
            url, body, content_type=content_type, timeout=TIMEOUT_SECONDS, headers=headers
        ).status
    except outbound.PostFailed as error:
        raise DeliveryError(str(error)) from error
    if not accepted(status):
        raise DeliveryError(f"POST {url}: HTTP {status}")


class Delivery(ABC):
    """A push provider: how one channel carries a message to a target."""

    channel: str

    @abstractmethod
    def send(self, target: str, message: str, authorization: str = "") -> None:
        """Deliver ``message`` to ``target``; raise DeliveryError when it was not accepted.

        ``authorization`` is the subscription's credential for its target, if any."""


class HttpCallback(Delivery):
    """``httpcb`` (push.md §5.1): POST the bare message to the target URL; only 200 succeeds.

    Content type UNCONFIRMED; our choice (push.md): ``text/plain;charset=utf-8``.
    """

    channel = "httpcb"

    def send(self, target: str, message: str, authorization: str = "") -> None:
        _post(target, message.encode(), "text/plain;charset=utf-8", lambda status: status == 200)


class CustomHttp(Delivery):
    """``customhttp`` (push.md §5.2): POST ``{"deviceId","message"}`` to ``[push] customhttp.url``.

    Success on any 2xx (UNCONFIRMED; push.md's choice). Named providers and the
    ``debug.`` twins are not used yet: ``[push] customhttp.url`` serves every push.
    A subscription's ``authorization`` goes in the ``Authorization`` header: as
    ``Basic <value>`` when the value has no space, else unchanged (notification.md §2.1).
    """

    channel = "customhttp"

    def send(self, target: str, message: str, authorization: str = "") -> None:
        url = (get_section("push") or {}).get("customhttp.url", "").strip()
        if not url:
            raise DeliveryError("[push] customhttp.url is not configured")
        body = json.dumps({"deviceId": target, "message": message}).encode()
        headers = {}
        if authorization:
            headers["Authorization"] = (
                authorization if " " in authorization else f"Basic {authorization}"
            )
        _post(url, body, "application/json", lambda status: 200 <= status < 300, headers)


PROVIDERS: dict[str, Delivery] = {
    provider.channel: provider for provider in (HttpCallback(), CustomHttp())
}


def enabled_channels(push: Mapping[str, str] | None = None) -> frozenset[str]:
    """The channels ``[push] pushEnabled`` lists (``push`` = that section, read when None)."""
    if push is None:
        push = get_section("push") or {}
    text = push.get("pushEnabled", DEFAULT_PUSH_ENABLED)
    return frozenset(name.strip().lower() for name in text.split(",") if name.strip())


def send(channel: str, target: str, message: str, authorization: str = "") -> None:
    """One attempt through the channel's provider; DeliveryError when there is none."""
    provider = PROVIDERS.get(channel)
    if provider is None:
        raise DeliveryError(f"no provider for the {channel!r} channel")
    provider.send(target, message, authorization)
