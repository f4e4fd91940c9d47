"""Admin endpoints (callback.md §3.8, §3.9) through HTTP."""

import csv
import io

import pytest

from apps.callback.models import Callback, State
from tests.callback.conftest import SERVICE, future, iso

pytestmark = pytest.mark.django_db

QUEUES = "/genesys/1/admin/callback/queues"
WATERMARKS = "/genesys/1/admin/callback/watermarks"
CANCEL = "/genesys/1/admin/callback/cancel"
REPORT = "/genesys/1/admin/callback/reportcancelled"


@pytest.fixture
def two_services(configure, service):
    configure({"service.cb-support": {"_type": "ors", "_service": "callback"}})


def test_admin_endpoints_need_the_admin(client, service):
    for url in (QUEUES, WATERMARKS):
        assert client.get(url).status_code == 401
    for url in (CANCEL, REPORT):
        assert client.post(url, {}, content_type="application/json").status_code == 401


def test_queues_by_service_window_states_and_filter_keys(
    client, admin_headers, two_services, create
):
    immediate = create(reason="vip").json()["_id"]
    later = create(_desired_time=iso(future(60))).json()["_id"]
    create(_desired_time=iso(future(60 * 30)))  # outside the default 24 h window
    body = client.get(QUEUES, headers=admin_headers).json()
    assert set(body) == {SERVICE, "cb-support"} and body["cb-support"] == []
    assert [r["_id"] for r in body[SERVICE]] == [immediate, later]
    assert body[SERVICE][0]["_callback_state"] == "QUEUED"
    queued = client.get(f"{QUEUES}?states=QUEUED&target={SERVICE}", headers=admin_headers)
    assert [r["_id"] for r in queued.json()[SERVICE]] == [immediate]
    limited = client.get(f"{QUEUES}?max=1", headers=admin_headers).json()
    assert [r["_id"] for r in limited[SERVICE]] == [immediate]
    by_state = client.get(f"{QUEUES}?_callback_state=SCHEDULED", headers=admin_headers).json()
    assert [r["_id"] for r in by_state[SERVICE]] == [later]
    wide = client.get(
        f"{QUEUES}?start_time={iso(future(0))}&end_time={iso(future(60 * 40))}",
        headers=admin_headers,
    ).json()
    assert len(wide[SERVICE]) == 2


def test_queues_filter_on_a_user_key_added_to_filter_keys(
    client, admin_headers, configure, service, create
):
    configure({"callback": {"filter-keys": "_callback_state,_service_type"}})
    wanted = create(_service_type="gold", _customer_number="+14155550143").json()["_id"]
    create(_service_type="silver")
    Callback.objects.filter(pk=wanted).update(user_data={"_service_type": "gold"})
    body = client.get(f"{QUEUES}?_service_type=gold", headers=admin_headers).json()
    assert [r["_id"] for r in body[SERVICE]] == [wanted]


@pytest.mark.parametrize(
    "query",
    [
        "target=nope",
        "start_time=yesterday",
        "max=-1",
        "max=x",
        "states=QUEUED,NAPPING",
        "end_time=99999-01-01T00:00:00Z",
    ],
)
def test_queues_bad_input_is_4xx(client, admin_headers, service, query):
    assert client.get(f"{QUEUES}?{query}", headers=admin_headers).status_code in (400, 404)


def test_watermarks_count_queued_and_processing(client, admin_headers, two_services, create):
    create()
    create(_desired_time=iso(future(60)), _customer_number="+14155550143")
    assert client.get(WATERMARKS, headers=admin_headers).json() == {
        "services": {SERVICE: 1, "cb-support": 0},
        "total": 1,
    }
    only = client.get(f"{WATERMARKS}?service_name=cb-support", headers=admin_headers).json()
    assert only == {"services": {"cb-support": 0}, "total": 0}


def test_bulk_cancel_reports_each_id(client, admin_headers, service, create):
    queued = create().json()["_id"]
    scheduled = create(_desired_time=iso(future(60))).json()["_id"]
    processing = create(_customer_number="+14155550143").json()["_id"]
    Callback.objects.filter(pk=processing).update(state=State.PROCESSING)
    response = client.post(
        CANCEL,
        {"reason": "CANCELLED_BY_ADMIN", "ids": [queued, scheduled, processing, "nope"]},
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert body[queued] == {
        "_action": "ConfirmationDialog",
        "_text": "Callback cancelled",
        "_ok_title": "Ok",
    }
    assert body[scheduled]["_ok_title"] == "Ok"
    assert body[processing]["_ok_title"] == "FAILURE_MISSING"
    assert body["nope"]["_ok_title"] == "FAILURE_MISSING"
    done = Callback.objects.get(pk=queued)
    assert (done.state, done.reason) == ("COMPLETED", "CANCELLED_BY_ADMIN")
    assert Callback.objects.get(pk=processing).state == State.PROCESSING
    again = client.post(
        CANCEL, {"ids": [queued]}, content_type="application/json", headers=admin_headers
    )
    assert again.json()[queued]["_ok_title"] == "FAILURE_MISSING"


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": "abc"}, {"ids": [1]}, {"ids": ["a"], "reason": 5}, {"ids": ["x" * 100000]}],
)
def test_bulk_cancel_bad_input_is_400(client, admin_headers, service, body):
    response = client.post(CANCEL, body, content_type="application/json", headers=admin_headers)
    if "x" * 100000 in body.get("ids", []):
        assert response.status_code == 200
    else:
        assert response.status_code == 400


def test_report_cancelled_is_csv(client, admin_headers, service, create):
    first = create(first_name="Ann").json()["_id"]
    create(_customer_number="+14155550143")
    client.post(CANCEL, {"ids": [first]}, content_type="application/json", headers=admin_headers)
    response = client.post(
        REPORT,
        {"callback_reason": "CANCELLED_BY_ADMIN", "exported_properties": ["first_name", "_x"]},
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["_id", "first_name", "_x"], [first, "Ann", ""]]


@pytest.mark.parametrize(
    "body", [{}, {"callback_reason": ""}, {"callback_reason": "X", "exported_properties": "a"}]
)
def test_report_bad_input_is_400(client, admin_headers, service, body):
    response = client.post(REPORT, body, content_type="application/json", headers=admin_headers)
    assert response.status_code == 400
