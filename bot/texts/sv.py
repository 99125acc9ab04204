"""Svenska (standardspråk)."""

TEXTS: dict[str, str] = {
    # Start and consent
    "welcome": "Hej {name}! Välkommen till grannsamverkan i {municipality}.",
    "welcome_back": "Välkommen tillbaka, {name}! Dina områden: {areas}.",
    "emergency": (
        "🚨 <b>Vid nödsituation eller pågående brott: ring 112.</b>\n"
        "Icke akuta uppgifter till polisen: 114 14 eller polisen.se.\n"
        "Boten bevakas inte dygnet runt."
    ),
    "privacy": (
        "🔒 <b>Om dina uppgifter</b>\n"
        "Vi sparar ditt Telegram-id, ditt förnamn, ditt språk, när du gav samtycke, dina "
        "områden och eventuella roller. Det behövs för att polisens och kommunens "
        "information ska nå dig. Uppgifterna sparas tills du lämnar tjänsten. "
        "Se allt vi har om dig med /mydata och radera det med /forget. "
        "Personuppgiftsansvarig är {municipality}."
    ),
    "consent_button": "✅ Jag godkänner",
    "consent_needed": "Du behöver först godkänna hur vi hanterar dina uppgifter. Tryck på knappen.",
    "consent_thanks": "Tack, {name}! Du är nu registrerad.",
    "consent_already": "Du har redan godkänt.",
    # Areas
    "choose_area": "Välj ditt område (du kan vara med i flera):",
    "joined": (
        "Välkommen till grannsamverkan {area}! Du får nu information från polisen och "
        "kommunen för området."
    ),
    "already_member": "Du är redan med i {area}.",
    "unknown_area": "Det finns inget område med den koden. Se /areas för alla områden.",
    "unknown_postcode": "Inget område har postnumret {postcode}. Se /areas för alla områden.",
    "bad_postcode": "Ett postnummer har fem siffror, till exempel 692 31.",
    "no_areas": "Det finns inga områden ännu. Kontakta kommunen.",
    "areas_header": "<b>Områden i {municipality}</b>",
    "areas_item": "• {name} — /join {code}",
    "left": "Du har lämnat {area}.",
    "not_member": "Du är inte med i {area}.",
    "leave_choose": "Vilket område vill du lämna?",
    "leave_all_button": "Lämna alla områden",
    "leave_all_confirm": (
        "Vill du lämna alla dina områden ({count})? Du får då inga fler meddelanden från "
        "grannsamverkan."
    ),
    "leave_all_yes": "Ja, lämna alla",
    "leave_all_no": "Nej, avbryt",
    "left_all": "Du har lämnat alla områden. Du kan gå med igen med /join.",
    "leave_all_kept": "Okej, du är kvar i dina områden.",
    "no_memberships": "Du är inte med i något område. Gå med med /join.",
    # Profile and settings
    "me": (
        "<b>Dina uppgifter</b>\nNamn: {name}\nRoll: {role}\nSpråk: {language}\nOmråden: {areas}"
    ),
    "me_none": "inga",
    "not_registered": "Du är inte registrerad ännu. Börja med /start.",
    "role_resident": "boende",
    "role_contact": "kontaktombud",
    "role_police": "polis",
    "role_coordinator": "samordnare",
    "language_name": "svenska",
    "language_set": "Språket är nu svenska.",
    "language_usage": "Skriv /language sv för svenska eller /language en för engelska.",
    "cancelled": "Avbrutet.",
    "nothing_to_cancel": "Det finns inget att avbryta.",
    "group_private_only": ("Det gör du i en privat chatt med mig, så att ingen i gruppen ser det."),
    "open_private_button": "Öppna privat chatt",
    "error": "Något gick fel. Försök igen om en stund.",
    "unknown_command": "Det kommandot finns inte. Skriv /help för att se vad du kan göra.",
    "use_commands": "Jag förstår bara kommandon. Skriv /help för att se vad du kan göra.",
    "button_expired": "Den knappen gäller inte längre.",
    # Roles
    "not_allowed": "Det kommandot är inte tillgängligt för dig.",
    "not_your_area": "Du är inte kontaktombud för {area}.",
    "linkgroup_in_group": "Skriv /linkgroup OMRÅDE i den gruppchatt som ska kopplas till området.",
    "linkgroup_usage": "Skriv /linkgroup OMRÅDE, till exempel /linkgroup centrum.",
    "bot_not_in_group": "Jag är inte med i den här gruppen, så den kan inte kopplas.",
    "group_linked": "Gruppen är nu kopplad till {area}. Meddelanden till området kommer även hit.",
    "group_unlinked": "Gruppen är inte längre kopplad till något område.",
    "group_not_linked": "Gruppen är inte kopplad till något område.",
    # Alerts and notices
    "alert_heading_police": "<b>🚓 Polisen informerar – {areas}</b>",
    "alert_heading_municipality": "<b>🏛 Kommunen informerar – {areas}</b>",
    "alert_heading_notice": "<b>📢 Meddelande från kontaktombudet – {areas}</b>",
    "alert_heading_reminder": "<b>⏰ Påminnelse – {areas}</b>",
    "alert_heading_plain_police": "Polisen informerar – {areas}",
    "alert_heading_plain_municipality": "Kommunen informerar – {areas}",
    "alert_heading_plain_notice": "Meddelande från kontaktombudet – {areas}",
    "alert_heading_plain_reminder": "Påminnelse – {areas}",
    "alert_footer": (
        "<i>Vid nödsituation eller pågående brott: ring 112. "
        "Icke akuta uppgifter till polisen: 114 14 eller polisen.se.</i>"
    ),
    "alert_usage": (
        "Skriv /alert OMRÅDEN TEXT, till exempel\n"
        "/alert centrum,norr Flera bilinbrott i natt på Storgatan\n"
        "eller bara /alert för att välja områden med knappar. OMRÅDEN kan också vara all."
    ),
    "notice_usage": "Skriv /notice OMRÅDE TEXT, till exempel /notice centrum Möte i kväll kl 19.",
    "alert_unknown_areas": "Okänt område: {codes}. Se /areas.",
    "alert_choose_areas": "Välj vilka områden meddelandet ska gå till:",
    "alert_all_button": "Alla områden",
    "alert_next_button": "Nästa ➡️",
    "alert_pick_one": "Välj minst ett område.",
    "alert_type_text": "Skriv meddelandet till {areas}. Avbryt med /cancel.",
    "alert_empty": "Meddelandet saknar text.",
    "alert_too_long": "Texten är för lång: högst {limit} tecken, din text har {length}.",
    "alert_preview": (
        "<b>Förhandsvisning</b> – går till {people} boende och {groups} gruppchattar.\n\n{preview}"
    ),
    "alert_send_button": "📣 Skicka",
    "alert_cancel_button": "Avbryt",
    "alert_no_recipients": "Ingen i de områdena tar emot meddelanden ännu, så inget skickades.",
    "alert_sent": "Skickat. Leveransrapporten uppdateras nedan.",
    "alert_cancelled": "Meddelandet skickades inte.",
    "alert_report_progress": (
        "<b>Leveransrapport</b> – {heading}\n"
        "Levererade: {delivered} av {total}\nHar blockerat boten: {blocked}\n"
        "Misslyckades: {failed}\nKvar att skicka: {pending}"
    ),
    "alert_report_done": (
        "<b>Leveransrapport</b> – {heading}\n"
        "Levererade: {delivered} av {total}\nHar blockerat boten: {blocked}\n"
        "Misslyckades: {failed}\n✅ Klart."
    ),
    "alerts_none": "Inga meddelanden ännu till dina områden.",
    "alerts_header": "<b>Senaste meddelanden till dina områden</b>",
    "alerts_item": "<b>{date}</b> · {heading}\n{text}",
    "cmd_alerts": "Senaste meddelanden",
    "cmd_alert": "Skicka meddelande från polisen/kommunen",
    "cmd_notice": "Skicka meddelande till ditt område",
    # Data rights
    "mydata_caption": "Här är allt vi har sparat om dig.",
    "forget_confirm": (
        "Vill du att vi raderar dina uppgifter? Du lämnar då alla områden och får inga fler "
        "meddelanden. Det går inte att ångra."
    ),
    "forget_yes": "Ja, radera allt",
    "forget_no": "Nej, behåll",
    "forgotten": "Dina uppgifter är raderade. Du kan alltid börja om med /start.",
    "forget_kept": "Okej, inget raderades.",
    "cmd_mydata": "Se allt som sparats om dig",
    "cmd_forget": "Radera dina uppgifter",
    # Help and command menus
    "help_header": "<b>Det här kan du göra</b>",
    "cmd_start": "Börja och godkänn villkoren",
    "cmd_join": "Gå med i ett område",
    "cmd_leave": "Lämna ett område",
    "cmd_areas": "Alla områden",
    "cmd_me": "Mina uppgifter",
    "cmd_language": "Byt språk (sv/en)",
    "cmd_help": "Hjälp",
    "cmd_cancel": "Avbryt pågående steg",
    "cmd_linkgroup": "Koppla gruppen till ett område",
    "cmd_unlinkgroup": "Ta bort gruppens koppling",
}
