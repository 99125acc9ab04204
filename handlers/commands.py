"""Commands as data: one row per command says who may use it, in which chats, whether it is
in the menus and which text explains it. The routes, the role checks, the redirects into the
private chat, the command menus and /help are all built from these rows; the table itself is
bot/app.py ``COMMANDS``, next to the routes."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Flag, StrEnum, auto

from telegram import BotCommand, Message, MessageEntity, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.roles import Role
from bot.texts import LANGUAGES, plain
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
# The language whose names the aliases are: its menus and /help show them instead.
ALIAS_LANGUAGE = "sv"


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
    ``aliases``: further names (Swedish ones) that run the same command; the first is the
    one the Swedish menu and /help show. ``button``: the text key of the command's button on
    the residents' reply keyboard (handlers/keyboards.py), whose press arrives as that text."""

    name: str
    handler: Handler
    roles: tuple[Role, ...] = ()
    where: Where = Where.PRIVATE
    menu: Menu = Menu.PRIVATE
    help: str = ""
    aliases: tuple[str, ...] = ()
    flow: str | None = None
    elsewhere: str = ""
    button: str = ""

    def __post_init__(self) -> None:
        if not self.help:
            object.__setattr__(self, "help", f"cmd_{self.name}")
        if self.where is Where.GROUP and not self.elsewhere:
            raise ValueError(f"/{self.name} works in groups only: say what to do elsewhere")

    def for_role(self, role: Role) -> bool:
        return not self.roles or role in self.roles

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def name_in(self, lang: str) -> str:
        """The name people reading ``lang`` are shown."""
        return self.aliases[0] if self.aliases and lang == ALIAS_LANGUAGE else self.name

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
            self.names,
            self.callback(handler),
            filters=NEW_MESSAGES & extra if extra else NEW_MESSAGES,
        )

    def button_route(self) -> MessageHandler:
        """A press on the command's reply-keyboard button, in any of our languages (someone
        may switch language while an older keyboard is still shown). The handler sees no
        ``context.args``, as after the bare command."""
        labels = "|".join(re.escape(plain(lang, self.button)) for lang in LANGUAGES)
        pressed = filters.Regex(re.compile(rf"^\s*(?:{labels})\s*$", re.IGNORECASE))
        return MessageHandler(NEW_MESSAGES & filters.ChatType.PRIVATE & pressed, self.callback())


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

    def entry_points(self, flow: str) -> list[BaseHandler]:
        """The routes of the commands that start ``flow``, and of their keyboard buttons."""
        starting = [c for c in self if c.flow == flow]
        if not starting:
            raise ValueError(f"no command starts the flow {flow}")
        return [c.route() for c in starting] + [c.button_route() for c in starting if c.button]

    def keyboard(self) -> list[Command]:
        """The commands on the residents' reply keyboard, in the table's order."""
        return [c for c in self if c.button]

    def button_routes(self) -> list[MessageHandler]:
        """The keyboard buttons of the commands that start no flow. They come before the
        flows, so that "Hjälp" pressed in the middle of a tip answers with help and leaves the
        tip where it was, instead of becoming its description."""
        return [c.button_route() for c in self if c.button and c.flow is None]

    def typed(self, message: Message | None) -> Command | None:
        """The command meant by a message such as "/hjälp" or "/Områden": Telegram marks no
        command in it (a command is only a-z, 0-9 and _, and "/hj" followed by a letter is
        not one), so no command route sees it. Only commands that start no flow: a flow is
        entered through its own routes."""
        if message is None or not message.text or _marked_command(message):
            return None
        match = _TYPED.match(message.text)
        if match is None:
            return None
        wanted = fold(match.group(1))
        for command in self:
            if command.flow is None and wanted in command.names:
                return command
        return None

    def typed_route(self) -> MessageHandler:
        """The route of :meth:`typed` commands in private chats (in groups Telegram hands a
        bot in privacy mode no message without a command in it anyway)."""
        return MessageHandler(
            NEW_MESSAGES & filters.ChatType.PRIVATE & TypedCommand(self), self._run_typed
        )

    async def _run_typed(self, update: Update, context: Context) -> object:
        command = self.typed(update.effective_message)
        if command is None:
            return None
        # As the command's own route would have split it.
        context.args = update.effective_message.text.split()[1:]
        return await command.callback()(update, context)

    def menu(self, role: Role, *, private: bool = True) -> list[Command]:
        """What ``role`` sees in the menu and in /help: in a private chat, the commands open
        to everyone and those of the role; in a group, the group menu."""
        if not private:
            return [c for c in self if Menu.GROUP in c.menu]
        return [c for c in self if Menu.PRIVATE in c.menu and c.for_role(role)]


def bot_commands(lang: str, commands: Iterable[Command]) -> list[BotCommand]:
    return [BotCommand(c.name_in(lang), plain(lang, c.help)) for c in commands]


# "/hjälp", "/Lämna centrum", "/områden@grannbot": a slash, a word, maybe the bot's name.
_TYPED = re.compile(r"^/(\w{1,64})(?:@\w+)?(?:\s|$)")


def fold(word: str) -> str:
    """A typed name as a command name: lower case, "ä" as "a", "ö" as "o" and so on."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _marked_command(message: Message) -> bool:
    return any(
        entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0
        for entity in message.entities or ()
    )


class TypedCommand(filters.MessageFilter):
    """Messages that :meth:`Commands.typed` recognises."""

    def __init__(self, commands: Commands) -> None:
        super().__init__(name="TypedCommand")
        self._commands = commands

    def filter(self, message: Message) -> bool:
        return self._commands.typed(message) is not None


def table_of(application: Application) -> Commands:
    return application.bot_data[COMMAND_TABLE]
