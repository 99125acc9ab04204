"""The coordinator's administration: areas, invites, roles, bans, the audit log, QR codes.

Every change here is written together with its audit row, in one transaction."""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

import qrcode
from PIL import Image, ImageDraw, ImageFont

from bot import clock, notices, signup
from bot.area_codes import AREA_CODE_MAX, is_area_code, normalise_postcode
from bot.guessing import GuessLimit
from bot.message import Message
from bot.services import Services
from bot.signup import Consent
from storage import areas as area_rows
from storage import audit, events, invites
from storage import bans as ban_rows
from storage import deliveries as outbox_rows
from storage import roles as role_rows
from storage.areas import Area
from storage.db import Database

log = logging.getLogger(__name__)

INVITE_LIFETIME = timedelta(hours=72)
AREA_NAME_MAX = 64
# The text a banned user gets wherever they try to sign up or take a role.
BANNED = "error_banned"


@dataclass(frozen=True, slots=True)
class Outcome(Message):
    """What happened, as a text key for the reply with the values it needs, and whether the
    action was done."""

    @property
    def ok(self) -> bool:
        return not self.key.startswith("error_")


def _done(key: str, **values: object) -> Outcome:
    return Outcome(key, values)


# -- invites ------------------------------------------------------------------------------


def hash_code(code: str) -> str:
    """Invite codes are kept only as hashes: a leaked database holds no usable code."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


async def issue_invite(db: Database, actor_id: int, role: str, area: Area | None) -> str:
    """A random single-use code, valid for 72 hours."""
    code = secrets.token_urlsafe(12)
    expires = clock.stamp(clock.now() + INVITE_LIFETIME)
    async with db.transaction() as tx:
        await invites.insert(
            tx, hash_code(code), role, area.id if area else None, actor_id, expires
        )
        await audit.record(tx, actor_id, "invite", target=f"{role}:{area.code}" if area else role)
    return code


async def redeem(
    services: Services,
    user_id: int,
    first_name: str,
    code: str,
    guesses: GuessLimit,
    *,
    consent: Consent | None = None,
) -> Outcome:
    """Grant the invite's role; a used, expired or unknown code is refused (and audited).
    The coordinator who made the invite is told through the outbox who now holds the role
    (with the user id that /revoke takes, should it be the wrong person). ``consent``, when
    the redeemer just gave it, is stored in the same transaction.

    Every refusal is a miss in ``guesses``; once they are used up, no code is looked up
    until the pause is over (the refusal is still audited, and consent still stored)."""
    db = services.db
    if guesses.wait_seconds(user_id) > 0:
        async with db.transaction() as tx:
            if await ban_rows.is_banned(tx, user_id):
                await audit.record(tx, user_id, "redeem", outcome="refused", detail="banned")
                return _done(BANNED)
            if consent is not None:
                await signup.record_consent(tx, user_id, consent)
            await audit.record(tx, user_id, "redeem", outcome="refused", detail="too_many_tries")
        return _done("error_too_many_tries", minutes=guesses.wait_minutes(user_id))
    invite = await invites.by_hash(db, hash_code(code)) if code.strip() else None
    problem = None
    if invite is None:
        problem = "error_invite_unknown"
    elif invite.used_at is not None:
        problem = "error_invite_used"
    elif invite.expires_at <= clock.stamp():
        problem = "error_invite_expired"
    area = None
    if invite is not None and invite.area_id is not None:
        found = await area_rows.areas_by_ids(db, [invite.area_id])
        area = found[0] if found else None
    told = False
    async with db.transaction() as tx:
        # Checked here as well as before: a ban made a moment ago must not let the invite
        # be used up, nor the consent be stored.
        if await ban_rows.is_banned(tx, user_id):
            await audit.record(tx, user_id, "redeem", outcome="refused", detail="banned")
            return _done(BANNED)
        if consent is not None:
            await signup.record_consent(tx, user_id, consent)
        if problem is None and not await invites.mark_used(tx, invite.id):
            problem = "error_invite_used"
        if problem is not None:
            await audit.record(tx, user_id, "redeem", outcome="refused", detail=problem)
            if guesses.miss(user_id):
                log.info("redeem: a user used up their misses and is paused")
            return _done(problem)
        await role_rows.grant(tx, user_id, invite.role, invite.area_id, None)
        await audit.record(tx, user_id, "redeem", target=invite.role)
        if invite.created_by is not None and invite.created_by != user_id:
            await notices.queue(
                tx,
                notices.Notice(
                    invite.created_by,
                    f"invite_used_notice_{invite.role}",
                    {"name": first_name, "user_id": user_id, "area": area.name if area else ""},
                    about_id=user_id,
                ),
            )
            told = True
    if told:
        notices.wake(services)
    if invite.role == "contact":
        return _done("invite_redeemed_contact", area=area.name if area else "")
    return _done("invite_redeemed_police")


# -- areas --------------------------------------------------------------------------------


async def add_area(db: Database, actor_id: int, code: str, name: str) -> Outcome:
    code, name = code.lower(), name.strip()
    if not is_area_code(code):
        return _done("error_area_code", limit=AREA_CODE_MAX)
    if not name or len(name) > AREA_NAME_MAX:
        return _done("error_area_name", limit=AREA_NAME_MAX)
    if await area_rows.area_by_code(db, code):
        return _done("error_area_exists", code=code)
    async with db.transaction() as tx:
        await area_rows.insert_area(tx, code, name)
        await audit.record(tx, actor_id, "area_add", target=code)
    return _done("area_added", name=name, code=code)


async def rename_area(db: Database, actor_id: int, area: Area, name: str) -> Outcome:
    name = name.strip()
    if not name or len(name) > AREA_NAME_MAX:
        return _done("error_area_name", limit=AREA_NAME_MAX)
    async with db.transaction() as tx:
        await area_rows.rename_area(tx, area.id, name)
        await audit.record(tx, actor_id, "area_rename", target=area.code, detail=name)
    return _done("area_renamed", old=area.name, name=name)


async def set_postcodes(db: Database, actor_id: int, area: Area, typed: list[str]) -> Outcome:
    postcodes = []
    for text in typed:
        postcode = normalise_postcode(text)
        if postcode is None:
            return _done("error_postcode", postcode=text[:12])
        postcodes.append(postcode)
    owners = await area_rows.postcode_owners(db, postcodes)
    taken = [p for p, code in owners.items() if code != area.code]
    if taken:
        return _done("error_postcode_taken", postcode=taken[0], code=owners[taken[0]])
    async with db.transaction() as tx:
        await area_rows.replace_postcodes(tx, area.id, sorted(set(postcodes)))
        await audit.record(
            tx, actor_id, "area_postcodes", target=area.code, detail=" ".join(postcodes)
        )
    return _done(
        "area_postcodes_set", name=area.name, postcodes=" ".join(sorted(set(postcodes))) or "–"
    )


async def remove_area(services: Services, actor_id: int, area: Area) -> int:
    """Remove the area; its members are told through the outbox, in their own language.
    Everything — the notice's outbox rows, the removal, the events — is one transaction.
    Returns how many members lost the area."""
    db = services.db
    async with db.transaction() as tx:
        members = await area_rows.member_ids(tx, area.id)
        if members:
            alert_id = await outbox_rows.insert_alert(
                tx,
                kind="municipality",
                sender_id=actor_id,
                area_ids=[area.id],
                area_names=area.name,
                text="",
                text_key="area_removed_notice",
            )
            await outbox_rows.enqueue_recipients(
                tx, alert_id, [area.id], services.settings.municipality.language
            )
            await events.record(tx, "leave", clock.today(), [area.id] * len(members))
        await area_rows.delete_area(tx, area.id)
        await audit.record(
            tx, actor_id, "area_remove", target=area.code, detail=f"{len(members)} members"
        )
    if members and services.outbox is not None:
        services.outbox.wake()
    return len(members)


async def member_count(db: Database, area: Area) -> int:
    return len(await area_rows.member_ids(db, area.id))


async def member_names(db: Database, area: Area) -> list[str]:
    return await area_rows.member_names(db, area.id)


# -- roles and bans -----------------------------------------------------------------------


async def revoke(services: Services, actor_id: int, user_id: int) -> int:
    """Take every granted role from the user; they are told through the outbox, in the same
    transaction, so that nobody loses a role without hearing of it."""
    async with services.db.transaction() as tx:
        removed = await role_rows.revoke_all(tx, user_id)
        await audit.record(tx, actor_id, "revoke", target=str(user_id), detail=f"{removed} roles")
        if removed:
            await notices.queue(tx, notices.Notice(user_id, "role_revoked_notice"))
    if removed:
        notices.wake(services)
    return removed


async def ban(db: Database, actor_id: int, user_id: int, reason: str | None) -> None:
    """Anyone can be banned by user id, also someone who never registered."""
    async with db.transaction() as tx:
        await ban_rows.ban(tx, user_id, reason)
        await audit.record(tx, actor_id, "ban", target=str(user_id), detail=reason)


async def unban(db: Database, actor_id: int, user_id: int) -> bool:
    async with db.transaction() as tx:
        lifted = await ban_rows.unban(tx, user_id)
        if lifted:
            await audit.record(tx, actor_id, "unban", target=str(user_id))
    return lifted


# -- QR codes -----------------------------------------------------------------------------


def qr_png(link: str, caption: str) -> bytes:
    """A QR code of the sign-up link with the area's name under it, for signs and flyers."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(link)
    code.make(fit=True)
    matrix = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    font = ImageFont.load_default(size=36)
    left, top, right, bottom = font.getbbox(caption)
    band = bottom - top + 40
    sheet = Image.new("RGB", (matrix.width, matrix.height + band), "white")
    sheet.paste(matrix, (0, 0))
    draw = ImageDraw.Draw(sheet)
    draw.text(
        ((matrix.width - (right - left)) / 2, matrix.height + 10), caption, fill="black", font=font
    )
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()
