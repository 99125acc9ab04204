"""Memory benchmark: peak RSS of the bot process with 100,000 participants in the database
and an alert to all of them being delivered.

    python -m bench.memory [--participants 100000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.common import database_with_residents, sandbox_process
from bot.sandbox import SANDBOX_TOKEN

POLICE = 7_000_000


def rss_kib(pid: int) -> tuple[int, int]:
    """(current, peak) resident set size of a process, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def main(participants: int, seconds: float) -> None:
    async with sandbox_process() as sandbox, aiohttp.ClientSession() as http:
        users = [
            {"user_id": uid, "first_name": f"Boende {uid}"} for uid in range(1, participants + 1)
        ]
        users.append({"user_id": POLICE, "first_name": "Polis"})
        for start in range(0, len(users), 10_000):
            chunk = {"users": users[start : start + 10_000]}
            async with http.post(f"{sandbox.control}/users", json=chunk) as response:
                response.raise_for_status()
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "memory.sqlite3"
            db = await database_with_residents(db_path, range(1, participants + 1))
            await db.close()
            config = Path(folder) / "config.toml"
            config.write_text(
                f'[telegram]\ntoken = "{SANDBOX_TOKEN}"\nbase_url = "{sandbox.base_url}"\n'
                f'[database]\npath = "{db_path.as_posix()}"\n'
                f"[roles]\npolice = [{POLICE}]\n"
                "[broadcast]\nmessages_per_second = 30\n",
                encoding="utf-8",
            )
            bot = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                "--config",
                str(config),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            try:
                idle = await settle_rss(bot.pid, 3.0)
                await send_alert(http, sandbox.control)
                peak = started = time.monotonic()
                current = 0
                while time.monotonic() - started < seconds:
                    current, peak = rss_kib(bot.pid)
                    await asyncio.sleep(0.5)  # sampling interval of the measurement
                async with http.get(f"{sandbox.control}/state") as response:
                    messages = (await response.json())["result"]["bot_messages"]
            finally:
                bot.terminate()
                await bot.wait()
    print(f"Memory benchmark: bot process, {participants} participants, alert to all in progress")
    print(f"    RSS when idle (after start-up) : {idle / 1024:8.1f} MB")
    print(f"    RSS after {seconds:.0f} s of delivery     : {current / 1024:8.1f} MB")
    print(f"    peak RSS (VmHWM)               : {peak / 1024:8.1f} MB   (target <= 150 MB)")
    print(f"    messages sent meanwhile        : {messages:8d}")


async def settle_rss(pid: int, seconds: float) -> int:
    """Wait for start-up to finish: the RSS after a few quiet seconds."""
    deadline = time.monotonic() + seconds
    current = 0
    while time.monotonic() < deadline:
        current, _ = rss_kib(pid)
        await asyncio.sleep(0.5)
    return current


async def send_alert(http: aiohttp.ClientSession, control: str) -> None:
    """The officer types /alert all … and presses Send on the preview."""
    message = {"from_user_id": POLICE, "text": "/alert all Viktigt meddelande till alla"}
    async with http.post(f"{control}/message", json=message) as response:
        response.raise_for_status()
    for _ in range(200):
        async with http.get(f"{control}/messages", params={"chat_id": POLICE}) as response:
            found = (await response.json())["result"]
        if found and "alert:send" in str(found[-1].get("reply_markup")):
            break
        await asyncio.sleep(0.1)  # polling the other process for the preview
    else:
        raise RuntimeError("no preview with a Send button arrived")
    press = {"from_user_id": POLICE, "message_id": found[-1]["message_id"], "data": "alert:send"}
    async with http.post(f"{control}/callback", json=press) as response:
        response.raise_for_status()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.participants, args.seconds))
