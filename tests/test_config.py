"""Tests for bot.config: file + environment loading, validation messages, CLI helper."""

from __future__ import annotations

import os
import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import (
    AreaSeed,
    ConfigError,
    ScheduleSettings,
    Settings,
    check_config,
    describe,
    load_settings,
    mask_secret,
    require_token,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No GRANNBOT_* variables and no config.toml from the developer's machine."""
    for name in list(os.environ):
        if name.upper().startswith("GRANNBOT_"):
            monkeypatch.delenv(name)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text))
    return str(info.value)


# --------------------------------------------------------------------------- loading


def test_example_config_validates_and_has_contract_values() -> None:
    settings = load_settings(EXAMPLE)

    assert settings.telegram.token.get_secret_value() == ""
    assert settings.telegram.base_url == "https://api.telegram.org/bot"
    assert settings.telegram.base_file_url == "https://api.telegram.org/file/bot"
    assert settings.telegram.mode == "polling"
    assert settings.telegram.webhook_port == 8443
    assert settings.database.path == Path("grannbot.sqlite3")
    assert settings.municipality.name == "Kumla kommun"
    assert settings.municipality.tz == STOCKHOLM
    assert settings.municipality.language == "sv"
    assert settings.roles.coordinators == []
    assert settings.roles.coordinator_chat_id == 0
    assert settings.broadcast.messages_per_second == 25
    assert settings.broadcast.group_messages_per_minute == 20
    assert settings.schedule.weekly_summary == "mon 08:00"
    assert settings.tips.max_per_hour == 5
    assert settings.tips.notify_police is False
    assert settings.retention.tips == 730
    assert [(a.code, a.name, a.postcodes) for a in settings.areas] == [
        ("centrum", "Centrum", ["69231", "69232"]),
        ("ostra_mark", "Östra Mark", ["69233"]),
        ("norr", "Norr", ["69234"]),
    ]


def test_example_documents_every_key() -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    for section, model in Settings.model_fields.items():
        if section == "areas":
            assert data["areas"]
            continue
        fields = model.annotation.model_fields  # type: ignore[union-attr]
        assert set(data[section]) == set(fields), section
    # The example's values (apart from the areas) are exactly the defaults.
    defaults = Settings()
    example = load_settings(EXAMPLE)
    assert example.model_dump(exclude={"areas"}) == defaults.model_dump(exclude={"areas"})


def test_defaults_without_any_file() -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.areas == []
    assert settings.database.path == Path("grannbot.sqlite3")
    assert settings.broadcast.messages_per_second == 25.0


def test_config_toml_in_working_directory_is_used(tmp_path: Path) -> None:
    write(tmp_path / "cwd", '[municipality]\nname = "Örebro kommun"\n')
    assert load_settings().municipality.name == "Örebro kommun"


def test_file_values_and_derived_file_url(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[telegram]
token = "file-token"
base_url = "http://127.0.0.1:8081/bot"

[database]
path = "data/bot.db"

[[areas]]
code = "centrum"
name = "  Centrum  "
postcodes = ["692 31", 69232]
""",
    )
    settings = load_settings(path)
    assert settings.telegram.token.get_secret_value() == "file-token"
    assert settings.telegram.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.database.path == Path("data/bot.db")
    assert settings.areas == [
        AreaSeed(code="centrum", name="Centrum", postcodes=["69231", "69232"])
    ]


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(
        tmp_path,
        """
[telegram]
token = "file-token"
mode = "polling"

[database]
path = "from-file.sqlite3"

[roles]
coordinators = [1]
police = [7]
""",
    )
    monkeypatch.setenv("GRANNBOT_TELEGRAM__TOKEN", "env-token")
    monkeypatch.setenv("GRANNBOT_DATABASE__PATH", "/srv/grannbot/env.sqlite3")
    monkeypatch.setenv("GRANNBOT_ROLES__COORDINATORS", "[11, 22]")

    settings = load_settings(path)

    assert settings.telegram.token.get_secret_value() == "env-token"
    assert settings.database.path == Path("/srv/grannbot/env.sqlite3")
    assert settings.roles.coordinators == [11, 22]
    # Keys the environment does not mention still come from the file.
    assert settings.telegram.mode == "polling"
    assert settings.roles.police == [7]


def test_overrides_beat_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[telegram]\ntoken = "file-token"\n')
    monkeypatch.setenv("GRANNBOT_TELEGRAM__TOKEN", "env-token")
    settings = load_settings(path, telegram={"token": "kwarg-token"})
    assert settings.telegram.token.get_secret_value() == "kwarg-token"


def test_environment_list_that_is_not_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRANNBOT_ROLES__COORDINATORS", "1,2")
    with pytest.raises(ConfigError, match=r"^roles: .*JSON"):
        load_settings()


def test_settings_alone_does_not_read_working_directory_file(tmp_path: Path) -> None:
    write(tmp_path / "cwd", '[municipality]\nname = "Örebro kommun"\n')
    assert Settings().municipality.name == "Kumla kommun"
    assert Settings(_toml_file="config.toml").municipality.name == "Örebro kommun"


# --------------------------------------------------------------------------- invalid configs


def test_bad_timezone(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[municipality]\ntimezone = "Europe/Stockhlm"\n')
    assert message.startswith("municipality.timezone: unknown time zone 'Europe/Stockhlm'")


def test_malformed_area_code(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[areas]]\ncode = "Östra Mark"\nname = "Östra Mark"\n')
    assert message.startswith(
        "areas[0].code: area code must be lowercase letters, digits or _, at most 32 characters"
    )


def test_area_code_too_long(tmp_path: Path) -> None:
    message = error_for(tmp_path, f'[[areas]]\ncode = "{"a" * 33}"\nname = "A"\n')
    assert message.startswith("areas[0].code: area code must be")


def test_duplicate_area_code(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        '[[areas]]\ncode = "norr"\nname = "Norr"\n\n[[areas]]\ncode = "norr"\nname = "Norr 2"\n',
    )
    assert message == "areas[1].code: duplicate area code 'norr' (already used by areas[0])"


def test_postcode_in_two_areas(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        """
[[areas]]
code = "centrum"
name = "Centrum"
postcodes = ["69231"]

[[areas]]
code = "norr"
name = "Norr"
postcodes = ["692 31"]
""",
    )
    assert message == "areas[1].postcodes: postcode '69231' is used by both 'centrum' and 'norr'"


@pytest.mark.parametrize("postcode", ["6923", "692311", "69A31", ""])
def test_bad_postcode(tmp_path: Path, postcode: str) -> None:
    message = error_for(
        tmp_path, f'[[areas]]\ncode = "centrum"\nname = "Centrum"\npostcodes = ["{postcode}"]\n'
    )
    assert message.startswith("areas[0].postcodes: postcode")
    assert "5 digits" in message


def test_empty_area_name(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[areas]]\ncode = "centrum"\nname = "   "\n')
    assert message.startswith("areas[0].name:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[telegram]\ntokn = "x"\n', "telegram.tokn: unknown key (did you mean 'token'?)"),
        ('[telegrm]\ntoken = "x"\n', "telegrm: unknown key (did you mean 'telegram'?)"),
        ("[tips]\nnotify = true\n", "tips.notify: unknown key"),
    ],
)
def test_unknown_key(tmp_path: Path, text: str, expected: str) -> None:
    assert error_for(tmp_path, text).startswith(expected)


def test_unknown_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRANNBOT_TELEGRAM__TOKNE", "x")
    with pytest.raises(ConfigError, match=r"telegram\.tokne: unknown key"):
        load_settings()


def test_bad_mode(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[telegram]\nmode = "poll"\n')
    assert message.startswith("telegram.mode:")
    assert "'polling' or 'webhook'" in message
    assert "'poll'" in message


@pytest.mark.parametrize(
    "value", ["someday 08:00", "mon 25:00", "mon 8", "0 8 * *", "0 99 * * 1", "0 8 * * 9"]
)
def test_bad_weekly_summary(tmp_path: Path, value: str) -> None:
    message = error_for(tmp_path, f'[schedule]\nweekly_summary = "{value}"\n')
    assert message.startswith("schedule.weekly_summary:")
    assert "Traceback" not in message


@pytest.mark.parametrize("rate", [0, -1, 30.5, 100])
def test_messages_per_second_out_of_range(tmp_path: Path, rate: float) -> None:
    message = error_for(tmp_path, f"[broadcast]\nmessages_per_second = {rate}\n")
    assert message.startswith("broadcast.messages_per_second:")


def test_group_rate_and_port_limits(tmp_path: Path) -> None:
    message = error_for(
        tmp_path, "[broadcast]\ngroup_messages_per_minute = 21\n[telegram]\nwebhook_port = 0\n"
    )
    lines = message.splitlines()
    assert len(lines) == 2
    assert any(line.startswith("broadcast.group_messages_per_minute:") for line in lines)
    assert any(line.startswith("telegram.webhook_port:") for line in lines)


def test_bad_webhook_secret_is_not_echoed(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[telegram]\nwebhook_secret = "no spaces allowed!"\n')
    assert message.startswith("telegram.webhook_secret:")
    assert "no spaces allowed" not in message


def test_bad_token_type_is_not_echoed(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[telegram]\ntoken = 123456789\n")
    assert message.startswith("telegram.token:")
    assert "123456789" not in message


def test_every_problem_reported_one_per_line(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        '[municipality]\ntimezone = "Mars/Olympus"\nlanguage = "de"\n[tips]\nmax_per_hour = 0\n',
    )
    assert [line.split(":")[0] for line in message.splitlines()] == [
        "municipality.timezone",
        "municipality.language",
        "tips.max_per_hour",
    ]


def test_toml_syntax_error(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[telegram]\ntoken = "unterminated\n')
    assert "TOML syntax error" in message
    assert "line 2" in message
    assert "config.toml" in message


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_settings(missing)
    assert str(info.value) == f"config file not found: {missing}"


# --------------------------------------------------------------------------- require_token


def test_require_token_missing() -> None:
    with pytest.raises(ConfigError) as info:
        require_token(load_settings())
    assert str(info.value).startswith("telegram.token: missing")
    assert "GRANNBOT_TELEGRAM__TOKEN" in str(info.value)


def test_require_token_present() -> None:
    require_token(load_settings(telegram={"token": TOKEN}))


@pytest.mark.parametrize("url", ["", "http://bot.example.se/hook"])
def test_require_token_webhook_needs_https_url(url: str) -> None:
    settings = load_settings(telegram={"token": TOKEN, "mode": "webhook", "webhook_url": url})
    with pytest.raises(ConfigError, match=r"^telegram\.webhook_url: "):
        require_token(settings)


def test_require_token_webhook_ok() -> None:
    settings = load_settings(
        telegram={
            "token": TOKEN,
            "mode": "webhook",
            "webhook_url": "https://bot.example.se/hook",
            "webhook_secret": "x" * 32,
        }
    )
    require_token(settings)


# --------------------------------------------------------------------------- describe


def test_describe_masks_secrets_and_parses_as_toml() -> None:
    secret = "s3cret_webhook-value_0123456789"
    settings = load_settings(EXAMPLE, telegram={"token": TOKEN, "webhook_secret": secret})
    text = describe(settings)

    assert TOKEN not in text
    assert secret not in text
    data = tomllib.loads(text)
    assert data["telegram"]["token"] == mask_secret(TOKEN) == "12…aw"
    assert data["municipality"]["timezone"] == "Europe/Stockholm"
    assert data["tips"]["notify_police"] is False
    assert [area["code"] for area in data["areas"]] == ["centrum", "ostra_mark", "norr"]
    assert data["areas"][1]["name"] == "Östra Mark"


def test_mask_secret() -> None:
    assert mask_secret("") == ""
    assert mask_secret("short") == "********"
    assert mask_secret(TOKEN) == "12…aw"


def test_describe_empty_token_shows_empty_string() -> None:
    data = tomllib.loads(describe(load_settings()))
    assert data["telegram"]["token"] == ""
    assert "areas" not in data


# --------------------------------------------------------------------------- check_config


def test_check_config_valid(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRANNBOT_TELEGRAM__TOKEN", TOKEN)
    assert check_config(EXAMPLE) == 0
    out, err = capsys.readouterr()
    assert "[municipality]" in out
    assert 'code = "ostra_mark"' in out
    assert TOKEN not in out
    assert err == ""


def test_check_config_warns_about_missing_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_config(None) == 0
    out, err = capsys.readouterr()
    assert "[telegram]" in out
    assert "telegram.token: missing" in err


def test_check_config_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, '[municipality]\ntimezone = "Europe/Stockhlm"\n')
    assert check_config(path) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Invalid configuration:\nmunicipality.timezone: unknown time zone")


def test_check_config_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_config(tmp_path / "missing.toml") == 1
    assert "config file not found" in capsys.readouterr().err


# --------------------------------------------------------------------------- schedule

# Wednesday 4 March 2026, noon, local time.
WEDNESDAY = datetime(2026, 3, 4, 12, 0, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    "value", ["mon 08:00", "mån 08:00", "MÅN 08:00", "0 8 * * 1", "0 8 * * mon"]
)
def test_weekly_summary_fires_monday_morning(value: str) -> None:
    trigger = ScheduleSettings(weekly_summary=value).weekly_summary_trigger(STOCKHOLM)
    fire = trigger.get_next_fire_time(None, WEDNESDAY)
    assert fire == datetime(2026, 3, 9, 8, 0, tzinfo=STOCKHOLM)
    assert fire.weekday() == 0


def test_weekly_summary_accepts_zone_name() -> None:
    trigger = ScheduleSettings().weekly_summary_trigger("Europe/Stockholm")
    assert trigger.get_next_fire_time(None, WEDNESDAY) == datetime(
        2026, 3, 9, 8, 0, tzinfo=STOCKHOLM
    )


@pytest.mark.parametrize(
    ("value", "weekday"),
    [("0 8 * * 0", 6), ("0 8 * * 7", 6), ("0 8 * * 5", 4), ("sön 08:00", 6), ("fre 08:00", 4)],
)
def test_crontab_weekday_numbers_follow_crontab(value: str, weekday: int) -> None:
    # Crontab counts from Sunday = 0; APScheduler 3 from Monday = 0.
    trigger = ScheduleSettings(weekly_summary=value).weekly_summary_trigger(STOCKHOLM)
    assert trigger.get_next_fire_time(None, WEDNESDAY).weekday() == weekday


def test_crontab_weekday_range_across_sunday() -> None:
    trigger = ScheduleSettings(weekly_summary="0 8 * * 0-2").weekly_summary_trigger(STOCKHOLM)
    fires = []
    previous = None
    now = WEDNESDAY
    for _ in range(3):
        now = trigger.get_next_fire_time(previous, now)
        fires.append(now.weekday())
        previous = now
        now = now.replace(minute=1)
    assert fires == [6, 0, 1]  # Sunday, Monday, Tuesday


def test_weekly_summary_respects_summer_time() -> None:
    trigger = ScheduleSettings().weekly_summary_trigger(STOCKHOLM)
    fire = trigger.get_next_fire_time(None, datetime(2026, 6, 3, 12, 0, tzinfo=STOCKHOLM))
    assert (fire.hour, fire.minute, fire.weekday()) == (8, 0, 0)
    assert fire.utcoffset().total_seconds() == 2 * 3600
