"""Webhook mode: the bot registers its public URL with the secret token and only accepts
update requests that carry that secret."""

from __future__ import annotations

import socket

import aiohttp

from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox

SECRET = "hemlig_token-123-som-ingen-kan-gissa_ut"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_mode_checks_the_secret_and_answers(sandbox: Sandbox, config_file, rows):
    port = free_port()
    settings = load_settings(
        config_file,
        telegram={
            "token": sandbox.token,
            "base_url": sandbox.base_url,
            "mode": "webhook",
            "webhook_url": "https://grannbot.example/telegram",
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": SECRET,
        },
    )
    anna = sandbox.user(4711, "Anna")
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": 4711, "type": "private", "first_name": "Anna"},
            "from": {"id": 4711, "is_bot": False, "first_name": "Anna"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    url = f"http://127.0.0.1:{port}/telegram"
    async with Grannbot(settings), aiohttp.ClientSession() as http:
        assert sandbox.webhook["url"] == "https://grannbot.example/telegram"
        assert sandbox.webhook["secret_token"] == SECRET
        async with http.post(url, json=update) as refused:
            assert refused.status == 403, "no secret, no entry"
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(url, json=update, headers=headers) as accepted:
            assert accepted.status == 200
        welcome = await sandbox.wait_for_message(anna.chat_id, timeout=5)
        assert "112" in welcome.text
