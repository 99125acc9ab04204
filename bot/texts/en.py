"""English."""

TEXTS: dict[str, str | dict[str, str]] = {
    # Start and consent
    "welcome": "Hi {name}! Welcome to the neighbourhood watch of {municipality}.",
    "welcome_back": "Welcome back, {name}! You are in: {areas}.",
    "emergency": (
        "<b>If you are in danger, or a crime is happening right now: call 112.</b>\n"
        "To tell the police something that is not urgent: call 114 14 or go to polisen.se.\n"
        "Nobody watches this chat all the time. It can take a while before someone sees what "
        "you write."
    ),
    "privacy": (
        "<b>What we keep about you</b>\n"
        "• your Telegram number (not your phone number), your first name and your language\n"
        "• which areas you are in, and when you said yes\n"
        "• the tips you send\n"
        "We need this so that messages from the police and the municipality reach you.\n\n"
        "<b>How long we keep it</b>\n"
        "• Tips are kept for {tips:n_days}.\n"
        "• Messages from the police and the municipality are kept for {alerts:n_days}. Who "
        "got which message is kept for {deliveries:n_days}.\n"
        "• If you leave all areas with /leave, or block the bot, your data is still kept. It "
        "is deleted after {inactive_participants:n_days}.\n"
        "• If you answer a survey, your answers are kept for {surveys:n_days}.\n"
        "• What police officers and coordinators do in the bot is written to a log. It is "
        "kept for {audit:n_days}.\n"
        "After that, everything is deleted automatically.\n\n"
        "<b>You decide</b>\n"
        "See everything we keep about you: type /mydata.\n"
        "Delete it all at once: type /forget. Tips you have sent stay, but without your name "
        "and your Telegram number.\n"
        "{municipality} is responsible for your data."
    ),
    "consent_button": "✅ I agree",
    "consent_needed": "First you need to agree to how we handle your data. Press the button.",
    "consent_thanks": "Thank you, {name}! You are in.",
    "consent_already": "You have already agreed.",
    # Areas
    "choose_area": (
        "Choose the area where you live. You can be in several.\n"
        "Not sure which area you live in? Type your postcode, for example 692 31."
    ),
    "joined": (
        "Welcome to the neighbourhood watch {area}! Messages from the police and the "
        "municipality about {area} will now come here, to this chat."
    ),
    "already_member": "You are already in {area}.",
    "unknown_area": "There is no area by that name. See /areas for all areas.",
    "unknown_postcode": "No area has the postcode {postcode}. See /areas for all areas.",
    "bad_postcode": "A postcode has five digits, for example 692 31.",
    "no_areas": "There are no areas yet. Please contact the municipality.",
    "areas_header": "<b>Areas in {municipality}</b>",
    "areas_item": "• {name} — /join {code}",
    "left": "You have left {area}.",
    "not_member": "You are not in {area}.",
    "leave_choose": "Which area do you want to leave?",
    "leave_all_button": "Leave all areas",
    "leave_all_confirm": {
        "one": (
            "Do you want to leave your area? You will then get no more messages from the "
            "neighbourhood watch."
        ),
        "other": (
            "Do you want to leave all your areas ({count})? You will then get no more messages "
            "from the neighbourhood watch."
        ),
    },
    "leave_all_yes": "Yes, leave all",
    "leave_all_no": "No, cancel",
    "left_all": "You have left all areas. You can join again with /join.",
    "leave_all_kept": "OK, you stay in your areas.",
    "no_memberships": "You are not in any area. Join one with /join.",
    # Profile and settings
    "me": (
        "<b>Your areas and details</b>\nAreas: {areas}\nName: {name}\nRole: {role}\n"
        "Language: {language}\nYour tips: {tips}"
    ),
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
    "alert_heading_police": "<b>Police information – {areas}</b>",
    "alert_heading_municipality": "<b>Municipality information – {areas}</b>",
    "alert_heading_notice": "<b>Notice from your area contact – {areas}</b>",
    "alert_heading_reminder": "<b>Reminder – {areas}</b>",
    "alert_heading_plain_police": "Police information – {areas}",
    "alert_heading_plain_municipality": "Municipality information – {areas}",
    "alert_heading_plain_notice": "Notice from your area contact – {areas}",
    "alert_heading_plain_reminder": "Reminder – {areas}",
    "alert_footer": "<i>Urgent? Call 112. Not urgent: 114 14. Seen something? /tip</i>",
    "alert_usage": (
        "Type /alert AREAS TEXT, for example\n"
        "/alert centrum,norr Several car break-ins tonight on Storgatan\n"
        "or just /alert to choose areas with buttons. AREAS can also be all."
    ),
    "notice_usage": "Type /notice AREA TEXT, for example /notice centrum Meeting tonight at 7 pm.",
    "alert_unknown_areas": "Unknown area: {codes}. See /areas.",
    "alert_choose_areas": "Choose the areas the message goes to:",
    "alert_all_button": "All areas",
    "alert_next_button": "Next",
    "alert_pick_one": "Choose at least one area.",
    "alert_type_text": "Type the message to {areas}. Cancel with /cancel.",
    "alert_empty": "The message has no text.",
    "alert_too_long": "The text is too long: at most {limit:n_characters}, yours has {length}.",
    "alert_preview": "<b>Preview.</b> {recipients}\n\n{preview}",
    "alert_send_button": "Send",
    "alert_cancel_button": "Cancel",
    "alert_no_recipients": "Nobody in those areas receives messages yet, so nothing was sent.",
    "alert_cancelled": "The message was not sent.",
    "alert_report_progress": (
        "Sending: {delivered} of {total} have received the message.{blocked}{failed}\n"
        "<i>{heading}</i>"
    ),
    "alert_report_done": (
        "✅ Done at {time}: {delivered} of {total} have received the message."
        "{blocked}{failed}\n<i>{heading}</i>"
    ),
    "alerts_none": "No messages to your areas yet.",
    "alerts_header": "<b>Latest messages to your areas</b>",
    "alerts_item": "<b>{date}</b> · {heading}\n{text}",
    "cmd_alerts": "Latest messages to your areas",
    "cmd_alert": "Send a police/municipality message",
    "cmd_notice": "Send a notice to your area",
    # Data rights
    "mydata_caption": (
        "Here is the same as a file, with everything we hold, including which messages you "
        "have received. The file is for reading with a program (JSON)."
    ),
    "forget_confirm": (
        "Do you want us to delete your data? You will leave all areas and get no more "
        "messages. This cannot be undone."
    ),
    "forget_yes": "Yes, delete everything",
    "forget_no": "No, keep it",
    "forgotten": "Your data has been deleted. You can always start again with /start.",
    "forget_kept": "OK, nothing was deleted.",
    "cmd_mydata": "See what we hold about you",
    "cmd_forget": "Delete everything we hold about you",
    # Administration
    "area_usage": (
        "Type /area add CODE NAME, /area rename CODE NAME, /area remove CODE or "
        "/area postcodes CODE POSTCODE…"
    ),
    "error_area_code": (
        "An area code may only have letters a–z, digits and _, at most {limit:n_characters}."
    ),
    "error_area_name": "The area needs a name of at most {limit:n_characters}.",
    "error_area_exists": "There is already an area with the code {code}.",
    "area_added": "The area {name} ({code}) has been created.",
    "area_renamed": "{old} is now called {name}.",
    "error_postcode": "{postcode} is not a postcode (five digits, for example 692 31).",
    "error_postcode_taken": "The postcode {postcode} already belongs to the area {code}.",
    "area_postcodes_set": "Postcodes for {name}: {postcodes}.",
    "area_remove_confirm": {
        "one": (
            "{name} has {count} resident who will lose the area. They will be told. Remove it?"
        ),
        "other": (
            "{name} has {count} residents who will lose the area. They will be told. Remove it?"
        ),
    },
    "area_remove_yes": "Yes, remove",
    "area_remove_no": "No, keep",
    "area_removed": {
        "one": "{name} has been removed. {count} resident has been told.",
        "other": "{name} has been removed. {count} residents have been told.",
    },
    "area_kept": "The area stays.",
    "area_removed_notice": (
        "The neighbourhood watch area {areas} no longer exists, so you will get no more "
        "messages for it. Choose another area with /join."
    ),
    "invite_usage": "Type /invite police or /invite contact AREA.",
    "invite_created_police": (
        "Invitation for a police officer (valid for 72 hours, single use):\n{link}\n"
        "Or type /redeem {code}"
    ),
    "invite_created_contact": (
        "Invitation for the area contact of {area} (valid for 72 hours, single use):\n"
        "{link}\nOr type /redeem {code}"
    ),
    "redeem_usage": "Type /redeem CODE with the code from your invitation.",
    "error_invite_unknown": "That invitation code does not exist.",
    "error_invite_used": "That invitation has already been used.",
    "error_invite_expired": "That invitation has expired. Ask the coordinator for a new one.",
    "invite_redeemed_police": "Welcome! You can now send police information with /alert.",
    "invite_redeemed_contact": (
        "Welcome as the area contact of {area}! You can now use /notice and /members."
    ),
    "revoke_usage": "Type /revoke USER_ID.",
    "revoked": {
        "one": "{count} role removed for {user_id}.",
        "other": "{count} roles removed for {user_id}.",
    },
    "ban_usage": "Type /ban USER_ID [REASON].",
    "banned_user": "{user_id} is banned.",
    "unban_usage": "Type /unban USER_ID.",
    "unbanned_user": "{user_id} is no longer banned.",
    "not_banned": "{user_id} is not banned.",
    "audit_usage": "Type /audit for the whole log, or /audit NUMBER for only the latest.",
    "audit_empty": "The log is empty.",
    "audit_header": "<b>The log</b>, newest first: {first}–{last} of {total}",
    "audit_line": "{at} · {actor} · {action} {target} · {outcome}{times}{detail}",
    "audit_ok": "ok",
    "audit_refused": "refused",
    "members_usage": "Type /members AREA.",
    "members_list": {
        "one": "<b>{area}</b> – {count} resident:\n{names}",
        "other": "<b>{area}</b> – {count} residents:\n{names}",
    },
    "qr_usage": "Type /qr AREA.",
    "qr_caption": "QR code for signing up to {area}: {link}",
    "cmd_area": "Manage areas",
    "cmd_invite": "Invite a police officer or area contact",
    "cmd_revoke": "Remove roles",
    "cmd_ban": "Ban a user",
    "cmd_unban": "Lift a ban",
    "cmd_audit": "Latest events in the log",
    "cmd_members": "Residents of an area",
    "cmd_qr": "QR code for an area",
    "cmd_redeem": "Use an invitation code",
    # Help and command menus
    "help_header": "<b>What you can do</b>",
    "cmd_start": "Get started",
    "cmd_join": "Join an area",
    "cmd_leave": "Leave an area",
    "cmd_areas": "All areas in the municipality",
    "cmd_me": "Your areas and details",
    "cmd_language": "Change language (Swedish or English)",
    "cmd_help": "Help",
    "cmd_cancel": "Stop what you are doing",
    "cmd_linkgroup": "Link this group to an area",
    "cmd_unlinkgroup": "Unlink this group",
    # Tips
    "tip_category_drugs": "Drugs",
    "tip_category_burglary": "Burglary",
    "tip_category_theft": "Theft",
    "tip_category_traffic": "Drink or drug driving",
    "tip_category_vandalism": "Vandalism",
    "tip_category_suspicious": "Suspicious activity",
    "tip_category_unsafe_place": "Unsafe place",
    "tip_category_other": "Other",
    "tip_status_new": "New",
    "tip_status_reviewed": "Read",
    "tip_status_forwarded": "To police",
    "tip_status_closed": "Done",
    "tip_status_false_alarm": "No action",
    "tip_when_now": "Happening now",
    "tip_when_today": "Earlier today",
    "tip_when_yesterday": "Yesterday",
    "tip_when_pick": "Pick a date",
    "tip_when_unknown": "not given",
    "tip_no_area": "no area given",
    "tip_yes": "yes",
    "tip_no": "no",
    "tip_back_button": "Back",
    "tip_cancel_button": "Cancel",
    "tip_send_button": "Send the tip",
    "tip_attach_done_button": "Next",
    "tip_share_phone_button": "Share my phone number",
    "tip_contact_anonymous": "Anonymous",
    "tip_contact_telegram": "Reply to me here in Telegram",
    "tip_contact_phone": "Call me",
    "tip_choose_category": "<b>Send a tip</b> (step 1)\nWhat is it about?",
    "tip_choose_area": "Which area is it about?",
    "tip_choose_when": "When did it happen?",
    "tip_choose_date": "Pick the day, or type the date as YYYY-MM-DD (for example 2026-03-14).",
    "tip_bad_date": (
        "I cannot use that date. Type YYYY-MM-DD, at most one year back and not in the future."
    ),
    "tip_describe": (
        "Describe what happened: what did you see, where, and what were the people doing? "
        "Describe <b>behaviour, not appearance</b> – skin colour, clothes or origin rarely "
        "help and can point at innocent people. At most {limit:n_characters}."
    ),
    "tip_describe_first": (
        "First write what happened, as text. You can add a photo or a location in the next step."
    ),
    "tip_attach": (
        "Would you like to add a photo or a location? Send it with 📎 (Photo or Location). "
        "The location is stored rounded to about 100 metres. Otherwise press Next."
    ),
    "tip_photo_added": "The photo is added. You can also send a location, or press Next.",
    "tip_location_added": (
        "The location is added (rounded to about 100 metres). You can also send a photo, or "
        "press Next."
    ),
    "tip_photo_as_document": (
        "Please send the picture as a photo, not as a file. Files can carry where and when the "
        "picture was taken, so we do not accept them."
    ),
    "tip_choose_contact": (
        "How would you like us to contact you?\n"
        "<b>Anonymous</b>: we store nothing about who you are. Keep the reference – it is "
        "the only way to ask about the tip.\n"
        "<b>Reply to me here</b>: you are told here when the tip is handled.\n"
        "<b>Call me</b>: you leave your phone number."
    ),
    "tip_ask_phone": "Press the button to share your number, or type it. Cancel with /cancel.",
    "tip_bad_phone": "That does not look like a phone number. Type for example 070-123 45 67.",
    "tip_phone_not_own": "Share your own number with the button, or type it.",
    "tip_phone_noted": "Thank you, the number is noted.",
    "tip_going_back": "OK, going back.",
    "tip_use_buttons": "Please use the buttons above, or cancel with /cancel.",
    "tip_summary": (
        "<b>Check your tip</b>\n"
        "Category: {category}\nArea: {area}\nWhen: {occurred}\n"
        "Photo: {photo}\nLocation: {location}\nContact: {contact}\n\n{description}"
    ),
    "tip_received": (
        "✅ Thank you! Your tip has the reference <b>{ref}</b>. You will be told here when it "
        "is handled, and you can ask with /tipstatus {ref}."
    ),
    "tip_received_anonymous": (
        "✅ Thank you! Your anonymous tip has the reference <b>{ref}</b>. We have not stored "
        "who you are, so keep the reference: /tipstatus {ref} shows how it is going."
    ),
    "tip_received_no_area": (
        "The tip was stored without an area. Join an area with /join so that your next tip "
        "goes to the right place."
    ),
    "tip_cancelled": "The tip was not sent.",
    "tip_timed_out": "The tip was not sent because it took too long. Start again with /tip.",
    "tip_not_registered": "To send tips you first need to register with /start.",
    "tip_banned": "You cannot send tips. Contact the municipality if you think this is wrong.",
    "tip_rate_limited": (
        "You have already sent {limit:n_tips} in the last hour. You can send again from "
        "{time}. If it is urgent: call 112."
    ),
    "tip_empty": "The tip has no description.",
    "tip_too_long": (
        "The description is too long: at most {limit:n_characters}, yours has {length}."
    ),
    "tip_unknown_category": "Unknown category. Choose one of: {categories}.",
    "tip_one_line_usage": (
        "Type /tip CATEGORY TEXT, for example /tip burglary Two men trying door handles on "
        "Storgatan, or just /tip to be guided."
    ),
    "tip_new_heading": "<b>New tip</b>",
    "tip_card": (
        "<b>{ref}</b> · {category} · {area}\n"
        "Received: {created} · Happened: {occurred}\nStatus: {status}\n"
        "Contact: {contact}{extras}\n\n{description}"
    ),
    "tip_contact_shown_anonymous": "anonymous",
    "tip_contact_shown_forgotten": "removed at the reporter's request",
    "tip_contact_shown_telegram": 'reply in Telegram (<a href="tg://user?id={user}">open chat</a>)',
    "tip_contact_shown_phone": 'phone {phone} (<a href="tg://user?id={user}">Telegram</a>)',
    "tip_location_shown": "Location (about 100 m): {lat}, {lon}",
    "tip_photos_shown": {"one": "{count} photo", "other": "{count} photos"},
    "tip_status_set": "Status: {status}",
    "tipstatus_usage": "Type /tipstatus REFERENCE, for example /tipstatus T-2026-000042-K7QF.",
    "tipstatus_unknown": "There is no tip with the reference {ref}.",
    "tipstatus_reply": "Tip <b>{ref}</b>\nStatus: {status} (last changed {updated})",
    "tips_usage": "Type /tips [open|all] [AREA], for example /tips open centrum.",
    "tips_none_open": "No open tips.",
    "tips_none_all": "No tips yet.",
    "tips_header_open": (
        "<b>Open tips</b> (new, read and with the police) – {area}: "
        "showing {shown} of {total}, newest first."
    ),
    "tips_header_all": "<b>All tips</b> – {area}: showing {shown} of {total}, newest first.",
    "tips_all_areas": "all areas",
    "tipset_usage": "Type /tipset REFERENCE STATUS [NOTE]. STATUS is one of: {statuses}.",
    "tipset_done": "{ref} now has the status: {status}.",
    "export_usage": (
        "Type /export tips|participants [FROM [TO]], for example "
        "/export tips 2026-01-01 2026-03-31."
    ),
    "export_bad_dates": "Dates are written YYYY-MM-DD, and TO may not be before FROM.",
    "export_caption": {
        "one": "{count} row. The file opens in Excel.",
        "other": "{count} rows. The file opens in Excel.",
    },
    "cmd_tip": "Send a tip",
    "cmd_tipstatus": "See how your tip is going",
    "cmd_tips": "List tips",
    "cmd_tipset": "Change the status of a tip",
    "cmd_export": "Export tips or residents (CSV)",
    # Reminders and summaries
    "weekdays_long": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    "schedule_once": "once on {date} at {time}",
    "schedule_daily": "every day at {time}",
    "schedule_weekly": "every {day} at {time}",
    "schedule_monthly": "on day {day} of every month at {time}",
    "remind_usage": (
        "Type /remind WHEN AREA TEXT, for example\n"
        "/remind weekly tue 18:30 centrum Neighbourhood watch meeting tonight at 7 pm\n"
        "/remind once 2026-06-20 09:00 all Midsummer: help each other empty letterboxes\n"
        "WHEN is once YYYY-MM-DD HH:MM, daily HH:MM, weekly DAY HH:MM or monthly D HH:MM. "
        "AREA is an area code or all."
    ),
    "when_missing": "Say when the reminder goes out: once, daily, weekly or monthly.",
    "when_bad_kind": "Unknown kind of schedule: {kind}. Use once, daily, weekly or monthly.",
    "when_usage_once": (
        "A one-off reminder is written once YYYY-MM-DD HH:MM, e.g. once 2026-06-20 09:00."
    ),
    "when_usage_daily": "A daily reminder is written daily HH:MM, e.g. daily 21:00.",
    "when_usage_weekly": "A weekly reminder is written weekly DAY HH:MM, e.g. weekly tue 18:30.",
    "when_usage_monthly": "A monthly reminder is written monthly D HH:MM, e.g. monthly 1 09:00.",
    "when_bad_day": "Unknown day: {day}. Use mon, tue, wed, thu, fri, sat, sun (or mån–sön).",
    "when_bad_time": "Invalid time: {time}. Write HH:MM between 00:00 and 23:59.",
    "when_bad_date": "Invalid date: {date}. Write YYYY-MM-DD, e.g. 2026-06-20.",
    "when_bad_monthday": "Invalid day of the month: {day}. Use 1–31.",
    "when_past": "That time has already passed (it is now {now}). Choose a time ahead.",
    "remind_no_area": "Give the area (an area code or all) and the text after the time.",
    "remind_saved": (
        "Reminder {id} saved: {schedule}, to {areas}.\nNext time it goes out: {next}."
    ),
    "reminders_none": "There are no scheduled reminders. Add one with /remind.",
    "reminders_header": "<b>Scheduled reminders</b>",
    "reminders_item": "<b>{id}</b> · {schedule} · {areas}\nNext: {next}\n{text}",
    "reminders_item_missed": (
        "<b>{id}</b> · {schedule} · {areas}\n⚠️ Missed (the bot was down): {next}\n{text}"
    ),
    "reminders_footer": "Remove a reminder with /unremind ID.",
    "reminders_all_areas": "all areas",
    "unremind_usage": "Type /unremind ID, for example /unremind 3. See /reminders.",
    "unremind_unknown": "There is no reminder {id}. See /reminders.",
    "unremind_done": "Reminder {id} has been removed.",
    "reminder_late_note": "(Late reminder – it should have gone out {due}.)",
    "summary_usage": "Type /summary, /summary last or /summary 2026-W05.",
    "summary_title": "<b>Weekly summary – week {week}, {year}</b>",
    "summary_dates": "{dates}",
    "summary_dates_partial": "{dates} (so far)",
    "summary_participants": "<b>Residents:</b> {total} ({new:n_new}, {left:n_left})",
    "summary_area_line": "• {area}: {members} ({new:n_new}, {left:n_left})",
    "summary_sent_header": "<b>Messages sent</b>",
    "summary_kind_line": {
        "one": "• {kind}: {count}, {rate} % delivered",
        "other": "• {kind}: {count}, {rate} % delivered",
    },
    "summary_kind_line_none": {"one": "• {kind}: {count}", "other": "• {kind}: {count}"},
    "summary_kind_police": "Police information",
    "summary_kind_municipality": "Municipality information",
    "summary_kind_notice": "Area contacts' notices",
    "summary_kind_reminder": "Reminders",
    "summary_tips": "<b>Tips:</b> {this}, {trend}",
    "summary_by_category": "By category:",
    "summary_by_area": "By area:",
    "summary_tip_line": "• {name}: {this}, {trend}",
    "summary_no_area": "No area",
    "summary_open": {
        "one": "<b>Open tips older than 7 days:</b> {count}",
        "other": "<b>Open tips older than 7 days:</b> {count}",
    },
    "summary_open_oldest": "Oldest: {items}",
    "summary_open_item": "{ref} ({days:n_days})",
    "summary_missed_header": "<b>⚠️ Reminders that were not sent (the bot was down)</b>",
    "summary_missed_item": "• {id}: {text} – was due {due}",
    "summary_chart_title": "Tips per category, {weeks:n_last_weeks}",
    "summary_chart_ylabel": "Number of tips",
    "summary_chart_empty": "No tips in this period",
    "summary_week_label": "W{week}",
    "summary_cat_drugs": "Drugs",
    "summary_cat_burglary": "Burglary",
    "summary_cat_theft": "Theft",
    "summary_cat_traffic": "Drink or drug driving",
    "summary_cat_vandalism": "Vandalism",
    "summary_cat_suspicious": "Suspicious activity",
    "summary_cat_unsafe_place": "Unsafe place",
    "summary_cat_other": "Other",
    "cmd_remind": "Schedule a reminder",
    "cmd_reminders": "List scheduled reminders",
    "cmd_unremind": "Remove a reminder",
    "cmd_summary": "Weekly summary",
    # Pages of long lists (areas)
    "page_of": "Page {page} of {pages}",
    "page_back_button": "◀ Page {page}",
    "page_forward_button": "Page {page} ▶",
    "area_remove_choose": "Which area do you want to remove?",
    # Groups that move, and what a group allows the bot to send
    "summary_chart_not_allowed": (
        "The chart could not be sent here: this group does not allow pictures. "
        "Send /summary to the bot in a private chat to see it."
    ),
    # Flood guard
    "flood_notice": (
        "You are sending a lot of messages in a short time. I am skipping the ones that "
        "come in now. Wait a moment, then send what you want again."
    ),
    # Notices through the outbox (role changes)
    "role_revoked_notice": (
        "The municipality's coordinator has removed your rights as a police officer or area "
        "contact in Grannbot. As a resident you can use Grannbot as before. Type /help to see "
        "what you can do now."
    ),
    "invite_used_notice_police": (
        "Your invite for a police officer was used by {name} (user id {user_id}). "
        "The wrong person? Remove the rights with /revoke {user_id}."
    ),
    "invite_used_notice_contact": (
        "Your invite for an area contact in {area} was used by {name} (user id {user_id}). "
        "The wrong person? Remove the rights with /revoke {user_id}."
    ),
    # Security: access (a group linked to another area)
    "linkgroup_other_area": (
        "This group is linked to {area}. Only a coordinator or the area contact for {area} "
        "can move it."
    ),
    # Security: bans kept as keyed hashes
    "privacy_bans": (
        "If you are banned, we keep the ban as a code made from your Telegram number. The "
        "code cannot be read back. It stays even if you delete everything with /forget."
    ),
    "error_banned": "You cannot use Grannbot. Contact the municipality if you think this is wrong.",
    "mydata_banned": "You are banned from Grannbot.",
    # Security: tip references with a check part, and a pause after too many wrong tries
    "error_too_many_tries": "Too many wrong tries. Please try again in {minutes:n_minutes}.",
    "tipstatus_not_found": (
        "There is no tip with the reference {ref}. Type the whole reference, including the "
        "four characters at the end, for example T-2026-000042-K7QF."
    ),
    # Security: dates and the audit log (repeated refusals, pages)
    "audit_times": " ×{times}",
    "audit_detail": " · {detail}",
    "audit_newer_button": "◀ Newer",
    "audit_older_button": "Older ▶",
    # Counts (plural forms; see bot/texts/__init__.py)
    "n_days": {"one": "{count} day", "other": "{count} days"},
    "n_minutes": {"one": "{count} minute", "other": "{count} minutes"},
    "n_characters": {"one": "{count} character", "other": "{count} characters"},
    "n_tips": {"one": "{count} tip", "other": "{count} tips"},
    "n_group_chats": {"one": "{count} group chat", "other": "{count} group chats"},
    "n_new": {"one": "{count} new", "other": "{count} new"},
    "n_last_weeks": {"one": "the last week", "other": "the last {count} weeks"},
    # Plain language: the weekly summary's chart
    "chart_total_note": "The number above each bar is that week's total.",
    "chart_focus_name": "{name} (focus)",
    "chart_focus_none": "Focus with no tips in these weeks: {names}",
    # Plain language: dates and times (bot/dates.py; local time)
    "dates_day": "{weekday} {day} {month}",
    "dates_day_year": "{weekday} {day} {month} {year}",
    "dates_date": "{day} {month}",
    "dates_date_year": "{day} {month} {year}",
    "dates_time": "{time}",
    "dates_moment": "{date}, {time}",
    "dates_today": "today",
    "dates_yesterday": "yesterday",
    "dates_tomorrow": "tomorrow",
    "dates_range_in_month": "{first}–{last} {month} {year}",
    "dates_range_in_year": "{first}–{last} {year}",
    "dates_range": "{first}–{last}",
    # Plain language: Swedish command names, the residents' keyboard, /me and /mydata in words
    "kb_tip": "Send a tip",
    "kb_me": "My areas",
    "kb_help": "Help",
    "help_other_names": "The commands also have Swedish names, for example /hjalp.",
    "me_areas_hint": "Join more areas with /join. Leave an area with /leave.",
    "me_no_areas_hint": "You are not in any area. Choose one with /join.",
    "mydata_summary": (
        "<b>This is what we hold about you</b>\n"
        "Name: {name}\n"
        "Language: {language}\n"
        "Areas: {areas}\n"
        "Role: {roles}\n"
        "Your tips: {tips}\n"
        "You agreed to the terms on {consent}.\n\n"
        "Tips you sent anonymously are not linked to you and are not shown here.\n"
        "Do you want us to delete everything? Type /forget."
    ),
    "mydata_nothing": "You are not registered, so we hold no name, no areas and no tips about you.",
    "mydata_role_in": "{role} for {area}",
    # Plain language: alerts, their report, reminders and the weekly summary
    "alert_recipients": "Goes to {people:n_people} and {groups:n_group_chats} in {areas}.",
    "alert_recipients_people": "Goes to {people:n_people} in {areas}.",
    "alert_recipients_groups": "Goes to {groups:n_group_chats} in {areas}.",
    "alert_report_blocked": {
        "one": " {count} has blocked the bot.",
        "other": " {count} have blocked the bot.",
    },
    "alert_report_failed": {
        "one": " {count} could not be reached.",
        "other": " {count} could not be reached.",
    },
    "n_people": {"one": "{count} person", "other": "{count} people"},
    "n_left": {"one": "{count} left", "other": "{count} left"},
    "summary_participants_same": "<b>Residents:</b> {total}",
    "summary_area_line_same": "• {area}: {members}",
    "summary_more": {"one": "{count} more than last week", "other": "{count} more than last week"},
    "summary_fewer": {
        "one": "{count} fewer than last week",
        "other": "{count} fewer than last week",
    },
    "summary_same": "the same as last week",
    # Plain language: tips (happening now, status labels, who and when, undo, notices)
    "tip_now_call_112": (
        "<b>Is it happening now? Call 112.</b>\n"
        "The police can come now. A tip is not read at once.\n\n"
        "You can send the tip after the call, or go on now."
    ),
    "tip_now_anyway_button": "Go on anyway",
    "tip_when_was_now": "happening at {moment}",
    "tip_status_by": "{status} – {who}, {when}",
    "tip_changed_by_police": "Police",
    "tip_changed_by_staff": "Coordinator",
    "tip_undo_button": "Undo",
    "tip_undone": "Undone. Status: {status}",
    "tip_undo_too_late": "It can no longer be undone. Choose a new status instead.",
    "tip_notice_new": "Thank you for your tip {ref}. It is open again and being handled.",
    "tip_notice_reviewed": "Thank you for your tip {ref}. It has now been read.",
    "tip_notice_forwarded": "Thank you for your tip {ref}. It is now with the police.",
    "tip_notice_closed": "Thank you for your tip {ref}. We have now finished with it.",
    "tip_notice_false_alarm": (
        "Thank you for your tip {ref}. We have looked into it. No action is needed."
    ),
    "summary_with_police": {
        "one": "Waiting with the police: {count}",
        "other": "Waiting with the police: {count}",
    },
    # Plain language: first contact (bot description, next step after joining, language offer)
    "bot_description": (
        "Neighbourhood watch in {municipality}. Here you get messages from the police and the "
        "municipality about what happens where you live. You can also report something you "
        "have seen.\n\n"
        "Press START to begin.\n\n"
        "If you are in danger, or a crime is happening right now: call 112. Not urgent: "
        "call 114 14."
    ),
    "bot_short_description": (
        "Neighbourhood watch in {municipality}: messages from the police and the "
        "municipality, tips from you."
    ),
    "next_steps": (
        "<b>What happens now</b>\n"
        "• Messages from the police and the municipality come here. You do not need to do "
        "anything.\n"
        "• Have you seen something the police should know? Type /tip.\n"
        "• To join more areas: type /join. To stop taking part: type /leave.\n"
        "• If you are in danger, or a crime is happening right now: call 112."
    ),
    "language_offer_button": "Use English",
    # Plain language: nothing typed is thrown away (free text, postcode alone, area names)
    "area_ambiguous": "Several areas start like that: {names}. Type a little more of the name.",
    "unknown_area_nearest": "There is no area by that name. Did you mean {area}?",
    "free_text_offer": (
        "Would you like to send what you wrote as a tip to the municipality and the police?"
    ),
    "free_text_send_button": "Send as a tip",
    "free_text_no_button": "No, thanks",
    "free_text_declined": "All right, nothing is kept. Type /help to see what you can do.",
    "free_text_not_registered": (
        "Would you like to join the neighbourhood watch? Type /start to begin."
    ),
    "alert_did_you_mean": "There is no area called {typed}. Did you mean {names}?",
    "alert_did_you_mean_yes_button": "Yes, {names}",
    "alert_did_you_mean_no_button": "No, choose from the list",
    "alert_area_ambiguous": (
        "Several areas start with {typed}: {names}. Choose areas from the list. Your text is kept."
    ),
    "alert_unknown_choose": (
        "There is no area called {typed}. Choose areas from the list. Your text is kept."
    ),
}
