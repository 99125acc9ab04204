"""Commands as data: one row per command says who may use it, in which chats, whether it is
in the menus and which text explains it. The routes, the role checks, the redirects into the
private chat, the command menus and /help are all built from these rows; the table itself is
bot/app.py ``COMMANDS``, next to the routes."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Flag, StrEnum, auto

from telegram import BotCommand, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.roles import Role
from bot.texts import plain
from handlers.callbacks import CallbackData
from handlers.common import (
    COMMAND_TABLE,
    Context,
    Handler,
    is_private,
    private_only,
    private_or_team_chat,
    reply,
    requires,
)

# Commands react to new messages only: editing an old "/leave centrum" must not run it again.
NEW_MESSAGES = filters.UpdateType.MESSAGE


def command(name: str, callback: Handler) -> CommandHandler:
    """A command inside a flow (its /cancel): the flow decides when it applies."""
    return CommandHandler(name, callback, filters=NEW_MESSAGES)


def button(kind: type[CallbackData], callback: Handler) -> CallbackQueryHandler:
    """The route of one kind of button (handlers/callbacks.py)."""
    return CallbackQueryHandler(callback, pattern=kind.pattern())


class Where(StrEnum):
    """The chats a command works in."""

    PRIVATE = "private"  # elsewhere: a button into the private chat instead
    GROUP = "group"  # elsewhere: the command's ``elsewhere`` text
    ANY = "any"
    PRIVATE_OR_TEAM_CHAT = "private_or_team_chat"  # the coordinators' group too


class Menu(Flag):
    """The command menus (and /help) a command is listed in."""

    NONE = 0
    PRIVATE = auto()
    GROUP = auto()


@dataclass(frozen=True, slots=True)
class Command:
    """One command. ``roles`` empty: everyone may use it; otherwise only holders of one of
    them (checked before the handler runs, refusals audited under the command's name).
    ``flow`` names the flow the command starts: its route is built into that flow.
    ``aliases``: further names (Swedish ones) that run the same command."""

    name: str
    handler: Handler
    roles: tuple[Role, ...] = ()
    where: Where = Where.PRIVATE
    menu: Menu = Menu.PRIVATE
    help: str = ""
    aliases: tuple[str, ...] = ()
    flow: str | None = None
    elsewhere: str = ""

    def __post_init__(self) -> None:
        if not self.help:
            object.__setattr__(self, "help", f"cmd_{self.name}")
        if self.where is Where.GROUP and not self.elsewhere:
            raise ValueError(f"/{self.name} works in groups only: say what to do elsewhere")

    def for_role(self, role: Role) -> bool:
        return not self.roles or role in self.roles

    def callback(self, handler: Handler | None = None) -> Handler:
        """``handler`` (default: the command's own) behind the command's checks. A private
        command checks the chat first (a group sees a button, not a refusal); a group command
        checks the role first (someone not allowed is told so, not where to type it)."""
        checked = handler or self.handler
        if self.where is Where.GROUP:
            checked = _groups_only(checked, self.elsewhere)
        if self.roles:
            checked = requires(*self.roles, action=self.name)(checked)
        if self.where is Where.PRIVATE:
            checked = private_only(checked)
        elif self.where is Where.PRIVATE_OR_TEAM_CHAT:
            checked = private_or_team_chat(checked)
        return checked

    def route(
        self, handler: Handler | None = None, extra: filters.BaseFilter | None = None
    ) -> CommandHandler:
        """The command's route; ``handler`` and ``extra`` for a variant such as a deep link."""
        return CommandHandler(
            (self.name, *self.aliases),
            self.callback(handler),
            filters=NEW_MESSAGES & extra if extra else NEW_MESSAGES,
        )


def _groups_only(handler: Handler, elsewhere: str) -> Handler:
    @functools.wraps(handler)
    async def in_groups(update: Update, context: Context) -> object:
        if is_private(update):
            await reply(update, context.caller.t(elsewhere))
            return None
        return await handler(update, context)

    return in_groups


class Commands:
    """The table, in the order the menus and /help list it."""

    def __init__(self, *commands: Command) -> None:
        self._commands = {c.name: c for c in commands}
        if len(self._commands) != len(commands):
            raise ValueError("a command is in the table twice")

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def __getitem__(self, name: str) -> Command:
        return self._commands[name]

    @property
    def names(self) -> list[str]:
        return list(self._commands)

    def routes(self) -> list[CommandHandler]:
        """The routes of every command that does not start a flow."""
        return [c.route() for c in self if c.flow is None]

    def entry_points(self, flow: str) -> list[CommandHandler]:
        """The routes of the commands that start ``flow``."""
        found = [c.route() for c in self if c.flow == flow]
        if not found:
            raise ValueError(f"no command starts the flow {flow}")
        return found

    def menu(self, role: Role, *, private: bool = True) -> list[Command]:
        """What ``role`` sees in the menu and in /help: in a private chat, the commands open
        to everyone and those of the role; in a group, the group menu."""
        if not private:
            return [c for c in self if Menu.GROUP in c.menu]
        return [c for c in self if Menu.PRIVATE in c.menu and c.for_role(role)]


def bot_commands(lang: str, commands: Iterable[Command]) -> list[BotCommand]:
    return [BotCommand(c.name, plain(lang, c.help)) for c in commands]


def table_of(application: Application) -> Commands:
    return application.bot_data[COMMAND_TABLE]
