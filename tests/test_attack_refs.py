"""Attacks by guessing: walking through tip references with /tipstatus and trying invite codes
with /redeem. A reference is only usable in full (with its random check part); the short form,
a wrong check part and an unknown number all get the same answer; and after a few misses a
user is paused, without anything being looked up, while everyone else carries on."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from bot import tip_refs
from bot.config import Settings, load_settings
from bot.guessing import MAX_MISSES, SWEEP_AT, GuessLimit
from bot.sandbox import Sandbox
from storage.db import Database
from tests.conftest import COORDINATOR_ID
from tests.helpers import old_database, seed_residents
from tests.test_tips import full_reference_in, reference_in

REPORTER = 571301
WALKER = 571302
BYSTANDER = 571303
GUESSER = 571304
NEWCOMER = 571305

NOT_FOUND = "inget tips med referensen"
PAUSED = "för många gånger"


@pytest.fixture
def settings(config_file: Path) -> Settings:
    """Without the flood guard: a patient guesser, one try every second or so, stays under it
    anyway, and these tests are about what stops that guesser."""
    loaded = load_settings(config_file)
    unguarded = loaded.telegram.model_copy(update={"flood_burst": 0})
    return loaded.model_copy(update={"telegram": unguarded})


@pytest.fixture(autouse=True)
def _coordinator_known(sandbox: Sandbox) -> None:
    sandbox.user(COORDINATOR_ID, "Kerstin")


async def send_tip(sandbox: Sandbox, text: str) -> tuple[str, str]:
    """A tip from REPORTER; its reference in the short form and in full."""
    answer = await sandbox.user(REPORTER, "Boende").send(f"/tip {text}")
    return reference_in(answer.text), full_reference_in(answer.text)


def other_check(*taken: str) -> str:
    """A check part that is certainly wrong: none of the real ones."""
    return next(
        candidate
        for candidate in ("ACEF", "HJKM", "NPQR", "TUVW", "XY34", "79AC")
        if candidate not in taken
    )


def real_checks(rows) -> list[str]:
    return [check for (check,) in rows("SELECT ref_check FROM tips")]


def without(text: str, typed: str) -> str:
    """The answer with the echoed reference taken out, to compare answers to each other."""
    return text.replace(typed, "«REF»")


async def test_the_full_reference_of_an_anonymous_tip_works_for_anyone_who_has_it(
    sandbox: Sandbox, bot, db_path, rows, caplog
):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    short, full = await send_tip(sandbox, "anonym narkotika Langning vid skolan")
    logged = [r.getMessage() for r in caplog.records]
    assert any(short in line for line in logged)
    assert not any(full in line for line in logged), "whoever reads the log cannot look it up"
    assert re.fullmatch(r"T-\d{4}-\d{6}-[ACEFHJKMNPQRTUVWXY3479]{4}", full)
    assert full.startswith(short + "-")
    # Staff see the full reference on the card, so they can quote it to the reporter.
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == 1)
    assert full in sandbox.messages(COORDINATOR_ID)[0].text

    # Someone who is not even registered, typing it the way a person does.
    stranger = sandbox.user(BYSTANDER, "Vem som helst")
    year, seq, check = full.split("-")[1:]
    for typed in (
        full,
        full.lower(),
        f"t {year} {int(seq)} {check.lower()}",
        f"T{year}{seq}{check}",
    ):
        answer = await stranger.send(f"/tipstatus {typed}")
        assert f"Tips {full}" in answer.text and "Status: Ny" in answer.text, typed


async def test_short_form_and_wrong_check_part_answer_like_an_unknown_number(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [REPORTER, WALKER], ["centrum"])
    short, full = await send_tip(sandbox, "stöld Cykel stulen vid stationen")
    check = full.rsplit("-", 1)[1]
    wrong = f"{short}-{other_check(check)}"
    unknown = f"{short[:-6]}{999999:06d}-{check}"
    resident = sandbox.user(WALKER, "Nyfiken")

    answers = {
        typed: (await resident.send(f"/tipstatus {typed}")).text
        for typed in (short, wrong, unknown)
    }

    for typed, text in answers.items():
        assert NOT_FOUND in text, typed
        assert "Status" not in text, typed
    assert len({without(text, typed) for typed, text in answers.items()}) == 1, answers
    # The real reference still answers for the reporter: the misses were the walker's.
    own = await sandbox.user(REPORTER, "Boende").send(f"/tipstatus {full}")
    assert "Status: Ny" in own.text


async def test_walking_through_sequential_references_is_cut_off_and_learns_nothing(
    sandbox: Sandbox, bot, db_path, rows, caplog
):
    seed_residents(sandbox, db_path, [REPORTER, WALKER], ["centrum"])
    refs = [
        await send_tip(sandbox, "stöld Cykel stulen"),
        await send_tip(sandbox, "anonym inbrott Förråd uppbrutet"),
        await send_tip(sandbox, "skadegörelse Krossad busskur"),
    ]
    year = refs[0][0].split("-")[1]
    guess = other_check(*real_checks(rows))
    walker = sandbox.user(WALKER, "Vandrare")

    answers = []
    for number in range(1, 21):
        answers.append((await walker.send(f"/tipstatus T-{year}-{number:06d}-{guess}")).text)
    # Even the right reference, once the walker is paused, is not looked up.
    answers.append((await walker.send(f"/tipstatus {refs[1][1]}")).text)

    assert all(NOT_FOUND in text for text in answers[:MAX_MISSES])
    assert all(PAUSED in text and "om 15 min" in text for text in answers[MAX_MISSES:])
    for text in answers:
        assert "Status" not in text
        assert not any(full in text for _, full in refs)
    # One audit row for the moment the walker was paused, not one per refused try.
    assert rows("SELECT actor_id, outcome, detail FROM audit_log WHERE action = 'tipstatus'") == [
        (WALKER, "refused", "too_many_tries")
    ]
    logged = [r.getMessage() for r in caplog.records]
    assert any("used up their misses" in line for line in logged)
    assert not any(str(WALKER) in line for line in logged), "logs never name a user"

    # Everyone else carries on: the limit is per user.
    own = await sandbox.user(REPORTER, "Boende").send(f"/tipstatus {refs[0][1]}")
    assert "Status: Ny" in own.text


async def test_successes_do_not_count_and_do_not_wipe_earlier_misses(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    short, full = await send_tip(sandbox, "övrigt Trasig gatlampa")
    reporter = sandbox.user(REPORTER, "Boende")
    wrong = f"{short}-{other_check(*real_checks(rows))}"

    for _ in range(MAX_MISSES + 2):
        assert "Status: Ny" in (await reporter.send(f"/tipstatus {full}")).text
    for _ in range(MAX_MISSES - 1):
        assert NOT_FOUND in (await reporter.send(f"/tipstatus {wrong}")).text
    assert "Status: Ny" in (await reporter.send(f"/tipstatus {full}")).text
    assert NOT_FOUND in (await reporter.send(f"/tipstatus {wrong}")).text
    assert PAUSED in (await reporter.send(f"/tipstatus {full}")).text


async def test_guessing_invite_codes_is_cut_off(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [GUESSER, NEWCOMER], ["centrum"])
    created = await sandbox.user(COORDINATOR_ID, "Kerstin").send("/invite police")
    code = re.search(r"start=inv_(\S+)", created.text).group(1)
    guesser = sandbox.user(GUESSER, "Gissare")

    answers = []
    for number in range(MAX_MISSES):
        answers.append((await guesser.send(f"/redeem gissning{number}")).text)
    # The real code, by command and by deep link: refused without being looked up.
    answers.append((await guesser.send(f"/redeem {code}")).text)
    answers.append((await guesser.send(f"/start inv_{code}")).text)

    assert all("finns inte" in text for text in answers[:MAX_MISSES])
    assert all(PAUSED in text for text in answers[MAX_MISSES:])
    assert rows("SELECT count(*) FROM roles WHERE user_id = ?", (GUESSER,)) == [(0,)]
    assert rows("SELECT used_at FROM invites") == [(None,)]
    # Refusals within the hour are one audit row with a count (the first one's reason).
    refused = rows(
        "SELECT detail, times FROM audit_log WHERE action = 'redeem' AND outcome = 'refused'"
        " AND actor_id = ?",
        (GUESSER,),
    )
    assert refused == [("error_invite_unknown", MAX_MISSES + 2)]

    # The code itself is untouched and still works for someone who was not guessing.
    welcome = await sandbox.user(NEWCOMER, "Nykomling").send(f"/redeem {code}")
    assert "polisen" in welcome.text
    assert rows("SELECT role FROM roles WHERE user_id = ?", (NEWCOMER,)) == [("police",)]


async def test_staff_may_use_the_short_form_but_not_a_wrong_check_part(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    short, full = await send_tip(sandbox, "anonym stöld Moped stulen")
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")

    done = await kerstin.send(f"/tipset {short} reviewed")
    assert "Läst" in done.text and full in done.text
    assert rows("SELECT status FROM tips") == [("reviewed",)]
    assert "Klar" in (await kerstin.send(f"/tipset {full.lower()} closed")).text
    assert rows("SELECT status FROM tips") == [("closed",)]

    wrong = f"{short}-{other_check(*real_checks(rows))}"
    assert "inget tips" in (await kerstin.send(f"/tipset {wrong} forwarded")).text
    assert rows("SELECT status FROM tips") == [("closed",)]
    # The audit log names the tip by its short form: the check part is for the reporter.
    assert rows("SELECT target FROM audit_log WHERE action = 'tipset'") == [(short,), (short,)]


# ------------------------------------------------------------------ the parts, one by one


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("T-2026-000042-K7QF", (2026, 42, "K7QF")),
        ("t-2026-42-k7qf", (2026, 42, "K7QF")),
        (" T 2026 000042 K7QF ", (2026, 42, "K7QF")),
        ("T–2026–000042–K7QF", (2026, 42, "K7QF")),  # the dashes a phone puts in
        ("T2026000042K7QF", (2026, 42, "K7QF")),
        ("T-2026-000042", (2026, 42, None)),
        ("t-2026-42", (2026, 42, None)),
        ("T-2026-000000-K7QF", None),
        ("T-2026-0000042-K7QF", None),
        ("T-2026-000042-K7Q", None),
        ("X-2026-000042-K7QF", None),
        ("T-2026-000042-K7QF-A", None),
        ("", None),
        ("T-2026-000042-" + " " * 100 + "K7QF", None),
    ],
)
def test_references_are_read_the_way_people_type_them(typed, expected):
    parsed = tip_refs.parse_ref(typed)
    assert (None if parsed is None else (parsed.year, parsed.seq, parsed.check)) == expected


def test_check_parts_come_from_the_alphabet_without_look_alikes():
    drawn = {tip_refs.new_check() for _ in range(500)}
    assert all(len(check) == 4 and set(check) <= set(tip_refs.CHECK_ALPHABET) for check in drawn)
    assert not set(tip_refs.CHECK_ALPHABET) & set("0O1IL2Z5S8B")
    assert len(drawn) > 450, "random, not a counter or a constant"


def test_the_pause_ends_after_the_window_and_forgotten_users_are_swept():
    now = [1000.0]
    limit = GuessLimit(misses=3, window=600, clock=lambda: now[0])
    assert [limit.miss(7) for _ in range(3)] == [False, False, True]
    assert limit.wait_seconds(7) == 600 and limit.wait_minutes(7) == 10
    assert limit.wait_seconds(8) == 0
    now[0] += 599
    assert limit.wait_minutes(7) == 1
    now[0] += 1
    assert limit.wait_seconds(7) == 0 and limit.tracked() == 0

    for user in range(SWEEP_AT):
        limit.miss(user)
    assert limit.tracked() == SWEEP_AT
    now[0] += 600
    limit.miss(-1)
    assert limit.tracked() == 1


async def test_the_migration_gives_existing_tips_a_check_part(tmp_path: Path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        old_database(conn)
        conn.executemany(
            "INSERT INTO tips (ref, year, seq, category, description, contact, created_at,"
            " updated_at) VALUES (?, 2026, ?, 'other', 'x', 'anonymous', '2026-01-01T00:00:00Z',"
            " '2026-01-01T00:00:00Z')",
            [(f"T-2026-{seq:06d}", seq) for seq in range(1, 41)],
        )
    db = await Database.open(path)
    try:
        checks = [r["ref_check"] for r in await db.fetchall("SELECT ref_check FROM tips")]
        tip = await tip_refs.find_for_resident(db, f"T-2026-000007-{checks[6]}")
    finally:
        await db.close()
    assert len(checks) == 40
    assert all(len(c) == 4 and set(c) <= set(tip_refs.CHECK_ALPHABET) for c in checks)
    assert len(set(checks)) > 35, "random, not one value for all"
    assert tip is not None and tip.ref == "T-2026-000007"
