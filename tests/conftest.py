"""Fixtures: the sandbox Bot API server, settings pointing at it, and the running bot.

Every test that talks to the bot goes over real HTTP to the sandbox on 127.0.0.1 and uses a
real SQLite file in the test's temporary folder."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox

COORDINATOR_ID = 9001
POLICE_ID = 9002

CONFIG = """
[telegram]
token = "{token}"
base_url = "{base_url}"
base_file_url = "{base_file_url}"

[database]
path = "{db_path}"

[municipality]
name = "Kumla kommun"
timezone = "Europe/Stockholm"
language = "sv"

[roles]
coordinators = [{coordinator}]
police = [{police}]

[[areas]]
code = "centrum"
name = "Centrum"
postcodes = ["69231", "69232"]

[[areas]]
code = "ostra_mark"
name = "Östra Mark"
postcodes = ["69233"]

[[areas]]
code = "norr"
name = "Norr"
postcodes = ["69234"]
"""


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own GRANNBOT_ variables must not change what the tests see."""
    for name in list(os.environ):
        if name.startswith("GRANNBOT_"):
            monkeypatch.delenv(name)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "grannbot.sqlite3"


@pytest.fixture
def config_file(tmp_path: Path, sandbox: Sandbox, db_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        CONFIG.format(
            token=sandbox.token,
            base_url=sandbox.base_url,
            base_file_url=sandbox.base_file_url,
            db_path=db_path.as_posix(),
            coordinator=COORDINATOR_ID,
            police=POLICE_ID,
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def settings(config_file: Path) -> Settings:
    return load_settings(config_file)


@pytest.fixture
async def bot(settings: Settings, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Grannbot]:
    """The running bot. Afterwards, no handler may have failed with an exception."""
    caplog.set_level(logging.INFO)
    async with Grannbot(settings, poll_timeout=1) as running:
        yield running
    failures = [r for r in caplog.records if r.name == "handlers.common" and r.levelno >= 40]
    assert not failures, [r.getMessage() for r in failures]


@pytest.fixture
def rows(db_path: Path) -> Callable[..., list[tuple]]:
    """Read the bot's database file directly, as an outsider would."""

    def query(sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(db_path) as conn:
            return conn.execute(sql, params).fetchall()

    return query
