"""Run the sandbox standalone: ``python -m bot.sandbox --port 8081``.

Prints the base URLs and serves until Ctrl-C or SIGTERM. Drive the user side through the
HTTP control surface under /sandbox/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from .server import SANDBOX_TOKEN, Sandbox


async def _serve(args: argparse.Namespace) -> None:
    sandbox = Sandbox(
        token=args.token,
        bot_username=args.bot_username,
        privacy_mode=not args.no_privacy,
    )
    await sandbox.start(args.host, args.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    print(f"base_url={sandbox.base_url}", flush=True)
    print(f"base_file_url={sandbox.base_file_url}", flush=True)
    print(f"token={sandbox.token}", flush=True)
    try:
        await stop.wait()
    finally:
        await sandbox.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default=SANDBOX_TOKEN)
    parser.add_argument("--bot-username", default="grannbot_sandbox_bot")
    parser.add_argument("--no-privacy", action="store_true", help="bot receives all group messages")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
