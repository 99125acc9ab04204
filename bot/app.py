"""Builds the PTB Application and wires every handler: the routing table of the bot."""

from __future__ import annotations

import logging
import warnings

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import clock, tips
from bot.persistence import Flow, FlowPersistence, save_after_update
from bot.request import AiohttpRequest
from bot.roles import Role
from bot.services import Services
from bot.tgbot import GrannbotBot
from bot.updates import FairUpdates, FloodGuard, flood_notice
from handlers import (
    admin,
    alerts,
    areas,
    groups,
    invites,
    privacy,
    profile,
    reminders,
    start,
    summary,
    tip_admin,
    tip_flow,
)
from handlers import callbacks as cb
from handlers.commands import NEW_MESSAGES, Command, Commands, Menu, Where, button
from handlers.common import BEFORE_UPDATE, COMMAND_TABLE, LANG, Context, load_caller, on_error

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE
FLOW_TIMEOUT = 15 * 60  # seconds a half-finished flow is kept before it is dropped
# user_data entries kept over a restart besides the flows' drafts, with their lifetime: a
# language chosen before consent belongs to signing up, and is forgotten like a flow.
KEPT_ENTRIES = {LANG: FLOW_TIMEOUT}
# Handler group that runs after every update's handlers (group 0): it writes the flows the
# update changed before the update is confirmed to Telegram.
AFTER_UPDATE = 1

# Our flows keep their state per user and chat, not per message; PTB warns about that choice.
warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)


RESIDENTS = Menu.PRIVATE | Menu.GROUP
STAFF = (Role.POLICE, Role.COORDINATOR)
AREA_STAFF = (Role.CONTACT, Role.COORDINATOR)
COORDINATOR = (Role.COORDINATOR,)

# Every command, in the order of the menus and /help. A command with roles is refused to
# everyone else (and the refusal audited); a private one answers in a group with a button
# into the private chat. README.md "## Commands" lists exactly these (tests/test_docs.py).
COMMANDS = Commands(
    # Everyone
    Command("start", start.start, menu=RESIDENTS),
    Command("join", areas.join, menu=RESIDENTS),
    Command("leave", areas.leave, aliases=("lamna",)),
    Command("areas", areas.areas, where=Where.ANY, menu=RESIDENTS, aliases=("omraden",)),
    Command("alerts", alerts.recent),
    Command("tip", tip_flow.tip_command, flow=tips.FLOW, aliases=("tipsa",), button="kb_tip"),
    Command("tipstatus", tip_flow.tipstatus),
    Command("me", profile.me, button="kb_me"),
    Command("mydata", privacy.mydata, aliases=("minadata",)),
    Command("forget", privacy.forget, aliases=("radera",)),
    Command("redeem", invites.redeem, menu=Menu.NONE),
    Command("language", profile.language),
    Command(
        "help",
        profile.help_command,
        where=Where.ANY,
        menu=RESIDENTS,
        aliases=("hjalp",),
        button="kb_help",
    ),
    # Without a flow running; a running flow's own /cancel comes first (see routes()).
    Command("cancel", profile.cancel, where=Where.ANY),
    # Police, area contacts and coordinators
    Command("alert", alerts.alert_command, STAFF, flow=alerts.FLOW),
    Command("notice", alerts.notice_command, AREA_STAFF, flow=alerts.FLOW),
    Command("members", admin.members, AREA_STAFF),
    Command("linkgroup", groups.linkgroup, AREA_STAFF, Where.GROUP, elsewhere="linkgroup_in_group"),
    Command(
        "unlinkgroup", groups.unlinkgroup, AREA_STAFF, Where.GROUP, elsewhere="linkgroup_in_group"
    ),
    # Coordinators
    Command("area", admin.area, COORDINATOR),
    Command("invite", admin.invite, COORDINATOR),
    Command("revoke", admin.revoke, COORDINATOR),
    Command("ban", admin.ban, COORDINATOR),
    Command("unban", admin.unban, COORDINATOR),
    Command("audit", admin.audit_log, COORDINATOR),
    Command("qr", admin.qr, COORDINATOR),
    Command("tips", tip_admin.tips_command, STAFF, Where.PRIVATE_OR_TEAM_CHAT),
    Command("tipset", tip_admin.tipset, STAFF),
    Command("export", tip_admin.export_command, COORDINATOR),
    Command("remind", reminders.remind, COORDINATOR),
    Command("reminders", reminders.reminders_command, COORDINATOR),
    Command("unremind", reminders.unremind, COORDINATOR),
    Command("summary", summary.summary_command, COORDINATOR),
)


def routes() -> list[BaseHandler]:
    """Every route of the bot, in the order PTB tries them (first match wins)."""
    return [
        # A group that became a supergroup: its links follow at once. First, because it is a
        # service message and belongs to no flow.
        MessageHandler(filters.StatusUpdate.MIGRATE, groups.on_migrated),
        # Invites come before /start: a deep link with an invite is not a sign-up
        COMMANDS["start"].route(
            invites.start_with_invite, filters.Regex(rf"^/start(@\w+)? {invites.INVITE_LINK}")
        ),
        # The residents' keyboard and commands typed with "å", "ä" or "ö": before the flows,
        # so that neither becomes the text a flow is waiting for.
        *COMMANDS.button_routes(),
        COMMANDS.typed_route(),
        # The flows before the commands: while one runs, its /cancel ends it (the table's
        # /cancel only says that nothing is running). Each lists its own steps.
        alerts.conversation(COMMANDS.entry_points(alerts.FLOW)),
        tip_flow.conversation(COMMANDS.entry_points(tips.FLOW)),
        # Every other command, from the table above
        *COMMANDS.routes(),
        # Buttons outside the flows, by the kind of their callback data (handlers/callbacks.py)
        button(cb.ConsentInvite, invites.on_consent_invite),
        button(cb.Consent, start.on_consent),
        button(cb.ConsentLanguage, start.on_consent_language),
        button(cb.Join, areas.on_join_button),
        button(cb.JoinPage, areas.on_join_page),
        button(cb.Leave, areas.on_leave_button),
        button(cb.LeavePage, areas.on_leave_page),
        button(cb.LeaveAll, areas.on_leave_all_button),
        button(cb.RemoveArea, admin.on_remove_area),
        button(cb.RemoveAreaPick, admin.on_remove_pick),
        button(cb.RemoveAreaPage, admin.on_remove_page),
        button(cb.AuditPage, admin.on_audit_page),
        button(cb.TipStatus, tip_admin.on_status_button),
        button(cb.TipUndo, tip_admin.on_undo_button),
        button(cb.Forget, privacy.on_forget_button),
        # Fallbacks: must stay last
        MessageHandler(NEW_MESSAGES & PRIVATE & filters.COMMAND, profile.unknown),
        MessageHandler(NEW_MESSAGES & PRIVATE & filters.TEXT, tip_flow.on_free_text),
        CallbackQueryHandler(profile.stale_button),
    ]


def build_application(services: Services) -> Application:
    telegram = services.settings.telegram
    clock.use_zone(services.settings.municipality.tz)
    bot = GrannbotBot(
        token=telegram.token.get_secret_value(),
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            tzinfo=services.settings.municipality.tz,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        request=AiohttpRequest(connection_pool_size=24),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )
    handlers = routes()
    persistence = FlowPersistence(
        services.db, [h for h in handlers if isinstance(h, Flow)], entries=KEPT_ENTRIES
    )
    # Updates come from bot/polling.py or bot/webhook.py, not from PTB's Updater, and are
    # handled by FairUpdates (one chat in order, chats concurrently, a flood guard).
    updates = FairUpdates(flood=FloodGuard(telegram.flood_burst, telegram.flood_seconds))
    application = (
        ApplicationBuilder()
        .bot(bot)
        .updater(None)
        .concurrent_updates(updates)
        .persistence(persistence)
        .context_types(ContextTypes(context=Context))
        .build()
    )
    updates.attach(application, on_drop_notice=flood_notice(application))
    application.bot_data["services"] = services
    application.bot_data[COMMAND_TABLE] = COMMANDS
    # The caller is read once per update, before any handler, and handed to all of them.
    application.add_handler(TypeHandler(Update, load_caller), group=BEFORE_UPDATE)
    application.add_handlers(handlers)
    application.add_handler(TypeHandler(Update, save_after_update), group=AFTER_UPDATE)
    application.add_error_handler(on_error)
    return application
