"""Svenska (standardspråk)."""

TEXTS: dict[str, str | dict[str, str]] = {
    # Start and consent
    "welcome": "Hej {name}! Välkommen till grannsamverkan i {municipality}.",
    "welcome_back": "Välkommen tillbaka, {name}! Du är med i: {areas}.",
    "emergency": (
        "<b>Vid fara eller brott som pågår just nu: ring 112.</b>\n"
        "Vill du berätta något för polisen som inte är akut: ring 114 14 eller gå till "
        "polisen.se.\n"
        "Ingen läser den här chatten hela tiden. Det kan dröja innan någon ser det du skriver."
    ),
    "privacy": (
        "<b>Det här sparar vi om dig</b>\n"
        "• ditt Telegram-nummer (inte ditt telefonnummer), ditt förnamn och ditt språk\n"
        "• vilka områden du är med i, och när du sa ja\n"
        "• de tips du skickar\n"
        "Vi behöver det för att meddelanden från polisen och kommunen ska nå dig.\n\n"
        "<b>Så länge sparar vi det</b>\n"
        "• Tips sparas i {tips:n_days}.\n"
        "• Meddelanden från polisen och kommunen sparas i {alerts:n_days}. Vem som fick vilket "
        "meddelande sparas i {deliveries:n_days}.\n"
        "• Lämnar du alla områden med /leave, eller blockerar du boten, finns dina uppgifter "
        "kvar. De raderas efter {inactive_participants:n_days}.\n"
        "• Svarar du på en enkät sparas svaren i {surveys:n_days}.\n"
        "• Vad polis och samordnare gör i boten skrivs i en logg. Den sparas i "
        "{audit:n_days}.\n"
        "Sedan raderas allt av sig självt.\n\n"
        "<b>Du bestämmer</b>\n"
        "Se allt vi har sparat om dig: skriv /mydata.\n"
        "Radera allt på en gång: skriv /forget. Tips du har skickat finns kvar, men utan "
        "ditt namn och ditt Telegram-nummer.\n"
        "{municipality} är ansvarig för dina uppgifter."
    ),
    "consent_button": "✅ Jag godkänner",
    "consent_needed": "Du behöver först godkänna hur vi hanterar dina uppgifter. Tryck på knappen.",
    "consent_thanks": "Tack, {name}! Nu är du med.",
    "consent_already": "Du har redan godkänt.",
    # Areas
    "choose_area": (
        "Välj ditt område. Du kan vara med i flera.\n"
        "Vet du inte vilket område du bor i? Skriv ditt postnummer, till exempel 692 31."
    ),
    "joined": (
        "Välkommen till grannsamverkan {area}! Meddelanden från polisen och kommunen om "
        "{area} kommer nu hit, till den här chatten."
    ),
    "already_member": "Du är redan med i {area}.",
    "unknown_area": "Det finns inget område som heter så. Se /areas för alla områden.",
    "unknown_postcode": "Inget område har postnumret {postcode}. Se /areas för alla områden.",
    "bad_postcode": "Ett postnummer har fem siffror, till exempel 692 31.",
    "no_areas": "Det finns inga områden ännu. Kontakta kommunen.",
    "areas_header": "<b>Områden i {municipality}</b>",
    "areas_item": "• {name} — /join {code}",
    "left": "Du har lämnat {area}.",
    "not_member": "Du är inte med i {area}.",
    "leave_choose": "Vilket område vill du lämna?",
    "leave_all_button": "Lämna alla områden",
    "leave_all_confirm": {
        "one": "Vill du lämna ditt område? Du får då inga fler meddelanden från grannsamverkan.",
        "other": (
            "Vill du lämna alla dina områden ({count})? Du får då inga fler meddelanden från "
            "grannsamverkan."
        ),
    },
    "leave_all_yes": "Ja, lämna alla",
    "leave_all_no": "Nej, avbryt",
    "left_all": "Du har lämnat alla områden. Du kan gå med igen med /join.",
    "leave_all_kept": "Okej, du är kvar i dina områden.",
    "no_memberships": "Du är inte med i något område. Gå med med /join.",
    # Profile and settings
    "me": (
        "<b>Dina områden och uppgifter</b>\nOmråden: {areas}\nNamn: {name}\nRoll: {role}\n"
        "Språk: {language}\nDina tips: {tips}"
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
    "unknown_command": "Det kommandot finns inte. Skriv /hjalp för att se vad du kan göra.",
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
    "alert_heading_police": "<b>Polisen informerar – {areas}</b>",
    "alert_heading_municipality": "<b>Kommunen informerar – {areas}</b>",
    "alert_heading_notice": "<b>Meddelande från kontaktombudet – {areas}</b>",
    "alert_heading_reminder": "<b>Påminnelse – {areas}</b>",
    "alert_heading_plain_police": "Polisen informerar – {areas}",
    "alert_heading_plain_municipality": "Kommunen informerar – {areas}",
    "alert_heading_plain_notice": "Meddelande från kontaktombudet – {areas}",
    "alert_heading_plain_reminder": "Påminnelse – {areas}",
    "alert_footer": "<i>Akut? Ring 112. Inte akut: 114 14. Sett något? /tip</i>",
    "alert_usage": (
        "Skriv /alert OMRÅDEN TEXT, till exempel\n"
        "/alert centrum,norr Flera bilinbrott i natt på Storgatan\n"
        "eller bara /alert för att välja områden med knappar. OMRÅDEN kan också vara all."
    ),
    "notice_usage": "Skriv /notice OMRÅDE TEXT, till exempel /notice centrum Möte i kväll kl 19.",
    "alert_unknown_areas": "Okänt område: {codes}. Se /areas.",
    "alert_choose_areas": "Välj vilka områden meddelandet ska gå till:",
    "alert_all_button": "Alla områden",
    "alert_next_button": "Nästa",
    "alert_pick_one": "Välj minst ett område.",
    "alert_type_text": "Skriv meddelandet till {areas}. Avbryt med /cancel.",
    "alert_empty": "Meddelandet saknar text.",
    "alert_too_long": "Texten är för lång: högst {limit:n_characters}, din text har {length}.",
    "alert_preview": "<b>Förhandsvisning.</b> {recipients}\n\n{preview}",
    "alert_send_button": "Skicka",
    "alert_cancel_button": "Avbryt",
    "alert_no_recipients": "Ingen i de områdena tar emot meddelanden ännu, så inget skickades.",
    "alert_cancelled": "Meddelandet skickades inte.",
    "alert_report_progress": (
        "Skickar: {delivered} av {total} har fått meddelandet.{blocked}{failed}\n<i>{heading}</i>"
    ),
    "alert_report_done": (
        "✅ Klart {time}: {delivered} av {total} har fått meddelandet.{blocked}{failed}\n"
        "<i>{heading}</i>"
    ),
    "alerts_none": "Inga meddelanden ännu till dina områden.",
    "alerts_header": "<b>Senaste meddelanden till dina områden</b>",
    "alerts_item": "<b>{date}</b> · {heading}\n{text}",
    "cmd_alerts": "Senaste meddelanden till dina områden",
    "cmd_alert": "Skicka meddelande från polisen/kommunen",
    "cmd_notice": "Skicka meddelande till ditt område",
    # Data rights
    "mydata_caption": (
        "Här är samma uppgifter som en fil, med allt vi har sparat, också vilka meddelanden du "
        "har fått. Filen är till för den som vill läsa den med ett program (JSON)."
    ),
    "forget_confirm": (
        "Vill du att vi raderar dina uppgifter? Du lämnar då alla områden och får inga fler "
        "meddelanden. Det går inte att ångra."
    ),
    "forget_yes": "Ja, radera allt",
    "forget_no": "Nej, behåll",
    "forgotten": "Dina uppgifter är raderade. Du kan alltid börja om med /start.",
    "forget_kept": "Okej, inget raderades.",
    "cmd_mydata": "Se vad vi har sparat om dig",
    "cmd_forget": "Radera allt vi har sparat om dig",
    # Administration
    "area_usage": (
        "Skriv /area add KOD NAMN, /area rename KOD NAMN, /area remove KOD eller "
        "/area postcodes KOD POSTNUMMER…"
    ),
    "error_area_code": (
        "Områdeskoden får bara ha bokstäverna a–z, siffror och _, högst {limit:n_characters}."
    ),
    "error_area_name": "Områdets namn behövs och får vara högst {limit:n_characters}.",
    "error_area_exists": "Det finns redan ett område med koden {code}.",
    "area_added": "Området {name} ({code}) är skapat.",
    "area_renamed": "{old} heter nu {name}.",
    "error_postcode": "{postcode} är inget postnummer (fem siffror, till exempel 692 31).",
    "error_postcode_taken": "Postnumret {postcode} hör redan till området {code}.",
    "area_postcodes_set": "Postnummer för {name}: {postcodes}.",
    "area_remove_confirm": {
        "one": (
            "{count} boende i {name} förlorar området. Personen får ett meddelande om det. "
            "Ta bort området?"
        ),
        "other": (
            "{count} boende i {name} förlorar området. De får ett meddelande om det. "
            "Ta bort området?"
        ),
    },
    "area_remove_yes": "Ja, ta bort",
    "area_remove_no": "Nej, behåll",
    "area_removed": {
        "one": "{name} är borttaget. {count} boende har fått besked.",
        "other": "{name} är borttaget. {count} boende har fått besked.",
    },
    "area_kept": "Området är kvar.",
    "area_removed_notice": (
        "Grannsamverkansområdet {areas} finns inte längre, så du får inga fler meddelanden "
        "för det. Välj ett annat område med /join."
    ),
    "invite_usage": "Skriv /invite police eller /invite contact OMRÅDE.",
    "invite_created_police": (
        "Inbjudan för en polis (gäller i 72 timmar, kan användas en gång):\n{link}\n"
        "Eller skriv /redeem {code}"
    ),
    "invite_created_contact": (
        "Inbjudan för kontaktombud i {area} (gäller i 72 timmar, kan användas en gång):\n"
        "{link}\nEller skriv /redeem {code}"
    ),
    "redeem_usage": "Skriv /redeem KOD med koden från din inbjudan.",
    "error_invite_unknown": "Den inbjudningskoden finns inte.",
    "error_invite_used": "Den inbjudan har redan använts.",
    "error_invite_expired": "Den inbjudan har gått ut. Be samordnaren om en ny.",
    "invite_redeemed_police": "Välkommen! Du kan nu skicka meddelanden från polisen med /alert.",
    "invite_redeemed_contact": (
        "Välkommen som kontaktombud för {area}! Du kan nu använda /notice och /members."
    ),
    "revoke_usage": "Skriv /revoke ANVÄNDAR-ID.",
    "revoked": {
        "one": "{count} roll borttagen för {user_id}.",
        "other": "{count} roller borttagna för {user_id}.",
    },
    "ban_usage": "Skriv /ban ANVÄNDAR-ID [ORSAK].",
    "banned_user": "{user_id} är avstängd.",
    "unban_usage": "Skriv /unban ANVÄNDAR-ID.",
    "unbanned_user": "{user_id} är inte längre avstängd.",
    "not_banned": "{user_id} är inte avstängd.",
    "audit_usage": "Skriv /audit för hela loggen, eller /audit ANTAL för bara de senaste.",
    "audit_empty": "Loggen är tom.",
    "audit_header": "<b>Loggen</b>, nyast först: {first}–{last} av {total}",
    "audit_line": "{at} · {actor} · {action} {target} · {outcome}{times}{detail}",
    "audit_ok": "ok",
    "audit_refused": "nekad",
    "members_usage": "Skriv /members OMRÅDE.",
    "members_list": {
        "one": "<b>{area}</b> – {count} boende:\n{names}",
        "other": "<b>{area}</b> – {count} boende:\n{names}",
    },
    "qr_usage": "Skriv /qr OMRÅDE.",
    "qr_caption": "QR-kod för anmälan till {area}: {link}",
    "cmd_area": "Hantera områden",
    "cmd_invite": "Bjud in polis eller kontaktombud",
    "cmd_revoke": "Ta bort roller",
    "cmd_ban": "Stäng av en användare",
    "cmd_unban": "Häv en avstängning",
    "cmd_audit": "Senaste händelserna i loggen",
    "cmd_members": "Boende i ett område",
    "cmd_qr": "QR-kod för ett område",
    "cmd_redeem": "Använd en inbjudningskod",
    # Help and command menus
    "help_header": "<b>Det här kan du göra</b>",
    "cmd_start": "Kom igång",
    "cmd_join": "Gå med i ett område",
    "cmd_leave": "Lämna ett område",
    "cmd_areas": "Alla områden i kommunen",
    "cmd_me": "Dina områden och uppgifter",
    "cmd_language": "Byt språk (svenska eller engelska)",
    "cmd_help": "Hjälp",
    "cmd_cancel": "Avbryt det du håller på med",
    "cmd_linkgroup": "Koppla gruppen till ett område",
    "cmd_unlinkgroup": "Ta bort gruppens koppling",
    # Tips
    "tip_category_drugs": "Narkotika",
    "tip_category_burglary": "Inbrott",
    "tip_category_theft": "Stöld",
    "tip_category_traffic": "Rattfylleri/drograttfylleri",
    "tip_category_vandalism": "Skadegörelse",
    "tip_category_suspicious": "Misstänkt aktivitet",
    "tip_category_unsafe_place": "Otrygg plats",
    "tip_category_other": "Övrigt",
    "tip_status_new": "Ny",
    "tip_status_reviewed": "Läst",
    "tip_status_forwarded": "Till polisen",
    "tip_status_closed": "Klar",
    "tip_status_false_alarm": "Ingen åtgärd",
    "tip_when_now": "Pågår nu",
    "tip_when_today": "Tidigare i dag",
    "tip_when_yesterday": "I går",
    "tip_when_pick": "Välj datum",
    "tip_when_unknown": "ej angivet",
    "tip_no_area": "inget område angivet",
    "tip_yes": "ja",
    "tip_no": "nej",
    "tip_back_button": "Tillbaka",
    "tip_cancel_button": "Avbryt",
    "tip_send_button": "Skicka tipset",
    "tip_attach_done_button": "Vidare",
    "tip_share_phone_button": "Dela mitt telefonnummer",
    "tip_contact_anonymous": "Anonymt",
    "tip_contact_telegram": "Svara mig här i Telegram",
    "tip_contact_phone": "Ring mig",
    "tip_choose_category": "<b>Lämna ett tips</b> (steg 1)\nVad gäller det?",
    "tip_choose_area": "Vilket område gäller det?",
    "tip_choose_when": "När hände det?",
    "tip_choose_date": "Välj dag, eller skriv datumet som ÅÅÅÅ-MM-DD (till exempel 2026-03-14).",
    "tip_bad_date": (
        "Det datumet kan jag inte använda. Skriv ÅÅÅÅ-MM-DD, högst ett år bakåt och inte i "
        "framtiden."
    ),
    "tip_describe": (
        "Beskriv vad som hände: vad såg du, var, och vad gjorde personerna? "
        "Beskriv <b>beteende, inte utseende</b> – hudfärg, kläder eller ursprung hjälper "
        "sällan och kan peka ut oskyldiga. Högst {limit:n_characters}."
    ),
    "tip_describe_first": (
        "Skriv först vad som hände, som text. Bild eller plats kan du lägga till i nästa steg."
    ),
    "tip_attach": (
        "Vill du lägga till en bild eller en plats? Skicka den med 📎 (Bild eller Plats). "
        "Platsen sparas avrundad till ungefär 100 meter. Annars trycker du på Vidare."
    ),
    "tip_photo_added": ("Bilden är tillagd. Du kan också skicka en plats, eller trycka på Vidare."),
    "tip_location_added": (
        "Platsen är tillagd (avrundad till ungefär 100 meter). Du kan också skicka en bild, "
        "eller trycka på Vidare."
    ),
    "tip_photo_as_document": (
        "Skicka bilden som foto, inte som fil. Filer kan innehålla uppgifter om var och när "
        "bilden togs, så dem tar vi inte emot."
    ),
    "tip_choose_contact": (
        "Hur vill du att vi kontaktar dig?\n"
        "<b>Anonymt</b>: vi sparar ingenting om vem du är. Spara referensen – den är enda "
        "sättet att fråga om tipset.\n"
        "<b>Svara mig här</b>: du får besked här när tipset hanteras.\n"
        "<b>Ring mig</b>: du lämnar ditt telefonnummer."
    ),
    "tip_ask_phone": (
        "Tryck på knappen för att dela ditt nummer, eller skriv det. Avbryt med /cancel."
    ),
    "tip_bad_phone": "Det ser inte ut som ett telefonnummer. Skriv till exempel 070-123 45 67.",
    "tip_phone_not_own": "Dela ditt eget nummer med knappen, eller skriv det.",
    "tip_phone_noted": "Tack, numret är noterat.",
    "tip_going_back": "Okej, tillbaka.",
    "tip_use_buttons": "Använd knapparna ovan, eller avbryt med /cancel.",
    "tip_summary": (
        "<b>Kontrollera ditt tips</b>\n"
        "Kategori: {category}\nOmråde: {area}\nNär: {occurred}\n"
        "Bild: {photo}\nPlats: {location}\nKontakt: {contact}\n\n{description}"
    ),
    "tip_received": (
        "✅ Tack! Ditt tips har referensen <b>{ref}</b>. Du får besked här när det hanteras, "
        "och du kan fråga med /tipstatus {ref}."
    ),
    "tip_received_anonymous": (
        "✅ Tack! Ditt anonyma tips har referensen <b>{ref}</b>. Vi har inte sparat vem du är, "
        "så spara referensen: med /tipstatus {ref} kan du se hur det går."
    ),
    "tip_received_no_area": (
        "Tipset sparades utan område. Gå med i ett område med /join så hamnar nästa tips rätt."
    ),
    "tip_cancelled": "Tipset skickades inte.",
    "tip_timed_out": "Tipset skickades inte eftersom det tog för lång tid. Börja om med /tip.",
    "tip_not_registered": "För att lämna tips behöver du först registrera dig med /start.",
    "tip_banned": "Du kan inte lämna tips. Kontakta kommunen om du tror att det är fel.",
    "tip_rate_limited": (
        "Du har redan skickat {limit:n_tips} den senaste timmen. Du kan skicka igen från kl. "
        "{time}. Är det akut: ring 112."
    ),
    "tip_empty": "Tipset saknar beskrivning.",
    "tip_too_long": "Beskrivningen är för lång: högst {limit:n_characters}, din har {length}.",
    "tip_unknown_category": "Okänd kategori. Välj en av: {categories}.",
    "tip_one_line_usage": (
        "Skriv /tip KATEGORI TEXT, till exempel /tip inbrott Två män provar dörrhandtag på "
        "Storgatan, eller bara /tip för att bli guidad."
    ),
    "tip_new_heading": "<b>Nytt tips</b>",
    "tip_card": (
        "<b>{ref}</b> · {category} · {area}\n"
        "Inkom: {created} · Hände: {occurred}\nStatus: {status}\n"
        "Kontakt: {contact}{extras}\n\n{description}"
    ),
    "tip_contact_shown_anonymous": "anonymt",
    "tip_contact_shown_forgotten": "uppgiften raderad på tipsarens begäran",
    "tip_contact_shown_telegram": 'svar i Telegram (<a href="tg://user?id={user}">öppna chatt</a>)',
    "tip_contact_shown_phone": 'telefon {phone} (<a href="tg://user?id={user}">Telegram</a>)',
    "tip_location_shown": "Plats (cirka 100 m): {lat}, {lon}",
    "tip_photos_shown": {"one": "{count} bild", "other": "{count} bilder"},
    "tip_status_set": "Status: {status}",
    "tipstatus_usage": "Skriv /tipstatus REFERENS, till exempel /tipstatus T-2026-000042-K7QF.",
    "tipstatus_unknown": "Det finns inget tips med referensen {ref}.",
    "tipstatus_reply": "Tips <b>{ref}</b>\nStatus: {status} (senast ändrad {updated})",
    "tips_usage": "Skriv /tips [open|all] [OMRÅDE], till exempel /tips open centrum.",
    "tips_none_open": "Inga öppna tips.",
    "tips_none_all": "Inga tips ännu.",
    "tips_header_open": (
        "<b>Öppna tips</b> (nya, lästa och hos polisen) – {area}: "
        "visar {shown} av {total}, nyast först."
    ),
    "tips_header_all": "<b>Alla tips</b> – {area}: visar {shown} av {total}, nyast först.",
    "tips_all_areas": "alla områden",
    "tipset_usage": "Skriv /tipset REFERENS STATUS [ANTECKNING]. STATUS är en av: {statuses}.",
    "tipset_done": "{ref} har nu status: {status}.",
    "export_usage": (
        "Skriv /export tips|participants [FRÅN [TILL]], till exempel "
        "/export tips 2026-01-01 2026-03-31."
    ),
    "export_bad_dates": "Datum skrivs ÅÅÅÅ-MM-DD, och TILL får inte vara före FRÅN.",
    "export_caption": {
        "one": "{count} rad. Filen öppnas i Excel.",
        "other": "{count} rader. Filen öppnas i Excel.",
    },
    "cmd_tip": "Lämna ett tips",
    "cmd_tipstatus": "Se hur det går med ditt tips",
    "cmd_tips": "Lista tips",
    "cmd_tipset": "Ändra status för ett tips",
    "cmd_export": "Exportera tips eller boende (CSV)",
    # Reminders and summaries
    "weekdays_long": "måndag,tisdag,onsdag,torsdag,fredag,lördag,söndag",
    "schedule_once": "en gång {date} kl. {time}",
    "schedule_daily": "varje dag kl. {time}",
    "schedule_weekly": "varje {day} kl. {time}",
    "schedule_monthly": "den {day} varje månad kl. {time}",
    "remind_usage": (
        "Skriv /remind NÄR OMRÅDE TEXT, till exempel\n"
        "/remind weekly tis 18:30 centrum Grannsamverkansmöte i Folkets hus ikväll kl 19\n"
        "/remind once 2026-06-20 09:00 all Midsommar: hjälp varandra att tömma brevlådor\n"
        "NÄR är once ÅÅÅÅ-MM-DD TT:MM, daily TT:MM, weekly DAG TT:MM eller monthly D TT:MM. "
        "OMRÅDE är en områdeskod eller all."
    ),
    "when_missing": "Ange när påminnelsen ska gå ut: once, daily, weekly eller monthly.",
    "when_bad_kind": "Okänd typ av schema: {kind}. Använd once, daily, weekly eller monthly.",
    "when_usage_once": (
        "En engångspåminnelse skrivs once ÅÅÅÅ-MM-DD TT:MM, t.ex. once 2026-06-20 09:00."
    ),
    "when_usage_daily": "En daglig påminnelse skrivs daily TT:MM, t.ex. daily 21:00.",
    "when_usage_weekly": "En veckopåminnelse skrivs weekly DAG TT:MM, t.ex. weekly tis 18:30.",
    "when_usage_monthly": "En månadspåminnelse skrivs monthly D TT:MM, t.ex. monthly 1 09:00.",
    "when_bad_day": (
        "Okänd veckodag: {day}. Använd mån, tis, ons, tor, fre, lör, sön (eller mon–sun)."
    ),
    "when_bad_time": "Ogiltig tid: {time}. Skriv TT:MM mellan 00:00 och 23:59.",
    "when_bad_date": "Ogiltigt datum: {date}. Skriv ÅÅÅÅ-MM-DD, t.ex. 2026-06-20.",
    "when_bad_monthday": "Ogiltig dag i månaden: {day}. Använd 1–31.",
    "when_past": "Den tiden har redan passerat (nu är det {now}). Välj en tid framåt.",
    "remind_no_area": "Ange område (en områdeskod eller all) och text efter tiden.",
    "remind_saved": ("Påminnelse {id} sparad: {schedule}, till {areas}.\nNästa utskick: {next}."),
    "reminders_none": "Det finns inga schemalagda påminnelser. Lägg till en med /remind.",
    "reminders_header": "<b>Schemalagda påminnelser</b>",
    "reminders_item": "<b>{id}</b> · {schedule} · {areas}\nNästa: {next}\n{text}",
    "reminders_item_missed": (
        "<b>{id}</b> · {schedule} · {areas}\n⚠️ Missades (boten var nere): {next}\n{text}"
    ),
    "reminders_footer": "Ta bort en påminnelse med /unremind ID.",
    "reminders_all_areas": "alla områden",
    "unremind_usage": "Skriv /unremind ID, till exempel /unremind 3. Se /reminders.",
    "unremind_unknown": "Det finns ingen påminnelse {id}. Se /reminders.",
    "unremind_done": "Påminnelse {id} är borttagen.",
    "reminder_late_note": "(Försenad påminnelse – skulle ha skickats {due}.)",
    "summary_usage": "Skriv /summary, /summary last eller /summary 2026-W05.",
    "summary_title": "<b>Veckosammanfattning – vecka {week}, {year}</b>",
    "summary_dates": "{dates}",
    "summary_dates_partial": "{dates} (hittills)",
    "summary_participants": "<b>Boende:</b> {total} ({new:n_new}, {left:n_left})",
    "summary_area_line": "• {area}: {members} ({new:n_new}, {left:n_left})",
    "summary_sent_header": "<b>Utskick</b>",
    "summary_kind_line": {
        "one": "• {kind}: {count} st, {rate} % levererade",
        "other": "• {kind}: {count} st, {rate} % levererade",
    },
    "summary_kind_line_none": {"one": "• {kind}: {count} st", "other": "• {kind}: {count} st"},
    "summary_kind_police": "Polisen informerar",
    "summary_kind_municipality": "Kommunen informerar",
    "summary_kind_notice": "Kontaktombudens meddelanden",
    "summary_kind_reminder": "Påminnelser",
    "summary_tips": "<b>Tips:</b> {this}, {trend}",
    "summary_by_category": "Per kategori:",
    "summary_by_area": "Per område:",
    "summary_tip_line": "• {name}: {this}, {trend}",
    "summary_no_area": "Utan område",
    "summary_open": {
        "one": "<b>Öppna tips äldre än 7 dagar:</b> {count}",
        "other": "<b>Öppna tips äldre än 7 dagar:</b> {count}",
    },
    "summary_open_oldest": "Äldst: {items}",
    "summary_open_item": "{ref} ({days:n_days})",
    "summary_missed_header": "<b>⚠️ Påminnelser som inte skickades (boten var nere)</b>",
    "summary_missed_item": "• {id}: {text} – skulle ha gått {due}",
    "summary_chart_title": "Tips per kategori, {weeks:n_last_weeks}",
    "summary_chart_ylabel": "Antal tips",
    "summary_chart_empty": "Inga tips under perioden",
    "summary_week_label": "v. {week}",
    "summary_cat_drugs": "Narkotika",
    "summary_cat_burglary": "Inbrott",
    "summary_cat_theft": "Stöld",
    "summary_cat_traffic": "Rattfylleri/drograttfylleri",
    "summary_cat_vandalism": "Skadegörelse",
    "summary_cat_suspicious": "Misstänkt aktivitet",
    "summary_cat_unsafe_place": "Otrygg plats",
    "summary_cat_other": "Övrigt",
    "cmd_remind": "Schemalägg en påminnelse",
    "cmd_reminders": "Visa schemalagda påminnelser",
    "cmd_unremind": "Ta bort en påminnelse",
    "cmd_summary": "Veckosammanfattning",
    # Pages of long lists (areas)
    "page_of": "Sida {page} av {pages}",
    "page_back_button": "◀ Sida {page}",
    "page_forward_button": "Sida {page} ▶",
    "area_remove_choose": "Vilket område vill du ta bort?",
    # Groups that move, and what a group allows the bot to send
    "summary_chart_not_allowed": (
        "Diagrammet kunde inte skickas hit: gruppen tillåter inte bilder. "
        "Skriv /summary till boten i en privat chatt för att se det."
    ),
    # Flood guard
    "flood_notice": (
        "Du skickar väldigt många meddelanden på kort tid. Jag hoppar över dem som kommer "
        "nu. Vänta en liten stund och skicka sedan det du vill igen."
    ),
    # Notices through the outbox (role changes)
    "role_revoked_notice": (
        "Kommunens samordnare har tagit bort din behörighet som polis eller kontaktombud i "
        "Grannbot. Som boende kan du använda Grannbot som vanligt. Skriv /help för att se vad "
        "du kan göra nu."
    ),
    "invite_used_notice_police": (
        "Din inbjudan för en polis har använts av {name} (användar-id {user_id}). "
        "Var det fel person? Ta bort behörigheten med /revoke {user_id}."
    ),
    "invite_used_notice_contact": (
        "Din inbjudan för kontaktombud i {area} har använts av {name} (användar-id {user_id}). "
        "Var det fel person? Ta bort behörigheten med /revoke {user_id}."
    ),
    # Security: access (a group linked to another area)
    "linkgroup_other_area": (
        "Gruppen är kopplad till {area}. Bara en samordnare eller kontaktombudet för {area} "
        "kan flytta den."
    ),
    # Security: bans kept as keyed hashes
    "privacy_bans": (
        "Blir du avstängd sparar vi avstängningen som en kod gjord av ditt Telegram-nummer. "
        "Koden går inte att läsa tillbaka. Den finns kvar även om du raderar allt med /forget."
    ),
    "error_banned": "Du kan inte använda Grannbot. Kontakta kommunen om du tror att det är fel.",
    "mydata_banned": "Du är avstängd från Grannbot.",
    # Security: tip references with a check part, and a pause after too many wrong tries
    "error_too_many_tries": (
        "Du har skrivit fel för många gånger. Försök igen om {minutes:n_minutes}."
    ),
    "tipstatus_not_found": (
        "Det finns inget tips med referensen {ref}. Skriv hela referensen, också de fyra "
        "tecknen i slutet, till exempel T-2026-000042-K7QF."
    ),
    # Security: dates and the audit log (repeated refusals, pages)
    "audit_times": " ×{times}",
    "audit_detail": " · {detail}",
    "audit_newer_button": "◀ Nyare",
    "audit_older_button": "Äldre ▶",
    # Counts (plural forms; see bot/texts/__init__.py)
    "n_days": {"one": "{count} dag", "other": "{count} dagar"},
    "n_minutes": {"one": "{count} minut", "other": "{count} minuter"},
    "n_characters": {"one": "{count} tecken", "other": "{count} tecken"},
    "n_tips": {"one": "{count} tips", "other": "{count} tips"},
    "n_group_chats": {"one": "{count} gruppchatt", "other": "{count} gruppchattar"},
    "n_new": {"one": "{count} ny", "other": "{count} nya"},
    "n_last_weeks": {"one": "den senaste veckan", "other": "de senaste {count} veckorna"},
    # Plain language: the weekly summary's chart
    "chart_total_note": "Siffran över varje stapel är antalet tips den veckan.",
    "chart_focus_name": "{name} (fokus)",
    "chart_focus_none": "Fokus utan tips de här veckorna: {names}",
    # Plain language: dates and times (bot/dates.py; local time, the Swedish style guide's forms)
    "dates_day": "{weekday} {day} {month}",
    "dates_day_year": "{weekday} {day} {month} {year}",
    "dates_date": "{day} {month}",
    "dates_date_year": "{day} {month} {year}",
    "dates_time": "kl. {time}",
    "dates_moment": "{date} kl. {time}",
    "dates_today": "i dag",
    "dates_yesterday": "i går",
    "dates_tomorrow": "i morgon",
    "dates_range_in_month": "{first}–{last} {month} {year}",
    "dates_range_in_year": "{first}–{last} {year}",
    "dates_range": "{first}–{last}",
    # Plain language: Swedish command names, the residents' keyboard, /me and /mydata in words
    "kb_tip": "Lämna tips",
    "kb_me": "Mina områden",
    "kb_help": "Hjälp",
    "help_other_names": "Kommandona har också engelska namn, till exempel /help.",
    "me_areas_hint": "Gå med i fler områden med /join. Lämna ett område med /lamna.",
    "me_no_areas_hint": "Du är inte med i något område. Välj ett med /join.",
    "mydata_summary": (
        "<b>Det här har vi sparat om dig</b>\n"
        "Namn: {name}\n"
        "Språk: {language}\n"
        "Områden: {areas}\n"
        "Roll: {roles}\n"
        "Dina tips: {tips}\n"
        "Du godkände villkoren {consent}.\n\n"
        "Tips du lämnat anonymt är inte kopplade till dig och syns inte här.\n"
        "Vill du att vi raderar allt? Skriv /radera."
    ),
    "mydata_nothing": (
        "Du är inte registrerad. Vi har inget namn, inga områden och inga tips sparade om dig."
    ),
    "mydata_role_in": "{role} för {area}",
    # Plain language: alerts, their report, reminders and the weekly summary
    "alert_recipients": "Går till {people:n_people} och {groups:n_group_chats} i {areas}.",
    "alert_recipients_people": "Går till {people:n_people} i {areas}.",
    "alert_recipients_groups": "Går till {groups:n_group_chats} i {areas}.",
    "alert_report_blocked": {
        "one": " {count} har blockerat boten.",
        "other": " {count} har blockerat boten.",
    },
    "alert_report_failed": {
        "one": " {count} gick inte att nå.",
        "other": " {count} gick inte att nå.",
    },
    "n_people": {"one": "{count} person", "other": "{count} personer"},
    "n_left": {"one": "{count} har slutat", "other": "{count} har slutat"},
    "summary_participants_same": "<b>Boende:</b> {total}",
    "summary_area_line_same": "• {area}: {members}",
    "summary_more": {
        "one": "{count} fler än förra veckan",
        "other": "{count} fler än förra veckan",
    },
    "summary_fewer": {
        "one": "{count} färre än förra veckan",
        "other": "{count} färre än förra veckan",
    },
    "summary_same": "lika många som förra veckan",
    # Plain language: tips (happening now, status labels, who and when, undo, notices)
    "tip_now_call_112": (
        "<b>Pågår det nu? Ring 112.</b>\n"
        "Polisen kan komma dit nu. Ett tips läses inte direkt.\n\n"
        "Du kan lämna tipset efter samtalet, eller fortsätta nu."
    ),
    "tip_now_anyway_button": "Fortsätt ändå",
    "tip_when_was_now": "pågick {moment}",
    "tip_status_by": "{status} – {who}, {when}",
    "tip_changed_by_police": "Polisen",
    "tip_changed_by_staff": "Samordnaren",
    "tip_undo_button": "Ångra",
    "tip_undone": "Ångrat. Status: {status}",
    "tip_undo_too_late": "Det går inte att ångra längre. Välj en ny status i stället.",
    "tip_notice_new": "Tack för ditt tips {ref}. Det är öppet igen och hanteras.",
    "tip_notice_reviewed": "Tack för ditt tips {ref}. Det är nu läst.",
    "tip_notice_forwarded": "Tack för ditt tips {ref}. Det finns nu hos polisen.",
    "tip_notice_closed": "Tack för ditt tips {ref}. Vi är klara med det nu.",
    "tip_notice_false_alarm": (
        "Tack för ditt tips {ref}. Vi har tittat på det. Det behövs ingen åtgärd."
    ),
    "summary_with_police": {
        "one": "Väntar hos polisen: {count}",
        "other": "Väntar hos polisen: {count}",
    },
    # Plain language: first contact (bot description, next step after joining, language offer)
    "bot_description": (
        "Grannsamverkan i {municipality}. Här får du meddelanden från polisen och kommunen om "
        "det som händer där du bor. Du kan också tipsa om något du har sett.\n\n"
        "Tryck på START för att börja.\n\n"
        "Vid fara eller brott som pågår just nu: ring 112. Inte akut: ring 114 14."
    ),
    "bot_short_description": (
        "Grannsamverkan i {municipality}: meddelanden från polisen och kommunen, tips från dig."
    ),
    "next_steps": (
        "<b>Det här händer nu</b>\n"
        "• Meddelanden från polisen och kommunen kommer hit. Du behöver inte göra något.\n"
        "• Har du sett något som polisen bör veta? Skriv /tip.\n"
        "• Vill du vara med i fler områden: skriv /join. Vill du inte vara med längre: skriv "
        "/leave.\n"
        "• Vid fara eller brott som pågår just nu: ring 112."
    ),
    "language_offer_button": "Använd svenska",
    # Plain language: nothing typed is thrown away (free text, postcode alone, area names)
    "area_ambiguous": "Flera områden börjar så: {names}. Skriv lite mer av namnet.",
    "unknown_area_nearest": "Det finns inget område som heter så. Menade du {area}?",
    "free_text_offer": "Vill du skicka det du skrev som ett tips till kommunen och polisen?",
    "free_text_send_button": "Skicka som tips",
    "free_text_no_button": "Nej tack",
    "free_text_declined": "Okej, då sparas inget. Skriv /help för att se vad du kan göra.",
    "free_text_not_registered": (
        "Vill du vara med i grannsamverkan? Skriv /start så kommer du igång."
    ),
    "alert_did_you_mean": "Det finns inget område som heter {typed}. Menade du {names}?",
    "alert_did_you_mean_yes_button": "Ja, {names}",
    "alert_did_you_mean_no_button": "Nej, välj i listan",
    "alert_area_ambiguous": (
        "Flera områden börjar med {typed}: {names}. Välj områden i listan. Din text finns kvar."
    ),
    "alert_unknown_choose": (
        "Det finns inget område som heter {typed}. Välj områden i listan. Din text finns kvar."
    ),
}
