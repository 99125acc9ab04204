"""Swedish by default, English complete, and both catalogues in step."""

from __future__ import annotations

import string

import pytest

from bot.sandbox import Sandbox
from bot.texts import CATALOGUES, COUNT_NAMES, LANGUAGES, placeholders, plain, plural_categories, t


def test_catalogues_have_the_same_keys_and_placeholders():
    sv, en = CATALOGUES["sv"], CATALOGUES["en"]
    assert sv.keys() == en.keys()
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key


def fields(text: str) -> list[tuple[str, str]]:
    """(name, format spec) of every placeholder in one form."""
    return [(name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_with_a_count_has_all_the_forms_its_language_needs(lang):
    catalogue = CATALOGUES[lang]
    needed = plural_categories(lang)
    counted = {key for key, entry in catalogue.items() if isinstance(entry, dict)}
    assert counted, "no text has plural forms"
    for key, entry in catalogue.items():
        forms = entry.values() if isinstance(entry, dict) else [entry]
        for form in forms:
            for name, spec in fields(form):
                if spec:
                    assert spec in counted, f"{lang}:{key} shows {name} through {spec}"
                elif name == "count":
                    assert key in counted, f"{lang}:{key} shows {{count}} without plural forms"
                else:
                    assert name not in COUNT_NAMES, f"{lang}:{key} shows the count {name} bare"
        if key in counted:
            assert set(entry) == needed, f"{lang}:{key} has forms {sorted(entry)}"
            assert "count" in placeholders(entry["other"]), f"{lang}:{key} never shows the number"


@pytest.mark.parametrize(
    ("lang", "key", "values", "shown"),
    [
        ("sv", "export_caption", {"count": 1}, "1 rad."),
        ("sv", "export_caption", {"count": 2}, "2 rader."),
        ("sv", "export_caption", {"count": 0}, "0 rader."),
        ("en", "members_list", {"area": "Norr", "count": 1, "names": "A"}, "1 resident:"),
        ("en", "members_list", {"area": "Norr", "count": 3, "names": "A"}, "3 residents:"),
        ("sv", "summary_open_item", {"ref": "T-1", "days": 1}, "T-1 (1 dag)"),
        ("sv", "summary_open_item", {"ref": "T-1", "days": 8}, "T-1 (8 dagar)"),
        (
            "sv",
            "alert_recipients",
            {"people": 1, "groups": 1, "areas": "Norr"},
            "Går till 1 person och 1 gruppchatt i Norr.",
        ),
        (
            "sv",
            "alert_recipients",
            {"people": 5, "groups": 2, "areas": "Norr"},
            "Går till 5 personer och 2 gruppchattar i Norr.",
        ),
        (
            "en",
            "alert_recipients",
            {"people": 1, "groups": 2, "areas": "Norr"},
            "Goes to 1 person and 2 group chats in Norr.",
        ),
        ("sv", "summary_chart_title", {"weeks": 1}, "Tips per kategori, den senaste veckan"),
        ("en", "summary_chart_title", {"weeks": 8}, "Tips per category, the last 8 weeks"),
        ("sv", "summary_participants", {"total": 4, "new": 1, "left": 0}, "4 (1 ny, 0 har slutat)"),
        ("sv", "summary_more", {"count": 1}, "1 fler än förra veckan"),
        ("en", "summary_fewer", {"count": 3}, "3 fewer than last week"),
    ],
)
def test_a_count_picks_its_form(lang, key, values, shown):
    assert shown in t(lang, key, **values)


def test_a_text_with_forms_needs_its_count():
    with pytest.raises(TypeError):
        t("sv", "export_caption")
    assert plain("en", "n_group_chats", count=1) == "1 group chat"


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
