"""Bad input gets a clear answer (or deliberate silence), changes nothing, and never breaks
the bot."""

from __future__ import annotations

from bot.sandbox import Sandbox

GROUP = -555


async def registered(sandbox: Sandbox, user_id: int, name: str):
    user = sandbox.user(user_id, name)
    await user.send("/start")
    await user.press("Jag godkänner")
    await user.wait_text("Välj ditt område")
    return user


def snapshot(rows) -> list:
    return [
        rows("SELECT * FROM participants ORDER BY user_id"),
        rows("SELECT * FROM memberships ORDER BY user_id, area_id"),
        rows("SELECT * FROM areas ORDER BY id"),
        rows("SELECT * FROM area_postcodes ORDER BY postcode"),
    ]


async def test_join_in_a_group_answers_with_private_link_and_stores_nothing(
    sandbox: Sandbox, bot, rows
):
    sandbox.group(GROUP, "Grannsamverkan Centrum")
    karin = sandbox.user(301, "Karin")
    for command in ("/join centrum", "/start", "/join@grannbot_sandbox_bot norr"):
        answer = await karin.send(command, chat_id=GROUP)
        assert "privat chatt" in answer.text
        [(_label, url)] = answer.buttons()
        assert url.startswith("https://t.me/grannbot_sandbox_bot?start=")
    assert rows("SELECT count(*) FROM participants") == [(0,)]
    assert rows("SELECT count(*) FROM memberships") == [(0,)]
    assert karin.texts() == [], "nothing was sent to the private chat"


async def test_unknown_area_and_malformed_postcode(sandbox: Sandbox, bot, rows):
    lars = await registered(sandbox, 302, "Lars")
    await lars.send("/join centrum")
    before = snapshot(rows)
    assert "inget område som heter så" in (await lars.send("/join atlantis")).text
    assert "fem siffror" in (await lars.send("/join 692 3")).text
    assert "postnumret 12345" in (await lars.send("/join 123 45")).text
    assert "inget område som heter så" in (await lars.send("/leave atlantis")).text
    assert snapshot(rows) == before


async def test_oversize_unicode_and_sql_like_arguments(sandbox: Sandbox, bot, rows):
    maria = await registered(sandbox, 303, "Maria")
    before = snapshot(rows)
    huge = await maria.send("/join " + "x" * 5000)
    assert "inget område" in huge.text
    assert len(huge.text) < 200, "the answer does not echo the oversize input"
    for nasty in ("centrum'; DROP TABLE areas; --", "<b>centrum</b>"):
        answer = await maria.send(f"/join {nasty}")
        assert "inget område" in answer.text
    assert snapshot(rows) == before
    assert rows("SELECT count(*) FROM areas") == [(3,)]
    # Emoji and a direction mark are not part of a name: what is left is an area's name.
    assert "Östra Mark" in (await maria.send("/join 🏠🚓 Östra")).text
    assert "Centrum" in (await maria.send("/join \u202ecentrum")).text


async def test_edited_and_textless_messages_and_unknown_updates_are_ignored(
    sandbox: Sandbox, bot, rows
):
    nils = await registered(sandbox, 304, "Nils")
    first = await nils.send("/join centrum")
    before = snapshot(rows)
    count = len(nils.texts())
    # An edit that turns an old message into a command must not run it.
    sandbox.inject_message(304, 304, "/leave centrum", edited_message_id=first.message_id)
    sandbox.inject_message(304, 304, photo=True)
    sandbox.inject_update({"poll": {"id": "1", "question": "?", "options": []}})
    sandbox.inject_update({"message": {"text": "missing chat and date"}})
    sandbox.inject_update({"my_chat_member": {"garbage": True}})
    # The bot handles updates in order, so the answer to /help proves the others were seen.
    help_answer = await nils.send("/help")
    assert "/join" in help_answer.text
    assert len(nils.texts()) == count + 1
    assert snapshot(rows) == before


async def test_free_text_and_unknown_command_in_private(sandbox: Sandbox, bot, rows):
    olle = sandbox.user(305, "Olle")
    assert "/start" in (await olle.send("hej hej")).text
    assert "finns inte" in (await olle.send("/nonsense with args")).text
    assert rows("SELECT count(*) FROM participants") == [(0,)]


async def test_unknown_command_in_a_group_is_left_alone(sandbox: Sandbox, bot):
    sandbox.group(GROUP, "Grannsamverkan Centrum")
    petra = sandbox.user(306, "Petra")
    sandbox.inject_message(306, GROUP, "/othercommand")
    answer = await petra.send("/help", chat_id=GROUP)
    assert "/join" in answer.text
    assert [m.text for m in sandbox.messages(GROUP)] == [answer.text]


async def test_forged_button_data_gets_a_short_answer(sandbox: Sandbox, bot, rows):
    rut = await registered(sandbox, 307, "Rut")
    chooser = sandbox.messages(307)[-1]
    before = snapshot(rows)
    query_id = sandbox.inject_callback(
        307, 307, chooser.message_id, "delete_everything", check=False
    )
    await sandbox.wait_for(lambda: query_id in sandbox.callback_answers)
    assert "gäller inte längre" in sandbox.callback_answers[query_id]["text"]
    forged_join = sandbox.inject_callback(
        307, 307, chooser.message_id, "join:atlantis", check=False
    )
    await sandbox.wait_for(lambda: forged_join in sandbox.callback_answers)
    await rut.wait_text("inget område")
    assert snapshot(rows) == before
