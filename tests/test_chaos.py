"""Chaos: the bot as a separate process, an alert to 1,000 residents through 5xx, dropped
connections, bursts of 429 and blocked residents, killed twice with SIGKILL while residents
keep sending tips. Nothing may be lost and the database must stay intact.

A second phase fails every Bot API method: an officer presses Send on alerts, residents sign
up and send guided tips, the coordinator changes their status by button. Every decision made
by a press must hold, whatever happened to the answers around it."""

from __future__ import annotations

import asyncio
import random
import signal
from datetime import timedelta
from pathlib import Path

from bot import clock
from bot.delivery import Outbox
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from bot.tip_handling import UNDO_WINDOW
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import (
    Persistent,
    StepFailed,
    received,
    seed_residents,
    start_bot_process,
    until,
    with_broadcast,
)

HEADING = "Polisen informerar"
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
    await officer.wait_text("har fått meddelandet", timeout=15)

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
    assert f"{1000 - len(blocked)} av 1000 har fått meddelandet" in report
    assert f"{len(blocked)} har blockerat boten" in report

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


ALERTS = 3
NEWCOMERS = range(42_000, 42_006)
REPORTERS = range(43_000, 43_006)


async def sign_up(person: Persistent) -> bool:
    """Deep link from a sign, consent, joined: True once the resident saw they are in."""
    for _ in range(4):
        try:
            await person.send("/start area_centrum", "Välkommen till grannsamverkan i")
            await person.press("godkänner", "grannsamverkan Centrum")
            return True
        except StepFailed:
            continue
    return False


async def guided_tip(person: Persistent, text: str) -> bool:
    """The guided flow from the start; True once Send was pressed. Anything lost on the way
    (the bot's next question never came) makes the resident start over with /tip."""
    for _ in range(6):
        try:
            await person.send("/tip", "Vad gäller det?")
            await person.press("Misstänkt aktivitet", "När hände det?")
            await person.press("I går", "Beskriv vad som hände")
            await person.send(text, "bild eller en plats")
            await person.press("Vidare", "Hur vill du att vi kontaktar dig?")
            await person.press("Svara mig här", "Kontrollera ditt tips")
        except StepFailed:
            continue
        await person.press("Skicka tipset", None)
        return True
    return False


async def test_every_method_failing(sandbox: Sandbox, settings, db_path: Path, rows):
    residents = range(44_000, 44_040)
    sandbox.user(COORDINATOR_ID, "Kerstin")
    officer = Persistent(sandbox, POLICE_ID, "Polis")
    async with Grannbot(settings, poll_timeout=1, backoff=0.2):
        seed_residents(sandbox, db_path, residents, ["centrum"])
        seed_residents(sandbox, db_path, REPORTERS, ["centrum"])
        sandbox.faults.seed(7)
        sandbox.faults.rates("*", p_5xx=0.10, p_drop=0.05)
        sandbox.faults.fail_next("*", status=429, retry_after=1, count=4)

        async def officer_alerts() -> list[str]:
            pressed = []
            for n in range(ALERTS):
                text = f"Larm {n}: polisen söker vittnen till en brand vid Storgatan"
                try:
                    await officer.send(f"/alert centrum {text}", "Förhandsvisning")
                    # Whatever the dice say, the officer's next message and edit fail too.
                    for method in ("sendMessage", "editMessageReplyMarkup"):
                        sandbox.faults.fail_next(method, status=502, chat_id=POLICE_ID)
                    await officer.press("Skicka", None)
                except StepFailed:
                    continue
                pressed.append(text)
            return pressed

        async def report(reporter: int) -> tuple[int, str | None]:
            text = f"Tips från {reporter}: en okänd bil kör sakta runt kvarteret"
            person = Persistent(sandbox, reporter, f"Boende {reporter}")
            return reporter, text if await guided_tip(person, text) else None

        async def residents_report() -> dict[int, str]:
            done = await asyncio.gather(*(report(r) for r in REPORTERS))
            return {reporter: text for reporter, text in done if text is not None}

        async def join(uid: int) -> int | None:
            return uid if await sign_up(Persistent(sandbox, uid, f"Ny {uid}")) else None

        async def newcomers_join() -> list[int]:
            return [uid for uid in await asyncio.gather(*map(join, NEWCOMERS)) if uid]

        alerts, tips, joined = await asyncio.gather(
            officer_alerts(), residents_report(), newcomers_join()
        )
        assert len(alerts) >= 2 and len(tips) >= 3 and len(joined) >= 3, (alerts, tips, joined)

        # Every tip reaches the coordinator through the outbox; a status button is pressed
        # on each card (once: a press is a decision).
        def card(ref: str):
            return next(
                (m for m in sandbox.messages(COORDINATOR_ID) if ref in (m.text or "")), None
            )

        stored = dict(rows("SELECT description, ref FROM tips"))
        refs = [stored[text] for text in tips.values() if text in stored]
        await sandbox.wait_for(lambda: all(card(ref) for ref in refs), timeout=60)
        for ref in refs:
            message = card(ref)
            data = next(
                b["callback_data"]
                for row in message.reply_markup["inline_keyboard"]
                for b in row
                if "Läst" in b["text"]
            )
            sandbox.inject_callback(COORDINATOR_ID, COORDINATOR_ID, message.message_id, data)

        def reviewed() -> int:
            return rows(
                "SELECT count(*) FROM tip_status_history WHERE status = 'reviewed'"
                " AND changed_by = ?",
                (COORDINATOR_ID,),
            )[0][0]

        await until(lambda: reviewed() == len(refs), within=60)
        # The reporters hear of a change by button once it can no longer be undone.
        clock.advance(UNDO_WINDOW + timedelta(seconds=1))

        def told(reporter: int, ref: str) -> int:
            return sum(
                1
                for m in sandbox.messages(reporter)
                if ref in (m.text or "") and "läst" in (m.text or "")
            )

        reporter_of = {text: reporter for reporter, text in tips.items()}
        told_of = {ref: reporter_of[text] for text, ref in stored.items() if text in reporter_of}
        await sandbox.wait_for(
            lambda: all(told(r, ref) >= 1 for ref, r in told_of.items()), timeout=60
        )
        await until(
            lambda: rows("SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(0,)],
            within=90,
        )
        sandbox.faults.clear()

    # Every pressed Send gave exactly one alert, and it reached every reachable resident once.
    for text in alerts:
        assert rows("SELECT count(*) FROM alerts WHERE text = ?", (text,)) == [(1,)], text
        for resident in residents:
            got = [m for m in sandbox.messages(resident) if text in (m.text or "")]
            assert len(got) == 1, (text, resident, len(got))
    assert rows("SELECT count(*) FROM deliveries WHERE status != 'delivered'") == [(0,)]
    # Every tip whose Send was pressed is stored once; nothing else was stored.
    descriptions = [d for (d,) in rows("SELECT description FROM tips")]
    assert sorted(descriptions) == sorted(tips.values())
    # Every status change is recorded and its reporter told exactly once.
    assert all(told(r, ref) == 1 for ref, r in told_of.items())
    # Whoever saw that they joined is a member.
    members = {u for (u,) in rows("SELECT user_id FROM memberships")}
    assert set(joined) <= members
    assert rows("PRAGMA integrity_check") == [("ok",)]
    failures = sum(1 for c in sandbox.calls if c.status not in (200, -1))
    print(
        f"every method failing: {len(alerts)} alerts, {len(tips)} tips, {len(joined)} sign-ups,"
        f" {failures} failed calls"
    )
