"""First contact, as a resident who scanned a sign meets the bot: the description before
START, a consent text that is true to what is kept and for how long, what happens after
joining, and the consent offered in the language Telegram says the user has."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from telegram.error import BadRequest

from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from tests.helpers import memberships

# Retention periods that differ from each other and from the defaults, so that each one
# found in the consent text can only have come from its own key.
PERIODS = (
    "\n[retention]\ntips = 45\ndeliveries = 14\naudit = 200\n"
    "inactive_participants = 60\nalerts = 400\nsurveys = 31\n"
)
NEXT_STEP_SV = "Det här händer nu"
NEXT_STEP_EN = "What happens now"


def with_periods(config_file: Path) -> Path:
    config_file.write_text(config_file.read_text(encoding="utf-8") + PERIODS, encoding="utf-8")
    return config_file


# ------------------------------------------------------------------ the bot's description


async def test_description_and_short_description_are_set_per_language(sandbox: Sandbox, bot):
    default = sandbox.bot_text("description")
    swedish = sandbox.bot_text("description", "sv")
    english = sandbox.bot_text("description", "en")
    # Without a language code Telegram shows the text to every other language: the
    # municipality's language, Swedish here.
    assert default == swedish
    assert "Grannsamverkan i Kumla kommun" in swedish and "Tryck på START" in swedish
    assert "ring 112" in swedish and "114 14" in swedish
    assert "Neighbourhood watch in Kumla kommun" in english and "Press START" in english
    assert "call 112" in english
    short_sv = sandbox.bot_text("short_description", "sv")
    short_en = sandbox.bot_text("short_description", "en")
    assert sandbox.bot_text("short_description") == short_sv
    assert "Kumla kommun" in short_sv and "polisen" in short_sv
    assert "Kumla kommun" in short_en and "police" in short_en
    for text in (swedish, english):
        assert 0 < len(text) <= 512
    for text in (short_sv, short_en):
        assert 0 < len(text) <= 120


async def test_sandbox_refuses_descriptions_longer_than_telegram_allows(sandbox: Sandbox, bot):
    tg = bot.application.bot
    before = sandbox.bot_text("description", "sv")
    with pytest.raises(BadRequest, match="too long"):
        await tg.set_my_description("x" * 513, language_code="sv")
    assert sandbox.bot_text("description", "sv") == before, "a refused text changes nothing"
    assert await tg.set_my_description("x" * 512, language_code="sv")
    assert sandbox.bot_text("description", "sv") == "x" * 512

    with pytest.raises(BadRequest, match="too long"):
        await tg.set_my_short_description("y" * 121, language_code="en")
    assert await tg.set_my_short_description("y" * 120, language_code="en")
    assert sandbox.bot_text("short_description", "en") == "y" * 120
    with pytest.raises(BadRequest, match="too long"):
        await tg.set_my_name("z" * 65)


async def test_a_refused_description_is_logged_and_the_bot_runs_on(
    sandbox: Sandbox, config_file: Path, monkeypatch: pytest.MonkeyPatch, caplog
):
    # A municipality name this long makes the short description too long for Telegram.
    monkeypatch.setenv("GRANNBOT_MUNICIPALITY__NAME", "Kommunen " + "L" * 120)
    settings = load_settings(config_file)
    caplog.set_level(logging.WARNING)
    async with Grannbot(settings, poll_timeout=1):
        welcome = await sandbox.user(301, "Rut").send("/start")
    assert "112" in welcome.text
    warnings = [r.getMessage() for r in caplog.records if r.name == "handlers.menus"]
    assert any("could not set the bot's description" in line for line in warnings), warnings
    assert sandbox.bot_text("short_description", "sv") == ""


# ------------------------------------------------------------------ consent that is true


async def test_margit_scans_a_sign_and_reads_what_is_kept_and_for_how_long(
    sandbox: Sandbox, config_file: Path, rows
):
    settings = load_settings(with_periods(config_file))
    async with Grannbot(settings, poll_timeout=1):
        margit = sandbox.user(302, "Margit")
        consent = await margit.send("/start area_centrum")
        text = consent.text
        for forbidden in (
            "Telegram-id",
            "bevakas inte dygnet runt",
            "Icke akuta uppgifter",
            "tills du lämnar tjänsten",
        ):
            assert forbidden not in text, forbidden
        for sentence in (
            "ring 112",
            "ring 114 14",
            "ditt Telegram-nummer (inte ditt telefonnummer)",
            "Tips sparas i 45 dagar",
            "kommunen sparas i 400 dagar",
            "Vem som fick vilket meddelande sparas i 14 dagar",
            "De raderas efter 60 dagar",
            "svaren i 31 dagar",
            "Den sparas i 200 dagar",
            # /leave keeps the record for a while; /forget deletes it at once
            "Lämnar du alla områden med /leave",
            "skriv /mydata",
            "Radera allt på en gång: skriv /forget",
            "Kumla kommun är ansvarig för dina uppgifter",
        ):
            assert sentence in text, sentence
        assert "centrum" not in text, "area codes never appear in texts"
        assert consent.buttons() == [("✅ Jag godkänner", "consent:centrum")]
        assert rows("SELECT count(*) FROM participants") == [(0,)], "nothing kept before yes"

        await margit.press("Jag godkänner")
        next_step = await margit.wait_text("Välkommen till grannsamverkan Centrum")
        assert "kommer nu hit" in next_step.text and NEXT_STEP_SV in next_step.text
        assert "/tip" in next_step.text and "/leave" in next_step.text
        assert "ring 112" in next_step.text
        assert memberships(rows, 302) == ["centrum"]


# ------------------------------------------------------------------ after joining


async def test_the_first_area_joined_by_button_is_followed_by_the_next_step_once(
    sandbox: Sandbox, bot, rows
):
    nils = sandbox.user(303, "Nils")
    await nils.send("/start")
    await nils.press("Jag godkänner")
    chooser = await nils.wait_text("Välj ditt område")
    assert "Skriv ditt postnummer" in chooser.text
    next_step = await nils.press("Norr")
    assert "Välkommen till grannsamverkan Norr" in next_step.text
    assert NEXT_STEP_SV in next_step.text
    assert "/tip" in next_step.text and "/join" in next_step.text and "/leave" in next_step.text

    second = await nils.send("/join centrum")
    assert "Välkommen till grannsamverkan Centrum" in second.text
    assert NEXT_STEP_SV not in second.text, "told with the first area, not with every one"
    assert memberships(rows, 303) == ["centrum", "norr"]


async def test_a_resident_who_types_the_postcode_as_the_chooser_says_is_told_the_next_step(
    sandbox: Sandbox, bot, rows
):
    olga = sandbox.user(304, "Olga")
    await olga.send("/start")
    await olga.press("Jag godkänner")
    await olga.wait_text("Välj ditt område")
    joined = await olga.send("692 33")
    assert "Välkommen till grannsamverkan Östra Mark" in joined.text
    assert NEXT_STEP_SV in joined.text and "/tip" in joined.text
    assert memberships(rows, 304) == ["ostra_mark"]


async def test_a_registered_resident_following_a_sign_gets_the_next_step_for_a_first_area(
    sandbox: Sandbox, bot, rows
):
    pia = sandbox.user(305, "Pia")
    await pia.send("/start")
    await pia.press("Jag godkänner")
    await pia.wait_text("Välj ditt område")
    await pia.send("/start area_norr")
    joined = await pia.wait_text("Välkommen till grannsamverkan Norr")
    assert NEXT_STEP_SV in joined.text
    assert memberships(rows, 305) == ["norr"]


# ------------------------------------------------------------------ the language offer


async def test_an_english_speaker_switches_the_consent_to_english_with_one_button(
    sandbox: Sandbox, bot, rows
):
    oliver = sandbox.user(306, "Oliver", language_code="en")
    prompt = await oliver.send("/start area_norr")
    assert "ring 112" in prompt.text, "first in the municipality's language"
    assert prompt.buttons() == [
        ("Use English", "consentlang:en:norr"),
        ("✅ Jag godkänner", "consent:norr"),
    ]
    english = await oliver.press("Use English")
    assert english.message_id == prompt.message_id, "the same message, now in English"
    assert "call 112" in english.text and "Tips are kept for" in english.text
    assert "your Telegram number (not your phone number)" in english.text
    assert english.buttons() == [("✅ I agree", "consent:norr")]
    assert rows("SELECT count(*) FROM participants") == [(0,)], "a language is not consent"

    await oliver.press("I agree")
    await oliver.wait_text("Thank you, Oliver")
    joined = await oliver.wait_text("Welcome to the neighbourhood watch Norr")
    assert NEXT_STEP_EN in joined.text and "/tip" in joined.text
    assert rows("SELECT language FROM participants WHERE user_id = 306") == [("en",)]
    assert memberships(rows, 306) == ["norr"]


@pytest.mark.parametrize("language_code", ["sv", "sv-SE", "fi", ""])
async def test_no_offer_when_telegram_names_our_language_or_one_we_do_not_have(
    sandbox: Sandbox, bot, language_code: str
):
    user = sandbox.user(307, "Saga", language_code=language_code)
    prompt = await user.send("/start")
    assert prompt.buttons() == [("✅ Jag godkänner", "consent")]


async def test_a_language_chosen_before_start_is_not_offered_again(sandbox: Sandbox, bot):
    tom = sandbox.user(308, "Tom", language_code="en")
    await tom.send("/language en")
    prompt = await tom.send("/start")
    assert "call 112" in prompt.text
    assert prompt.buttons() == [("✅ I agree", "consent")]


async def test_no_offer_of_the_municipality_language_after_choosing_another(sandbox: Sandbox, bot):
    # Telegram says Swedish, the municipality's language; English was chosen on purpose.
    ulla = sandbox.user(309, "Ulla", language_code="sv")
    await ulla.send("/language en")
    prompt = await ulla.send("/start")
    assert prompt.buttons() == [("✅ I agree", "consent")]
