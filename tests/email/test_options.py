"""The email sections' validator and defaults (email.md §2)."""

from unittest.mock import patch

import pytest

from apps.core.config import ConfigError
from apps.email.options import parse_size, resolve, validate_email_section


def problems(options: dict[str, str]) -> dict[str, str]:
    return dict(validate_email_section("email.billing", options))


def test_good_options_pass_and_unknown_ones_are_ignored():
    options = {
        "max_files": "0",
        "max_size": "512KB",
        "file_types": "pdf, .PNG",
        "queue": "VQ_Email",
        "mailbox": "billing@company.example",
        "tenant": "Environment",
        "anything": "else",
    }
    assert problems(options) == {}


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("max_files", "ten"),
        ("max_files", "-1"),
        ("max_size", "10 GB"),
        ("max_size", "MB"),
        ("file_types", " , "),
        ("queue", "q" * 256),
    ],
)
def test_bad_options_are_named(option, value):
    assert option in problems({option: value})


@pytest.mark.parametrize(
    ("text", "size"),
    [("10MB", 10485760), ("1kb", 1024), ("2048", 2048), (" 3 Mb ", 3145728), ("1.5MB", None)],
)
def test_sizes_are_bytes_kb_or_mb_1024_based(text, size):
    assert parse_size(text) == size


def test_defaults_apply_and_unreadable_values_fall_back():
    # As saved before the validator existed: read from the database without a check.
    stored = {"email": {"max_files": "many", "max_size": "huge"}}
    with patch("apps.email.options.get_sections", return_value=stored):
        service = resolve("billing")
    assert service is not None
    assert (service.max_files, service.max_size, service.max_size_text) == (10, 10485760, "10MB")
    assert service.file_types == {"pdf", "doc", "txt", "jpg", "png", "gif", "bmp", "zip"}
    assert (service.queue, service.interaction_type, service.interaction_subtype) == (
        "email",
        "Inbound",
        "InboundNew",
    )


def test_no_section_means_no_service(db):
    assert resolve("billing") is None


def test_saving_a_malformed_email_section_is_refused(configure):
    with pytest.raises(ConfigError) as error:
        configure({"email.billing": {"max_size": "huge", "max_files": "ten"}})
    message = str(error.value)
    assert "[email.billing] max_size: must be bytes, <n>KB or <n>MB" in message
    assert "[email.billing] max_files: must be a whole number" in message
    with pytest.raises(ConfigError, match=r"\[email\] file_types"):
        configure({"email": {"file_types": ","}})
