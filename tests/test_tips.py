"""/tip for residents: the guided flow by button presses (back, cancel, timeout, photo,
location, contact choices) and the one-line form with its refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox, SandboxUser
from handlers import tip_flow
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import ban, seed_residents

RESIDENT = 301
TWO_AREAS = 302
NO_AREA = 303
REF = r"T-\d{4}-\d{6}"  # the short form, as stored in tips.ref
FULL_REF = r"T-\d{4}-\d{6}-[A-Z0-9]{4}"  # with the check part, as the reporter is shown it


@pytest.fixture(autouse=True)
def _handlers_known(sandbox: Sandbox) -> None:
    """The coordinator and the officer have started the bot, so it can write to them."""
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")


def reference_in(text: str) -> str:
    import re

    found = re.search(REF, text)
    assert found, text
    return found.group(0)


def full_reference_in(text: str) -> str:
    import re

    found = re.search(FULL_REF, text)
    assert found, text
    return found.group(0)


async def start_guided(user: SandboxUser) -> None:
    """/tip: the 112 reminder, then the categories."""
    await user.send("/tip")
    await user.wait_text("ring 112")
    await user.wait_text("Vad gäller det?")


async def to_description(user: SandboxUser, category: str = "Inbrott") -> None:
    """From /tip to the description prompt, for a resident in one area."""
    await start_guided(user)
    await user.press(category)
    await user.wait_text("När hände det?")
    await user.press("Tidigare i dag")
    await user.wait_text("Beskriv vad som hände")


async def to_contact(user: SandboxUser, text: str = "Två personer provar dörrhandtag") -> None:
    await to_description(user)
    await user.send(text)
    await user.wait_text("bild eller en plats")
    await user.press("Vidare")
    await user.wait_text("Hur vill du att vi kontaktar dig?")


async def test_guided_flow_with_back_photo_and_location(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [TWO_AREAS], ["centrum", "norr"])
    user = sandbox.user(TWO_AREAS, "Boende 302")
    await start_guided(user)
    assert "114 14" in user.texts()[-2] and "hela tiden" in user.texts()[-2]
    labels = [label for label, _ in user.last_message().buttons()]
    for name in ("Narkotika", "Inbrott", "Stöld", "Rattfylleri/drograttfylleri", "Skadegörelse"):
        assert name in labels
    assert "Misstänkt aktivitet" in labels and "Otrygg plats" in labels and "Övrigt" in labels

    await user.press("Inbrott")
    await user.wait_text("Vilket område")
    await user.press("Tillbaka")
    await user.wait_text("Vad gäller det?")
    await user.press("Stöld")
    await user.wait_text("Vilket område")
    await user.press("Norr")
    await user.wait_text("När hände det?")
    await user.press("Välj datum")
    await user.wait_text("ÅÅÅÅ-MM-DD")
    await user.press("Tillbaka")
    await user.wait_text("När hände det?")
    await user.press("I går")
    prompt = await user.wait_text("Beskriv vad som hände")
    assert "beteende, inte utseende" in prompt.text and "2000 tecken" in prompt.text
    attach = await user.send("Cykel stulen från låst cykelställ vid Norrgatan 4")
    assert "bild eller en plats" in attach.text
    added = await user.send_photo()
    assert "Bilden är tillagd" in added.text
    located = await user.send_location(59.1234567, 15.1987654)
    assert "Platsen är tillagd" in located.text
    await user.press("Vidare")
    await user.wait_text("Hur vill du att vi kontaktar dig?")
    await user.press("Anonymt")
    summary = await user.wait_text("Kontrollera ditt tips")
    assert "Kontrollera ditt tips" in summary.text
    for part in ("Stöld", "Norr", "I går", "Bild: ja", "Plats: ja", "Anonymt", "Norrgatan 4"):
        assert part in summary.text, part
    await user.press("Skicka tipset")
    done = await user.wait_text("Tack!")
    ref = reference_in(done.text)
    assert "anonyma tips" in done.text and "ring 112" in done.text

    assert rows(
        "SELECT ref, category, occurred, reporter_id, contact, phone, latitude, longitude,"
        " (SELECT code FROM areas WHERE id = area_id) FROM tips"
    ) == [(ref, "theft", "yesterday", None, "anonymous", None, 59.123, 15.199, "norr")]
    photo_ids = rows("SELECT kind, file_id FROM tip_attachments")
    assert len(photo_ids) == 1 and photo_ids[0][0] == "photo"
    # The coordinator gets the tip, the photo (by its Telegram file id) and the location.
    await sandbox.wait_for(
        lambda: any(m.kind == "location" for m in sandbox.messages(COORDINATOR_ID))
    )
    kinds = [m.kind for m in sandbox.messages(COORDINATOR_ID)]
    assert kinds == ["text", "photo", "location"]
    card = sandbox.messages(COORDINATOR_ID)[0]
    assert ref in card.text and "Nytt tips" in card.text and "anonymt" in card.text
    assert sandbox.messages(COORDINATOR_ID)[1].file_id == photo_ids[0][1]
    assert sandbox.messages(COORDINATOR_ID)[2].location == (59.123, 15.199)


async def test_typed_date_and_stale_buttons(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    await start_guided(user)
    await user.press("Skadegörelse")
    await user.wait_text("När hände det?")
    typed = await user.send("i förrgår")
    assert "Använd knapparna" in typed.text
    await user.press("Välj datum")
    await user.wait_text("ÅÅÅÅ-MM-DD")
    tomorrow = date.today() + timedelta(days=2)
    assert "kan jag inte använda" in (await user.send(tomorrow.isoformat())).text
    day = (date.today() - timedelta(days=10)).isoformat()
    assert "Beskriv vad som hände" in (await user.send(day)).text
    await user.send("Klotter på busskuren")
    await user.press("Vidare")
    await user.press("Svara mig här")
    await user.press("Skicka tipset")
    await user.wait_text("Tack!")
    assert rows("SELECT occurred, category, contact, reporter_id FROM tips") == [
        (day, "vandalism", "telegram", RESIDENT)
    ]
    # The buttons left on an old step do nothing any more.
    assert await user.press("tip:back") is None
    assert list(sandbox.callback_answers.values())[-1]["text"] == "Den knappen gäller inte längre."
    assert rows("SELECT count(*) FROM tips") == [(1,)]


STEPS = ["category", "when", "describe", "attach", "contact", "confirm"]


async def walk_to(user: SandboxUser, step: str) -> None:
    await start_guided(user)
    if step == "category":
        return
    await user.press("Övrigt")
    await user.wait_text("När hände det?")
    if step == "when":
        return
    await user.press("Tidigare i dag")
    await user.wait_text("Beskriv vad som hände")
    if step == "describe":
        return
    await user.send("Trasig gatubelysning på gångvägen")
    if step == "attach":
        return
    await user.press("Vidare")
    await user.wait_text("Hur vill du att vi kontaktar dig?")
    if step == "contact":
        return
    await user.press("Anonymt")
    await user.wait_text("Kontrollera ditt tips")


@pytest.mark.parametrize("step", STEPS)
async def test_cancel_at_every_step(sandbox: Sandbox, bot, db_path, rows, step):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    await walk_to(user, step)
    cancelled = await user.send("/cancel")
    assert "Tipset skickades inte" in cancelled.text
    assert rows("SELECT count(*) FROM tips") == [(0,)]
    # Nothing is left over: the next /cancel has nothing to cancel.
    assert "inget att avbryta" in (await user.send("/cancel")).text


async def test_cancel_button_and_phone_step_cancel(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    await walk_to(user, "contact")
    await user.press("Avbryt")
    await user.wait_text("Tipset skickades inte")
    await walk_to(user, "contact")
    await user.press("Ring mig")
    asked = await user.wait_text("dela ditt nummer")
    assert "dela ditt nummer" in asked.text and asked.keyboard()[0] == "Dela mitt telefonnummer"
    cancelled = await user.send("/cancel")
    assert "Tipset skickades inte" in cancelled.text
    # The phone keyboard gives way to the residents' own again.
    assert cancelled.keyboard() == ["Lämna tips", "Mina områden", "Hjälp"]
    assert rows("SELECT count(*) FROM tips") == [(0,)]


async def test_phone_contact_shared_or_typed(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    await to_contact(user)
    await user.press("Ring mig")
    noted = await user.share_contact("+46701234567")
    assert "numret är noterat" in noted.text
    summary = await user.wait_text("Kontrollera ditt tips")
    assert "+46701234567" in summary.text
    await user.press("Skicka tipset")
    await user.wait_text("Tack!")

    await to_contact(user, "Bil som kör sicksack på Kumlavägen")
    await user.press("Ring mig")
    assert "inte ut som ett telefonnummer" in (await user.send("ring mig")).text
    # Back from the phone step (a reply-keyboard button) goes to the contact choice.
    back = await user.send("Tillbaka")
    assert "tillbaka" in back.text
    await user.wait_text("Hur vill du att vi kontaktar dig?")
    await user.press("Ring mig")
    await user.send("070-123 45 67")
    await user.wait_text("Kontrollera ditt tips")
    await user.press("Skicka tipset")
    await user.wait_text("Tack!")
    assert rows("SELECT contact, phone, reporter_id FROM tips ORDER BY id") == [
        ("phone", "+46701234567", RESIDENT),
        ("phone", "0701234567", RESIDENT),
    ]


async def test_phone_only_kept_with_the_phone_choice(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    await to_contact(user)
    await user.press("Ring mig")
    await user.send("070-123 45 67")
    await user.wait_text("Kontrollera ditt tips")
    await user.press("Tillbaka")
    await user.wait_text("Hur vill du att vi kontaktar dig?")
    await user.press("Svara mig här")
    summary = await user.wait_text("Kontrollera ditt tips")
    assert "070" not in summary.text
    await user.press("Skicka tipset")
    await user.wait_text("Tack!")
    assert rows("SELECT contact, phone FROM tips") == [("telegram", None)]


async def test_document_instead_of_photo_is_refused(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    await walk_to(user, "attach")
    mark = sandbox.seq
    sandbox.inject_update(
        {
            "message": {
                "message_id": 9999,
                "date": 1767225600,
                "chat": {"id": RESIDENT, "type": "private", "first_name": "Boende 301"},
                "from": {"id": RESIDENT, "is_bot": False, "first_name": "Boende 301"},
                "document": {
                    "file_id": "BQACAgQAAxkBAAIBdoc",
                    "file_unique_id": "AgADdoc",
                    "file_name": "bild.jpg",
                    "mime_type": "image/jpeg",
                },
            }
        }
    )
    refused = await sandbox._wait_event(RESIDENT, mark, 5.0, what="refusal")
    assert "som foto, inte som fil" in refused.text
    await user.press("Vidare")
    await user.press("Anonymt")
    await user.press("Skicka tipset")
    await user.wait_text("Tack!")
    assert rows("SELECT count(*) FROM tip_attachments") == [(0,)]
    assert rows("SELECT count(*) FROM tips") == [(1,)]


@pytest.fixture
async def quick_timeout_bot(settings, monkeypatch):
    """The bot with a one-second tip flow timeout."""
    monkeypatch.setattr(tip_flow, "TIMEOUT", 1.0)
    async with Grannbot(settings, poll_timeout=1) as running:
        yield running


async def test_half_finished_tip_times_out(sandbox: Sandbox, quick_timeout_bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    await start_guided(user)
    await user.press("Narkotika")
    timed_out = await user.wait_text("tog för lång tid", timeout=10)
    assert "/tip" in timed_out.text
    assert await user.press("Pågår nu") is None
    assert list(sandbox.callback_answers.values())[-1]["text"] == "Den knappen gäller inte längre."
    assert rows("SELECT count(*) FROM tips") == [(0,)]


# ------------------------------------------------------------------ one-line form


async def test_one_line_tip_in_english_and_swedish(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    first = await user.send("/tip burglary Two men trying door handles on Storgatan")
    ref1 = reference_in(first.text)
    assert "ring 112" in first.text
    second = await user.send("/tip Misstänkt aktivitet Bil som cirkulerar långsamt i området")
    ref2 = reference_in(second.text)
    third = await user.send("/tip anonym narkotika Langning vid skolan efter kl 16")
    ref3 = reference_in(third.text)
    assert "anonyma" in third.text
    year = ref1.split("-")[1]
    assert [ref1, ref2, ref3] == [f"T-{year}-{n:06d}" for n in (1, 2, 3)]
    assert rows(
        "SELECT category, description, contact, reporter_id, (SELECT code FROM areas"
        " WHERE id = area_id) FROM tips ORDER BY seq"
    ) == [
        ("burglary", "Two men trying door handles on Storgatan", "telegram", RESIDENT, "centrum"),
        ("suspicious", "Bil som cirkulerar långsamt i området", "telegram", RESIDENT, "centrum"),
        ("drugs", "Langning vid skolan efter kl 16", "anonymous", None, "centrum"),
    ]
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == 3)
    me = await user.send("/me")
    full1, full2 = full_reference_in(first.text), full_reference_in(second.text)
    assert f"Dina tips: {full1}, {full2}" in me.text, "named tips are listed"
    assert ref3 not in me.text, "the anonymous tip is linked to nobody"


async def test_one_line_refusals(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    unknown = await user.send("/tip ufo Konstiga ljus över torget")
    assert "Okänd kategori" in unknown.text and "burglary (Inbrott)" in unknown.text
    empty = await user.send("/tip inbrott")
    assert "saknar beskrivning" in empty.text and "/tip KATEGORI TEXT" in empty.text
    blank = await user.send("/tip inbrott    ")
    assert "saknar beskrivning" in blank.text
    huge = await user.send("/tip inbrott " + "x" * 10_000)
    assert "högst 2000 tecken" in huge.text and "10000" in huge.text
    assert rows("SELECT count(*) FROM tips") == [(0,)]


async def test_guided_description_too_long_and_empty_then_fixed(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    await to_description(user)
    assert "högst 2000 tecken, din har 2001" in (await user.send("å" * 2001)).text
    assert "Skriv först vad som hände" in (await user.send_photo()).text
    assert "bild eller en plats" in (await user.send("å" * 2000)).text


async def test_tip_from_resident_without_area(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [NO_AREA], [])
    user = sandbox.user(NO_AREA, "Boende 303")
    answer = await user.send("/tip stöld Cykel stulen vid stationen")
    reference_in(answer.text)
    assert "utan område" in answer.text and "/join" in answer.text
    assert rows("SELECT area_id, category FROM tips") == [(None, "theft")]
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == 1)
    assert "inget område angivet" in sandbox.messages(COORDINATOR_ID)[0].text
    # The guided flow skips the area step too.
    await start_guided(user)
    await user.press("Övrigt")
    await user.wait_text("När hände det?")


async def test_one_line_with_several_areas_takes_an_area_code(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [TWO_AREAS], ["centrum", "norr"])
    user = sandbox.user(TWO_AREAS, "Boende 302")
    await user.send("/tip inbrott norr Inbrott i förråd på Norrgatan")
    await user.send("/tip inbrott Inbrott i källare")
    assert rows(
        "SELECT (SELECT code FROM areas WHERE id = area_id), description FROM tips ORDER BY id"
    ) == [("norr", "Inbrott i förråd på Norrgatan"), (None, "Inbrott i källare")]


async def test_unregistered_and_banned_users_are_refused(sandbox: Sandbox, bot, db_path, rows):
    stranger = sandbox.user(399, "Okänd")
    assert "registrera dig med /start" in (await stranger.send("/tip inbrott Hej")).text
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    ban(db_path, RESIDENT)
    user = sandbox.user(RESIDENT, "Boende 301")
    assert "inte lämna tips" in (await user.send("/tip inbrott Två män")).text
    assert "inte lämna tips" in (await user.send("/tip")).text
    assert rows("SELECT count(*) FROM tips") == [(0,)]


@pytest.fixture
async def limited_bot(config_file):
    settings = load_settings(config_file, tips={"max_per_hour": 3})
    async with Grannbot(settings, poll_timeout=1) as running:
        yield running


async def test_hourly_limit_counts_anonymous_tips_too(sandbox: Sandbox, limited_bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT, TWO_AREAS], ["centrum"])
    user = sandbox.user(RESIDENT, "Boende 301")
    for n in range(3):
        word = "anonym " if n == 1 else ""
        reference_in((await user.send(f"/tip {word}stöld Cykel {n} stulen")).text)
    refused = await user.send("/tip stöld Cykel 4 stulen")
    assert "redan skickat 3 tips den senaste timmen" in refused.text
    assert "kl." in refused.text and "112" in refused.text
    assert "redan skickat 3 tips" in (await user.send("/tip")).text
    # Another resident is not affected.
    other = sandbox.user(TWO_AREAS, "Boende 302")
    reference_in((await other.send("/tip stöld Moped stulen")).text)
    assert rows("SELECT count(*) FROM tips") == [(4,)]


async def test_tip_in_a_group_points_to_the_private_chat(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    sandbox.group(-5001, "Grannsamverkan Centrum")
    user = sandbox.user(RESIDENT, "Boende 301")
    answer = await user.send("/tip inbrott Två män på Storgatan", chat_id=-5001)
    assert "privat chatt" in answer.text
    assert answer.buttons()[0][1].endswith("?start=from_group")
    assert rows("SELECT count(*) FROM tips") == [(0,)]
