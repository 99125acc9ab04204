"""Chaos: the bot as a separate process, an alert to 1,000 residents through 5xx, dropped
connections, bursts of 429 and blocked residents, killed twice with SIGKILL while residents
keep sending tips. Nothing may be lost and the database must stay intact."""

from __future__ import annotations

import asyncio
import random
import signal
from pathlib import Path

from bot.delivery import Outbox
from bot.sandbox import Sandbox
from tests.conftest import POLICE_ID
from tests.helpers import received, seed_residents, start_bot_process, with_broadcast

HEADING = "🚓 Polisen informerar"
RESIDENTS = range(40_000, 41_000)


async def test_chaos(sandbox: Sandbox, config_file: Path, db_path: Path, tmp_path: Path, rows):
    chance = random.Random(2026)
    config = with_broadcast(config_file, 30)
    log = tmp_path / "bot.log"
    bot = await start_bot_process(sandbox, config, log)
    seed_residents(sandbox, db_path, RESIDENTS, ["centrum"])
    blocked = set(chance.sample(list(RESIDENTS), 30))  # 3 % have blocked the bot
    for chat in blocked:
        sandbox.block(chat)
    officer = sandbox.user(POLICE_ID, "Polis")
    await officer.send("/alert all Polisen söker vittnen till inbrott på Storgatan", timeout=15)
    await officer.press("Skicka", timeout=15)
    await officer.wait_text("Levererade:", timeout=15)

    sandbox.faults.seed(11)
    sandbox.faults.rates("sendMessage", p_5xx=0.10, p_drop=0.05)
    tips: dict[int, str] = {}  # resident → tip text
    reporters = [r for r in RESIDENTS if r not in blocked]
    chance.shuffle(reporters)

    async def residents_send_tips() -> None:
        for n, resident in enumerate(reporters[:150]):
            text = f"Kaostips nummer {n}: okänd bil kör runt långsamt"
            tips[resident] = text
            sandbox.inject_message(resident, resident, f"/tip suspicious {text}")
            if n % 40 == 0:
                sandbox.faults.fail_next("sendMessage", status=429, retry_after=1, count=3)
            await asyncio.sleep(0.15)  # a resident types; this paces the load, not a sync

    def delivered() -> int:
        return sum(1 for r in RESIDENTS if received(sandbox, r, HEADING))

    sender = asyncio.create_task(residents_send_tips())
    try:
        for threshold in (chance.randint(150, 350), chance.randint(500, 750)):
            await sandbox.wait_for(lambda t=threshold: delivered() >= t, timeout=90)
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            bot = await start_bot_process(sandbox, config, log)
        await sender
        await sandbox.wait_for(
            lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=120
        )
        await sandbox.wait_for(lambda: sandbox.updates_pending() == 0, timeout=60)
        sandbox.faults.clear()
        # The bot handles one resident's updates in order: an answer to /help proves the tip
        # before it was handled too.
        for resident in list(tips)[-5:]:
            probe = sandbox.user(resident, f"Boende {resident}")
            await probe.send("/help", timeout=30)
    finally:
        sandbox.faults.clear()
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 20)

    counts = {r: received(sandbox, r, HEADING) for r in RESIDENTS}
    assert all(counts[r] == 0 for r in blocked)
    missing = [r for r in RESIDENTS if r not in blocked and counts[r] == 0]
    assert missing == [], missing[:10]
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    assert duplicates <= 2 * Outbox.duplicate_bound_for(), duplicates
    report = sandbox.messages(POLICE_ID)[-1].text
    assert f"Levererade: {1000 - len(blocked)} av 1000" in report
    assert f"Har blockerat boten: {len(blocked)}" in report

    stored = {text for (text,) in rows("SELECT description FROM tips")}
    lost = [
        resident
        for resident, text in tips.items()
        if text not in stored
        and not any("gick fel" in (m.text or "") for m in sandbox.messages(resident))
    ]
    assert lost == [], f"{len(lost)} tips neither stored nor answered"
    assert rows("PRAGMA integrity_check") == [("ok",)]
    print(f"chaos: {duplicates} duplicate alert messages, {len(stored)} tips stored")
