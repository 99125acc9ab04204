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
}
