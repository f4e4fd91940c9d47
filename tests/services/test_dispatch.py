"""``/genesys/1/service/{name}`` answers as the section's kind says (service.md §2)."""

import pytest

from tests.conftest import assert_gms_error

pytestmark = pytest.mark.django_db


def test_a_service_kind_without_a_query_is_405(client, configure):
    configure({"service.hello": {"_type": "ors", "_service": "http://ors:7210/hello.scxml"}})
    response = client.get("/genesys/1/service/hello")
    body = assert_gms_error(response, 405)
    assert body["message"] == "Service hello does not answer GET"
    assert response["Allow"] == "POST"  # a workflow is started, not queried


def test_an_office_hours_service_of_type_ors_is_still_office_hours(client, configure):
    # calendar.md §1: a Genesys test config uses _type=ors; both are builtin for us.
    configure(
        {
            "service.oh": {
                "_type": "ors",
                "_service": "office-hours",
                "_ors": "http://localhost:7210",
                "_bh_regular1": "Mon-Fri 08:00-20:00",
                "_holiday1": "2020-07-15",
                "_timezone": "UTC",
            }
        }
    )
    body = client.get("/genesys/1/service/oh", {"start": "2020-07-15T10:00:00Z"}).json()
    assert body["days"] == [{"date": "2020-07-15", "periods": []}]


def test_a_callback_service_of_type_ors_is_no_workflow(client, configure):
    configure({"service.cb": {"_type": "ors", "_service": "callback", "_ors": "http://ors:1"}})
    response = client.post("/genesys/1/service/cb")
    assert_gms_error(response, 405)
