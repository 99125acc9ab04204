"""English."""

TEXTS: dict[str, str] = {
    # Start and consent
    "welcome": "Hi {name}! Welcome to the neighbourhood watch of {municipality}.",
    "welcome_back": "Welcome back, {name}! Your areas: {areas}.",
    "emergency": (
        "🚨 <b>In an emergency or if a crime is in progress: call 112.</b>\n"
        "Non-urgent information to the police: 114 14 or polisen.se.\n"
        "This bot is not monitored around the clock."
    ),
    "privacy": (
        "🔒 <b>About your data</b>\n"
        "We store your Telegram id, your first name, your language, when you gave consent, "
        "your areas and any roles. We need this so that information from the police and the "
        "municipality reaches you. The data is kept until you leave the service. "
        "See everything we hold about you with /mydata and delete it with /forget. "
        "The data controller is {municipality}."
    ),
    "consent_button": "✅ I agree",
    "consent_needed": "First you need to agree to how we handle your data. Press the button.",
    "consent_thanks": "Thank you, {name}! You are now registered.",
    "consent_already": "You have already agreed.",
    # Areas
    "choose_area": "Choose your area (you can be in several):",
    "joined": (
        "Welcome to the neighbourhood watch {area}! You will now receive information from "
        "the police and the municipality for this area."
    ),
    "already_member": "You are already in {area}.",
    "unknown_area": "There is no area with that code. See /areas for all areas.",
    "unknown_postcode": "No area has the postcode {postcode}. See /areas for all areas.",
    "bad_postcode": "A postcode has five digits, for example 692 31.",
    "no_areas": "There are no areas yet. Please contact the municipality.",
    "areas_header": "<b>Areas in {municipality}</b>",
    "areas_item": "• {name} — /join {code}",
    "left": "You have left {area}.",
    "not_member": "You are not in {area}.",
    "leave_choose": "Which area do you want to leave?",
    "leave_all_button": "Leave all areas",
    "leave_all_confirm": (
        "Do you want to leave all your areas ({count})? You will then get no more messages "
        "from the neighbourhood watch."
    ),
    "leave_all_yes": "Yes, leave all",
    "leave_all_no": "No, cancel",
    "left_all": "You have left all areas. You can join again with /join.",
    "leave_all_kept": "OK, you stay in your areas.",
    "no_memberships": "You are not in any area. Join one with /join.",
    # Profile and settings
    "me": ("<b>Your details</b>\nName: {name}\nRole: {role}\nLanguage: {language}\nAreas: {areas}"),
    "me_none": "none",
    "not_registered": "You are not registered yet. Start with /start.",
    "role_resident": "resident",
    "role_contact": "area contact",
    "role_police": "police",
    "role_coordinator": "coordinator",
    "language_name": "English",
    "language_set": "The language is now English.",
    "language_usage": "Type /language sv for Swedish or /language en for English.",
    "cancelled": "Cancelled.",
    "nothing_to_cancel": "There is nothing to cancel.",
    "group_private_only": (
        "Please do that in a private chat with me, so that nobody in the group sees it."
    ),
    "open_private_button": "Open private chat",
    "error": "Something went wrong. Please try again in a moment.",
    "unknown_command": "That command does not exist. Type /help to see what you can do.",
    "use_commands": "I only understand commands. Type /help to see what you can do.",
    "button_expired": "That button is no longer valid.",
    # Roles
    "not_allowed": "That command is not available to you.",
    "not_your_area": "You are not the area contact for {area}.",
    "linkgroup_in_group": "Type /linkgroup AREA in the group chat to link to the area.",
    "linkgroup_usage": "Type /linkgroup AREA, for example /linkgroup centrum.",
    "bot_not_in_group": "I am not a member of this group, so it cannot be linked.",
    "group_linked": "This group is now linked to {area}. Messages to the area will come here too.",
    "group_unlinked": "This group is no longer linked to any area.",
    "group_not_linked": "This group is not linked to any area.",
    # Alerts and notices
    "alert_heading_police": "<b>🚓 Police information – {areas}</b>",
    "alert_heading_municipality": "<b>🏛 Municipality information – {areas}</b>",
    "alert_heading_notice": "<b>📢 Notice from your area contact – {areas}</b>",
    "alert_heading_reminder": "<b>⏰ Reminder – {areas}</b>",
    "alert_heading_plain_police": "Police information – {areas}",
    "alert_heading_plain_municipality": "Municipality information – {areas}",
    "alert_heading_plain_notice": "Notice from your area contact – {areas}",
    "alert_heading_plain_reminder": "Reminder – {areas}",
    "alert_footer": (
        "<i>In an emergency or if a crime is in progress: call 112. "
        "Non-urgent information to the police: 114 14 or polisen.se.</i>"
    ),
    "alert_usage": (
        "Type /alert AREAS TEXT, for example\n"
        "/alert centrum,norr Several car break-ins tonight on Storgatan\n"
        "or just /alert to choose areas with buttons. AREAS can also be all."
    ),
    "notice_usage": "Type /notice AREA TEXT, for example /notice centrum Meeting tonight at 7 pm.",
    "alert_unknown_areas": "Unknown area: {codes}. See /areas.",
    "alert_choose_areas": "Choose the areas the message goes to:",
    "alert_all_button": "All areas",
    "alert_next_button": "Next ➡️",
    "alert_pick_one": "Choose at least one area.",
    "alert_type_text": "Type the message to {areas}. Cancel with /cancel.",
    "alert_empty": "The message has no text.",
    "alert_too_long": "The text is too long: at most {limit} characters, yours has {length}.",
    "alert_preview": (
        "<b>Preview</b> – goes to {people} residents and {groups} group chats.\n\n{preview}"
    ),
    "alert_send_button": "📣 Send",
    "alert_cancel_button": "Cancel",
    "alert_no_recipients": "Nobody in those areas receives messages yet, so nothing was sent.",
    "alert_sent": "Sent. The delivery report below is kept up to date.",
    "alert_cancelled": "The message was not sent.",
    "alert_report_progress": (
        "<b>Delivery report</b> – {heading}\n"
        "Delivered: {delivered} of {total}\nHave blocked the bot: {blocked}\n"
        "Failed: {failed}\nStill to send: {pending}"
    ),
    "alert_report_done": (
        "<b>Delivery report</b> – {heading}\n"
        "Delivered: {delivered} of {total}\nHave blocked the bot: {blocked}\n"
        "Failed: {failed}\n✅ Done."
    ),
    "alerts_none": "No messages to your areas yet.",
    "alerts_header": "<b>Latest messages to your areas</b>",
    "alerts_item": "<b>{date}</b> · {heading}\n{text}",
    "cmd_alerts": "Latest messages",
    "cmd_alert": "Send a police/municipality message",
    "cmd_notice": "Send a notice to your area",
    # Data rights
    "mydata_caption": "Here is everything we hold about you.",
    "forget_confirm": (
        "Do you want us to delete your data? You will leave all areas and get no more "
        "messages. This cannot be undone."
    ),
    "forget_yes": "Yes, delete everything",
    "forget_no": "No, keep it",
    "forgotten": "Your data has been deleted. You can always start again with /start.",
    "forget_kept": "OK, nothing was deleted.",
    "cmd_mydata": "See everything stored about you",
    "cmd_forget": "Delete your data",
    # Help and command menus
    "help_header": "<b>What you can do</b>",
    "cmd_start": "Start and give consent",
    "cmd_join": "Join an area",
    "cmd_leave": "Leave an area",
    "cmd_areas": "All areas",
    "cmd_me": "My details",
    "cmd_language": "Change language (sv/en)",
    "cmd_help": "Help",
    "cmd_cancel": "Cancel the current step",
    "cmd_linkgroup": "Link this group to an area",
    "cmd_unlinkgroup": "Unlink this group",
}
