"""The README's command tables list exactly the commands the bot has: a command added to the
table in bot/app.py without a line in the README (or a README line for a command that is
gone) fails here."""

from __future__ import annotations

import re
from pathlib import Path

from bot.app import COMMANDS
from bot.roles import Role
from bot.texts import LANGUAGES, plain

README = Path(__file__).resolve().parent.parent / "README.md"
COMMAND = re.compile(r"`/(\w+)")


def commands_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Commands\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def documented_rows() -> list[list[str]]:
    """The commands named in the first column of each row of the section's tables."""
    rows = []
    for line in commands_section().splitlines():
        if not line.startswith("|") or line.startswith(("| command", "|---")):
            continue
        first_cell = re.split(r"(?<!\\)\|", line)[1]
        rows.append(sorted(set(COMMAND.findall(first_cell))))
    return rows


def test_readme_lists_exactly_the_commands_of_the_table():
    rows = documented_rows()
    documented = [name for row in rows for name in row]
    assert all(rows), "a table row names no command"
    assert len(documented) == len(set(documented)), "a command is in two rows"
    assert sorted(documented) == sorted(name for c in COMMANDS for name in c.names)
    # A Swedish name stands in the row of the command it runs ("`/help` (`/hjalp`)").
    for command in COMMANDS:
        row = next(row for row in rows if command.name in row)
        assert set(command.aliases) <= set(row), command.name


def test_every_command_has_its_help_text_and_residents_see_no_staff_command():
    for command in COMMANDS:
        for lang in LANGUAGES:
            assert plain(lang, command.help), (command.name, lang)
    resident_menu = {c.name for c in COMMANDS.menu(Role.RESIDENT)}
    assert not resident_menu & {"alert", "notice", "area", "ban", "audit", "export", "tips"}
