"""The Open Media API through HTTP (openmedia.md): create, get, update, stop, errors."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders

from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import Interaction, InteractionState
from apps.core.config import ConfigError
from apps.openmedia.options import validate_openmedia_section
from apps.openmedia.services import MAX_KEYS

pytestmark = pytest.mark.django_db

BASE = "/genesys/2/openmedia"
SURVEY = {
    "queue": "VQ_Surveys",
    "interaction_type": "Inbound",
    "interaction_subtype": "InboundNew",
    "media_type": "survey",
}


@pytest.fixture
def survey(configure):
    configure({"openmedia.send-survey": SURVEY})


def create(client, service="send-survey", **data):
    return client.post(f"{BASE}/{service}", data)


def created_id(response) -> str:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["statusCode"] == 0 and set(body) == {"statusCode", "interactionId"}
    return body["interactionId"]


def envelope(response, status: int, code: int, status_code: int = 2) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json;charset=utf-8"
    body = response.json()
    assert body["statusCode"] == status_code
    assert [error["code"] for error in body["errors"]] == [code]
    return body["errors"][0]["advice"]


def properties(client, ixn: str, service="send-survey") -> dict:
    response = client.post(f"{BASE}/{service}/{ixn}/get")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["statusCode"] == 0
    return body["properties"]


def user_data(props: dict) -> dict:
    for item in props["interactionUserData"]:
        assert item["type"] == "str"
    return {item["key"]: item["value"] for item in props["interactionUserData"]}


def work(ixn: str) -> Interaction:
    return Interaction.objects.get(source="openmedia", source_id=ixn)


def test_create_queues_the_interaction_with_its_user_data(client, survey):
    response = create(
        client,
        externalId="CRM-7781",
        interactionType="Outbound",
        **{"userData[SurveyType]": "post-chat", "userData[Q1]": "5", "csiComment": "fine"},
    )
    ixn = created_id(response)
    assert len(ixn) == 16 and ixn.isalnum()
    queued = work(ixn)
    assert (queued.media, queued.state, queued.queue.name) == ("openmedia", "queued", "VQ_Surveys")
    expected = {
        "SurveyType": "post-chat",
        "Q1": "5",
        "csiComment": "fine",
        "ExternalId": "CRM-7781",
    }
    assert queued.user_data == expected | {
        "_openMediaId": ixn,
        "_interactionType": "Inbound",
        "_interactionSubType": "InboundNew",
        "_mediaType": "survey",
    }
    props = properties(client, ixn)
    assert user_data(props) == expected
    assert props["interactionType"] == "Inbound"  # allow_overwrite is false by default
    assert props["interactionSubtype"] == "InboundNew"
    assert props["interactionMediatype"] == "survey"
    assert props["interactionState"] == "queued"
    assert props["interactionQueue"] == "VQ_Surveys"
    assert props["interactionSubmittedBy"] == "send-survey"
    assert props["interactionTenantId"] == 1
    assert props["interactionPlaceInQueueSeq"] == queued.pk
    assert props["interactionIsLocked"] is False
    assert (
        props["interactionReceivedAt"].endswith("Z") and len(props["interactionReceivedAt"]) == 20
    )


def test_an_empty_create_is_accepted(client, survey):
    ixn = created_id(client.post(f"{BASE}/send-survey"))
    assert user_data(properties(client, ixn)) == {}


def test_json_and_multipart_bodies(client, survey):
    body = {"externalId": 7, "userData": {"a": "1", "b": True}, "flag": 2.5}
    ixn = created_id(
        client.post(f"{BASE}/send-survey", json.dumps(body), content_type="application/json")
    )
    assert user_data(properties(client, ixn)) == {
        "a": "1",
        "b": "true",
        "flag": "2.5",
        "ExternalId": "7",
    }
    ixn = created_id(client.post(f"{BASE}/send-survey", {"userData[x]": "y"}, format="multipart"))
    assert user_data(properties(client, ixn)) == {"x": "y"}


def test_allow_overwrite_honours_request_types(client, configure):
    configure(
        {"openmedia": {"queue": "VQ_Any", "allow_overwrite": "true", "media_type": "workitem"}}
    )
    ixn = created_id(
        create(
            client,
            "anything",
            interactionType="Inbound",
            interactionSubType="New",
            mediaType="survey",
        )
    )
    props = properties(client, ixn, service="other")
    assert (props["interactionType"], props["interactionSubtype"]) == ("Inbound", "New")
    assert props["interactionMediatype"] == "survey"
    assert props["interactionQueue"] == "VQ_Any"


def test_specific_section_inherits_the_catch_all(client, configure):
    configure({"openmedia": {"queue": "VQ_Any", "interaction_type": "Inbound"}})
    configure({"openmedia.mine": {"media_type": "workitem"}})
    props = properties(client, created_id(create(client, "mine")), service="mine")
    assert (props["interactionType"], props["interactionMediatype"]) == ("Inbound", "workitem")


def test_allowed_media_types(client, configure):
    configure(
        {
            "openmedia.x": {
                "queue": "VQ_X",
                "allow_overwrite": "true",
                "allowed_media_types": "workitem, survey",
            }
        }
    )
    assert (
        envelope(create(client, "x", mediaType="chat"), 400, 103) == "Invalid value for 'mediaType'"
    )
    assert envelope(create(client, "x"), 400, 103)  # no media type at all is not listed
    created_id(create(client, "x", mediaType="survey"))
    assert (
        not Interaction.objects.filter(queue__name="VQ_X")
        .exclude(user_data___mediaType="survey")
        .exists()
    )


def test_unknown_service_and_missing_queue(client, configure):
    advice = envelope(create(client, "send-survey"), 404, 101)
    assert advice == "Service 'send-survey' is not configured"
    configure({"openmedia.noqueue": {"media_type": "workitem"}})
    assert envelope(create(client, "noqueue"), 503, 100, status_code=1) == (
        "Open media service temporarily unavailable"
    )
    assert not Interaction.objects.exists()


def test_unknown_interaction_operation_and_service(client, survey):
    advice = envelope(client.post(f"{BASE}/send-survey/0002KaBM7C2X004F/get"), 404, 107)
    assert advice == "Interaction 0002KaBM7C2X004F not found"
    for op in ("update", "updateUserData", "stop"):
        envelope(client.post(f"{BASE}/send-survey/0002KaBM7C2X004F/{op}"), 404, 107)
    ixn = created_id(create(client))
    envelope(client.post(f"{BASE}/send-survey/{ixn}/delete"), 404, 101)
    envelope(client.post(f"{BASE}/nosuch/{ixn}/get"), 404, 101)


def test_get_answers_get_too(client, survey):
    ixn = created_id(create(client))
    response = client.get(f"{BASE}/send-survey/{ixn}/get")
    assert response.json()["properties"]["interactionId"] == ixn


def test_update_upserts_user_data(client, survey):
    ixn = created_id(create(client, **{"userData[a]": "1", "userData[b]": "2"}))
    response = client.post(
        f"{BASE}/send-survey/{ixn}/update", {"userData[b]": "", "userData[c]": "3"}
    )
    assert response.status_code == 200 and response.json() == {"statusCode": 0}
    response = client.post(
        f"{BASE}/send-survey/{ixn}/updateUserData",
        json.dumps({"userData": {"d": "4"}}),
        content_type="application/json",
    )
    assert response.json() == {"statusCode": 0}
    assert user_data(properties(client, ixn)) == {"a": "1", "b": "", "c": "3", "d": "4"}


def test_stop_a_queued_interaction(client, survey):
    ixn = created_id(create(client))
    response = client.post(
        f"{BASE}/send-survey/{ixn}/stop", {"reason": "gone", "userData[why]": "x"}
    )
    assert response.status_code == 200 and response.json() == {"statusCode": 0}
    assert work(ixn).state == InteractionState.ABANDONED
    props = properties(client, ixn)
    assert props["interactionState"] == "stopped"
    assert user_data(props) == {"why": "x"}
    again = client.post(f"{BASE}/send-survey/{ixn}/stop")
    assert again.status_code == 200 and again.json() == {"statusCode": 0}
    advice = envelope(
        client.post(f"{BASE}/send-survey/{ixn}/update", {"userData[a]": "1"}), 400, 108
    )
    assert advice == "Interaction is stopped"


def _agent(queue: str):
    user = get_user_model().objects.create_user("ann", password="x")
    agent = contactcenter.register_agent(user=user, queue_names=[queue])
    contactcenter.login(agent=agent)
    contactcenter.set_ready(agent=agent)
    return agent


def test_stop_while_offered_frees_the_agent(client, survey):
    agent = _agent("VQ_Surveys")
    ixn = created_id(create(client))
    contactcenter.route()
    assert work(ixn).state == InteractionState.OFFERED
    assert properties(client, ixn)["interactionState"] == "queued"
    client.post(f"{BASE}/send-survey/{ixn}/stop")
    assert work(ixn).state == InteractionState.ABANDONED
    assert agent.capacities.get(media="openmedia").load == 0


def test_accepted_work_is_processing_and_a_stop_leaves_it_with_its_agent(client, survey):
    agent = _agent("VQ_Surveys")
    ixn = created_id(create(client))
    contactcenter.route()
    contactcenter.accept(interaction=work(ixn), agent=agent)
    props = properties(client, ixn)
    assert (props["interactionState"], props["interactionIsLocked"]) == ("processing", True)
    client.post(f"{BASE}/send-survey/{ixn}/update", {"userData[note]": "n"})
    assert user_data(properties(client, ixn)) == {"note": "n"}
    assert client.post(f"{BASE}/send-survey/{ixn}/stop").json() == {"statusCode": 0}
    assert work(ixn).state == InteractionState.ACCEPTED
    assert properties(client, ixn)["interactionState"] == "stopped"
    contactcenter.complete(interaction=work(ixn), agent=agent, disposition="done")
    assert work(ixn).state == InteractionState.COMPLETED


def test_completed_by_the_agent_is_stopped(client, survey):
    agent = _agent("VQ_Surveys")
    ixn = created_id(create(client))
    contactcenter.route()
    contactcenter.accept(interaction=work(ixn), agent=agent)
    contactcenter.complete(interaction=work(ixn), agent=agent)
    assert properties(client, ixn)["interactionState"] == "stopped"
    envelope(client.post(f"{BASE}/send-survey/{ixn}/update", {"userData[a]": "1"}), 400, 108)


@pytest.mark.parametrize(
    "body",
    [
        {"userData": "text"},
        {"userData": ["a"]},
        {"userData": {"a": {"b": "c"}}},
        {"userData": {"": "empty key"}},
        {"externalId": {"x": 1}},
        {"mediaType": ["a"]},
        {"bare": [1, 2]},
        {"userData": {"a": "nul\u0000"}},
        {"userData": {"nul\u0000": "a"}},
        {"externalId": "x" * 256},
        {"userData": {"big": "x" * 70000}},
        {"userData": {str(n): "v" for n in range(501)}},
    ],
)
def test_bad_create_bodies_are_400(client, survey, body):
    response = client.post(f"{BASE}/send-survey", json.dumps(body), content_type="application/json")
    envelope(response, 400, 102)
    assert not Interaction.objects.exists()


def test_bad_bodies_of_update_and_stop(client, survey):
    ixn = created_id(create(client))
    for op, body in (
        ("update", {"userData": "x"}),
        ("update", ["not", "an", "object"]),
        ("stop", {"reason": "r" * 256}),
        ("stop", {"reason": {"a": 1}}),
    ):
        response = client.post(
            f"{BASE}/send-survey/{ixn}/{op}", json.dumps(body), content_type="application/json"
        )
        envelope(response, 400, 102)
    response = client.post(
        f"{BASE}/send-survey/{ixn}/update", "{not json", content_type="application/json"
    )
    envelope(response, 400, 102)
    assert properties(client, ixn)["interactionState"] == "queued"


def test_nul_in_form_path_and_other_content_types(client, survey):
    envelope(create(client, **{"userData[a]": "x\x00y"}), 400, 102)
    envelope(client.post(f"{BASE}/send%00survey"), 400, 102)
    envelope(client.post(f"{BASE}/send-survey/ab%00c/get"), 400, 102)
    response = client.post(f"{BASE}/send-survey", "hello", content_type="text/plain")
    envelope(response, 415, 102)


def test_validator_of_openmedia_sections():
    assert list(validate_openmedia_section("openmedia", SURVEY)) == []
    problems = dict(
        validate_openmedia_section(
            "openmedia.x",
            {"allow_overwrite": "yes", "allowed_media_types": "a,b", "media_type": "c"},
        )
    )
    assert set(problems) == {"allow_overwrite", "media_type"}


def test_a_malformed_openmedia_section_is_refused_on_save(configure):
    with pytest.raises(ConfigError, match=r"\[openmedia.x\] allow_overwrite"):
        configure({"openmedia.x": {"allow_overwrite": "yes"}})


def test_the_desk_loads_the_open_media_panel_after_the_desk(client, db):
    user = get_user_model().objects.create_user("dora", password="x")
    contactcenter.register_agent(user=user)
    client.force_login(user)
    page = client.get("/desk/").content.decode()
    assert page.index("desk/desk.js") < page.index("desk/openmedia.js")
    script = finders.find("desk/openmedia.js")
    assert script and 'Desk.panels.register("openmedia"' in Path(script).read_text()


def test_a_body_over_the_upload_limit_is_a_4xx(client, survey, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    envelope(create(client, **{"userData[a]": "x" * 5000}), 400, 102)
    assert not Interaction.objects.exists()


def test_user_data_beyond_the_key_limit_is_refused_whole(client, survey):
    ixn = created_id(create(client, **{f"userData[k{n}]": "v" for n in range(MAX_KEYS)}))
    update = f"{BASE}/send-survey/{ixn}/update"
    advice = envelope(client.post(update, {"userData[one-more]": "v"}), 400, 102)
    assert advice == f"At most {MAX_KEYS} user data keys"
    assert "one-more" not in user_data(properties(client, ixn))
    too_many = {f"userData[k{n}]": "v" for n in range(MAX_KEYS + 1)}
    assert envelope(create(client, **too_many), 400, 102) == advice
    assert Interaction.objects.count() == 1
