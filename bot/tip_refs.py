"""Tip references: how a tip is named to its reporter (``T-2026-000042-K7QF``) and to staff
(``T-2026-000042``), how a typed reference is read, and looking a tip up by one, within the
asker's allowance of misses."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from dataclasses import dataclass

from bot.guessing import GuessLimit
from bot.services import Services
from storage import audit
from storage import tips as tip_rows
from storage.db import Database
from storage.tips import Tip

log = logging.getLogger(__name__)

# Full reference: T-2026-000042-K7QF. The check part's alphabet leaves out characters that
# look alike (0/O/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B); migration 0012 uses the same alphabet.
CHECK_ALPHABET = "ACEFHJKMNPQRTUVWXY3479"
CHECK_LENGTH = 4
MAX_REF_TYPED = 40  # anything longer is not a reference, however it is spaced
_REF = re.compile(r"^T-?(\d{4})-?(\d{1,6})(?:-?([A-Z0-9]{4}))?$")
_REF_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")


@dataclass(frozen=True, slots=True)
class TypedRef:
    """A tip reference as someone typed it: year and number, and the check part if given."""

    year: int
    seq: int
    check: str | None

    @property
    def short(self) -> str:
        return tip_rows.format_ref(self.year, self.seq)


def parse_ref(text: str) -> TypedRef | None:
    """Read a reference the way a person types it: any case, spaces or dashes (also the long
    ones a phone puts in) between the parts or none at all, the number with or without its
    leading zeros. ``t-2026-42``, ``T 2026 000042 k7qf`` and ``T2026000042K7QF`` all parse.
    The check part is upper-cased but not otherwise checked here: a wrong one must fail at
    the comparison, like any other wrong check part."""
    if len(text) > MAX_REF_TYPED:
        return None
    folded = _REF_SEPARATORS.sub("-", text.strip().upper())
    match = _REF.match(folded)
    if not match:
        return None
    year, seq, check = match.groups()
    if int(seq) == 0:
        return None
    return TypedRef(int(year), int(seq), check)


def new_check() -> str:
    """The random check part of a new reference."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def check_matches(tip: Tip, typed: str) -> bool:
    """Constant-time comparison, so that the answer's timing tells nothing about how many
    characters were right. A tip stored without a check part matches nothing."""
    return bool(tip.check) and hmac.compare_digest(tip.check.encode(), typed.encode())


async def find_for_resident(db: Database, ref_text: str) -> Tip | None:
    """The tip a resident names by its full reference (check part included); None for an
    unknown number, the short form and a wrong check part alike, so that the answer cannot
    tell which of the three it was."""
    typed = parse_ref(ref_text)
    if typed is None or typed.check is None:
        return None
    tip = await tip_rows.tip_by_ref(db, typed.short)
    return tip if tip is not None and check_matches(tip, typed.check) else None


async def find_for_staff(db: Database, ref_text: str) -> Tip | None:
    """The tip a coordinator or officer names: the short form is enough; a check part, if
    typed, must be the right one (a mistyped reference must not change another tip)."""
    typed = parse_ref(ref_text)
    if typed is None:
        return None
    tip = await tip_rows.tip_by_ref(db, typed.short)
    if tip is None or (typed.check is not None and not check_matches(tip, typed.check)):
        return None
    return tip


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """What /tipstatus may tell: the tip, or nothing, or (``wait_minutes`` > 0) that the
    asker has guessed too often and nothing was looked up."""

    tip: Tip | None
    wait_minutes: int = 0


async def status_for(
    services: Services, guesses: GuessLimit, user_id: int, ref_text: str
) -> StatusAnswer:
    """/tipstatus: the tip by its full reference, within the asker's allowance of misses.
    The moment someone uses up their misses is written to the audit log (once per lock-out,
    not for every refused try, so a guesser cannot fill the log through this)."""
    if guesses.wait_seconds(user_id) > 0:
        return StatusAnswer(None, guesses.wait_minutes(user_id))
    tip = await find_for_resident(services.db, ref_text)
    if tip is None and guesses.miss(user_id):
        async with services.db.transaction() as tx:
            await audit.record(tx, user_id, "tipstatus", outcome="refused", detail="too_many_tries")
        log.info("tipstatus: a user used up their misses and is paused")
    return StatusAnswer(tip)


async def references_of(db: Database, user_id: int) -> list[str]:
    """The references of the resident's own named tips (anonymous ones link to nobody)."""
    return await tip_rows.refs_of_reporter(db, user_id)
