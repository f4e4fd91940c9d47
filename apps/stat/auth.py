"""Who may call ``POST /genesys/1/statistic`` (stat.md §1, responses.md §4.1).

The path always needs Basic auth: the ``[server]`` credentials when ``[server]``
sets a password, otherwise the admin credentials (those of the Node API; with
none configured, every call is refused). ``/internal_statistic`` needs none.
"""

from apps.core.selectors import get_section


def needs_admin_credentials() -> bool:
    """True when ``[server]`` sets no password, so the admin credentials guard ``/statistic``."""
    return not (get_section("server") or {}).get("password")
