"""Shared pieces of the benchmarks: the sandbox in its own process, a database with seeded
residents, and a bot that notes when each message went out."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.request import AiohttpRequest
from bot.sandbox import SANDBOX_TOKEN
from bot.tgbot import GrannbotBot
from storage.areas import seed_areas
from storage.db import Database


@dataclass
class SandboxProcess:
    base_url: str
    process: asyncio.subprocess.Process

    @property
    def control(self) -> str:
        return self.base_url.removesuffix("/bot") + "/sandbox"

    async def register_users(self, user_ids: range) -> None:
        async with aiohttp.ClientSession() as http:
            sem = asyncio.Semaphore(32)

            async def one(uid: int) -> None:
                async with sem:
                    payload = {"user_id": uid, "first_name": f"Boende {uid}"}
                    async with http.post(f"{self.control}/user", json=payload) as response:
                        response.raise_for_status()

            await asyncio.gather(*(one(uid) for uid in user_ids))


@contextlib.asynccontextmanager
async def sandbox_process() -> AsyncIterator[SandboxProcess]:
    """`python -m bot.sandbox` in a separate process, so that the server's work does not
    share the event loop (or the CPU core) with the bot being measured."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
    )
    base_url = ""
    while not base_url:
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        if not line:
            raise RuntimeError("the sandbox process ended before it started")
        if line.startswith("base_url="):
            base_url = line.strip().split("=", 1)[1]
    try:
        yield SandboxProcess(base_url, process)
    finally:
        process.terminate()
        await process.wait()


def make_bot(base_url: str) -> GrannbotBot:
    return GrannbotBot(
        token=SANDBOX_TOKEN,
        base_url=base_url,
        request=AiohttpRequest(connection_pool_size=24),
    )


class TimedBot:
    """Passes send_message on to the real bot and notes when each one succeeded."""

    def __init__(self, bot: GrannbotBot) -> None:
        self.bot = bot
        self.sent_at: list[float] = []

    async def send_message(self, *args, **kwargs):
        message = await self.bot.send_message(*args, **kwargs)
        self.sent_at.append(time.perf_counter())
        return message

    async def edit_message_text(self, *args, **kwargs):
        return await self.bot.edit_message_text(*args, **kwargs)


async def database_with_residents(path: Path, user_ids: range) -> Database:
    db = await Database.open(path)
    await seed_areas(db, [("centrum", "Centrum", ["69231"])])
    await db.close()
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO participants (user_id, first_name, language, consent_at)"
            " VALUES (?, ?, 'sv', '2026-01-01')",
            [(uid, f"Boende {uid}") for uid in user_ids],
        )
        conn.execute(
            "INSERT INTO memberships (user_id, area_id, joined_at)"
            " SELECT user_id, 1, '2026-01-01' FROM participants"
        )
    return await Database.open(path)
