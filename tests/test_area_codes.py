"""Area codes and postcodes are written one way: what the configuration accepts, /area add
accepts and /join finds, and the patterns live in one module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot import admin, area_codes
from bot.config import AreaSeed
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
CODES = [
    ("centrum", True),
    ("ostra_mark", True),
    ("a1", True),
    ("x" * 32, True),
    ("x" * 33, False),
    ("", False),
    ("Centrum", False),
    ("östra", False),
    ("norr-1", False),
    ("norr\n", False),
]
POSTCODES = [
    ("69231", "69231"),
    ("692 31", "69231"),
    (" 692  31 ", "69231"),
    ("6923", None),
    ("692311", None),
    ("69a31", None),
    ("", None),
]


@pytest.mark.parametrize(("code", "valid"), CODES)
def test_an_area_code_is_lowercase_ascii_digits_and_underscore(code: str, valid: bool):
    assert area_codes.is_area_code(code) is valid


@pytest.mark.parametrize(("code", "valid"), CODES)
def test_the_configuration_takes_exactly_the_codes_the_admin_command_takes(code, valid):
    try:
        AreaSeed(code=code, name="Område")
        configured = True
    except ValidationError:
        configured = False
    assert configured is valid


@pytest.mark.parametrize(("code", "valid"), [c for c in CODES if c[0] == c[0].lower()])
async def test_area_add_takes_exactly_the_valid_codes(tmp_path: Path, code: str, valid: bool):
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        outcome = await admin.add_area(db, 1, code, "Område")
        assert (outcome.key == "area_added") is valid, outcome
    finally:
        await db.close()


@pytest.mark.parametrize(("typed", "stored"), POSTCODES)
def test_a_postcode_is_five_digits_with_or_without_the_space(typed: str, stored: str | None):
    assert area_codes.normalise_postcode(typed) == stored


def test_a_list_of_postcodes_keeps_the_space_inside_each():
    assert area_codes.postcode_tokens("692 31 69232 x 123 456") == [
        "692 31",
        "69232",
        "x",
        "123",
        "456",
    ]


def test_the_patterns_are_written_only_in_their_module():
    written_again = re.compile(r"\[a-z0-9_\]\{|\\d\{5\}|\\d\{3\} \??\\d\{2\}")
    places = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("bot", "handlers", "storage")
        for path in (ROOT / package).rglob("*.py")
        if path != ROOT / "bot" / "area_codes.py" and "sandbox" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if written_again.search(line)
    ]
    assert places == []
    assert written_again.search((ROOT / "bot" / "area_codes.py").read_text(encoding="utf-8"))
