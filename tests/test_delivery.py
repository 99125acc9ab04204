"""The outbox under pressure: configured rates, and a crash in the middle of a delivery."""

from __future__ import annotations

import asyncio
import itertools
import signal
from pathlib import Path

from bot.config import load_settings
from bot.delivery import Outbox
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from tests.conftest import POLICE_ID
from tests.helpers import received, seed_residents, start_bot_process, with_broadcast
from tests.test_alerts import link_group

GROUP = -2001


def most_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def alert_and_send(sandbox: Sandbox, text: str) -> None:
    officer = sandbox.user(POLICE_ID, "Polis")
    await officer.send(f"/alert {text}")
    await officer.press("Skicka")
    await officer.wait_text("har fått meddelandet")


def alert_sends(sandbox: Sandbox) -> list:
    return [
        c
        for c in sandbox.calls
        if c.method == "sendMessage"
        and c.status == 200
        and c.params.get("text", "").startswith("<b>Polisen informerar")
    ]


async def test_overall_rate_and_private_chat_spacing(
    sandbox: Sandbox, config_file: Path, db_path: Path
):
    settings = load_settings(with_broadcast(config_file, 20))
    async with Grannbot(settings, poll_timeout=1):
        residents = list(range(1000, 1080))
        seed_residents(sandbox, db_path, residents, ["centrum"])
        for n in range(3):
            await alert_and_send(sandbox, f"centrum Meddelande {n}")
        await sandbox.wait_for(
            lambda: all(received(sandbox, r, "Polisen informerar") == 3 for r in residents),
            timeout=30,
        )
    outbox_sends = alert_sends(sandbox)
    assert len(outbox_sends) == 3 * 80
    # A leaky bucket of capacity one: the rate, plus at most one message of burst.
    assert most_in_window([c.at for c in outbox_sends], 1.0) <= 20 + 1
    # One private chat never gets two messages within a second.
    for resident in residents:
        times = sorted(c.at for c in outbox_sends if c.chat_id == resident)
        assert min(b - a for a, b in itertools.pairwise(times)) >= 1.0 - 0.05


async def test_group_rate_per_minute(sandbox: Sandbox, config_file: Path, db_path: Path):
    """Three alerts queued within a fraction of a second still reach the group 3 s apart:
    20 per minute, so no minute can hold more than 20 (plus the burst of one)."""
    settings = load_settings(with_broadcast(config_file, 30, group_per_minute=20))
    async with Grannbot(settings, poll_timeout=1):
        seed_residents(sandbox, db_path, [1100], ["centrum"])
        await link_group(sandbox, GROUP, "Grannsamverkan Centrum", "centrum")
        for n in range(3):
            await alert_and_send(sandbox, f"centrum Meddelande {n}")
        await sandbox.wait_for(
            lambda: received(sandbox, GROUP, "Polisen informerar") == 3, timeout=30
        )
    group_times = sorted(c.at for c in alert_sends(sandbox) if c.chat_id == GROUP)
    resident_times = sorted(c.at for c in alert_sends(sandbox) if c.chat_id == 1100)
    gaps = [b - a for a, b in itertools.pairwise(group_times)]
    assert min(gaps) >= 3.0 - 0.05, gaps
    # Residents are not held back by the group's limit.
    assert resident_times[-1] < group_times[-1] - 2.0


async def test_crash_mid_delivery_resumes_with_bounded_duplicates(
    sandbox: Sandbox, config_file: Path, db_path: Path, tmp_path: Path
):
    config = with_broadcast(config_file, 30)
    log = tmp_path / "bot.log"

    residents = range(10_000, 11_000)
    bot = await start_bot_process(sandbox, config, log)
    try:
        seed_residents(sandbox, db_path, residents, ["centrum"])
        officer = sandbox.user(POLICE_ID, "Polis")
        await officer.send("/alert all Viktigt: vattenläcka, koka vattnet", timeout=15)
        await officer.press("Skicka", timeout=15)
        heading = "Polisen informerar"

        def delivered() -> int:
            return sum(1 for r in residents if received(sandbox, r, heading))

        await sandbox.wait_for(lambda: delivered() >= 300, timeout=60)
    finally:
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
    before_restart = delivered()
    assert 300 <= before_restart < 1000, "the kill came in the middle of the delivery"

    bot = await start_bot_process(sandbox, config, log)
    try:
        await sandbox.wait_for(
            lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=90
        )
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 15)
    counts = [received(sandbox, r, heading) for r in residents]
    assert min(counts) == 1, "every resident got the alert"
    duplicates = sum(n - 1 for n in counts)
    # Only messages sent but not yet recorded when the process died can be sent again.
    assert duplicates <= Outbox.duplicate_bound_for(), duplicates
    report = sandbox.messages(POLICE_ID)[-1].text
    assert "1000 av 1000 har fått meddelandet" in report and "gick inte att nå" not in report
    assert bot.returncode == 0
