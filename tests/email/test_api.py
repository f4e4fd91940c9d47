"""Email API v2 through HTTP (email.md): the three encodings, limits, bad input, the envelope."""

import json
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.test.client import encode_multipart

from apps.contactcenter.models import Interaction, Media
from apps.email.models import Attachment, Email
from tests.conftest import basic
from tests.email.conftest import URL, envelope, form

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes = b"%PDF-1.4 test", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_multipart(client: Client, data: dict, url: str = URL):
    return client.post(url, data)  # the test client encodes a dict as multipart/form-data


def created(response) -> Email:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["statusCode"] == 0
    assert len(body["interactionId"]) == 16 and body["interactionId"].isalnum()
    return Email.objects.get(pk=body["interactionId"])


def interaction_of(email: Email) -> Interaction:
    return Interaction.objects.get(source="email", source_id=email.pk)


# --- the three encodings ---------------------------------------------------------------


def test_multipart_with_an_attachment_queues_one_email(client, email_service):
    data = form(**{"userData[AccountNumber]": "AC-55120"})
    data["files"] = [upload("invoice-2024-118.pdf")]
    email = created(post_multipart(client, data))
    assert (email.first_name, email.last_name) == ("Maria", "Lopez")
    assert email.from_address == "maria.lopez@example.org"
    assert email.subject == "Question about my invoice"
    assert email.user_data == {"AccountNumber": "AC-55120"}
    assert (email.interaction_type, email.interaction_subtype) == ("Inbound", "InboundNew")
    (attachment,) = email.attachments.all()
    assert (attachment.name, attachment.content_type) == ("invoice-2024-118.pdf", "application/pdf")
    assert bytes(attachment.content) == b"%PDF-1.4 test" and attachment.size == 13
    interaction = interaction_of(email)
    assert interaction.media == Media.EMAIL and interaction.queue.name == "VQ_Email"
    assert interaction.user_data == {
        "AccountNumber": "AC-55120",
        "FromAddress": "maria.lopez@example.org",
        "FromPersonal": "Maria Lopez",
        "Subject": "Question about my invoice",
        "Mailbox": "",
    }


def test_urlencoded_takes_the_mailbox_and_ignores_files(client, email_service):
    body = (
        "firstName=Maria&lastName=Lopez&fromAddress=maria.lopez%40example.org&subject=Hi"
        "&text=Please+call+me&mailbox=billing%40company.example&userData%5BSource%5D=web"
        "&files=invoice.pdf"
    )
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    email = created(response)
    assert email.mailbox == "billing@company.example"
    assert email.user_data == {"Source": "web"}
    assert not email.attachments.exists()
    assert interaction_of(email).user_data["Mailbox"] == "billing@company.example"


def test_json_takes_user_data_as_an_object(client, email_service):
    body = form(userData={"Channel": "app", "Visits": 3, "Vip": True})
    email = created(client.post(URL, body, content_type="application/json"))
    assert email.user_data == {"Channel": "app", "Visits": "3", "Vip": "true"}


def test_user_data_as_key_value_fields_and_as_a_json_field(client, email_service):
    body = encode_multipart(
        "b0undary",
        {
            **form(),
            "userData": ["Channel=app", "Note=a=b", '{"Order": "42"}', "Channel=web"],
            "userData[Q1]": "yes",
        },
    )
    response = client.post(URL, body, content_type="multipart/form-data; boundary=b0undary")
    email = created(response)
    assert email.user_data == {"Channel": "web", "Note": "a=b", "Order": "42", "Q1": "yes"}


def test_the_configured_mailbox_applies_unless_the_request_sets_one(client, configure):
    configure({"email": {"mailbox": "help@company.example"}})
    assert created(client.post(URL, form())).mailbox == "help@company.example"
    other = created(client.post(URL, form(mailbox="sales@company.example")))
    assert other.mailbox == "sales@company.example"


def test_each_post_is_a_new_email(client, email_service):
    first = created(client.post(URL, form()))
    second = created(client.post(URL, form()))
    assert first.pk != second.pk
    assert Interaction.objects.filter(source="email").count() == 2


# --- the service's section ----------------------------------------------------------------


def test_a_service_section_inherits_from_email(client, configure):
    configure(
        {
            "email": {"queue": "VQ_Default", "tenant": "Environment", "max_files": "1"},
            "email.billing": {"queue": "VQ_Billing"},
        }
    )
    email = created(client.post(URL, form()))
    assert email.tenant == "Environment" and email.service_name == "billing"
    assert interaction_of(email).queue.name == "VQ_Billing"
    data = form(files=[upload("a.pdf"), upload("b.pdf")])
    assert envelope(client.post(URL, data), 400, 104) == "Too many files: 2 > 1"
    other = created(client.post("/genesys/2/email/other", form()))
    assert interaction_of(other).queue.name == "VQ_Default"


def test_the_queue_defaults_to_email(client, configure):
    configure({"email.PostEmail": {"tenant": "Environment"}})
    email = created(client.post("/genesys/2/email/PostEmail", form()))
    assert interaction_of(email).queue.name == "email"


def test_an_unknown_service_is_404_code_101(client, configure):
    configure({"email.billing": {"queue": "VQ_Billing"}})
    advice = envelope(client.post("/genesys/2/email/sales", form()), 404, 101)
    assert advice == "Service 'sales' is not configured"
    assert envelope(client.post("/genesys/2/email/a%20b", form()), 404, 101)
    assert envelope(client.post("/genesys/2/email/a/b", form()), 404, 101)
    assert not Email.objects.exists()


def test_service_names_take_letters_digits_dash_underscore_and_dot(client, configure):
    configure({"email.my-service_2.eu": {"queue": "VQ_Email"}})
    created(client.post("/genesys/2/email/my-service_2.eu", form()))


# --- required fields and their values -----------------------------------------------------


@pytest.mark.parametrize("field", ["firstName", "lastName", "fromAddress", "subject", "text"])
def test_a_missing_or_empty_field_is_code_102(client, email_service, field):
    missing = form()
    del missing[field]
    assert envelope(client.post(URL, missing), 400, 102) == f"Parameter '{field}' is missing"
    assert envelope(client.post(URL, form(**{field: "  "})), 400, 102)
    assert not Email.objects.exists()


@pytest.mark.parametrize(
    "address", ["maria", "maria@example", "@example.org", "a@b@example.org", "maria@.org"]
)
def test_a_bad_address_is_code_103(client, email_service, address):
    advice = envelope(client.post(URL, form(fromAddress=address)), 400, 103)
    assert advice == "Parameter 'fromAddress' is invalid"
    advice = envelope(client.post(URL, form(mailbox=address)), 400, 103)
    assert advice == "Parameter 'mailbox' is invalid"


def test_nul_anywhere_is_code_103(client, email_service):
    assert envelope(client.post(URL, form(subject="a\x00b")), 400, 103)
    assert envelope(client.post(URL, form(**{"userData[k]": "a\x00b"})), 400, 103)
    assert envelope(client.post(URL, form(**{"userData[a\x00]": "b"})), 400, 103)
    assert not Email.objects.exists()
    # Django's multipart parser already cuts a file name at a NUL; none is ever stored.
    response = client.post(URL, form(files=[upload("in\x00voice.pdf")]))
    assert response.status_code in (200, 400)
    assert all("\x00" not in name for name in Attachment.objects.values_list("name", flat=True))


@pytest.mark.parametrize(
    "changes",
    [
        {"firstName": 5},
        {"text": ["a"]},
        {"firstName": None},
        {"userData": [1, 2]},
        {"userData": {"nested": {"a": "b"}}},
        {"userData": {"n": None}},
        {"userData": 7},
        {"userData": "no-equals-sign"},
        {"userData": "{not json"},
        {"userData": "[1]"},
        {"subject": "x" * 999},
        {"firstName": "x" * 256},
    ],
)
def test_wrong_types_and_lengths_are_400(client, email_service, changes):
    response = client.post(URL, form(**changes), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["statusCode"] == 2


def test_bodies_that_are_not_an_object_are_400_and_other_types_415(client, email_service):
    for body in ("[1, 2]", '"text"', "{broken", "null"):
        response = client.post(URL, body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["statusCode"] == 2
    response = client.post(URL, "hello", content_type="text/plain")
    assert response.status_code == 415 and response.json()["statusCode"] == 2


def test_a_huge_form_is_refused_not_a_crash(client, email_service, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(URL, form(text="x" * 5000))
    assert response.status_code in (400, 413)
    assert response.json()["statusCode"] == 2


# --- files: count, type, size -------------------------------------------------------------


def test_eleven_files_exceed_the_default_ten(client, email_service):
    data = form(files=[upload(f"f{i}.txt", b"x", "text/plain") for i in range(11)])
    assert envelope(client.post(URL, data), 400, 104) == "Too many files: 11 > 10"
    data = form(files=[upload(f"f{i}.txt", b"x", "text/plain") for i in range(10)])
    assert created(client.post(URL, data)).attachments.count() == 10


@pytest.mark.parametrize("name", ["setup.exe", "README", ".pdf", "archive.tar.gz"])
def test_a_file_type_not_in_the_default_list_is_code_105(client, email_service, name):
    extension = name.rpartition(".")[2] if "." in name.lstrip(".") else ""
    advice = envelope(client.post(URL, form(files=[upload(name)])), 400, 105)
    assert advice == f"File type '{extension}' is not allowed"
    assert not Attachment.objects.exists() and not Email.objects.exists()


def test_extensions_compare_without_case(client, email_service):
    email = created(client.post(URL, form(files=[upload("SCAN.PDF"), upload("photo.Jpg")])))
    assert [a.name for a in email.attachments.all()] == ["SCAN.PDF", "photo.Jpg"]


def test_configured_file_types_replace_the_default_list(client, configure):
    configure({"email": {"file_types": "exe, .csv"}})
    assert envelope(client.post(URL, form(files=[upload("a.pdf")])), 400, 105)
    created(client.post(URL, form(files=[upload("a.exe"), upload("b.CSV")])))


def test_max_size_counts_the_bytes_of_all_files(client, configure):
    configure({"email": {"max_size": "1kb"}})

    def files(*sizes: int) -> list[SimpleUploadedFile]:
        return [upload(f"{i}.txt", b"x" * size, "text/plain") for i, size in enumerate(sizes)]

    created(client.post(URL, form(files=files(512, 512))))
    advice = envelope(client.post(URL, form(files=files(512, 512, 1))), 400, 106)
    assert advice == "Content size exceeds 1kb"


def test_the_default_max_size_is_ten_megabytes(client, email_service):
    big = upload("big.zip", b"\0" * (10 * 1024 * 1024 + 1), "application/zip")
    assert envelope(client.post(URL, form(files=[big])), 400, 106) == "Content size exceeds 10MB"


def test_a_part_without_a_plausible_type_gets_one_from_its_name(client, email_service):
    email = created(client.post(URL, form(files=[upload("photo.png", b"png", "")])))
    assert email.attachments.get().content_type == "image/png"


# --- downstream, auth ---------------------------------------------------------------------


def test_a_database_failure_is_503_retryable_and_stores_nothing(client, email_service):
    with patch("apps.email.services.contactcenter.enqueue", side_effect=OperationalError("down")):
        response = client.post(URL, form(files=[upload("a.pdf")]))
    advice = envelope(response, 503, 100, status_code=1)
    assert advice == "Email service temporarily unavailable"
    assert not Email.objects.exists() and not Attachment.objects.exists()


def test_basic_auth_of_the_server_section_applies(client, configure):
    configure({"email": {"queue": "VQ_Email"}, "server": {"password": "s3cret"}})
    response = client.post(URL, form())
    assert response.status_code == 401 and response.json()["statusCode"] == 2
    assert response["WWW-Authenticate"].startswith("Basic")
    created(client.post(URL, form(), HTTP_AUTHORIZATION=basic("any", "s3cret")))


def test_only_post_is_allowed(client, email_service):
    response = client.get(URL)
    assert response.status_code == 405 and response.json()["statusCode"] == 2
    assert json.loads(response.content)["errors"][0]["advice"]
