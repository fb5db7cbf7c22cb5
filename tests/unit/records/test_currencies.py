"""The currencies a request may name are the ones Xero (and xero-python) know."""

import pytest
from xero_python.accounting.models import CurrencyCode

from xero_bridge.xero.currencies import XERO_CURRENCY_CODES, known_currency


def test_the_list_is_xero_pythons_currency_enum() -> None:
    assert {c.value for c in CurrencyCode if c.value} == XERO_CURRENCY_CODES


@pytest.mark.parametrize("code", ["AAA", "eur", "EURO", ""])
def test_an_unknown_code_is_refused_by_name(code: str) -> None:
    with pytest.raises(ValueError, match="not a currency code Xero knows"):
        known_currency(code)


def test_a_known_code_passes() -> None:
    assert known_currency("EUR") == "EUR"
