"""`python -m bot demo`: the real bot against the local sandbox, a scripted scenario, and a
readable transcript of the conversation. Needs no token and no network."""

from __future__ import annotations

import html
import logging
import re
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

from bot import clock
from bot.config import AreaSeed, Settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox, SandboxUser
from handlers import jobs

_TAG = re.compile(r"<[^>]+>")

DEMO_AREAS = [
    AreaSeed(code="centrum", name="Centrum", postcodes=["69231", "69232"]),
    AreaSeed(code="ostra_mark", name="Östra Mark", postcodes=["69233"]),
    AreaSeed(code="norr", name="Norr", postcodes=["69234"]),
]


COORDINATOR = 1000
POLICE = 2000
GROUP_CENTRUM = -100


class Transcript:
    """Prints what each person typed and everything the bot sent back, in order."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.names: dict[int, str] = {}
        self.shown: dict[int, dict[int, str]] = {}

    def person(self, user_id: int, name: str, language: str = "sv") -> SandboxUser:
        self.names[user_id] = name
        return self.sandbox.user(user_id, name, language_code=language)

    def group(self, chat_id: int, title: str) -> None:
        self.names[chat_id] = title
        self.sandbox.group(chat_id, title)

    def heading(self, text: str) -> None:
        print(f"\n=== {text} ===")

    async def say(
        self, user: SandboxUser, text: str, *, chat_id: int | None = None, expect: str = ""
    ) -> None:
        where = f" in {self.names[chat_id]}" if chat_id else ""
        print(f"[{user.first_name} → bot{where}] {text}")
        await user.send(text, chat_id=chat_id)
        if expect:
            await user.wait_text(expect, chat_id=chat_id)
        self.flush(chat_id or user.chat_id)

    async def press(self, user: SandboxUser, label: str, *, expect: str = "") -> None:
        print(f"[{user.first_name} presses] «{label}»")
        await user.press(label)
        if expect:
            await user.wait_text(expect)
        self.flush(user.chat_id)

    def flush(self, chat_id: int) -> None:
        shown = self.shown.setdefault(chat_id, {})
        for msg in self.sandbox.messages(chat_id):
            if shown.get(msg.message_id) == msg.text:
                continue
            edited = " (edited)" if msg.message_id in shown else ""
            shown[msg.message_id] = msg.text
            body = html.unescape(_TAG.sub("", msg.text or "")).replace("\n", "\n    ")
            print(f"[bot → {self.names.get(chat_id, chat_id)}]{edited} {body}")
            labels = [label for label, _ in msg.buttons()]
            if labels:
                print("    " + " ".join(f"[{label}]" for label in labels))


async def run_demo(out: Path | None = None) -> int:
    out = out or Path(tempfile.mkdtemp(prefix="grannbot-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    # The transcript is the demo's output; routine log lines would only hide it.
    logging.getLogger().setLevel(logging.WARNING)
    async with Sandbox() as sandbox:
        settings = Settings(
            telegram={"token": sandbox.token, "base_url": sandbox.base_url},
            database={"path": out / "demo.sqlite3"},
            roles={"coordinators": [COORDINATOR]},
            areas=DEMO_AREAS,
        )
        print(f"Grannbot demo — sandbox Bot API at {sandbox.base_url}, database {out}")
        async with Grannbot(settings, poll_timeout=1) as running:
            chat = Transcript(sandbox)
            await signups(chat)
            await police_alert(chat)
            await tips_demo(chat)
            await reminder_and_summary(chat, running, out)
    print(f"\nDemo finished. Files are in {out}")
    return 0


async def signups(chat: Transcript) -> None:
    anna = chat.person(11, "Anna")
    bertil = chat.person(12, "Bertil")
    cecilia = chat.person(13, "Cecilia")
    chat.group(GROUP_CENTRUM, "Grannsamverkan Centrum")

    chat.heading("Anna signs up with buttons")
    await chat.say(anna, "/start")
    await chat.press(anna, "Jag godkänner", expect="Välj ditt område")
    await chat.press(anna, "Centrum", expect="Välkommen till grannsamverkan Centrum")

    chat.heading("Bertil scans the QR code on a sign in Norr (deep link)")
    await chat.say(bertil, "/start area_norr")
    await chat.press(bertil, "Jag godkänner", expect="Välkommen till grannsamverkan Norr")

    chat.heading("Cecilia joins by postcode and switches to English")
    await chat.say(cecilia, "/start")
    await chat.press(cecilia, "Jag godkänner", expect="Välj ditt område")
    await chat.say(cecilia, "/join 692 33")
    await chat.say(cecilia, "/language en")
    await chat.say(cecilia, "/me")

    chat.heading("In the area's group chat, sign-up is sent to the private chat")
    await chat.say(anna, "/join", chat_id=GROUP_CENTRUM)
    await chat.say(anna, "/areas")


async def police_alert(chat: Transcript) -> None:
    kerstin = chat.person(COORDINATOR, "Kerstin (samordnare)")
    officer = chat.person(POLICE, "Polisen Kumla")

    chat.heading("The coordinator creates an area and invites a police officer")
    await chat.say(kerstin, "/area add vaster Västra Kumla")
    await chat.say(kerstin, "/area postcodes vaster 692 35 692 36")
    await chat.say(kerstin, "/invite police")
    code = re.search(r"start=inv_(\S+)", chat.sandbox.messages(COORDINATOR)[-1].text).group(1)
    await chat.say(officer, f"/start inv_{code}")
    await chat.press(officer, "Jag godkänner", expect="Du kan nu skicka")

    chat.heading("The coordinator links the area's group chat")
    await chat.say(kerstin, "/linkgroup centrum", chat_id=GROUP_CENTRUM)

    chat.heading("A police officer alerts Centrum and Norr")
    await chat.say(officer, "/alert centrum,norr Flera bilinbrott i natt på Storgatan – lås bilen")
    await chat.press(officer, "Skicka", expect="har fått meddelandet")
    await chat.sandbox.wait_for(
        lambda: "Klart" in (chat.sandbox.messages(POLICE)[-1].text or ""), timeout=30
    )
    for user_id in (11, 12, GROUP_CENTRUM):
        chat.flush(user_id)
    chat.flush(POLICE)


async def reminder_and_summary(chat: Transcript, running: Grannbot, out: Path) -> None:
    """A reminder goes out, then it is Monday morning and the coordinator gets the weekly
    summary. The demo moves the bot's clock instead of waiting for those moments."""
    kerstin = chat.person(COORDINATOR, "Kerstin (samordnare)")
    tz = running.settings.municipality.tz
    try:
        chat.heading("The coordinator schedules reminders")
        await chat.say(
            kerstin,
            "/remind weekly tis 18:30 centrum Grannsamverkansmöte i Folkets hus ikväll kl 19",
            expect="sparad",
        )
        # Two seconds before the next whole minute, so that a one-off is due at once.
        due = (clock.now() + timedelta(minutes=1)).astimezone(tz).replace(second=0, microsecond=0)
        clock.travel(due - timedelta(seconds=2))
        await chat.say(
            kerstin,
            f"/remind once {due:%Y-%m-%d %H:%M} centrum Lås cykelförrådet i kväll, "
            "det har varit stölder i området",
            expect="sparad",
        )
        await chat.say(kerstin, "/reminders", expect="Schemalagda")

        chat.heading("The one-off reminder goes out to Centrum and its group chat")
        await chat.sandbox.wait_for(
            lambda: all(
                any("Lås cykelförrådet" in (m.text or "") for m in chat.sandbox.messages(c))
                for c in (11, GROUP_CENTRUM)
            ),
            timeout=30,
        )
        for chat_id in (11, GROUP_CENTRUM):
            chat.flush(chat_id)

        chat.heading("Monday 08:00: the coordinator's weekly summary")
        today = clock.now().astimezone(tz).date()
        monday = today + timedelta(days=7 - today.weekday())
        clock.travel(datetime.combine(monday, time(7, 59, 58), tzinfo=tz))
        jobs.register_weekly_summary(running.application.job_queue, running.services, clock.now())
        await chat.sandbox.wait_for(
            lambda: any(m.kind == "photo" for m in chat.sandbox.messages(COORDINATOR)),
            timeout=30,
        )
        await chat.sandbox.settle(0.3)
        chat.flush(COORDINATOR)
        photo = next(m for m in chat.sandbox.messages(COORDINATOR) if m.kind == "photo")
        path = out / "weekly-summary.png"
        path.write_bytes(photo.file_bytes)
        print(f"    (the summary's chart is attached as a photo; saved to {path})")
    finally:
        clock.reset()


async def tips_demo(chat: Transcript) -> None:
    """Two tips, one of them anonymous, and the coordinator handling one."""
    anna = chat.person(11, "Anna")
    bertil = chat.person(12, "Bertil")
    kerstin = chat.person(COORDINATOR, "Kerstin (samordnare)")

    chat.heading("Anna sends a one-line tip")
    await chat.say(anna, "/tip inbrott Två män provar dörrhandtag på Storgatan", expect="Tack!")
    ref = re.search(r"T-\d{4}-\d{6}", anna.last_text()).group(0)

    chat.heading("Bertil is guided through an anonymous tip")
    await chat.say(bertil, "/tip", expect="Vad gäller det?")
    await chat.press(bertil, "Misstänkt aktivitet", expect="När hände det?")
    await chat.press(bertil, "Tidigare i dag", expect="Beskriv vad som hände")
    await chat.say(
        bertil,
        "En bil har kört långsamt fram och tillbaka på Norrgatan i en timme",
        expect="bild eller en plats",
    )
    await chat.press(bertil, "Vidare", expect="kontaktar dig")
    await chat.press(bertil, "Anonymt", expect="Kontrollera ditt tips")
    await chat.press(bertil, "Skicka tipset", expect="Tack!")

    chat.heading("The coordinator gets both tips and marks Anna's as reviewed")
    await chat.sandbox.wait_for(
        lambda: sum("Nytt tips" in (m.text or "") for m in chat.sandbox.messages(COORDINATOR)) == 2,
        timeout=30,
    )
    chat.flush(COORDINATOR)
    await chat.say(kerstin, f"/tipset {ref} reviewed Polisen är informerad", expect="status")
    await anna.wait_text("Tack för ditt tips")
    chat.flush(anna.chat_id)
