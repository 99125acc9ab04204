"""Inline keyboards stay within Telegram's limits (8 buttons a row, 100 a keyboard, callback
data 1-64 bytes), and lists of areas page: first every keyboard builder on its own, then a
municipality of 60 areas end to end over the sandbox."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import auditlog, tips
from bot.config import Settings, load_settings
from bot.sandbox import Sandbox, SandboxUser
from bot.sandbox.objects import Msg
from bot.texts import LANGUAGES
from handlers import admin, alerts, callbacks, common, keyboards, privacy, tip_flow
from handlers.common import Caller
from storage.areas import Area
from storage.tips import Tip
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import memberships, seed_residents, until

ROOT = Path(__file__).resolve().parents[1]
LONGEST_CODE = 32  # what the configuration and /area add allow


def some_areas(count: int) -> list[Area]:
    """Areas with the longest codes allowed and long names."""
    return [
        Area(i, f"a{i:04d}".ljust(LONGEST_CODE, "x"), f"Område med långt namn {i:04d}")
        for i in range(1, count + 1)
    ]


def within_limits(markup: InlineKeyboardMarkup | dict | str | None) -> None:
    assert keyboards.limit_problems(markup) == []


def data_of(markup: InlineKeyboardMarkup) -> list[str]:
    return [b.callback_data for row in markup.inline_keyboard for b in row if b.callback_data]


# ------------------------------------------------------------------ the check itself


def test_the_limit_check_finds_what_telegram_refuses():
    button = InlineKeyboardButton("x", callback_data="x")
    assert keyboards.limit_problems(InlineKeyboardMarkup([[button] * 8] * 12)) == []
    nine = keyboards.limit_problems(InlineKeyboardMarkup([[button] * 9]))
    assert nine == ["row 1 has 9 buttons (at most 8)"]
    too_many = keyboards.limit_problems(InlineKeyboardMarkup([[button] * 7] * 15))
    assert too_many == ["105 buttons (at most 100)"]
    # 64 bytes is the limit in bytes, not characters: 33 "å" are 66 bytes.
    long = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("a", callback_data="x" * 64)],
            [InlineKeyboardButton("b", callback_data="å" * 33)],
        ]
    )
    assert keyboards.limit_problems(long) == [f"callback data {'å' * 33!r} is 66 bytes (1-64)"]
    empty = {"inline_keyboard": [[{"text": "c", "callback_data": ""}]]}
    assert keyboards.limit_problems(empty) == ["callback data '' is 0 bytes (1-64)"]
    # As the bot sends it: the JSON object or its text; URL buttons carry no callback data.
    sent = {"inline_keyboard": [[{"text": "d", "url": "https://t.me/x"}] * 9]}
    assert keyboards.limit_problems(json.dumps(sent)) == ["row 1 has 9 buttons (at most 8)"]
    assert keyboards.limit_problems({"remove_keyboard": True}) == []
    assert keyboards.limit_problems(None) == []


# ------------------------------------------------------------------ every builder


def picker_pages(build) -> list[keyboards.Picker]:
    """Every page of a picker, from page 1 on, following its own forward buttons."""
    pages = [build(1)]
    while True:
        forward = [d for d in data_of(pages[-1].markup) if d.endswith(f":{len(pages) + 1}")]
        if not forward:
            return pages
        pages.append(build(keyboards.page_number(forward[0])))


@pytest.mark.parametrize("count", [0, 1, 10, 11, 60, 250])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_area_pickers_page_and_show_every_area_once(count, lang):
    areas = some_areas(count)
    codes = [a.code for a in areas]
    draft = tips.Draft(areas=areas)
    caller = Caller(1, "Anna", None, lang)
    pickers = {
        "join:": lambda page: keyboards.area_choice(lang, areas, page),
        "leave:": lambda page: keyboards.leave_choice(lang, areas, page),
        "alert:toggle:": lambda page: alerts._chooser(lang, areas, areas[:3], page),
        "tip:area:": lambda page: tip_flow._area_chooser(caller, draft, page),
        "arearmpick:": lambda page: admin._remove_chooser(lang, areas, page),
    }
    expected_pages = keyboards.page_count(count)
    assert expected_pages == max(1, -(-count // 10))
    for item_prefix, build in pickers.items():
        pages = picker_pages(build)
        assert len(pages) == expected_pages, item_prefix
        shown: list[str] = []
        for number, page in enumerate(pages, 1):
            within_limits(page.markup)
            items = [d for d in data_of(page.markup) if d.startswith(item_prefix)]
            assert len(items) <= keyboards.PAGE_SIZE
            assert all(len(row) <= 2 for row in page.markup.inline_keyboard)
            shown += [d.removeprefix(item_prefix) for d in items]
            said = {"sv": "Sida {} av {}", "en": "Page {} of {}"}[lang]
            assert (said.format(number, expected_pages) in page.text) == (expected_pages > 1)
            labels = [b.text for row in page.markup.inline_keyboard for b in row]
            turns = "".join(label for label in labels if "◀" in label or "▶" in label)
            assert ("◀" in turns) == (number > 1)
            assert ("▶" in turns) == (number < expected_pages)
        assert shown == codes, item_prefix
        # A page that no longer exists (areas were removed meanwhile) shows the last one.
        assert build(expected_pages + 5) == build(expected_pages)
        assert build(0) == build(1)


def test_the_alert_chooser_keeps_its_own_buttons_and_ticks_on_every_page():
    areas = some_areas(25)
    chosen = [areas[0], areas[24]]
    for page in (1, 2, 3):
        chooser = alerts._chooser("sv", areas, chosen, page)
        data = data_of(chooser.markup)
        assert f"alert:all:{page}" in data and "alert:next" in data and "alert:cancel" in data
    labels = [
        b.text
        for row in alerts._chooser("sv", areas, chosen, 3).markup.inline_keyboard
        for b in row
    ]
    assert f"✅ {areas[24].name}" in labels


def test_page_numbers_from_callback_data():
    assert keyboards.page_number("joinpage:3") == 3
    assert keyboards.page_number("alert:page:12") == 12
    for forged in ("joinpage:", "joinpage:x", "joinpage:-1", "joinpage:²", "joinpage:99999"):
        assert keyboards.page_number(forged) == 1


class _Chat:
    """Stands in for the chat a flow step replies to: keeps what the step would send."""

    type = "private"

    def __init__(self) -> None:
        self.markups: list = []

    async def send_message(self, text: str, **kwargs) -> None:
        self.markups.append(kwargs.get("reply_markup"))


async def tip_step_markups(lang: str) -> list:
    chat = _Chat()
    update = SimpleNamespace(effective_chat=chat)
    settings = SimpleNamespace(municipality=SimpleNamespace(tz=ZoneInfo("Europe/Stockholm")))
    context = SimpleNamespace(
        application=SimpleNamespace(bot_data={"services": SimpleNamespace(settings=settings)})
    )
    caller = Caller(1, "Anna", None, lang)
    draft = tips.Draft(areas=some_areas(60), category="theft", contact="anonymous")
    for step in range(tip_flow.CONFIRM + 1):
        await tip_flow._show(update, context, caller, draft, step)
    return chat.markups


async def private_only_redirect(lang: str) -> InlineKeyboardMarkup:
    sent: list = []

    async def reply_text(text: str, **kwargs) -> None:
        sent.append(kwargs["reply_markup"])

    async def handler(update, context) -> None:
        raise AssertionError("a group message must not reach a private handler")

    settings = SimpleNamespace(municipality=SimpleNamespace(language=lang))
    update = SimpleNamespace(
        effective_chat=SimpleNamespace(type="group"),
        callback_query=None,
        effective_message=SimpleNamespace(reply_text=reply_text),
    )
    context = SimpleNamespace(
        bot=SimpleNamespace(link="https://t.me/grannbot_sandbox_bot"),
        application=SimpleNamespace(bot_data={"services": SimpleNamespace(settings=settings)}),
    )
    await common.private_only(handler)(update, context)
    return sent[0]


def keyboard_builders() -> set[str]:
    """Every function of the bot (outside the sandbox) that builds an inline keyboard."""
    found = set()
    for path in [*ROOT.joinpath("handlers").glob("*.py"), *ROOT.joinpath("bot").glob("*.py")]:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id == "InlineKeyboardMarkup"
                ):
                    found.add(f"{module}.{node.name}")
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_every_keyboard_builder_stays_within_the_limits(lang):
    tip = Tip(
        2**40, "T-2026-000001", "theft", 1, "a", "A", None, "x", 1, "telegram", None, None, None,
        "new", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
    )  # fmt: skip
    longest = "x" * LONGEST_CODE
    built = {
        "handlers.keyboards.consent_then": [
            keyboards.consent(lang),
            keyboards.consent(lang, longest),
            keyboards.consent_then(lang, f"consentinv:{'x' * 40}"),
        ],
        # the consent with the offer of the other language above it, for a sign's longest code
        "handlers.keyboards.consent": [
            keyboards.consent(lang, longest, offer=other) for other in LANGUAGES if other != lang
        ],
        "handlers.keyboards.leave_all_confirm": [keyboards.leave_all_confirm(lang)],
        # the pager: every area picker above, on every page
        "handlers.keyboards.picker": [keyboards.area_choice(lang, some_areas(250), 25).markup],
        "handlers.alerts._preview_markup": [alerts._preview_markup(lang)],
        "handlers.alerts._suggestion_markup": [
            alerts._suggestion_markup(lang, ", ".join(a.name for a in some_areas(3)))
        ],
        "handlers.tip_flow._offer_markup": [tip_flow._offer_markup(Caller(1, "A", None, lang))],
        "handlers.admin._remove_confirm_markup": [
            admin._remove_confirm_markup(lang, some_areas(1)[0])
        ],
        "handlers.privacy.forget_confirm": [privacy.forget_confirm(lang)],
        "handlers.tip_flow._show": await tip_step_markups(lang),
        "handlers.tip_flow._attach_markup": [tip_flow._attach_markup(Caller(1, "A", None, lang))],
        "handlers.common.private_only": [await private_only_redirect(lang)],
        # the largest entry ids SQLite can hand out, on a page in the middle of the log
        "handlers.keyboards.audit_pager": [
            keyboards.audit_pager(
                lang,
                auditlog.Page(
                    "",
                    auditlog.View(2**63 - 1, after=2**63 - 1),
                    auditlog.View(2**63 - 1, before=2**63 - 1),
                ),
            )
        ],
        "handlers.keyboards.status_buttons": [
            keyboards.status_buttons(lang, dataclasses.replace(tip, status=status))
            for status in tips.STATUSES
        ],
    }
    # A new keyboard somewhere in the bot must be added here, so that it is checked too.
    assert set(built) == keyboard_builders()
    for name, markups in built.items():
        assert markups, name
        for markup in markups:
            if isinstance(markup, InlineKeyboardMarkup):
                assert keyboards.limit_problems(markup) == [], name
    assert len(built["handlers.tip_flow._show"]) == tip_flow.CONFIRM + 1


# ------------------------------------------------------------------ 60 areas end to end

EXTRA_AREAS = 57  # with the three of the test configuration: 60, six pages


def extra_code(i: int) -> str:
    return f"omrade_{i:02d}".ljust(LONGEST_CODE, "x")


@pytest.fixture
def config_file(config_file: Path) -> Path:
    """The test configuration with 57 more areas, their codes as long as allowed."""
    extra = "".join(
        f'\n[[areas]]\ncode = "{extra_code(i)}"\nname = "Område {i:02d}"\n'
        for i in range(1, EXTRA_AREAS + 1)
    )
    config_file.write_text(config_file.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return config_file


@pytest.fixture(name="settings")
def flood_guard_off(config_file: Path) -> Settings:
    """The test presses through six pages of areas far faster than a person would; the flood
    guard (tested on its own) would drop those presses."""
    return load_settings(config_file, telegram={"flood_burst": 0})


def all_codes(rows) -> list[str]:
    return [code for (code,) in rows("SELECT code FROM areas ORDER BY code")]


def current(sandbox: Sandbox, message: Msg) -> Msg:
    """The message as it looks now, after the bot's edits."""
    return next(m for m in sandbox.messages(message.chat_id) if m.message_id == message.message_id)


def data_with(message: Msg, prefix: str) -> list[str]:
    return [data for _, data in message.buttons() if data and data.startswith(prefix)]


def turn_button(message: Msg, arrow: str) -> str | None:
    found = [data for label, data in message.buttons() if arrow in label]
    return found[0] if found else None


async def turn_to(user: SandboxUser, picker: Msg, page: int, pages: int) -> Msg:
    """Press ▶ or ◀ until the picker shows ``page``; every turn edits the same message."""
    shown = current(user.sandbox, picker)
    while f"Sida {page} av {pages}" not in shown.text:
        arrow = "▶" if _page_shown(shown) < page else "◀"
        turned = await user.press(turn_button(shown, arrow))
        assert turned is not None and turned.edited and turned.message_id == picker.message_id
        shown = current(user.sandbox, picker)
    return shown


def _page_shown(message: Msg) -> int:
    return int(message.text.rsplit("Sida ", 1)[1].split(" av ")[0])


def keyboards_sent_within_limits(sandbox: Sandbox) -> int:
    """Every keyboard the bot sent or edited in is within Telegram's limits, and Telegram
    (the sandbox) refused no message or edit, e.g. no edit into the same content. Returns how many
    keyboards were checked."""
    checked = 0
    for call in sandbox.calls:
        markup = call.params.get("reply_markup")
        if markup:
            assert keyboards.limit_problems(markup) == [], call.method
            checked += 1
    refused = [
        c.description
        for c in sandbox.calls
        if c.status == 400 and c.method.startswith(("send", "edit"))
    ]
    assert refused == []
    return checked


async def test_each_of_sixty_areas_can_be_joined_through_the_pages(sandbox: Sandbox, bot, rows):
    anna = sandbox.user(601, "Anna")
    await anna.send("/start")
    await anna.press("Jag godkänner")
    picker = await anna.wait_text("Välj ditt område")
    assert "Sida 1 av 6" in picker.text
    assert turn_button(picker, "◀") is None
    for page in range(1, 7):
        shown = await turn_to(anna, picker, page, 6)
        codes = data_with(shown, f"{callbacks.Join.prefix}:")
        assert 1 <= len(codes) <= 10
        for data in codes:
            joined = await anna.press(data)
            assert "Välkommen till grannsamverkan" in joined.text
    assert turn_button(current(sandbox, picker), "▶") is None
    assert memberships(rows, 601) == all_codes(rows)
    assert len(all_codes(rows)) == 60
    # Back to the first page, one page at a time.
    assert "Sida 1 av 6" in (await turn_to(anna, picker, 1, 6)).text
    assert keyboards_sent_within_limits(sandbox) >= 1 + 5 + 5


async def test_a_repeated_page_press_changes_nothing(sandbox: Sandbox, bot, rows):
    """A double tap on ▶ arrives as two presses of the same button: the second one asks for
    the page already shown, which must not become an edit Telegram refuses."""
    anna = sandbox.user(602, "Anna")
    await anna.send("/start")
    await anna.press("Jag godkänner")
    picker = await anna.wait_text("Välj ditt område")
    await turn_to(anna, picker, 2, 6)
    mark = len(sandbox.calls)
    again = sandbox.inject_callback(602, 602, picker.message_id, callbacks.JoinPage(2).pack())
    await sandbox.wait_for(lambda: again in sandbox.callback_answers)
    await sandbox.settle(0.2)
    assert [c.method for c in sandbox.calls[mark:] if c.method.startswith("edit")] == []
    assert "Sida 2 av 6" in current(sandbox, picker).text
    keyboards_sent_within_limits(sandbox)


async def test_leave_picker_pages_with_leave_all_on_every_page(
    sandbox: Sandbox, bot, db_path, rows
):
    codes = all_codes(rows)
    seed_residents(sandbox, db_path, [603], codes)
    bertil = sandbox.user(603, "Boende 603")
    picker = await bertil.send("/leave")
    assert "Vilket område vill du lämna?" in picker.text and "Sida 1 av 6" in picker.text
    for page in range(1, 7):
        shown = await turn_to(bertil, picker, page, 6)
        assert data_with(shown, callbacks.LeaveAll.prefix) == [callbacks.LeaveAll().pack()]
    last = data_with(current(sandbox, picker), f"{callbacks.Leave.prefix}:")[-1]
    left = await bertil.press(last)
    assert left.text == "Du har lämnat Östra Mark."
    gone = last.partition(":")[2]
    assert gone == "ostra_mark"
    assert memberships(rows, 603) == [c for c in codes if c != gone]
    keyboards_sent_within_limits(sandbox)


async def test_alert_to_areas_on_the_first_and_the_last_page(sandbox: Sandbox, bot, db_path, rows):
    last_code = extra_code(EXTRA_AREAS)  # "Område 57": on the last page
    seed_residents(sandbox, db_path, [611], ["centrum"])
    seed_residents(sandbox, db_path, [612], [last_code])
    seed_residents(sandbox, db_path, [613], ["norr"])  # on page 1, not chosen
    officer = sandbox.user(POLICE_ID, "Polis")
    chooser = await officer.send("/alert")
    assert "Välj vilka områden" in chooser.text and "Sida 1 av 6" in chooser.text
    ticked = await officer.press("alert:toggle:centrum")
    assert "✅ Centrum" in [label for label, _ in ticked.buttons()]
    shown = await turn_to(officer, chooser, 6, 6)
    assert not any(label.startswith("✅") for label, _ in shown.buttons())
    ticked = await officer.press(f"alert:toggle:{last_code}")
    assert ticked.message_id == chooser.message_id
    assert "Sida 6 av 6" in ticked.text and "✅ Område 57" in [lb for lb, _ in ticked.buttons()]
    # Paging back keeps the choice made on page 1.
    shown = await turn_to(officer, chooser, 1, 6)
    assert "✅ Centrum" in [label for label, _ in shown.buttons()]
    assert "✅ Norr" not in [label for label, _ in shown.buttons()]
    await officer.press("Nästa")
    await officer.wait_text("Skriv meddelandet till Centrum, Område 57")
    preview = await officer.send("Inbrott i förråd, håll utkik")
    assert "Går till 2 personer i Centrum och Område 57." in preview.text
    await officer.press("Skicka")
    await sandbox.wait_for(
        lambda: all(
            any("Inbrott i förråd" in (m.text or "") for m in sandbox.messages(uid))
            for uid in (611, 612)
        ),
        timeout=10,
    )
    assert sorted(c for (c,) in rows("SELECT chat_id FROM deliveries")) == [611, 612]
    assert not any("Inbrott i förråd" in (m.text or "") for m in sandbox.messages(613))
    keyboards_sent_within_limits(sandbox)


async def test_tip_area_on_the_last_page(sandbox: Sandbox, bot, db_path, rows):
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")
    seed_residents(sandbox, db_path, [621], all_codes(rows))
    user = sandbox.user(621, "Boende 621")
    await user.send("/tip")
    await user.wait_text("Vad gäller det?")
    await user.press("Inbrott")
    picker = await user.wait_text("Vilket område gäller det?")
    assert "Sida 1 av 6" in picker.text
    assert data_with(picker, "tip:back") and data_with(picker, "tip:cancel")
    shown = await turn_to(user, picker, 6, 6)
    assert data_with(shown, "tip:back") and data_with(shown, "tip:cancel")
    await user.press(f"tip:area:{extra_code(EXTRA_AREAS)}")
    await user.wait_text("När hände det?")
    await user.press("Pågår nu")
    await user.press("Fortsätt ändå")
    await user.wait_text("Beskriv vad som hände")
    await user.send("Någon bär ut saker ur ett förråd")
    await user.wait_text("bild eller en plats")
    await user.press("Vidare")
    await user.wait_text("Hur vill du att vi kontaktar dig?")
    await user.press("Anonymt")
    summary = await user.wait_text("Kontrollera ditt tips")
    assert "Område 57" in summary.text
    await user.press("Skicka tipset")
    await until(lambda: rows("SELECT count(*) FROM tips") == [(1,)])
    assert rows("SELECT (SELECT code FROM areas WHERE id = area_id) FROM tips") == [
        (extra_code(EXTRA_AREAS),)
    ]
    keyboards_sent_within_limits(sandbox)


async def test_area_remove_picker_pages(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [631], ["ostra_mark"])
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    picker = await coordinator.send("/area remove")
    assert "Vilket område vill du ta bort?" in picker.text and "Sida 1 av 6" in picker.text
    shown = await turn_to(coordinator, picker, 6, 6)
    assert "arearmpick:ostra_mark" in data_with(shown, "arearmpick")
    confirm = await coordinator.press("arearmpick:ostra_mark")
    assert "1 boende i " in confirm.text
    done = await coordinator.press("Ja, ta bort")
    assert "1 boende har fått besked" in done.text
    assert rows("SELECT count(*) FROM areas WHERE code = 'ostra_mark'") == [(0,)]
    # A tap in the list asks first, even for an area nobody joined.
    await coordinator.send("/area remove")
    ask = await coordinator.press("arearmpick:norr")
    assert "0 boende i " in ask.text and "Ta bort området?" in ask.text
    assert len(all_codes(rows)) == 59
    kept = await coordinator.press("Nej, behåll")
    assert "kvar" in kept.text
    assert len(all_codes(rows)) == 59
    keyboards_sent_within_limits(sandbox)
