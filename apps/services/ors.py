"""``_type=ors`` services (service.md §4): start an SCXML session on an Orchestration Server.

We run no ORS ourselves, so a workflow service is only as good as the ``_ors`` URLs
configured for it. Our choices (UNCONFIRMED beyond service.md §4):

* The request is ``POST {ors}/scxml/session/start``, form-encoded: ``src`` = the
  service's ``_service`` (the SCXML URL), ``_service_name``, and every request
  parameter as text (``userData[key]`` as ``key``; files are not sent).
* A 2xx answer whose body is JSON is the service's answer, unchanged, with 200. Anything
  else (refused, timed out, another status, not JSON) is a failed attempt.
* Up to ``[ors] max_ors_request_attempts`` attempts per request (default: one per
  ``_ors`` URL), moving along the list: ``linear`` starts at the first URL every time,
  ``circular`` starts each request at the URL after the previous request's start
  (a counter in the cache, shared by the nodes). Then 500 OrsServiceException.
* No instance or user-data storage is made for a workflow: the workflow owns its data.
"""

import json
import logging
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.request import Request

from apps.core import outbound
from apps.core.config import Options, resolve_options
from apps.core.errors import GMSError
from apps.core.parsing import flat_items, parse_params
from apps.core.selectors import get_section
from apps.services import registry
from apps.services.params import text

logger = logging.getLogger(__name__)

ORS_EXCEPTION = "com.genesyslab.gsg.services.ors.OrsServiceException"
ORS_FAILED = "ORS request failed: cannot connect to ORS. IO issue."
TIMEOUT_SECONDS = 5
JSON_CONTENT_TYPE = "application/json;charset=utf-8"


def ors_urls(options: Options) -> list[str]:
    return [url.strip().rstrip("/") for url in options.get("_ors", "").split(",") if url.strip()]


def max_attempts(urls: list[str]) -> int:
    value = (get_section("ors") or {}).get("max_ors_request_attempts", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else len(urls)


def first_url(service_name: str, options: Options, count: int) -> int:
    """Where this request starts in the ``_ors`` list (service.md §4)."""
    if options.get("_ors_lb_strategy", "").strip() != "circular" or count < 2:
        return 0
    key = f"gms:ors-next:{service_name}"
    cache.add(key, 0, timeout=None)
    return (cache.incr(key) - 1) % count


def start_session(url: str, form: dict[str, str]) -> bytes | None:
    """The JSON answer of one ORS, or None when this attempt failed (no answer, not 2xx,
    too long, not JSON; a redirect is not the workflow's answer)."""
    try:
        answer = outbound.post(
            f"{url}/scxml/session/start",
            urlencode(form).encode(),
            content_type="application/x-www-form-urlencoded",
            timeout=TIMEOUT_SECONDS,
        )
    except outbound.PostFailed as error:
        logger.warning("ORS %s failed: %s", url, error)
        return None
    if not 200 <= answer.status < 300 or len(answer.body) > outbound.MAX_ANSWER_BYTES:
        logger.warning("ORS %s answered HTTP %s", url, answer.status)
        return None
    try:
        json.loads(answer.body)
    except ValueError:
        logger.warning("ORS %s answered no JSON", url)
        return None
    return answer.body


@registry.register(registry.ORS, "POST")
def start_workflow(request: Request, service_name: str, options: Options) -> HttpResponse:
    params = parse_params(request).values
    resolved = resolve_options(options, params).options
    form = {key: text(value) for key, value in flat_items(params)}
    form.update(src=resolved.get("_service", ""), _service_name=service_name)
    urls = ors_urls(resolved)
    start = first_url(service_name, resolved, len(urls))
    for attempt in range(max_attempts(urls) if urls else 0):
        answer = start_session(urls[(start + attempt) % len(urls)], form)
        if answer is not None:
            return HttpResponse(answer, content_type=JSON_CONTENT_TYPE)
    raise GMSError(ORS_FAILED, status=500, exception=ORS_EXCEPTION)
