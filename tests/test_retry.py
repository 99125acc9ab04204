"""The decision after a failed call, for every kind of error the outbox meets. The errors are
built as PTB builds them from Telegram's answers (the description as Telegram sends it;
PTB strips "Bad Request: " itself), so the table reads like the answers in the Bot API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.retry import MAX_ATTEMPTS, MAX_BACKOFF, MIGRATED, Action, Decision, decide, spread

TABLE = [
    # (error, attempts, action, delay, counts)
    (RetryAfter(7), 1, Action.PAUSE, 7.0, False),
    (RetryAfter(timedelta(seconds=3)), 1, Action.PAUSE, 3.0, False),
    # Flood control is no failure of the message: it never uses up the tries.
    (RetryAfter(7), MAX_ATTEMPTS + 5, Action.PAUSE, 7.0, False),
    (TimedOut(), 1, Action.RETRY, 1.0, True),
    (NetworkError("aiohttp.ClientConnectorError: connection refused"), 2, Action.RETRY, 2.0, True),
    # 5xx: PTB raises NetworkError with Telegram's description (502 as "Bad Gateway").
    (NetworkError("Internal Server Error"), 3, Action.RETRY, 4.0, True),
    (NetworkError("Bad Gateway"), 5, Action.RETRY, 16.0, True),
    (NetworkError("Bad Gateway"), MAX_ATTEMPTS, Action.GIVE_UP, 0.0, True),
    (TimedOut(), MAX_ATTEMPTS, Action.GIVE_UP, 0.0, True),
    # Neither 401/404 nor 409 is the recipient's doing: tried again like a network error.
    (InvalidToken("Unauthorized"), 1, Action.RETRY, 1.0, True),
    (Conflict("Conflict: terminated by other getUpdates request"), 1, Action.RETRY, 1.0, True),
    # A failure on our side (a read of the tip, say) is tried again too.
    (OSError("disk I/O error"), 1, Action.RETRY, 1.0, True),
    (OSError("disk I/O error"), MAX_ATTEMPTS, Action.GIVE_UP, 0.0, True),
    (Forbidden("Forbidden: bot was blocked by the user"), 1, Action.GONE, 0.0, True),
    (Forbidden("Forbidden: user is deactivated"), 1, Action.GONE, 0.0, True),
    (Forbidden("Forbidden: bot was kicked from the group chat"), 1, Action.GONE, 0.0, True),
    (BadRequest("Bad Request: chat not found"), 1, Action.GONE, 0.0, True),
    (BadRequest("Bad Request: can't parse entities: unclosed tag"), 1, Action.GIVE_UP, 0.0, True),
    (BadRequest("Bad Request: message is too long"), 1, Action.GIVE_UP, 0.0, True),
    (
        BadRequest("Bad Request: not enough rights to send photos to the chat"),
        1,
        Action.GIVE_UP,
        0.0,
        True,
    ),
    (
        BadRequest("Bad Request: message is not modified: specified new message content"),
        1,
        Action.DONE,
        0.0,
        True,
    ),
    (ChatMigrated(-1001234567890), 1, Action.MOVE, 0.0, True),
    (ChatMigrated(-1001234567890), MAX_ATTEMPTS, Action.MOVE, 0.0, True),
    (ChatMigrated(-1001234567890), MAX_ATTEMPTS + 1, Action.GIVE_UP, 0.0, True),
]


@pytest.mark.parametrize(
    ("error", "attempts", "action", "delay", "counts"),
    TABLE,
    ids=[f"{type(row[0]).__name__}-{i}" for i, row in enumerate(TABLE)],
)
def test_decision_for_each_error(
    error: BaseException, attempts: int, action: Action, delay: float, counts: bool
) -> None:
    decision = decide(error, attempts)
    assert (decision.action, decision.delay, decision.counts) == (action, delay, counts)
    assert decision.reason


def test_reasons_are_telegrams_answers() -> None:
    assert decide(BadRequest("Bad Request: chat not found"), 1).reason == "Chat not found"
    assert decide(Forbidden("Forbidden: user is deactivated"), 1).reason == (
        "Forbidden: user is deactivated"
    )
    assert decide(RetryAfter(7), 1).reason == "429"
    assert decide(NetworkError("Bad Gateway"), 1).reason == "Bad Gateway"
    assert decide(ChatMigrated(-1009), 1) == Decision(Action.MOVE, MIGRATED, new_chat_id=-1009)


def test_backoff_doubles_up_to_its_ceiling_and_follows_the_policy() -> None:
    delays = [decide(TimedOut(), n, max_attempts=12, backoff=2.0).delay for n in range(1, 9)]
    assert delays == [2.0, 4.0, 8.0, 16.0, 32.0, MAX_BACKOFF, MAX_BACKOFF, MAX_BACKOFF]
    assert decide(TimedOut(), 2, max_attempts=2).action is Action.GIVE_UP
    assert decide(TimedOut(), 2, max_attempts=3).action is Action.RETRY


def test_spread_stays_within_a_fifth() -> None:
    spread_out = [spread(10.0) for _ in range(200)]
    assert all(8.0 <= value <= 12.0 for value in spread_out)
    assert len(set(spread_out)) > 1
