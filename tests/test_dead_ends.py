"""Nothing typed is thrown away: free text becomes a tip on request, a postcode typed alone
joins its area, areas may be named by their names or the start of them, and an alert with a
mistyped area keeps its text. Each dead end is a conversation over the sandbox."""

from __future__ import annotations

import logging
import re

import pytest

from bot import area_names
from bot.sandbox import Sandbox
from storage.areas import Area
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import grant_role, memberships, seed_residents, until

MARGIT = 401
FULL_REF = r"T-\d{4}-\d{6}-[A-Z0-9]{4}"
REPORT = "Jag såg en konstig bil vid skolan"


@pytest.fixture(autouse=True)
def _handlers_known(sandbox: Sandbox) -> None:
    """The coordinator and the officer have started the bot, so it can write to them."""
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")


async def registered(sandbox: Sandbox, user_id: int, name: str):
    """A resident who has consented and joined no area yet, through the chat."""
    user = sandbox.user(user_id, name)
    await user.send("/start")
    await user.press("Jag godkänner")
    await user.wait_text("Välj ditt område")
    return user


# ------------------------------------------------------------------ free text


async def test_free_text_becomes_a_tip_with_the_text_as_description(
    sandbox: Sandbox, bot, db_path, rows, caplog
):
    seed_residents(sandbox, db_path, [MARGIT], ["centrum"])
    margit = sandbox.user(MARGIT, "Margit")
    offer = await margit.send(REPORT)
    assert "som ett tips" in offer.text
    assert [label for label, _ in offer.buttons()] == ["Skicka som tips", "Nej tack"]
    assert rows("SELECT count(*) FROM tips") == [(0,)], "nothing is sent before she says so"

    await margit.press("Skicka som tips")
    await margit.wait_text("Vad gäller det?")
    await margit.press("Misstänkt aktivitet")
    await margit.wait_text("När hände det?")
    await margit.press("I går")
    # The description was given already: the next step is the photo or place.
    attach = await margit.wait_text("bild eller en plats")
    assert not any("Beskriv vad som hände" in t for t in margit.texts())
    assert attach is not None
    await margit.press("Vidare")
    await margit.wait_text("Hur vill du att vi kontaktar dig?")
    await margit.press("Anonymt")
    summary = await margit.wait_text("Kontrollera ditt tips")
    assert REPORT in summary.text
    await margit.press("Skicka tipset")
    done = await margit.wait_text("Tack!")
    ref = re.search(FULL_REF, done.text)
    assert ref, done.text

    assert rows(
        "SELECT description, category, (SELECT code FROM areas WHERE id = area_id) FROM tips"
    ) == [(REPORT, "suspicious", "centrum")]
    # What she wrote is kept in the tip only, never in the log.
    assert not any(REPORT in r.getMessage() for r in caplog.records)


async def test_free_text_declined_keeps_nothing_and_more_text_joins_the_report(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [MARGIT], ["centrum"])
    kept = "SELECT count(*) FROM flow_state WHERE value LIKE '%rök%Storgatan 4%'"
    margit = sandbox.user(MARGIT, "Margit")
    await margit.send("Det luktar rök")
    again = await margit.send("vid Storgatan 4")
    assert "som ett tips" in again.text
    # Kept as a flow's draft, so that a restart while she thinks does not lose it.
    await until(lambda: rows(kept) == [(1,)])
    await margit.press("Nej tack")
    declined = await margit.wait_text("sparas inget")
    assert declined.buttons() == []
    assert rows("SELECT count(*) FROM tips") == [(0,)]
    await until(lambda: rows(kept) == [(0,)])

    # A second report, two messages long, is sent whole.
    await margit.send("Två män bär ut en tv")
    await margit.send("från Storgatan 6")
    await margit.press("Skicka som tips")
    await margit.press("Inbrott")
    await margit.press("I går")
    await margit.wait_text("bild eller en plats")
    await margit.press("Vidare")
    await margit.press("Anonymt")
    await margit.press("Skicka tipset")
    await margit.wait_text("Tack!")
    assert rows("SELECT description FROM tips") == [("Två män bär ut en tv\nfrån Storgatan 6",)]


async def test_free_text_before_sign_up_points_to_start(sandbox: Sandbox, bot, rows):
    stranger = sandbox.user(402, "Okänd")
    answer = await stranger.send(REPORT)
    assert "/start" in answer.text and not answer.buttons()
    assert rows("SELECT count(*) FROM participants") == [(0,)]


# ------------------------------------------------------------------ postcodes and names


@pytest.mark.parametrize("typed", ["692 34", "69234"])
async def test_a_postcode_alone_joins_its_area(sandbox: Sandbox, bot, rows, typed):
    bertil = await registered(sandbox, 403, "Bertil")
    joined = await bertil.send(typed)
    assert "Norr" in joined.text
    assert memberships(rows, 403) == ["norr"]


async def test_a_postcode_no_area_has_says_so(sandbox: Sandbox, bot, rows):
    bertil = await registered(sandbox, 404, "Bertil")
    answer = await bertil.send("111 22")
    assert "Inget område har postnumret 11122" in answer.text
    assert memberships(rows, 404) == []


async def test_a_postcode_before_sign_up_asks_for_consent_then_joins(sandbox: Sandbox, bot, rows):
    cecilia = sandbox.user(405, "Cecilia")
    prompt = await cecilia.send("692 33")
    assert "112" in prompt.text
    await cecilia.press("Jag godkänner")
    await cecilia.wait_text("Välkommen till grannsamverkan Östra Mark")
    assert memberships(rows, 405) == ["ostra_mark"]


@pytest.mark.parametrize("typed", ["östra mark", "Ostra mark", "ÖSTRAMARK", "öst", "mark"])
async def test_join_by_name_or_its_start(sandbox: Sandbox, bot, rows, typed):
    david = await registered(sandbox, 406, "David")
    joined = await david.send(f"/join {typed}")
    assert "Östra Mark" in joined.text
    assert memberships(rows, 406) == ["ostra_mark"]
    left = await david.send(f"/leave {typed}")
    assert "lämnat Östra Mark" in left.text
    assert memberships(rows, 406) == []


async def test_an_ambiguous_start_lists_the_candidates(sandbox: Sandbox, bot, rows):
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    added = await coordinator.send("/area add nordost Nordost")
    assert "Nordost" in added.text
    eva = await registered(sandbox, 407, "Eva")
    answer = await eva.send("/join nor")
    assert "Flera områden" in answer.text and "Nordost, Norr" in answer.text
    assert memberships(rows, 407) == []
    joined = await eva.send("/join nordo")
    assert "Nordost" in joined.text
    assert memberships(rows, 407) == ["nordost"]


async def test_a_near_miss_is_named(sandbox: Sandbox, bot, rows):
    frida = await registered(sandbox, 408, "Frida")
    answer = await frida.send("/join centrm")
    assert "Menade du Centrum?" in answer.text
    assert memberships(rows, 408) == []


async def test_staff_commands_take_names(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [409], ["ostra_mark"])
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    listed = await coordinator.send("/members östra mark")
    assert "Östra Mark" in listed.text and "Boende 409" in listed.text
    qr = await coordinator.send("/qr Östra Mark")
    assert qr.kind == "document" and "Östra Mark" in (qr.text or "")
    tips = await coordinator.send("/tips all östra mark")
    assert "Okänt område" not in tips.text
    sandbox.group(-1003, "Grannsamverkan Östra Mark")
    linked = await coordinator.send("/linkgroup östra mark", chat_id=-1003)
    assert "kopplad till" in linked.text and "Östra Mark" in linked.text
    assert rows("SELECT (SELECT code FROM areas WHERE id = area_id) FROM group_links") == [
        ("ostra_mark",)
    ]
    await coordinator.send("/area rename nor Norrmalm")
    assert rows("SELECT name FROM areas WHERE code = 'norr'") == [("Norrmalm",)]
    saved = await coordinator.send("/remind daily 18:30 Östra,centrum Grannmöte i kväll")
    assert "till Centrum och Östra Mark" in saved.text
    unknown = await coordinator.send("/remind daily 18:30 söder Grannmöte i kväll")
    assert "söder" in unknown.text and rows("SELECT count(*) FROM reminders") == [(1,)]


# ------------------------------------------------------------------ alerts


async def test_alert_with_a_mistyped_area_suggests_it_and_keeps_the_text(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [411], ["centrum"])
    seed_residents(sandbox, db_path, [412], ["norr"])
    officer = sandbox.user(POLICE_ID, "Polis")
    text = "Flera bilinbrott i natt på Storgatan"
    question = await officer.send(f"/alert centrum,nor {text}")
    assert "Menade du Norr?" in question.text
    preview = await officer.press("Ja, Norr")
    assert preview is not None
    preview = await officer.wait_text("Förhandsvisning")
    assert text in preview.text and "Centrum, Norr" in preview.text
    await officer.press("Skicka")
    await sandbox.wait_for(lambda: sandbox.messages(412) and sandbox.messages(411))
    assert text in sandbox.messages(412)[-1].text
    assert rows("SELECT area_names, text FROM alerts") == [("Centrum, Norr", text)]


async def test_alert_suggestion_declined_goes_to_the_chooser_with_the_text(
    sandbox: Sandbox, bot, db_path
):
    seed_residents(sandbox, db_path, [413], ["ostra_mark"])
    officer = sandbox.user(POLICE_ID, "Polis")
    text = "Vattenläcka vid skolan"
    await officer.send(f"/alert centrum,nor {text}")
    chooser = await officer.press("Nej, välj i listan")
    assert chooser is not None
    chooser = await officer.wait_text("Välj vilka områden")
    labels = [label for label, _ in chooser.buttons()]
    assert "✅ Centrum" in labels and "Norr" in labels
    await officer.press("Östra Mark")
    await officer.press("Nästa")
    preview = await officer.wait_text("Förhandsvisning")
    assert text in preview.text and "Centrum, Östra Mark" in preview.text


async def test_alert_with_an_ambiguous_area_lists_candidates_and_keeps_the_text(
    sandbox: Sandbox, bot, db_path
):
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    await coordinator.send("/area add nordost Nordost")
    officer = sandbox.user(POLICE_ID, "Polis")
    text = "Bilinbrott på Norrgatan"
    answer = await officer.send(f"/alert nor {text}")
    assert "Nordost, Norr" in answer.text and "text finns kvar" in answer.text
    await officer.wait_text("Välj vilka områden")
    await officer.press("Norr")
    await officer.press("Nästa")
    preview = await officer.wait_text("Förhandsvisning")
    assert text in preview.text


async def test_alert_without_any_area_keeps_the_whole_text(sandbox: Sandbox, bot, caplog):
    caplog.set_level(logging.INFO)
    officer = sandbox.user(POLICE_ID, "Polis")
    text = "Inbrott på Storgatan i natt"
    answer = await officer.send(f"/alert {text}")
    assert "text finns kvar" in answer.text
    await officer.wait_text("Välj vilka områden")
    await officer.press("Centrum")
    await officer.press("Nästa")
    preview = await officer.wait_text("Förhandsvisning")
    assert text in preview.text


# ------------------------------------------------------------------ the resolver itself

AREAS = [
    Area(1, "centrum", "Centrum"),
    Area(2, "ostra_mark", "Östra Mark"),
    Area(3, "norr", "Norr"),
    Area(4, "nordost", "Nordost"),
]


@pytest.mark.parametrize(
    ("typed", "code", "exact"),
    [
        ("centrum", "centrum", True),
        ("CENTRUM", "centrum", True),
        ("östra mark", "ostra_mark", True),
        ("Ostra  Mark", "ostra_mark", True),
        ("ostra_mark", "ostra_mark", True),
        ("öst", "ostra_mark", False),
        ("norr", "norr", True),
        ("nordo", "nordost", False),
    ],
)
def test_resolver_matches_codes_names_and_starts(typed, code, exact):
    found = area_names.resolve(AREAS, typed)
    assert found.area is not None and found.area.code == code
    assert found.exact is exact


def test_resolver_lists_candidates_and_names_the_nearest():
    ambiguous = area_names.resolve(AREAS, "no")
    assert ambiguous.area is None
    assert [a.code for a in ambiguous.candidates] == ["nordost", "norr"]
    near = area_names.resolve(AREAS, "centrm")
    assert near.area is None and near.nearest is not None and near.nearest.code == "centrum"
    nothing = area_names.resolve(AREAS, "xyz")
    assert nothing.area is None and nothing.nearest is None and not nothing.candidates
    assert area_names.resolve(AREAS, " _ ").area is None


async def test_notice_suggestion_still_checks_the_contacts_area(
    sandbox: Sandbox, bot, db_path, rows
):
    grant_role(db_path, 414, "contact", "centrum")
    contact = sandbox.user(414, "Ombud")
    await contact.send("/notice cent Städdag på lördag")
    await contact.press("Ja, Centrum")
    preview = await contact.wait_text("Förhandsvisning")
    assert "Städdag på lördag" in preview.text
    await contact.send("/notice nor Städdag på lördag")
    await contact.press("Ja, Norr")
    assert (
        list(sandbox.callback_answers.values())[-1]["text"] == "Du är inte kontaktombud för Norr."
    )
    assert rows("SELECT action FROM audit_log WHERE action LIKE '%notice%'") != []
    assert "Menade du Norr?" in contact.texts()[-1], "no preview after the refusal"
