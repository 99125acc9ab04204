"""The domain (bot/) does not speak Telegram. Services take plain values and return data or a
Message; handlers/ and the few edge modules named here turn that into Telegram calls. Parsed
with ast, so an import inside a function or under TYPE_CHECKING counts too."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from bot import summary
from bot.services import Services
from storage.db import Database
from tests.conftest import COORDINATOR_ID

ROOT = Path(__file__).resolve().parent.parent

# The modules of bot/ that exist to talk to Telegram, each with its reason.
EDGE = {
    "bot/app.py": "builds PTB's Application: the routing table and its Bot",
    "bot/runtime.py": "starts and stops the Application, the outbox's senders and the jobs",
    "bot/polling.py": "fetches updates with getUpdates and confirms them once handled",
    "bot/webhook.py": "receives the updates Telegram posts and answers once handled",
    "bot/request.py": "PTB's HTTP layer, over aiohttp",
    "bot/tgbot.py": "PTB's Bot, hardened against updates it cannot parse",
    "bot/updates.py": "PTB's update processor: each chat in order, the flood guard",
    "bot/persistence.py": "PTB's persistence interface, for flows that survive a restart",
    "bot/retry.py": "reads Telegram's errors into the outbox's decisions",
    "bot/telegram_text.py": "Telegram's text limits, from PTB's constants",
    "bot/demo.py": "runs a whole bot against the sandbox for `python -m bot demo`",
    "bot/__main__.py": "the command line: starts the bot, the demo, backups, check-config",
    "bot/sandbox/": "a local Bot API server and user client for tests, benchmarks, the demo",
}
# Edge modules that hand the domain a fact about Telegram as a plain value (what an error
# means for the outbox, how long a text may be): the only ones the domain may import.
FACTS = {"bot/retry.py", "bot/telegram_text.py"}


def imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import in ``source``, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def of_package(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def is_edge(relative: str) -> bool:
    return any(
        relative == edge or (edge.endswith("/") and relative.startswith(edge)) for edge in EDGE
    )


def domain_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.joinpath("bot").rglob("*.py")
        if not is_edge(path.relative_to(ROOT).as_posix())
    )


def offenders(*packages: str) -> list[str]:
    return [
        f"{path.relative_to(ROOT).as_posix()}:{line} imports {module}"
        for path in domain_modules()
        for line, module in imports(path.read_text(encoding="utf-8"))
        if any(of_package(module, package) for package in packages)
    ]


def test_the_check_sees_imports_anywhere_in_a_module():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from telegram import Bot\n"
        "def f():\n"
        "    import telegram.error\n"
        "from handlers.keyboards import status_buttons\n"
        "import telegramish\n"
    )
    found = [(line, m) for line, m in imports(source) if of_package(m, "telegram")]
    assert found == [(3, "telegram"), (5, "telegram.error")]
    assert [m for _, m in imports(source) if of_package(m, "handlers")] == ["handlers.keyboards"]


def test_the_domain_is_most_of_bot():
    names = {path.relative_to(ROOT).as_posix() for path in domain_modules()}
    assert {"bot/alerts.py", "bot/delivery.py", "bot/summary.py", "bot/tips.py"} <= names
    assert {"bot/app.py", "bot/sandbox/server.py"}.isdisjoint(names)


def test_the_domain_does_not_import_telegram():
    assert offenders("telegram") == []


def test_the_domain_does_not_import_the_telegram_side():
    assert offenders("handlers") == []


def test_the_domain_imports_no_other_edge_module():
    others = [
        edge.removesuffix("/").removesuffix(".py").replace("/", ".")
        for edge in EDGE
        if edge not in FACTS
    ]
    assert "bot.runtime" in others and "bot.sandbox" in others
    assert offenders(*others) == []


def test_every_edge_module_exists_and_has_a_reason():
    assert FACTS <= EDGE.keys()
    for edge, reason in EDGE.items():
        assert ROOT.joinpath(edge).exists(), edge
        assert reason.strip(), edge


async def test_a_domain_service_runs_without_telegram(settings, db_path):
    """The weekly summary is claimed, computed and handed to whatever sends it, with no Bot
    in sight; a second run for the same week hands nothing over."""
    handed: list[tuple[int, str, str]] = []

    async def deliver(chat_id: int, report: summary.WeeklySummary, lang: str) -> None:
        handed.append((chat_id, report.week.label, lang))

    db = await Database.open(db_path)
    try:
        services = Services(settings, db)
        fire = datetime(2026, 4, 6, 6, 0, tzinfo=UTC)  # Monday 08:00 in Kumla
        assert await summary.run_scheduled(services, deliver, fire)
        assert not await summary.run_scheduled(services, deliver, fire)
    finally:
        await db.close()
    assert handed == [(COORDINATOR_ID, "2026-W14", "sv")]
