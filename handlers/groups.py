"""/linkgroup and /unlinkgroup, typed inside the group chat, and the service messages of a
group that became a supergroup."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot import groups, signup
from handlers.common import Context, confirm, refuse, reply, services

log = logging.getLogger(__name__)

PRESENT = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def _bot_is_member(update: Update, context: Context) -> bool:
    try:
        member = await context.bot.get_chat_member(update.effective_chat.id, context.bot.id)
    except TelegramError:
        return False
    return member.status in PRESENT


async def linkgroup(update: Update, context: Context) -> None:
    caller = context.caller
    svc = services(context)
    if not context.args:
        await reply(update, caller.t("linkgroup_usage"))
        return
    # An area's name may have spaces: "/linkgroup östra mark".
    lookup = await signup.find_area(svc.db, " ".join(context.args))
    if lookup.area is None:
        await reply(update, caller.t(lookup.problem, **lookup.values))
        return
    access = caller.access
    if not access.may_act_for(lookup.area.id):
        area = lookup.area
        await refuse(update, context, "linkgroup", area.code, "not_your_area", area=area.name)
        return
    if not await _bot_is_member(update, context):
        await reply(update, caller.t("bot_not_in_group"))
        return
    chat = update.effective_chat
    held = await groups.link(
        svc.db, chat.id, chat.title or "", lookup.area, caller.user_id, access.may_act_for
    )
    if held is not None:
        await refuse(
            update, context, "linkgroup", held.code, "linkgroup_other_area", area=held.name
        )
        return
    await confirm(update, caller.t("group_linked", area=lookup.area.name))


async def unlinkgroup(update: Update, context: Context) -> None:
    caller = context.caller
    svc = services(context)
    chat_id = update.effective_chat.id
    area_id = await groups.linked_area_id(svc.db, chat_id)
    if area_id is None:
        await reply(update, caller.t("group_not_linked"))
        return
    if not caller.access.may_act_for(area_id):
        await refuse(update, context, "unlinkgroup", str(chat_id), "not_allowed")
        return
    await groups.unlink(svc.db, chat_id, caller.user_id)
    await confirm(update, caller.t("group_unlinked"))


async def on_migrated(update: Update, context: Context) -> None:
    """Telegram's service messages when a group became a supergroup: the old group gets one
    naming the new id (migrate_to_chat_id), the new supergroup one naming the old id
    (migrate_from_chat_id). Either is enough to move the group's links; nobody is answered."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old_chat_id, new_chat_id = message.chat_id, message.migrate_to_chat_id
    else:
        old_chat_id, new_chat_id = message.migrate_from_chat_id, message.chat_id
    if old_chat_id >= 0 or new_chat_id >= 0 or old_chat_id == new_chat_id:
        log.warning("ignored a group migration message that names no two group chats")
        return
    await groups.move(services(context), old_chat_id, new_chat_id)
