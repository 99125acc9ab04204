"""Local fake Telegram Bot API server for tests, benchmarks and demos.

Usage::

    async with Sandbox() as sandbox:
        app = (
            ApplicationBuilder()
            .token(SANDBOX_TOKEN)
            .base_url(sandbox.base_url)
            .base_file_url(sandbox.base_file_url)
            .build()
        )
        alice = sandbox.user(1001, "Alice")
        reply = await alice.send("/start")
"""

from .client import SandboxUser
from .faults import Faults
from .objects import Call, Msg
from .server import SANDBOX_TOKEN, Sandbox
from .state import NotDelivered

__all__ = ["SANDBOX_TOKEN", "Call", "Faults", "Msg", "NotDelivered", "Sandbox", "SandboxUser"]
