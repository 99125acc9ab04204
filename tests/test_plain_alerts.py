"""Alerts stay short and read as sentences, over the sandbox: the preview names whom the
alert goes to with area names and counted words, the officer gets one report message that
ends as "✅ Klart kl. 20.51: 3 av 3 har fått meddelandet.", the footer is one short line,
reminders name their areas, and no text in the catalogues writes a date as a machine does."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import clock
from bot.sandbox import Sandbox
from bot.texts import CATALOGUES, t
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import received, seed_residents

GROUP_CENTRUM = -1001
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def _real_time_afterwards():
    yield
    clock.reset()


async def link_group(sandbox: Sandbox, chat_id: int, title: str, area: str) -> None:
    sandbox.group(chat_id, title)
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    answer = await coordinator.send(f"/linkgroup {area}", chat_id=chat_id)
    assert "kopplad till" in answer.text


def finished_at(db_path: Path) -> datetime:
    with sqlite3.connect(db_path) as conn:
        [(stamp,)] = conn.execute("SELECT finished_at FROM alerts").fetchall()
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


async def test_preview_names_the_people_groups_and_areas(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [1], ["centrum"])
    seed_residents(sandbox, db_path, [2], ["norr"])
    await link_group(sandbox, GROUP_CENTRUM, "Grannsamverkan Centrum", "centrum")
    officer = sandbox.user(POLICE_ID, "Polis")

    preview = await officer.send("/alert centrum,norr Inbrott i förråd på Storgatan")
    assert "Går till 2 personer och 1 gruppchatt i Centrum och Norr." in preview.text
    assert "boende och" not in preview.text and "gruppchattar" not in preview.text
    await officer.send("/cancel")

    # One of each: the singular forms, and no group chat means no "0 gruppchattar".
    only_norr = await officer.send("/alert norr Bilinbrott på Norrgatan")
    assert "Går till 1 person i Norr." in only_norr.text
    assert "gruppchatt" not in only_norr.text


async def test_report_is_one_message_that_ends_as_a_sentence_with_the_time(
    sandbox: Sandbox, bot, db_path
):
    seed_residents(sandbox, db_path, [11], ["centrum"])
    seed_residents(sandbox, db_path, [12, 13], ["norr"])
    await link_group(sandbox, GROUP_CENTRUM, "Grannsamverkan Centrum", "centrum")
    officer = sandbox.user(POLICE_ID, "Polis")
    preview = await officer.send("/alert centrum,norr Vattenläcka på Storgatan")
    # Resident 13 blocked the bot: Telegram answers their send with 403.
    sandbox.faults.fail_next("sendMessage", status=403, chat_id=13)
    await officer.press("Skicka")
    await sandbox.wait_for(
        lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=30
    )
    await sandbox.settle(0.3)

    messages = sandbox.messages(POLICE_ID)
    assert messages[0].message_id == preview.message_id
    assert len(messages) == 2, "after the preview, only the report: no separate 'Skickat'"
    report = messages[1]
    # The time is when the last recipient had an outcome, in local time, written "kl. 20.51".
    done = finished_at(db_path).astimezone(STOCKHOLM)
    assert report.text == (
        f"✅ Klart kl. {done:%H}.{done:%M}: 3 av 4 har fått meddelandet. "
        "1 har blockerat boten.\n"
        "Polisen informerar – Centrum, Norr"
    )
    # While in progress, the same message read as a sentence too.
    first = next(
        c.params["text"]
        for c in sandbox.calls
        if c.method == "sendMessage"
        and c.chat_id == POLICE_ID
        and c.status == 200
        and "har fått meddelandet" in c.params.get("text", "")
    )
    assert first.startswith("Skickar: 0 av 4 har fått meddelandet.")
    assert "Levererade" not in first and "Kvar att skicka" not in first


async def test_footer_is_one_short_line_in_both_languages(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [21], ["centrum"])
    seed_residents(sandbox, db_path, [22], ["centrum"], language="en")
    officer = sandbox.user(POLICE_ID, "Polis")
    await officer.send("/alert centrum Bilinbrott i natt")
    await officer.press("Skicka")
    await sandbox.wait_for(
        lambda: (
            received(sandbox, 21, "Polisen informerar") == 1
            and received(sandbox, 22, "Police information") == 1
        ),
        timeout=30,
    )
    swedish = sandbox.messages(21)[-1].text
    english = sandbox.messages(22)[-1].text
    assert swedish.endswith("\n\nAkut? Ring 112. Inte akut: 114 14. Sett något? /tip")
    for message in (swedish, english):
        footer = message.rsplit("\n\n", 1)[1]
        assert "\n" not in footer and len(footer) <= 60, footer
        assert "112" in footer and "114 14" in footer and "/tip" in footer


async def test_reminders_name_their_areas_and_write_dates_plainly(sandbox: Sandbox, bot, db_path):
    clock.travel(datetime(2026, 11, 29, 19, 50, tzinfo=UTC))  # 20.50 in Stockholm
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    saved = await kerstin.send("/remind weekly tis 18:30 centrum,ostra_mark Möte i Folkets hus")
    assert "till Centrum och Östra Mark." in saved.text, saved.text
    assert "centrum" not in saved.text and "ostra_mark" not in saved.text
    assert "Nästa utskick: tis 1 dec kl. 18.30." in saved.text
    listing = await kerstin.send("/reminders")
    assert "Centrum och Östra Mark" in listing.text and "ostra_mark" not in listing.text

    past = await kerstin.send("/remind once 2026-11-29 08:00 centrum Redan passerat")
    assert "nu är det 29 nov kl. 20.50" in past.text, past.text
    assert "2026-11-29 20:50" not in past.text


# ------------------------------------------------------------------ the catalogues

# A date or time written as a machine writes it. A text may show one only where it teaches
# what to type (it then names the form, "ÅÅÅÅ-MM-DD" or "TT:MM", or shows a command).
MACHINE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}\b")
STRFTIME = re.compile(r"%[YmdHMSbBaAyIpj]")
TEACHES_INPUT = re.compile(r"ÅÅÅÅ-MM-DD|YYYY-MM-DD|TT:MM|HH:MM|/\w+ ")


def texts(lang: str):
    for key, entry in CATALOGUES[lang].items():
        for form in entry.values() if isinstance(entry, dict) else [entry]:
            yield key, form


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_no_catalogue_text_writes_a_date_as_a_machine_does(lang):
    for key, form in texts(lang):
        assert not STRFTIME.search(form), f"{lang}:{key} carries a strftime pattern"
        if MACHINE_DATE.search(form):
            assert TEACHES_INPUT.search(form), f"{lang}:{key} shows a date as ISO: {form!r}"


def test_the_pattern_check_would_notice_one():
    assert MACHINE_DATE.search("skulle ha gått 2026-11-29 20:50")
    assert not TEACHES_INPUT.search("skulle ha gått 2026-11-29 20:50")
    assert STRFTIME.search("{at:%Y-%m-%d}")


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_alert_and_summary_texts_have_no_decorative_emoji(lang):
    # ✅ means done and ⚠️ a warning; anything else beside a word is read aloud for nothing.
    emoji = re.compile("[\U0001f300-\U0001faff\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff]")
    meaningful = {"✅", "⚠"}
    mine = re.compile(r"^(alert_|summary_|remind)")
    for key, form in texts(lang):
        if mine.match(key):
            shown = set(emoji.findall(form)) - meaningful
            assert not shown, f"{lang}:{key} shows {shown}"


def test_report_counts_agree_with_their_words():
    assert t("sv", "alert_report_blocked", count=1) == " 1 har blockerat boten."
    assert t("en", "alert_report_blocked", count=2) == " 2 have blocked the bot."
    assert t("en", "alert_report_blocked", count=1) == " 1 has blocked the bot."


def test_residents_have_one_name_in_every_text():
    # "boende" for residents; "deltagare" and "medlemmar" named the same people differently.
    # ("A member of this group" is the bot in a group chat, not a resident; /members and
    # "/export participants" are what one types.)
    swedish = re.compile(r"(?i)deltagar|medlem")
    english = re.compile(r"(?i)\bparticipants?\b|\bmembers\b|\d+ member\b")
    for key, form in texts("sv"):
        assert not swedish.search(form), f"sv:{key}: {form!r}"
    for key, form in texts("en"):
        typed = re.sub(r"/members|\|participants|\{[^}]*\}", "", form)
        assert not english.search(typed), f"en:{key}: {form!r}"
