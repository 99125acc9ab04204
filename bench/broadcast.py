"""Broadcast benchmark: deliveries per second through the outbox beside bare PTB sends, and
how closely the throttled outbox keeps to its configured rate.

    python -m bench.broadcast [--residents 5000] [--throttled 500] [--rate 25]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import TimedBot, database_with_residents, make_bot, sandbox_process
from bot.alerts import Draft, queue, render
from bot.config import Settings
from bot.delivery import CONCURRENCY, Outbox, Senders
from bot.services import Services
from storage import areas as area_rows


async def baseline(bot, user_ids: range, concurrency: int) -> float:
    """Bare PTB send_message calls with the same concurrency and no persistence."""
    sem = asyncio.Semaphore(concurrency)

    async def one(uid: int) -> None:
        async with sem:
            await bot.send_message(uid, "<b>Polisen informerar</b>\n\nBaslinje", parse_mode="HTML")

    started = time.perf_counter()
    await asyncio.gather(*(one(uid) for uid in user_ids))
    return len(user_ids) / (time.perf_counter() - started)


async def through_outbox(
    db_path: Path, bot, user_ids: range, rate: float | None
) -> tuple[float, float, float]:
    """Queue one alert to every resident and wait until the outbox has finished it.
    Returns (deliveries per second, time to first delivery, seconds in all)."""
    db = await database_with_residents(db_path, user_ids)
    timed = TimedBot(bot)
    finished = asyncio.Event()

    async def on_progress(alert_ids: list[int], done: list[int]) -> None:
        if done:
            finished.set()

    outbox = Outbox(
        db,
        Senders(alert=timed.send_message),
        render,
        messages_per_second=rate,
        group_messages_per_minute=20,
        on_progress=on_progress,
    )
    services = Services(Settings(), db, outbox)
    await outbox.start()
    areas = await area_rows.all_areas(db)
    started = time.perf_counter()
    await queue(services, Draft("police", 1, areas, "Flera bilinbrott i natt"))
    await asyncio.wait_for(finished.wait(), 600)
    elapsed = time.perf_counter() - started
    await outbox.stop()
    pending = await db.fetchval("SELECT count(*) FROM deliveries WHERE status != 'delivered'")
    await db.close()
    assert pending == 0 and len(timed.sent_at) == len(user_ids), "every message delivered"
    first = timed.sent_at[0] - started
    span = timed.sent_at[-1] - timed.sent_at[0]
    achieved = (len(timed.sent_at) - 1) / span if span else float("inf")
    return achieved, first, elapsed


async def main(residents: int, throttled: int, rate: float) -> None:
    async with sandbox_process() as sandbox:
        await sandbox.register_users(range(1, residents + 1))
        bot = make_bot(sandbox.base_url)
        await bot.initialize()
        try:
            with tempfile.TemporaryDirectory() as folder:
                base = await baseline(bot, range(1, residents + 1), CONCURRENCY)
                outbox_rate, _, outbox_total = await through_outbox(
                    Path(folder) / "unthrottled.sqlite3", bot, range(1, residents + 1), None
                )
                achieved, first, total = await through_outbox(
                    Path(folder) / "throttled.sqlite3", bot, range(1, throttled + 1), rate
                )
        finally:
            await bot.shutdown()
    print(f"Broadcast benchmark (sandbox in another process, concurrency {CONCURRENCY})")
    print(f"  unthrottled, {residents} residents:")
    print(f"    bare PTB send_message baseline : {base:8.0f} msg/s")
    print(
        f"    through the outbox             : {outbox_rate:8.0f} msg/s "
        f"({outbox_total:.1f} s in all)"
    )
    print(f"    ratio outbox / baseline        : {outbox_rate / base:8.2f}   (target >= 0.80)")
    print(f"  throttled at {rate:g} msg/s, {throttled} residents:")
    print(f"    achieved rate                  : {achieved:8.2f} msg/s")
    print(f"    achieved / configured          : {achieved / rate:8.3f}   (target >= 0.95)")
    print(f"    time to first delivery         : {first * 1000:8.0f} ms  (target <= 1000 ms)")
    print(f"    all delivered after            : {total:8.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=5000)
    parser.add_argument("--throttled", type=int, default=500)
    parser.add_argument("--rate", type=float, default=25)
    args = parser.parse_args()
    asyncio.run(main(args.residents, args.throttled, args.rate))
