"""A resident signs up by area, end to end over the sandbox."""

from __future__ import annotations

from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from tests.helpers import memberships


async def consent(user) -> None:
    first = await user.send("/start")
    assert "112" in first.text and "114 14" in first.text
    await user.press("Jag godkänner")
    await user.wait_text("Välj ditt område")


async def test_start_shows_emergency_and_privacy_notice_then_consent(sandbox: Sandbox, bot, rows):
    anna = sandbox.user(101, "Anna")
    welcome = await anna.send("/start")
    assert "Hej Anna" in welcome.text
    assert "ring 112" in welcome.text and "114 14" in welcome.text and "polisen.se" in welcome.text
    assert (
        "/mydata" in welcome.text and "/forget" in welcome.text and "Kumla kommun" in welcome.text
    )
    assert rows("SELECT count(*) FROM participants") == [(0,)], "nothing stored before consent"

    await anna.press("Jag godkänner")
    await anna.wait_text("Tack, Anna")
    chooser = await anna.wait_text("Välj ditt område")
    assert {label for label, _ in chooser.buttons()} == {"Centrum", "Norr", "Östra Mark"}
    assert rows("SELECT user_id, first_name, language FROM participants") == [(101, "Anna", "sv")]

    joined = await anna.press("Centrum")
    assert "Välkommen till grannsamverkan Centrum" in joined.text
    assert memberships(rows, 101) == ["centrum"]


async def test_join_by_argument_postcode_and_second_area_then_me(sandbox: Sandbox, bot, rows):
    bertil = sandbox.user(102, "Bertil")
    await consent(bertil)
    reply = await bertil.send("/join norr")
    assert "Norr" in reply.text
    reply = await bertil.send("/join 692 33")
    assert "Östra Mark" in reply.text
    assert memberships(rows, 102) == ["norr", "ostra_mark"]
    again = await bertil.send("/join NORR")
    assert "redan med i Norr" in again.text
    me = await bertil.send("/me")
    assert "Bertil" in me.text and "Norr" in me.text and "Östra Mark" in me.text
    assert "boende" in me.text


async def test_deep_link_joins_after_consent(sandbox: Sandbox, bot, rows):
    cecilia = sandbox.user(103, "Cecilia")
    prompt = await cecilia.send("/start area_centrum")
    assert "112" in prompt.text
    await cecilia.press("Jag godkänner")
    joined = await cecilia.wait_text("Välkommen till grannsamverkan Centrum")
    assert joined is not None
    assert memberships(rows, 103) == ["centrum"]
    # A registered resident following a sign's QR code joins directly.
    await cecilia.send("/start area_norr")
    await cecilia.wait_text("Välkommen till grannsamverkan Norr")
    assert memberships(rows, 103) == ["centrum", "norr"]


async def test_join_before_consent_asks_for_consent_first(sandbox: Sandbox, bot, rows):
    david = sandbox.user(104, "David")
    prompt = await david.send("/join norr")
    assert "112" in prompt.text
    assert rows("SELECT count(*) FROM memberships") == [(0,)]
    await david.press("Jag godkänner")
    await david.wait_text("Välkommen till grannsamverkan Norr")
    assert memberships(rows, 104) == ["norr"]


async def test_leave_one_and_leave_all_with_confirmation(sandbox: Sandbox, bot, rows):
    eva = sandbox.user(105, "Eva")
    await consent(eva)
    for code in ("centrum", "norr", "ostra_mark"):
        await eva.send(f"/join {code}")
    left = await eva.send("/leave norr")
    assert "lämnat Norr" in left.text
    assert memberships(rows, 105) == ["centrum", "ostra_mark"]

    chooser = await eva.send("/leave")
    assert "Lämna alla områden" in [label for label, _ in chooser.buttons()]
    confirm = await eva.press("Lämna alla områden")
    assert "(2)" in confirm.text
    kept = await eva.press("Nej, avbryt")
    assert "kvar" in kept.text
    assert memberships(rows, 105) == ["centrum", "ostra_mark"]

    await eva.send("/leave")
    await eva.press("Lämna alla områden")
    done = await eva.press("Ja, lämna alla")
    assert "lämnat alla områden" in done.text
    assert memberships(rows, 105) == []
    me = await eva.send("/me")
    assert "Områden: inga" in me.text
    nothing = await eva.send("/leave")
    assert "inte med i något område" in nothing.text


async def test_leave_by_button(sandbox: Sandbox, bot, rows):
    frida = sandbox.user(106, "Frida")
    await consent(frida)
    await frida.send("/join centrum")
    await frida.send("/leave")
    left = await frida.press("Centrum")
    assert "lämnat Centrum" in left.text
    assert memberships(rows, 106) == []


async def test_state_survives_restart(sandbox: Sandbox, settings, rows):
    async with Grannbot(settings, poll_timeout=1):
        gustav = sandbox.user(107, "Gustav")
        await consent(gustav)
        await gustav.send("/join centrum")
        await gustav.send("/language en")
    async with Grannbot(settings, poll_timeout=1):
        me = await gustav.send("/me")
        assert "Centrum" in me.text and "Language: English" in me.text
    assert memberships(rows, 107) == ["centrum"]
    # Seeding the configured areas again must not duplicate them.
    assert rows("SELECT count(*) FROM areas") == [(3,)]
