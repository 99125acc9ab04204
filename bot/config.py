"""Grannbot settings: a TOML file overridden by ``GRANNBOT_*`` environment variables.

Precedence, highest first: keyword overrides passed to :func:`load_settings`, environment
variables (prefix ``GRANNBOT_``, nesting with ``__``), the TOML file, built-in defaults.
There is deliberately no ``.env`` support: secrets belong in the environment or the file.

Long on purpose: every setting sits with its check and its error text, so that adding a key
is one edit here, and loading, describing and ``check-config`` follow the same models.
"""

from __future__ import annotations

import difflib
import json
import re
import secrets
import sys
import tomllib
from contextvars import ContextVar
from datetime import tzinfo
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings.exceptions import SettingsError

from bot import when
from bot.area_codes import AREA_CODE_MAX, POSTCODE, is_area_code

__all__ = [
    "AreaSeed",
    "BroadcastSettings",
    "ConfigError",
    "DatabaseSettings",
    "MunicipalitySettings",
    "RetentionSettings",
    "RolesSettings",
    "ScheduleSettings",
    "Settings",
    "SummarySettings",
    "TelegramSettings",
    "TipsSettings",
    "check_config",
    "check_webhook_secret",
    "describe",
    "load_settings",
    "mask_secret",
    "require_token",
]

DEFAULT_CONFIG_FILE = "config.toml"
ENV_PREFIX = "GRANNBOT_"
ENV_NESTED_DELIMITER = "__"


class ConfigError(Exception):
    """An invalid or unreadable configuration; ``str()`` is meant to be shown to an operator."""


class _Section(BaseModel):
    # A misspelt key would otherwise be ignored silently and its default used instead.
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- telegram

_WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Telegram allows 1-256 characters; the webhook is the bot's front door on the internet, so a
# secret that could be guessed lets anyone post updates "from" a coordinator.
WEBHOOK_SECRET_MIN_LENGTH = 32


def _check_http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) <= len("https://"):
        raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
    return value


class TelegramSettings(_Section):
    token: SecretStr = SecretStr("")
    base_url: str = "https://api.telegram.org/bot"
    # Optional. Empty means "derive from base_url": a self-hosted Bot API server (or the
    # sandbox) serves files under /file/bot on the same host, and downloads would otherwise
    # silently go to api.telegram.org.
    base_file_url: str = ""
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr = SecretStr("")
    # Flood guard: a user's updates past this many in flood_seconds are dropped (0: off).
    flood_burst: int = Field(default=20, ge=0)
    flood_seconds: float = Field(default=10.0, gt=0)

    @field_validator("token", mode="before")
    @classmethod
    def _strip_token(cls, value: Any) -> Any:
        # Tokens pasted from BotFather chats often carry a trailing newline or space.
        return value.strip() if isinstance(value, str) else value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        return _check_http_url(value.strip())

    @field_validator("base_file_url")
    @classmethod
    def _check_base_file_url(cls, value: str) -> str:
        value = value.strip()
        return _check_http_url(value) if value else value

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        # Telegram rejects setWebhook with any other secret, so fail at start-up instead.
        # The value itself is never echoed: it is a secret.
        if secret and not _WEBHOOK_SECRET_RE.fullmatch(secret):
            raise ValueError(
                "must be 1-256 characters, only A-Z, a-z, 0-9, _ and -; for example:"
                f' webhook_secret = "{_fresh_webhook_secret()}"'
            )
        return value

    @model_validator(mode="after")
    def _derive_base_file_url(self) -> TelegramSettings:
        if not self.base_file_url and self.base_url.endswith("/bot"):
            self.base_file_url = self.base_url[: -len("/bot")] + "/file/bot"
        return self


# --------------------------------------------------------------------------- database


class DatabaseSettings(_Section):
    # Relative paths are relative to the working directory of the bot process.
    path: Path = Path("grannbot.sqlite3")

    @field_validator("path")
    @classmethod
    def _expand_user(cls, value: Path) -> Path:
        if not str(value).strip():
            raise ValueError("must not be empty")
        return value.expanduser()


# --------------------------------------------------------------------------- municipality


class MunicipalitySettings(_Section):
    name: str = Field(default="Kumla kommun", min_length=1)
    timezone: str = "Europe/Stockholm"
    language: Literal["sv", "en"] = "sv"

    @field_validator("name", mode="before")
    @classmethod
    def _strip_name(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            # ValueError covers keys that are not even well-formed (empty, absolute paths).
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as 'Europe/Stockholm')"
            ) from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# --------------------------------------------------------------------------- roles


class RolesSettings(_Section):
    # Telegram user ids are positive; group chat ids (coordinator_chat_id) are negative.
    coordinators: list[PositiveInt] = Field(default_factory=list)
    police: list[PositiveInt] = Field(default_factory=list)
    coordinator_chat_id: int = 0


# --------------------------------------------------------------------------- broadcast


class BroadcastSettings(_Section):
    # Telegram allows about 30 messages per second overall for a bot; going above that
    # only produces 429 answers.
    messages_per_second: float = Field(default=25.0, gt=0, le=30)
    # ...and 20 messages per minute into one group chat.
    group_messages_per_minute: int = Field(default=20, ge=1, le=20)


# --------------------------------------------------------------------------- schedule


class ScheduleSettings(_Section):
    # The reminders' WHEN grammar (bot/when.py); ``mon 08:00`` and crontab lines are kept.
    weekly_summary: str = "mon 08:00"

    @field_validator("weekly_summary")
    @classmethod
    def _check_weekly_summary(cls, value: str) -> str:
        return when.check_summary(value)

    def weekly_summary_trigger(self, tz: tzinfo | str) -> when.Trigger:
        """When the weekly summary fires, in local time ``tz``."""
        return when.summary_trigger(self.weekly_summary, tz)


# --------------------------------------------------------------------------- summary


class SummarySettings(_Section):
    # The categories the medborgarlöfte names (codes from bot/tips.py, e.g. "drugs"): the
    # weekly summary's chart draws them on the baseline and marks them.
    focus_categories: list[str] = Field(default_factory=list)

    @field_validator("focus_categories")
    @classmethod
    def _check_focus_categories(cls, value: list[str]) -> list[str]:
        # Imported here: bot.tips needs the whole bot, and the settings are read first.
        from bot.tips import CATEGORIES

        unknown = [code for code in value if code not in CATEGORIES]
        if unknown:
            raise ValueError(
                f"unknown tip categor{'y' if len(unknown) == 1 else 'ies'}"
                f" {', '.join(map(repr, unknown))} (known: {', '.join(CATEGORIES)})"
            )
        return list(dict.fromkeys(value))


# --------------------------------------------------------------------------- tips


class TipsSettings(_Section):
    max_per_hour: int = Field(default=5, ge=1)
    notify_police: bool = False


# --------------------------------------------------------------------------- retention


class RetentionSettings(_Section):
    """How long each kind of personal data is kept, in days (at least one)."""

    tips: int = Field(default=730, ge=1)
    # Who got which alert, notice or tip copy.
    deliveries: int = Field(default=90, ge=1)
    audit: int = Field(default=365, ge=1)
    # Since leaving the last area, or since Telegram said they blocked the bot.
    inactive_participants: int = Field(default=180, ge=1)
    alerts: int = Field(default=730, ge=1)
    surveys: int = Field(default=730, ge=1)


# Keys that moved; the old place is still read so that an existing config keeps working.
_MOVED_KEYS = {("tips", "retention_days"): ("retention", "tips")}


# --------------------------------------------------------------------------- areas


class AreaSeed(_Section):
    code: str
    name: str = Field(min_length=1, max_length=64)
    postcodes: list[str] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not is_area_code(value):
            raise ValueError(
                "area code must be lowercase letters, digits or _, at most"
                f" {AREA_CODE_MAX} characters"
                f" (got {value!r})"
            )
        return value

    @field_validator("name", mode="before")
    @classmethod
    def _strip_name(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("postcodes", mode="before")
    @classmethod
    def _normalise_postcodes(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        normalised: list[Any] = []
        for item in value:
            # Accept 69231 written as a TOML integer as well as "692 31".
            if isinstance(item, int) and not isinstance(item, bool):
                item = str(item)
            if isinstance(item, str):
                item = "".join(item.split())
                if not POSTCODE.fullmatch(item):
                    raise ValueError(
                        f"postcode {item!r} must be 5 digits (Swedish postnummer, e.g. '692 31')"
                    )
            if item not in normalised:
                normalised.append(item)
        return normalised


# --------------------------------------------------------------------------- settings

# The TOML file for the Settings object being built right now; a context variable keeps
# concurrent constructions (threads, tasks) from seeing each other's file.
_TOML_FILE: ContextVar[Path | None] = ContextVar("grannbot_toml_file", default=None)
# Where the Settings object being built notes the keys it found in their old place.
_MOVED: ContextVar[list[str] | None] = ContextVar("grannbot_moved_keys", default=None)


class Settings(BaseSettings):
    """All settings. ``Settings()`` alone reads only defaults and the environment; pass
    ``_toml_file=PATH`` (or use :func:`load_settings`) to read a TOML file as well."""

    model_config: ClassVar[SettingsConfigDict] = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_NESTED_DELIMITER,
        case_sensitive=False,
        env_file=None,
        extra="forbid",
    )

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    municipality: MunicipalitySettings = Field(default_factory=MunicipalitySettings)
    roles: RolesSettings = Field(default_factory=RolesSettings)
    broadcast: BroadcastSettings = Field(default_factory=BroadcastSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    summary: SummarySettings = Field(default_factory=SummarySettings)
    tips: TipsSettings = Field(default_factory=TipsSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    areas: list[AreaSeed] = Field(default_factory=list)

    _moved: list[str] = PrivateAttr(default_factory=list)

    def __init__(self, *, _toml_file: str | Path | None = None, **values: Any) -> None:
        token = _TOML_FILE.set(Path(_toml_file) if _toml_file is not None else None)
        moved: list[str] = []
        moved_token = _MOVED.set(moved)
        try:
            super().__init__(**values)
        finally:
            _MOVED.reset(moved_token)
            _TOML_FILE.reset(token)
        self._moved = moved

    @property
    def moved_keys(self) -> list[str]:
        """Operator warnings about keys given in their old place (still honoured)."""
        return list(self._moved)

    @model_validator(mode="before")
    @classmethod
    def _move_old_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        notes = _MOVED.get()
        for (old_section, old_key), (new_section, new_key) in _MOVED_KEYS.items():
            section = data.get(old_section)
            if not isinstance(section, dict) or old_key not in section:
                continue
            section = dict(section)
            value = section.pop(old_key)
            data = {**data, old_section: section}
            target = data.get(new_section)
            target = dict(target) if isinstance(target, dict) else {}
            if new_key in target:
                note = (
                    f"[{old_section}] {old_key} is ignored: [{new_section}] {new_key} is set"
                    " and takes its place"
                )
            else:
                target[new_key] = value
                data[new_section] = target
                note = (
                    f"[{old_section}] {old_key} has moved to [{new_section}] {new_key};"
                    " the old key still works, but please move it"
                )
            if notes is not None:
                notes.append(note)
        return data

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_file = _TOML_FILE.get()
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    @model_validator(mode="after")
    def _check_areas(self) -> Settings:
        problems: list[str] = []
        first_by_code: dict[str, int] = {}
        owner_by_postcode: dict[str, str] = {}
        for index, area in enumerate(self.areas):
            if area.code in first_by_code:
                problems.append(
                    f"areas[{index}].code: duplicate area code {area.code!r}"
                    f" (already used by areas[{first_by_code[area.code]}])"
                )
                continue
            first_by_code[area.code] = index
            for postcode in area.postcodes:
                owner = owner_by_postcode.setdefault(postcode, area.code)
                if owner != area.code:
                    problems.append(
                        f"areas[{index}].postcodes: postcode {postcode!r} is used by both"
                        f" {owner!r} and {area.code!r}"
                    )
        if problems:
            raise ValueError("\n".join(problems))
        return self


# --------------------------------------------------------------------------- errors

_SECRET_KEYS = frozenset({"token", "webhook_secret"})
_SECTION_MODELS: dict[str, type[BaseModel]] = {
    "telegram": TelegramSettings,
    "database": DatabaseSettings,
    "municipality": MunicipalitySettings,
    "roles": RolesSettings,
    "broadcast": BroadcastSettings,
    "schedule": ScheduleSettings,
    "summary": SummarySettings,
    "tips": TipsSettings,
    "retention": RetentionSettings,
    "areas": AreaSeed,
}
# Pydantic's own wording is kept for most errors; these read better in a config file.
_MESSAGES = {
    "missing": "required key is missing",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "dict_type": "must be a table",
    "list_type": "must be a list",
    "path_type": "must be a file path (a string)",
}


def _dotted(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _known_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The valid keys of the table that contains the last element of ``loc``."""
    names = [part for part in loc[:-1] if isinstance(part, str)]
    model: type[BaseModel] | None = Settings if not names else _SECTION_MODELS.get(names[0])
    return list(model.model_fields) if model is not None and len(names) <= 1 else []


def _describe_error(error: Any) -> str:
    loc: tuple[int | str, ...] = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        message = "unknown key"
        close = difflib.get_close_matches(str(loc[-1]), _known_keys(loc), n=1, cutoff=0.6)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    elif kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
    else:
        message = _MESSAGES.get(kind, str(error["msg"]))
        value = error.get("input")
        secret = any(part in _SECRET_KEYS for part in loc)
        if not secret and kind not in _MESSAGES and isinstance(value, str | int | float):
            shown = repr(value)
            message += f", got {shown if len(shown) <= 60 else shown[:57] + '...'}"
    # Errors from the Settings-level validator name their keys themselves.
    return f"{_dotted(loc)}: {message}" if loc else message


def _format_validation_error(exc: ValidationError) -> str:
    return "\n".join(_describe_error(error) for error in exc.errors(include_url=False))


# --------------------------------------------------------------------------- loading


def _resolve_config_path(path: str | Path | None) -> Path | None:
    if path is None:
        default = Path(DEFAULT_CONFIG_FILE)
        return default if default.is_file() else None
    resolved = Path(path).expanduser()
    if not resolved.exists():
        raise ConfigError(f"config file not found: {resolved}")
    if not resolved.is_file():
        raise ConfigError(f"config file is not a regular file: {resolved}")
    return resolved


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Load and validate the settings, or raise :class:`ConfigError`.

    ``path=None`` reads ``config.toml`` in the working directory if there is one. Keyword
    ``overrides`` (e.g. ``database={"path": ...}``) take precedence over everything else.
    """
    toml_file = _resolve_config_path(path)
    try:
        return Settings(_toml_file=toml_file, **overrides)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{toml_file}: TOML syntax error: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{toml_file}: not valid UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{toml_file}: cannot read: {exc.strerror or exc}") from None
    except SettingsError as exc:
        # Raised for an environment value that is not valid JSON where a list or table is
        # expected; pydantic-settings' message names only the top-level field.
        match = re.search(r'field "(\w+)"', str(exc))
        section = match[1] if match else "environment"
        raise ConfigError(
            f"{section}: a {ENV_PREFIX}{section.upper()}… environment variable could not be"
            " parsed; lists and tables must be written as JSON, e.g."
            f" {ENV_PREFIX}ROLES{ENV_NESTED_DELIMITER}COORDINATORS='[1,2]'"
        ) from None


def require_token(settings: Settings) -> None:
    """Check what running against Telegram needs beyond a valid config (the demo needs none)."""
    telegram = settings.telegram
    if not telegram.token.get_secret_value():
        raise ConfigError(
            "telegram.token: missing — set it in config.toml or "
            f"{ENV_PREFIX}TELEGRAM{ENV_NESTED_DELIMITER}TOKEN"
        )
    if telegram.mode == "webhook":
        if not telegram.webhook_url:
            raise ConfigError('telegram.webhook_url: required when telegram.mode = "webhook"')
        # Telegram only delivers webhooks over HTTPS.
        if not telegram.webhook_url.startswith("https://") or telegram.webhook_url == "https://":
            raise ConfigError(
                f"telegram.webhook_url: must be an https:// URL, got {telegram.webhook_url!r}"
            )
        check_webhook_secret(telegram.webhook_secret.get_secret_value())


def check_webhook_secret(secret: str) -> None:
    """Webhook mode without a strong secret would accept forged updates from anyone who can
    reach the port; a :class:`ConfigError` that says why and suggests a fresh secret."""
    if len(secret) >= WEBHOOK_SECRET_MIN_LENGTH and _WEBHOOK_SECRET_RE.fullmatch(secret):
        return
    problem = "missing" if not secret else "too short or has characters Telegram does not allow"
    raise ConfigError(
        f"telegram.webhook_secret: {problem} — webhook mode needs a secret of at least"
        f" {WEBHOOK_SECRET_MIN_LENGTH} characters (A-Z, a-z, 0-9, _ and -), or anyone could"
        f" send the bot forged updates; for example: webhook_secret ="
        f' "{_fresh_webhook_secret()}"'
    )


def _fresh_webhook_secret() -> str:
    # 32 random bytes as URL-safe base64: 43 characters, all of them allowed by Telegram.
    return secrets.token_urlsafe(32)


# --------------------------------------------------------------------------- describe


def mask_secret(value: SecretStr | str) -> str:
    """``"123456789:AAHx…Zk"`` -> ``"12…Zk"``; short secrets are fully hidden; empty stays empty."""
    secret = value.get_secret_value() if isinstance(value, SecretStr) else value
    if not secret:
        return ""
    # Showing the ends helps tell two tokens apart, but only when that reveals little.
    if len(secret) < 16:
        return "********"
    return f"{secret[:2]}…{secret[-2:]}"


def _toml_value(value: Any) -> str:
    if isinstance(value, SecretStr):
        value = mask_secret(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, str):
        # JSON string escapes are a subset of TOML basic-string escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot show {type(value).__name__} as TOML")


def _toml_table(model: BaseModel) -> list[str]:
    return [f"{name} = {_toml_value(getattr(model, name))}" for name in type(model).model_fields]


def describe(settings: Settings) -> str:
    """The effective settings as TOML text (which parses as TOML), with secrets masked."""
    lines = ["# Effective Grannbot settings (secrets masked)"]
    for name in type(settings).model_fields:
        if name == "areas":
            continue
        lines += ["", f"[{name}]", *_toml_table(getattr(settings, name))]
    if settings.areas:
        for area in settings.areas:
            lines += ["", "[[areas]]", *_toml_table(area)]
    else:
        # A bare "areas = []" here would land inside the last table.
        lines += ["", "# areas: none configured"]
    return "\n".join(lines) + "\n"


def check_config(path: str | Path | None) -> int:
    """``python -m bot check-config``: print the effective settings; 1 on an invalid config."""
    try:
        settings = load_settings(path)
        source = _resolve_config_path(path)
    except ConfigError as exc:
        print(f"Invalid configuration:\n{exc}", file=sys.stderr)
        return 1
    origin = f"file {source}" if source is not None else "no config file, defaults"
    print(f"# Source: {origin} + {ENV_PREFIX}* environment variables")
    print(describe(settings), end="")
    for note in settings.moved_keys:
        print(f"Warning: {note}", file=sys.stderr)
    try:
        require_token(settings)
    except ConfigError as exc:
        # Valid for the demo and for tests, but `run` will refuse to start.
        print(f"Warning: {exc}", file=sys.stderr)
    return 0
