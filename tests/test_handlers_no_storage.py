"""Handlers parse, call a service and reply: they never call into storage/ themselves and
never open a transaction, so that a change and its audit row are written by one service
function in one transaction. They may name storage's row types (for type hints)."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[1] / "handlers"


def _problems(source: str, name: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Import):
            problems += [
                f"{name}:{node.lineno} imports {alias.name}"
                for alias in node.names
                if alias.name == "storage" or alias.name.startswith("storage.")
            ]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module != "storage" and not node.module.startswith("storage."):
                continue
            for alias in node.names:
                found = getattr(importlib.import_module(node.module), alias.name, None)
                if not inspect.isclass(found):
                    problems.append(f"{name}:{node.lineno} imports {node.module}.{alias.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "transaction"
        ):
            problems.append(f"{name}:{node.lineno} opens a transaction")
    return problems


def test_no_handler_calls_storage_or_opens_a_transaction() -> None:
    files = sorted(HANDLERS.glob("*.py"))
    assert len(files) > 10
    problems = [p for f in files for p in _problems(f.read_text(encoding="utf-8"), f.name)]
    assert problems == []


def test_the_check_catches_each_way_in() -> None:
    """The check itself fails on what it is there to catch, and lets a row type through."""
    caught = _problems(
        "from storage import audit\n"
        "import storage.participants\n"
        "from storage.participants import participant\n"
        "from storage.participants import Participant\n"
        "async def f(svc):\n"
        "    async with svc.db.transaction() as tx:\n"
        "        pass\n",
        "example.py",
    )
    assert caught == [
        "example.py:1 imports storage.audit",
        "example.py:2 imports storage.participants",
        "example.py:3 imports storage.participants.participant",
        "example.py:6 opens a transaction",
    ]
