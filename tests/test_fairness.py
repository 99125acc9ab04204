"""Fair handling: one resident's flood does not hold up the others, in polling and in webhook
mode; the flood guard slows a flooder down with one notice; an update is confirmed to
Telegram only once it and every earlier one is handled, and what was in hand at a crash is
handled after the restart."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Msg, Sandbox
from bot.sandbox.webhook import WebhookDelivery
from bot.texts import t
from tests.helpers import start_bot_process
from tests.test_webhook import SECRET, free_port

FLOODER, RESIDENT = 7001, 7002
ROUND_TRIP = 0.04  # seconds added to every Bot API call


def answers(sandbox: Sandbox, chat_id: int) -> list[Msg]:
    return [m for m in sandbox.messages(chat_id) if m.kind == "text"]


def settings_for(sandbox: Sandbox, config_file: Path, **telegram: object):
    return load_settings(
        config_file,
        telegram={
            "token": sandbox.token,
            "base_url": sandbox.base_url,
            "base_file_url": sandbox.base_file_url,
            **telegram,
        },
    )


async def flood_then_ask(sandbox: Sandbox, count: int = 100) -> tuple[Msg, list[Msg], list[int]]:
    """The flooder sends ``count`` messages at once, then another resident asks for /help.
    Returns the resident's answer, the flooder's first ten answers and update ids."""
    flooder = sandbox.user(FLOODER, "Flora")
    resident = sandbox.user(RESIDENT, "Greta")
    sandbox.faults.latency = ROUND_TRIP
    sent = [flooder.send_nowait(f"/help {n}") for n in range(count)]
    answer = await resident.send("/help", settle=0, timeout=30)
    await sandbox.wait_for(lambda: len(answers(sandbox, FLOODER)) >= 10, timeout=60)
    return answer, answers(sandbox, FLOODER)[:10], sent


async def test_polling_a_flood_does_not_hold_up_another_resident(sandbox: Sandbox, config_file):
    # The flood guard is off here: the chats' fairness alone must carry it.
    settings = settings_for(sandbox, config_file, flood_burst=0)
    async with Grannbot(settings, poll_timeout=1):
        answer, flooders, _ = await flood_then_ask(sandbox)
        assert "/help" in answer.text or "/start" in answer.text
        assert answer.seq < flooders[9].seq, "the resident waited for the flooder"
        # The flooder's own messages are answered in the order they were sent.
        await sandbox.wait_for(lambda: len(answers(sandbox, FLOODER)) == 100, timeout=60)


async def test_webhook_a_flood_does_not_hold_up_another_resident(sandbox: Sandbox, config_file):
    port = free_port()
    settings = settings_for(
        sandbox,
        config_file,
        flood_burst=0,
        mode="webhook",
        webhook_url="https://grannbot.example/telegram",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret=SECRET,
    )
    target = f"http://127.0.0.1:{port}/telegram"
    async with Grannbot(settings), WebhookDelivery(sandbox, target) as delivery:
        answer, flooders, flooder_ids = await flood_then_ask(sandbox)
        assert answer.seq < flooders[9].seq, "the resident waited for the flooder"
        await sandbox.wait_for(lambda: sandbox.updates_pending() == 0, timeout=60)
        assert [status for _, status, _ in delivery.answers] == [200] * 101
    # Each of the flooder's updates was answered only after the bot had replied to it.
    replies = answers(sandbox, FLOODER)
    assert len(replies) == 100
    flooder_answers = sorted(a for a in delivery.answers if a[0] in flooder_ids)
    for reply, (_, _, seq_at_answer) in zip(replies, flooder_answers, strict=True):
        assert reply.seq <= seq_at_answer


async def test_flood_guard_slows_the_flooder_with_one_notice(sandbox: Sandbox, bot):
    notice = t("sv", "flood_notice")
    neighbours = [sandbox.user(uid, f"Granne {uid}") for uid in (7101, 7102, 7103)]
    answer, flooders, _ = await flood_then_ask(sandbox)
    assert answer.seq < flooders[9].seq
    for neighbour in neighbours:
        for n in range(5):
            neighbour.send_nowait(f"/help {n}")

    def done() -> bool:
        got = answers(sandbox, FLOODER)
        return (
            notice in [m.text for m in got]
            and len(got) >= 21
            and all(len(answers(sandbox, n.chat_id)) == 5 for n in neighbours)
        )

    await sandbox.wait_for(done, timeout=60)
    assert await sandbox.settle(quiet=0.5, timeout=10)
    got = [m.text for m in answers(sandbox, FLOODER)]
    assert got.count(notice) == 1, "one notice per burst, not one per dropped update"
    assert len(got) == 21, "20 answers within the burst, then the notice"
    # Nothing of the others was dropped, and nobody else was told to slow down.
    for neighbour in neighbours:
        texts = [m.text for m in answers(sandbox, neighbour.chat_id)]
        assert len(texts) == 5 and notice not in texts
    assert notice not in [m.text for m in answers(sandbox, RESIDENT)]
    assert sandbox.updates_pending() == 0, "dropped updates count as handled"


async def test_an_update_is_confirmed_only_after_every_earlier_one(sandbox: Sandbox, bot):
    slow = sandbox.user(7201, "Sven")
    quick = sandbox.user(7202, "Kim")
    # /mydata answers with a document: this makes the slow resident's handler take 3 s.
    sandbox.faults.method_latency["sendDocument"] = 3.0
    slow_id = slow.send_nowait("/mydata")
    await sandbox.wait_for(lambda: any(c.method == "sendDocument" for c in sandbox.calls))
    answer = await quick.send("/help", settle=0)
    assert answer.text
    # The poller asks again after the quick answer; that call must not confirm past the
    # slow update, which is still being handled.
    mark = len(sandbox.calls)
    await sandbox.wait_for(lambda: any(c.method == "getUpdates" for c in sandbox.calls[mark:]))
    assert not [m for m in sandbox.messages(slow.chat_id) if m.kind == "document"]
    assert sandbox.updates_pending() == 2
    offsets = [int(c.params.get("offset") or 0) for c in sandbox.calls if c.method == "getUpdates"]
    assert max(offsets) <= slow_id
    await sandbox.wait_for(
        lambda: [m for m in sandbox.messages(slow.chat_id) if m.kind == "document"], timeout=10
    )
    await sandbox.wait_for(lambda: sandbox.updates_pending() == 0, timeout=10)


async def test_updates_in_hand_at_a_crash_are_handled_after_the_restart(
    sandbox: Sandbox, config_file: Path, tmp_path: Path
):
    slow = sandbox.user(7301, "Sven")
    quick = sandbox.user(7302, "Kim")
    log = tmp_path / "bot.log"
    process = await start_bot_process(sandbox, config_file, log)
    try:
        sandbox.faults.method_latency["sendDocument"] = 4.0
        slow.send_nowait("/mydata")
        await sandbox.wait_for(
            lambda: any(c.method == "sendDocument" for c in sandbox.calls), timeout=10
        )
        await quick.send("/help", settle=0, timeout=10)
        process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(process.wait(), 10)
    finally:
        if process.returncode is None:
            process.kill()
    assert not [m for m in sandbox.messages(slow.chat_id) if m.kind == "document"]
    assert sandbox.updates_pending() == 2, "neither update was confirmed"

    sandbox.faults.method_latency.clear()
    process = await start_bot_process(sandbox, config_file, log)
    try:
        await sandbox.wait_for(
            lambda: [m for m in sandbox.messages(slow.chat_id) if m.kind == "document"],
            timeout=30,
        )
        await sandbox.wait_for(lambda: sandbox.updates_pending() == 0, timeout=10)
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0
    documents = [m for m in sandbox.messages(slow.chat_id) if m.kind == "document"]
    assert len(documents) == 1
