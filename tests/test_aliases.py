"""Swedish command names, the residents' reply keyboard and /mydata in words, each driven as a
conversation over the sandbox: what Margit types or presses leads somewhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.sandbox import Sandbox, SandboxUser
from bot.sandbox.formatting import detect_entities
from bot.texts import plain
from handlers.callbacks import Consent
from tests.helpers import grant_role, seed_residents

MARGIT = 1401
JOHN = 1402
GROUP = -1400
KEYBOARD_SV = ["Lämna tips", "Mina områden", "Hjälp"]
KEYBOARD_EN = ["Send a tip", "My areas", "Help"]
RESIDENT_NAMES_SV = ("/hjalp", "/tipsa", "/omraden", "/lamna", "/minadata", "/radera")


def resident(sandbox: Sandbox, db_path: Path, user_id: int = MARGIT, **kwargs) -> SandboxUser:
    """A resident of Centrum who signed up earlier."""
    seed_residents(sandbox, db_path, [user_id], ["centrum"], **kwargs)
    return sandbox.user(user_id, f"Boende {user_id}")


def commands_in(text: str) -> list[str]:
    return re.findall(r"^(/\w+) — ", text, re.MULTILINE)


async def test_hjalp_lists_the_swedish_names_with_the_data_rights(
    sandbox: Sandbox, bot, db_path: Path
):
    margit = resident(sandbox, db_path)
    answer = await margit.send("/hjalp")
    listed = commands_in(answer.text)
    for name in RESIDENT_NAMES_SV:
        assert name in listed, name
    assert "/help" not in listed and "/mydata" not in listed, "one name per command"
    # Each line explains with the command's own help text.
    assert f"/minadata — {plain('sv', 'cmd_mydata')}" in answer.text
    assert f"/radera — {plain('sv', 'cmd_forget')}" in answer.text
    assert "/help" in answer.text, "the English names are mentioned as working too"
    assert answer.keyboard() == KEYBOARD_SV

    # In English, the English names, /mydata and /forget among them.
    await margit.send("/language en")
    english = await margit.send("/help")
    listed = commands_in(english.text)
    assert "/mydata" in listed and "/forget" in listed and "/help" in listed
    assert not set(listed) & set(RESIDENT_NAMES_SV)
    assert english.keyboard() == KEYBOARD_EN


async def test_swedish_menus_show_the_swedish_names_with_the_same_help(sandbox: Sandbox, bot):
    def menu(scope: str, lang: str) -> dict[str, str]:
        key = json.dumps({"type": scope}, separators=(",", ":"))
        return {c["command"]: c["description"] for c in sandbox.commands[key, lang]}

    swedish = menu("all_private_chats", "sv")
    english = menu("all_private_chats", "en")
    for sv_name, en_name, key in [
        ("hjalp", "help", "cmd_help"),
        ("tipsa", "tip", "cmd_tip"),
        ("omraden", "areas", "cmd_areas"),
        ("lamna", "leave", "cmd_leave"),
        ("minadata", "mydata", "cmd_mydata"),
        ("radera", "forget", "cmd_forget"),
    ]:
        assert swedish[sv_name] == plain("sv", key) and en_name not in swedish
        assert english[en_name] == plain("en", key) and sv_name not in english
    assert set(menu("all_group_chats", "sv")) == {"start", "join", "omraden", "hjalp"}


async def test_tipsa_starts_the_tip_flow(sandbox: Sandbox, bot, db_path: Path, rows):
    margit = resident(sandbox, db_path)
    await margit.send("/tipsa")
    step = await margit.wait_text("Vad gäller det?")
    assert "Inbrott" in [label for label, _ in step.buttons()]
    # One line works under the Swedish name too.
    done = await margit.send("/tipsa inbrott Två män provar dörrhandtag på Storgatan")
    assert re.search(r"T-\d{4}-\d{6}-[A-Z0-9]{4}", done.text)
    assert rows("SELECT category, description FROM tips") == [
        ("burglary", "Två män provar dörrhandtag på Storgatan")
    ]


async def test_radera_asks_first_then_deletes_and_takes_the_keyboard_away(
    sandbox: Sandbox, bot, db_path: Path, rows
):
    margit = resident(sandbox, db_path)
    question = await margit.send("/radera")
    assert "Det går inte att ångra" in question.text
    assert [label for label, _ in question.buttons()] == ["Ja, radera allt", "Nej, behåll"]
    assert rows("SELECT count(*) FROM participants") == [(1,)], "nothing deleted yet"

    done = await margit.press("Ja, radera allt")
    assert "raderade" in done.text
    assert done.reply_markup == {"remove_keyboard": True}
    assert rows("SELECT count(*) FROM participants") == [(0,)]
    # The question keeps its text but loses its buttons, so it cannot be pressed again.
    await sandbox.wait_for(
        lambda: (
            [m.buttons() for m in sandbox.messages(MARGIT) if m.message_id == question.message_id]
            == [[]]
        )
    )


async def test_minadata_says_in_words_what_we_hold_then_sends_the_file(
    sandbox: Sandbox, bot, db_path: Path
):
    margit = resident(sandbox, db_path)
    grant_role(db_path, MARGIT, "contact", "norr")
    sent = await margit.send("/tipsa inbrott Någon provar dörrar på Storgatan")
    ref = re.search(r"T-\d{4}-\d{6}-[A-Z0-9]{4}", sent.text).group(0)

    summary = await margit.send("/minadata")
    assert summary.kind == "text"
    for part in (
        "Namn: Boende 1401",
        "Språk: svenska",
        "Områden: Centrum",  # the name, not the code
        "Roll: kontaktombud för Norr",
        f"Dina tips: {ref}",
        "Du godkände villkoren tors 1 jan",  # seeded 2026-01-01, written the Swedish way
        "/radera",
    ):
        assert part in summary.text, part
    assert "centrum" not in summary.text and "{" not in summary.text

    document = await margit.wait_text("(JSON)")
    assert document.kind == "document" and document.file_name == "grannbot-mydata.json"
    data = json.loads(document.file_bytes)
    assert data["participant"][0]["first_name"] == "Boende 1401"
    order = [m.message_id for m in sandbox.messages(MARGIT)]
    assert order.index(summary.message_id) < order.index(document.message_id)


async def test_minadata_for_someone_not_registered(sandbox: Sandbox, bot):
    stranger = sandbox.user(1499, "Sixten")
    summary = await stranger.send("/minadata")
    assert "inte registrerad" in summary.text
    assert (await stranger.wait_text("(JSON)")).kind == "document"


async def test_the_keyboard_comes_with_consent_and_joining(sandbox: Sandbox, bot, rows):
    margit = sandbox.user(MARGIT, "Margit")
    await margit.send("/start")
    assert not margit.last_message().keyboard(), "no keyboard before consent"
    await margit.press(Consent(None).pack())
    await sandbox.wait_for(lambda: any(m.keyboard() for m in sandbox.messages(MARGIT)))
    [shown] = [m for m in sandbox.messages(MARGIT) if m.keyboard()]
    assert shown.keyboard() == KEYBOARD_SV
    assert shown.reply_markup.get("is_persistent") is True
    joined = await margit.send("/join centrum")
    assert "Centrum" in joined.text and joined.keyboard() == KEYBOARD_SV
    assert rows("SELECT count(*) FROM memberships") == [(1,)]


async def test_the_three_buttons_run_their_commands(sandbox: Sandbox, bot, db_path: Path):
    margit = resident(sandbox, db_path)
    await margit.send("Lämna tips")
    assert "Vad gäller det?" in (await margit.wait_text("Vad gäller det?")).text
    await margit.send("/cancel")

    mine = await margit.send("Mina områden")
    assert "Centrum" in mine.text and "/lamna" in mine.text
    assert mine.keyboard() == KEYBOARD_SV

    helped = await margit.send("Hjälp")
    assert "/tipsa" in commands_in(helped.text)

    # In English the English labels, and an older Swedish keyboard still works.
    await margit.send("/language en")
    assert "/tip" in commands_in((await margit.send("Help")).text)
    assert "Areas: Centrum" in (await margit.send("Mina områden")).text


async def test_help_pressed_during_a_tip_leaves_the_tip_where_it_was(
    sandbox: Sandbox, bot, db_path: Path, rows
):
    margit = resident(sandbox, db_path)
    await margit.send("Lämna tips")
    await margit.wait_text("Vad gäller det?")
    await margit.press("Inbrott")
    await margit.wait_text("När hände det?")
    await margit.press("I går")
    await margit.wait_text("Beskriv vad som hände")

    helped = await margit.send("Hjälp")
    assert "/tipsa" in commands_in(helped.text), "help, not the tip's description"
    attach = await margit.send("Någon har brutit upp förrådet på Storgatan 3")
    assert "bild eller en plats" in attach.text, "the tip went on where it was"
    await margit.press("Vidare")
    await margit.wait_text("Hur vill du att vi kontaktar dig?")
    await margit.press("Anonymt")
    await margit.wait_text("Kontrollera ditt tips")
    await margit.press("Skicka tipset")
    await margit.wait_text("Tack!")
    assert rows("SELECT description FROM tips") == [
        ("Någon har brutit upp förrådet på Storgatan 3",)
    ]


async def test_no_keyboard_in_a_group(sandbox: Sandbox, bot, db_path: Path):
    sandbox.group(GROUP, "Grannar i Centrum")
    margit = resident(sandbox, db_path)
    answer = await margit.send("/hjalp", chat_id=GROUP)
    assert "/hjalp" in commands_in(answer.text)
    assert answer.reply_markup is None
    # A button label typed in the group is nobody's command.
    assert not [m for m in sandbox.messages(GROUP) if m.keyboard()]


async def test_commands_typed_with_swedish_letters(sandbox: Sandbox, bot, db_path: Path, rows):
    # Telegram marks no command in "/hjälp": a command is a-z, 0-9 and _ only, and "/hj"
    # followed by a letter is not one. The sandbox does the same.
    assert detect_entities("/hjälp") == []
    margit = resident(sandbox, db_path)
    helped = await margit.send("/hjälp")
    assert "/tipsa" in commands_in(helped.text)
    areas = await margit.send("/Områden")
    assert "Centrum" in areas.text and "Norr" in areas.text
    left = await margit.send("/lämna centrum")
    assert "lämnat Centrum" in left.text
    assert rows("SELECT count(*) FROM memberships") == [(0,)]
    # Something else that starts with a slash is still not a command.
    other = await margit.send("/ärende")
    assert commands_in(other.text) == []


async def test_a_staff_command_typed_with_swedish_letters_is_still_checked(
    sandbox: Sandbox, bot, db_path: Path, rows
):
    margit = resident(sandbox, db_path)
    before = rows("SELECT count(*) FROM audit_log")
    refused = await margit.send("/årea add x Y")
    assert "inte tillgängligt" in refused.text
    assert rows("SELECT count(*) FROM areas WHERE code = 'x'") == [(0,)]
    assert rows("SELECT count(*) FROM audit_log") > before, "the refusal is audited"
