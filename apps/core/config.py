"""The GMS configuration model in plain Python: sections of string options.

GMS is configured as named sections of options. Services are ``service.{name}``
sections with ``_type`` and ``_service``; the other sections keep their GMS
names (``server``, ``storage``, ``port_restrictions`` ...), and any other name is
a pattern group (pattern.md §1). This module knows how to tell them apart,
validate them, read and write them as INI text, and resolve a service's options
for one request (``_overwritable_options`` and ``$token$``, service.md §1.1).
It imports nothing from Django, so it is easy to test and reuse.
"""

import configparser
import io
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

logger = logging.getLogger(__name__)

Options = dict[str, str]
# A validator looks at one whole section and yields (option, message) for each problem.
Validator = Callable[[str, Options], Iterable[tuple[str, str]]]

SERVICE_PREFIX = "service."

# Sections with a fixed GMS meaning; every other non-service name is a pattern group.
SYSTEM_SECTIONS = frozenset(
    {
        "admin",
        "server",
        "storage",
        "notification",
        "callback",
        "push",
        "chat",
        "ors",
        "port_restrictions",
        "lab",
        "log",
        "cassandra",
        "resources",
        "reporting",
        "statistics",
        "cors",
        "GMS_Paused_Services",  # the default callback pause list (callback.md §4.1)
    }
)

# The builtin service kinds GMS knows (``_service`` of a ``_type=builtin`` section).
BUILTIN_SERVICES = frozenset(
    {
        "request-interaction",
        "request-access",
        "match-interaction",
        "get",
        "office-hours",
        "capacity",
        "callback",
        "request-chat",
        "chat",
        "email",
        "open-media",
        "openmedia",
        "stat",
    }
)

SECTION_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")
PATTERN_GROUP_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
TOKEN = re.compile(r"\$([A-Za-z0-9_.\-]+)\$")

# service.md §1.1: the only options a request may overwrite, whatever the list says.
OVERWRITABLE = frozenset({"_ors", "_target", "_redirect"})


class ConfigError(ValueError):
    """One or more options are malformed. ``problems`` lists (section, option, message)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__(
            "; ".join(
                f"[{section}] {option}: {message}" if option else f"[{section}] {message}"
                for section, option, message in problems
            )
        )


# Digital channels configured as a catch-all section and per-service ones
# (``[email]``, ``[email.survey]``; email.md §2, openmedia.md).
CHANNEL_SECTIONS = frozenset({"email", "openmedia"})


def section_kind(name: str) -> str:
    """``service``, ``system``, ``channel`` or ``patterns``: what a section is, by its name."""
    if name.startswith(SERVICE_PREFIX):
        return "service"
    if name in SYSTEM_SECTIONS:
        return "system"
    if name.split(".", 1)[0] in CHANNEL_SECTIONS:
        return "channel"
    return "patterns"


# --- validation -------------------------------------------------------------

_validators: dict[str, list[Validator]] = {}


def register_validator(key: str) -> Callable[[Validator], Validator]:
    """Register a validator for a system section name, ``patterns``, or ``service:<kind>``.

    Each app registers the validators of the sections it reads, in its AppConfig.ready().
    """

    def decorator(func: Validator) -> Validator:
        _validators.setdefault(key, []).append(func)
        return func

    return decorator


def validator_key(name: str, options: Mapping[str, str]) -> str:
    kind = section_kind(name)
    if kind == "service":
        return f"service:{options.get('_service', '').strip()}"
    if kind == "system":
        return name
    if kind == "channel":
        return name.split(".", 1)[0]
    return "patterns"


def validate_section(name: str, options: Mapping[str, str]) -> None:
    """Raise ConfigError naming each malformed option of one section."""
    problems: list[tuple[str, str, str]] = []
    if not SECTION_NAME.match(name):
        problems.append((name, "", "section names use letters, digits, '_', '.' and '-'"))
    for option in options:
        if not option.strip():
            problems.append((name, option, "option names cannot be empty"))
    problems.extend((name, option, message) for option, message in _ini_problems(options))
    checks: list[Validator] = []
    if section_kind(name) == "service":
        checks.append(_validate_service)
    checks.extend(_validators.get(validator_key(name, options), []))
    for check in checks:
        problems.extend((name, option, message) for option, message in check(name, dict(options)))
    if problems:
        raise ConfigError(problems)


def validate_sections(sections: Mapping[str, Mapping[str, str]]) -> None:
    """Validate several sections and report every problem at once."""
    problems: list[tuple[str, str, str]] = []
    for name, options in sections.items():
        try:
            validate_section(name, options)
        except ConfigError as error:
            problems.extend(error.problems)
    if problems:
        raise ConfigError(problems)


def _ini_problems(options: Mapping[str, str]) -> Iterable[tuple[str, str]]:
    """Options that INI text cannot carry, so that ``gms_config dump`` always round-trips."""
    for option, value in options.items():
        if not option.strip():
            continue
        try:
            back = parse_ini(format_ini({"s": {option: value}})).get("s", {})
        except ConfigError:
            back = {}
        if back != {option: value}:
            yield (
                option,
                (
                    "cannot be written as INI: names cannot start with '#', ';' or '[' nor hold '=', "
                    "and names and values cannot start or end with spaces"
                ),
            )


def _validate_service(name: str, options: Options) -> Iterable[tuple[str, str]]:
    """service.md §1: options every service section shares."""
    service_type = options.get("_type", "").strip()
    service = options.get("_service", "").strip()
    if service_type not in ("builtin", "ors"):
        yield "_type", f"must be 'builtin' or 'ors', not {service_type!r}"
    if not service:
        yield "_service", "is required"
    elif service_type == "builtin" and service not in BUILTIN_SERVICES:
        yield "_service", f"unknown builtin service {service!r}"
    if "_ttl" in options:
        yield from check_int(options, "_ttl", minimum=1)
    yield from check_username(options)
    if options.get("_ors_lb_strategy", "").strip() not in ("", "linear", "circular"):
        yield "_ors_lb_strategy", "must be 'linear' or 'circular'"


def check_username(options: Options) -> Iterable[tuple[str, str]]:
    """Basic auth splits ``user:password`` at the first colon: a user name with one could never log in."""
    if ":" in options.get("username", ""):
        yield "username", "cannot contain ':' (HTTP Basic auth splits user:password there)"


def check_bool(options: Options, option: str) -> Iterable[tuple[str, str]]:
    """Yield a problem unless the option is absent, empty, 'true' or 'false'."""
    value = options.get(option, "").strip().lower()
    if value not in ("", "true", "false"):
        yield option, f"must be 'true' or 'false', not {options[option]!r}"


def check_int(
    options: Options, option: str, *, minimum: int | None = None
) -> Iterable[tuple[str, str]]:
    """Yield a problem unless the option is absent, empty or a whole number >= minimum."""
    value = options.get(option, "").strip()
    if not value:
        return
    try:
        number = int(value)
    except ValueError:
        yield option, f"must be a whole number, not {value!r}"
        return
    if minimum is not None and number < minimum:
        yield option, f"must be at least {minimum}"


def as_bool(value: str | None, default: bool = False) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() == "true"


# --- INI text ---------------------------------------------------------------


def _parser() -> configparser.ConfigParser:
    # Keys keep their case, '=' is the only delimiter (pattern names may hold ':'),
    # and nothing is interpolated: values such as '%d' or '$vq$' stay verbatim.
    parser = configparser.ConfigParser(
        delimiters=("=",), interpolation=None, strict=True, default_section="\x00none"
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    return parser


def parse_ini(text: str) -> dict[str, Options]:
    """GMS-style INI text -> {section: {option: value}}, order kept."""
    parser = _parser()
    try:
        parser.read_string(text)
    except configparser.Error as error:
        raise ConfigError(
            [("", "", f"not a valid INI file: {error}".replace("\n", " "))]
        ) from error
    return {name: dict(parser.items(name, raw=True)) for name in parser.sections()}


def format_ini(sections: Mapping[str, Mapping[str, str]]) -> str:
    """{section: {option: value}} -> INI text that parse_ini reads back unchanged."""
    parser = _parser()
    for name, options in sections.items():
        parser.add_section(name)
        for option, value in options.items():
            parser.set(name, option, value)
    out = io.StringIO()
    parser.write(out, space_around_delimiters=False)
    return out.getvalue()


# --- one request's view of a service's options --------------------------------


@dataclass(frozen=True)
class ResolvedOptions:
    options: Options
    # Request parameters that filled a $token$: they are configuration, not user data.
    token_params: frozenset[str]


def resolve_options(configured: Mapping[str, str], params: Mapping[str, object]) -> ResolvedOptions:
    """The options a service runs with for one request (service.md §1.1).

    ``$name$`` in any configured value becomes the request parameter ``name``
    (an unsupplied token becomes ''), then each option listed in
    ``_overwritable_options`` that is also one of ``_ors``, ``_target`` and
    ``_redirect`` takes the request's value when the request carries it.
    """
    tokens: set[str] = set()

    def substitute(match: re.Match[str]) -> str:
        token = match.group(1)
        tokens.add(token)
        value = params.get(token)
        if value is None:
            logger.warning("Token $%s$ not supplied by the request; using ''", token)
            return ""
        return str(value)

    options = {name: TOKEN.sub(substitute, value) for name, value in configured.items()}
    listed = {name.strip() for name in configured.get("_overwritable_options", "").split(",")}
    for name in listed & OVERWRITABLE:
        if name in params:
            options[name] = str(params[name])
    return ResolvedOptions(
        options=options, token_params=frozenset(t for t in tokens if t in params)
    )
