"""Swedish by default, English complete, and both catalogues in step."""

from __future__ import annotations

import string

from bot.sandbox import Sandbox
from bot.texts import CATALOGUES, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders():
    sv, en = CATALOGUES["sv"], CATALOGUES["en"]
    assert sv.keys() == en.keys()
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key


def test_inserted_values_are_escaped_for_html():
    text = t("sv", "left", area="<b>Storgatan & co</b>")
    assert "&lt;b&gt;Storgatan &amp; co&lt;/b&gt;" in text


async def test_language_switch_changes_every_following_text(sandbox: Sandbox, bot, rows):
    helena = sandbox.user(201, "Helena")
    await helena.send("/start")
    await helena.press("Jag godkänner")
    await helena.wait_text("Välj ditt område")
    switched = await helena.send("/language en")
    assert switched.text == "The language is now English."
    assert rows("SELECT language FROM participants WHERE user_id = 201") == [("en",)]
    joined = await helena.send("/join centrum")
    assert "Welcome to the neighbourhood watch Centrum" in joined.text
    me = await helena.send("/me")
    assert "Language: English" in me.text and "Role: resident" in me.text
    help_text = await helena.send("/help")
    assert "Join an area" in help_text.text
    unknown = await helena.send("/whatever")
    assert "does not exist" in unknown.text
    back = await helena.send("/language sv")
    assert back.text == "Språket är nu svenska."


async def test_language_before_consent_is_used_for_the_welcome(sandbox: Sandbox, bot, rows):
    ivan = sandbox.user(202, "Ivan")
    await ivan.send("/language en")
    welcome = await ivan.send("/start")
    assert "call 112" in welcome.text
    await ivan.press("I agree")
    await ivan.wait_text("Thank you, Ivan")
    assert rows("SELECT language FROM participants WHERE user_id = 202") == [("en",)]


async def test_bad_language_gets_usage(sandbox: Sandbox, bot):
    jonas = sandbox.user(203, "Jonas")
    usage = await jonas.send("/language fi")
    assert "/language sv" in usage.text
