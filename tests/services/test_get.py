"""GET /genesys/1/service/{get service} (service.md §3.4): a probe for load balancers."""

import pytest

from apps.core.config import ConfigError
from apps.node import services as node_services
from apps.node.models import NodeStatus
from tests.conftest import basic

pytestmark = pytest.mark.django_db

GET = {"_type": "builtin", "_service": "get", "custom_parameter_1": "value1", "other": "v2"}


@pytest.fixture
def offline():
    node_services.change_status(status=NodeStatus.OFFLINE)


def test_online_answers_200_and_the_custom_options(client, configure):
    configure({"service.probe": {**GET, "password": "secret", "username": "lb"}})
    response = client.get("/genesys/1/service/probe", HTTP_AUTHORIZATION=basic("lb", "secret"))
    assert response.status_code == 200
    # Neither the control options nor the service's own credentials are shown.
    assert response.json() == {"custom_parameter_1": "value1", "other": "v2"}


def test_offline_answers_503(client, configure, offline):
    configure({"service.probe": GET})
    response = client.get("/genesys/1/service/probe")
    assert response.status_code == 503
    assert response.json() == {"custom_parameter_1": "value1", "other": "v2"}


def test_configured_codes(client, configure, offline):
    configure({"service.probe": {**GET, "_online_code": "299", "_offline_code": "204"}})
    response = client.get("/genesys/1/service/probe")
    assert (response.status_code, response.content) == (204, b"")


def test_codes_are_validated(configure):
    with pytest.raises(ConfigError, match="_online_code: must be an HTTP status"):
        configure({"service.probe": {**GET, "_online_code": "99"}})
