"""Access codes: random under the prefix, and the last free ones found, not called full."""

from unittest.mock import patch

import pytest

from apps.services import services
from apps.services.access_codes import every_access_code
from apps.services.params import AccessRequest


def test_every_code_of_a_short_remainder_is_listed():
    assert every_access_code(length=6, prefix="12345") == [f"12345{n}" for n in range(10)]
    assert every_access_code(length=4, prefix="") == [f"{n:04d}" for n in range(10_000)]
    assert every_access_code(length=6, prefix="") is None  # a million: drawn, not listed


def test_a_range_prefix_lists_each_first_digit():
    codes = every_access_code(length=5, prefix="8-9")
    assert len(codes) == 2 * 10_000 and codes[0] == "80000" and codes[-1] == "99999"


def test_the_last_free_code_is_found_when_every_draw_hits_a_taken_one():
    access = AccessRequest(
        group="ONE",
        provide_code=True,
        code_length=6,
        code_prefix="12345",
        phone_number="",
        seconds=30,
    )
    taken = {f"12345{n}" for n in range(10) if n != 7}
    with patch.object(services, "new_access_code", return_value="123450"):
        assert services._free_code("123450", taken, access) == "123457"
        with pytest.raises(services.GMSError, match="No access number"):
            services._free_code("123450", taken | {"123457"}, access)
