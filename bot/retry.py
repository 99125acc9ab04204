"""What to do after Telegram refused or failed a call: one decision, made the same way for
every message the bot owes someone (alerts, notices, tip copies, delivery reports).

:func:`decide` looks only at the error and how many tries were made, so that every answer
Telegram can give is covered by one table test (tests/test_retry.py) instead of by the
``except`` clauses of each sender. What the caller does with a decision (pause the whole
outbox, mark a recipient inactive, move a group's rows) stays with the caller.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.tgbot import retry_after_seconds

MAX_ATTEMPTS = 6
MAX_BACKOFF = 60.0  # seconds; a retry is never further off than this
MIGRATED = "group chat was upgraded to a supergroup"


class Action(enum.StrEnum):
    RETRY = "retry"  # try the same call again after ``delay`` seconds
    PAUSE = "pause"  # flood control: the whole bot waits ``delay``, then tries again
    MOVE = "move"  # the group became a supergroup: send to ``new_chat_id`` instead
    GONE = "gone"  # the recipient blocked the bot, left Telegram, or the chat is unknown
    GIVE_UP = "give_up"  # no later try can succeed, or the tries are used up
    DONE = "done"  # what the call asked for is already so ("message is not modified")


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reason: str  # Telegram's answer, or what failed on our side; stored as the last error
    delay: float = 0.0
    new_chat_id: int | None = None
    counts: bool = True  # False: this try does not count against the limit (flood control)


def decide(
    error: BaseException,
    attempts: int,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    backoff: float = 1.0,
) -> Decision:
    """The decision after a call failed with ``error`` on try number ``attempts`` (1 for the
    first). Network errors, timeouts, 5xx and failures on our side are retried with
    exponential backoff (``backoff``, doubled each time, at most :data:`MAX_BACKOFF`) until
    ``max_attempts`` tries were made; the caller spreads the delay (:func:`spread`)."""
    if isinstance(error, RetryAfter):
        # Telegram's flood limit is per bot: everyone waits exactly as long as it asked, and
        # being told to wait is no failure of this message.
        return Decision(Action.PAUSE, "429", delay=retry_after_seconds(error), counts=False)
    if isinstance(error, ChatMigrated):
        # A move cannot repeat, so the attempt limit still bounds following one.
        if attempts > max_attempts:
            return Decision(Action.GIVE_UP, MIGRATED)
        return Decision(Action.MOVE, MIGRATED, new_chat_id=error.new_chat_id)
    if isinstance(error, Forbidden):
        return Decision(Action.GONE, error.message)
    if isinstance(error, BadRequest):
        # Checked before the network errors: PTB makes BadRequest a NetworkError.
        text = error.message.lower()
        if "chat not found" in text:
            return Decision(Action.GONE, error.message)
        if "message is not modified" in text:
            return Decision(Action.DONE, error.message)
        return Decision(Action.GIVE_UP, error.message)
    if attempts >= max_attempts:
        return Decision(Action.GIVE_UP, str(error))
    delay = min(MAX_BACKOFF, backoff * 2 ** (attempts - 1))
    return Decision(Action.RETRY, str(error), delay=delay)


def from_telegram(error: BaseException) -> bool:
    """Whether Telegram refused or failed the call, rather than something on our side."""
    return isinstance(error, TelegramError)


def spread(delay: float) -> float:
    """A backoff delay give or take a fifth, so that retries failed together do not all come
    back in the same instant."""
    return delay * random.uniform(0.8, 1.2)
