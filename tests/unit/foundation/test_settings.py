import pytest

from xero_bridge.errors import ConfigurationError
from xero_bridge.settings import load_settings


def test_defaults_point_at_real_xero():
    settings = load_settings({})
    assert str(settings.xero_api_url).rstrip("/") == "https://api.xero.com"
    assert settings.app_env == "dev"


def test_a_missing_variable_is_named_when_required():
    settings = load_settings({"APP_ENV": "prod"})
    with pytest.raises(ConfigurationError) as caught:
        settings.required("tokens_table")
    assert "TOKENS_TABLE" in caught.value.message
    assert caught.value.status == 500


def test_an_invalid_value_names_the_variable():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"APP_ENV": "staging"})
    assert "APP_ENV" in caught.value.message


def test_an_invalid_url_names_the_variable():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"XERO_API_URL": "not a url"})
    assert "XERO_API_URL" in caught.value.message
