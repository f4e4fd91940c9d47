"""Java regex translation, group validation and verbatim storage (pattern.md §1, §4)."""

import pytest

from apps.core import config
from apps.core import selectors as config_selectors
from apps.core import services as config_services
from apps.patterns.selectors import compile_pattern, match_fields, translate_java_regex


@pytest.mark.parametrize(
    ("java", "python"),
    [
        (r"\Qa.b*c\E", r"a\.b\*c"),
        (r"x\Q+1\E\d", r"x\+1\d"),
        (r"\Qopen.ended", r"open\.ended"),
        (r"\\Q", r"\\Q"),
        (r"abc\z", r"abc\Z"),
        (r"\d{3}", r"\d{3}"),
    ],
)
def test_translate_java_regex(java, python):
    assert translate_java_regex(java) == python


def test_java_end_of_input_semantics():
    assert compile_pattern(r"abc\Z").search("abc\n")
    assert not compile_pattern(r"abc\z").search("abc\n")


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        (r"\p{Alpha}+", "abc", True),
        (r"\p{L}+", "Grüße", True),
        (r"\p{Lu}\p{Ll}+", "Paris", True),
        (r"a*+a", "aaa", False),
        (r"(?>ab|a)c", "ac", True),
        (r"[a-z&&[^aeiou]]+", "bcd", True),
        (r"[a-z&&[^aeiou]]+", "bad", False),
        (r"(?i)abc", "ABC", True),
    ],
)
def test_java_syntax_the_regex_package_understands(pattern, value, matches):
    assert bool(compile_pattern(pattern).fullmatch(value)) is matches


def test_fields_match_the_first_pattern_in_configured_order():
    patterns = {"digits": r"\d+", "three": r"\d{3}"}
    assert match_fields(patterns, {"a": "555", "b": "x"}) == {"a": "digits"}


def test_invalid_pattern_is_refused_naming_section_and_option(db):
    with pytest.raises(config.ConfigError) as caught:
        config_services.save_section(name="cb_errors", options={"ok": r"\d", "broken": "(["})
    assert [(s, o) for s, o, _ in caught.value.problems] == [("cb_errors", "broken")]
    assert str(caught.value).startswith("[cb_errors] broken: is not a valid regular expression")
    assert config_selectors.get_section("cb_errors") is None


@pytest.mark.parametrize("pattern", [r"\p{javaLowerCase}", "a{2,1}", "\\", "(" * 5000])
def test_patterns_that_do_not_compile_are_refused(pattern):
    with pytest.raises(config.ConfigError):
        config.validate_section("g", {"p": pattern})


@pytest.mark.parametrize("name", ["a" * 65, "bad name"])
def test_group_name_charset(name):
    with pytest.raises(config.ConfigError, match="pattern group names"):
        config.validate_section(name, {"p": "x"})


def test_patterns_survive_save_dump_and_load_verbatim(db):
    options = {
        "Pattern1": r"\d{3}",
        "!@#$%^&*()_+": r"\Q$%\E\\\+1(?i)x",
        "bad e-mail address": r"^.*@bad\.example$",
    }
    config_services.save_section(name="qa_group", options=options)
    text = config_services.dump_ini()
    config_services.delete_section(name="qa_group")
    config_services.load_ini(text=text)
    assert config_selectors.get_section("qa_group") == options
