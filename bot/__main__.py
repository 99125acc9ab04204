"""Command line: python -m bot run | demo | check-config | backup DEST."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import ConfigError, check_config, load_settings, require_token
from bot.logsafety import install_token_filter

log = logging.getLogger("bot")
# sysexits.h: a configuration error; a service manager should not just restart the bot.
EX_CONFIG = 78


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("run", "run the bot (polling, or webhook when configured)"),
        ("check-config", "validate and print the effective settings"),
    ):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument(
            "--config", type=Path, default=None, help="TOML file (default config.toml)"
        )
    demo = sub.add_parser("demo", help="play a scripted scenario against the local sandbox")
    demo.add_argument("--out", type=Path, default=None, help="folder for the demo's files")
    backup = sub.add_parser("backup", help="consistent online backup of the SQLite database")
    backup.add_argument("dest", type=Path)
    backup.add_argument("--config", type=Path, default=None)
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Token-shaped strings are masked from the first line on; the configured token as well
    # once it is known.
    install_token_filter()

    if args.command == "check-config":
        return check_config(args.config)
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(args.out))
    try:
        settings = load_settings(args.config)
        if args.command == "run":
            require_token(settings)
    except ConfigError as exc:
        print(f"Invalid configuration:\n{exc}", file=sys.stderr)
        # A service manager should not restart a bot that cannot start as configured.
        return EX_CONFIG if args.command == "run" else 1
    if args.command == "backup":
        from bot.maintenance import backup_database

        return backup_database(settings, args.dest)
    from bot.runtime import TokenRejected, run_until_signalled

    install_token_filter(settings.telegram.token.get_secret_value())
    try:
        asyncio.run(run_until_signalled(settings))
    except TokenRejected as exc:
        log.critical("%s", exc)
        return EX_CONFIG
    except Exception:
        log.critical("the bot stopped after an unexpected error", exc_info=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
