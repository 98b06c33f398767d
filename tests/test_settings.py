"""MARKETBOX_* values are checked when read: a bad one is a one-line error naming the variable and
what it expects (issue 10, item 11), and the commands print it without a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from marketbox.cli import app
from marketbox.settings import DEFAULT_MAX_BODY_BYTES, Settings, SettingsError


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MARKETBOX_PORT", "abc", "MARKETBOX_PORT must be an integer from 0 to 65535, got 'abc'"),
        ("MARKETBOX_PORT", "70000", "MARKETBOX_PORT must be an integer from 0 to 65535, got '70000'"),
        ("MARKETBOX_DB_POOL_SIZE", "0", "MARKETBOX_DB_POOL_SIZE must be a positive integer, got '0'"),
        (
            "MARKETBOX_RESPONSE_CACHE_ENTRIES",
            "many",
            "MARKETBOX_RESPONSE_CACHE_ENTRIES must be an integer of 0 or more, got 'many'",
        ),
        (
            "MARKETBOX_LAMODA_RATE_LIMIT",
            "nan",
            "MARKETBOX_LAMODA_RATE_LIMIT must be a number of 0 or more, got 'nan'",
        ),
        ("MARKETBOX_WEBHOOK_TIMEOUT", "0", "MARKETBOX_WEBHOOK_TIMEOUT must be a number above 0, got '0'"),
        ("MARKETBOX_WEBHOOK_LEASE", "1m", "MARKETBOX_WEBHOOK_LEASE must be a number above 0, got '1m'"),
        (
            "MARKETBOX_WEBHOOK_WORKER",
            "maybe",
            "MARKETBOX_WEBHOOK_WORKER must be 1 or 0 (true/false, yes/no, on/off), got 'maybe'",
        ),
        (
            "MARKETBOX_WEBHOOK_SCHEDULE",
            "0,5,soon",
            "MARKETBOX_WEBHOOK_SCHEDULE must be comma-separated seconds of 0 or more (e.g. 0,5,300), "
            "got '0,5,soon'",
        ),
        (
            "MARKETBOX_WEBHOOK_ALLOWED_NETWORKS",
            "10.0.0.0/8,intranet",
            "MARKETBOX_WEBHOOK_ALLOWED_NETWORKS must be comma-separated IP networks "
            "(e.g. 10.0.0.0/8,127.0.0.1), got 'intranet'",
        ),
        (
            "MARKETBOX_MAX_BODY_BYTES",
            "10MB",
            "MARKETBOX_MAX_BODY_BYTES must be a positive integer, got '10MB'",
        ),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable_and_what_it_expects(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({variable: value})
    assert str(raised.value) == message


def test_good_values_are_read() -> None:
    settings = Settings.from_env(
        {
            "MARKETBOX_PORT": " 9400 ",
            "MARKETBOX_WEBHOOK_WORKER": "off",
            "MARKETBOX_WEBHOOK_SCHEDULE": "0, 1.5,60",
            "MARKETBOX_WEBHOOK_ALLOWED_NETWORKS": "10.0.0.0/8, 127.0.0.1",
            "MARKETBOX_MAX_BODY_BYTES": "1048576",
            "MARKETBOX_ADMIN_TOKEN": " secret ",
        }
    )
    assert settings.port == 9400
    assert settings.webhook_worker is False
    assert settings.webhook_schedule == (0.0, 1.5, 60.0)
    assert settings.webhook_allowed_networks == ("10.0.0.0/8", "127.0.0.1")
    assert settings.max_body_bytes == 1048576
    assert settings.admin_token == "secret"
    assert Settings.from_env({}) == Settings()
    assert Settings().host == "127.0.0.1"  # only this machine reaches a server started without settings
    assert Settings().max_body_bytes == DEFAULT_MAX_BODY_BYTES


def test_an_override_wins_and_its_variable_is_not_read() -> None:
    settings = Settings.from_env({"MARKETBOX_PORT": "abc"}, port=9400, host=None)
    assert (settings.port, settings.host) == (9400, "127.0.0.1")


@pytest.mark.parametrize("command", [["migrate"], ["worker"], ["serve"]])
def test_the_commands_print_a_bad_value_as_one_line_and_exit_2(command: list[str]) -> None:
    result = CliRunner().invoke(
        app, command, env={"MARKETBOX_WEBHOOK_TIMEOUT": "ten", "MARKETBOX_DATABASE_URL": "sqlite:///:memory:"}
    )
    assert result.exit_code == 2, result.output
    assert result.output == "marketbox: MARKETBOX_WEBHOOK_TIMEOUT must be a number above 0, got 'ten'\n"
    assert "Traceback" not in result.output


def test_serve_reads_a_bad_port_from_the_environment_as_one_line() -> None:
    result = CliRunner().invoke(app, ["serve"], env={"MARKETBOX_PORT": "abc"})
    assert result.exit_code == 2, result.output
    assert result.output.startswith("marketbox: MARKETBOX_PORT must be an integer")
    assert result.output.count("\n") == 1
