"""Interface words of the /werk pages, Dutch first, English with ?lang=en."""

from __future__ import annotations

from wijkradar.domain.words import Words
from wijkradar.ops.arrears import codes

_ENTRIES: dict[str, dict[str, str]] = {
    "title": {"nl": "Wijkradar werkomgeving", "en": "Wijkradar workspace"},
    "login": {"nl": "Inloggen", "en": "Log in"},
    "logout": {"nl": "Uitloggen", "en": "Log out"},
    "username": {"nl": "Gebruikersnaam", "en": "Username"},
    "password": {"nl": "Wachtwoord", "en": "Password"},
    "login_failed": {
        "nl": "Inloggen mislukt (of te veel pogingen: probeer het over 15 minuten opnieuw).",
        "en": "Login failed (or too many attempts: try again in 15 minutes).",
    },
    "queue": {"nl": "Werkvoorraad", "en": "Work queue"},
    "import": {"nl": "Bestand inlezen", "en": "Import a file"},
    "review": {"nl": "Controle", "en": "Review"},
    "audit": {"nl": "Logboek", "en": "Audit log"},
    "reach": {"nl": "Bereik per wijk", "en": "Reach per wijk"},
    "priority": {"nl": "Prioriteit", "en": "Priority"},
    "reasons": {"nl": "Waarom", "en": "Why"},
    "address": {"nl": "Adres", "en": "Address"},
    "wijk": {"nl": "Wijk", "en": "Wijk"},
    "buurt": {"nl": "Buurt", "en": "Buurt"},
    "signals": {"nl": "Signalen", "en": "Signals"},
    "attempts": {"nl": "Contactpogingen", "en": "Contact attempts"},
    "state": {"nl": "Stand", "en": "State"},
    "overdue": {
        "nl": "geen contactpoging na {days} dagen",
        "en": "no contact attempt after {days} days",
    },
    "open_case": {"nl": "Open zaak", "en": "Open case"},
    "case": {"nl": "Zaak", "en": "Case"},
    "partner": {"nl": "Signaalpartner", "en": "Signal partner"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "amount": {"nl": "Bedrag", "en": "Amount"},
    "signal_date": {"nl": "Signaaldatum", "en": "Signal date"},
    "arrears_start": {"nl": "Ontstaan", "en": "Arrears since"},
    "status": {"nl": "Status", "en": "Status"},
    "flags": {"nl": "Kenmerken", "en": "Flags"},
    "multiple": {"nl": "meervoudig", "en": "multiple"},
    "successive": {"nl": "opeenvolgend", "en": "successive"},
    "repeat": {"nl": "herhaald", "en": "repeat"},
    "name": {"nl": "Naam", "en": "Name"},
    "birth_date": {"nl": "Geboortedatum", "en": "Birth date"},
    "record_attempt": {"nl": "Contactpoging vastleggen", "en": "Record a contact attempt"},
    "date": {"nl": "Datum", "en": "Date"},
    "part_of_day": {"nl": "Dagdeel", "en": "Part of day"},
    "reached": {"nl": "Bereikt", "en": "Reached"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "save": {"nl": "Opslaan", "en": "Save"},
    "close_case": {"nl": "Zaak afsluiten met eindresultaat", "en": "Close the case with a result"},
    "result": {"nl": "Eindresultaat", "en": "Result"},
    "history": {"nl": "Statusgeschiedenis", "en": "Status history"},
    "when": {"nl": "Wanneer", "en": "When"},
    "who": {"nl": "Wie", "en": "Who"},
    "action": {"nl": "Handeling", "en": "Action"},
    "record": {"nl": "Gegeven", "en": "Record"},
    "mapping_file": {
        "nl": "Koppelbestand (YAML) van de partner",
        "en": "Partner mapping file (YAML)",
    },
    "data_file": {"nl": "Bestand van de partner (CSV of XLSX)", "en": "Partner file (CSV or XLSX)"},
    "skip_invalid": {
        "nl": "Goede regels inlezen, afgekeurde regels alleen melden",
        "en": "Import the valid rows, only report the rejected ones",
    },
    "imported": {
        "nl": "Ingelezen: {added} nieuw, {duplicates} al bekend, {not_picked_up} niet opgepakt, "
        "{review} naar controle ({rows} regels).",
        "en": "Imported: {added} new, {duplicates} already known, {not_picked_up} not picked up, "
        "{review} to review ({rows} rows).",
    },
    "rejected": {"nl": "Afgekeurde regels", "en": "Rejected rows"},
    "nothing_imported": {
        "nl": "Niets ingelezen: verbeter de regels hieronder of kies 'goede regels inlezen'.",
        "en": "Nothing imported: fix the rows below or choose 'import the valid rows'.",
    },
    "row": {"nl": "Regel", "en": "Row"},
    "column": {"nl": "Kolom", "en": "Column"},
    "expected": {"nl": "Verwacht", "en": "Expected"},
    "found": {"nl": "Gevonden", "en": "Found"},
    "reason": {"nl": "Reden", "en": "Reason"},
    "accept": {"nl": "In zaak opnemen", "en": "Add to case"},
    "decline": {"nl": "Niet oppakken", "en": "Do not pick up"},
    "month": {"nl": "Maand", "en": "Month"},
    "households": {"nl": "Huishoudens", "en": "Households"},
    "per_1000": {"nl": "Signalen per 1.000 inwoners", "en": "Signals per 1,000 inhabitants"},
    "reached_pct": {"nl": "Bereikt %", "en": "Reached %"},
    "accepted_pct": {"nl": "Hulp aanvaard %", "en": "Help accepted %"},
    "stacking": {"nl": "Stapeling", "en": "Stacking"},
    "buffer": {"nl": "Kleine financiële buffer (score)", "en": "Small financial buffer (score)"},
    "need_low_reach": {"nl": "Veel nood, weinig signalen", "en": "High need, few signals"},
    "suppressed": {"nl": "< 10", "en": "< 10"},
    "no_cases": {"nl": "Geen open zaken.", "en": "No open cases."},
    "ddas_export": {
        "nl": "Maandcijfers in DDAS-vorm (CSV)",
        "en": "Monthly figures in DDAS form (CSV)",
    },
    "feedback": {"nl": "Terugkoppeling aan partner (CSV)", "en": "Feedback to partner (CSV)"},
    "disclosure_note": {
        "nl": "Aantallen onder 10 worden niet getoond, andere afgerond op 5; percentages alleen "
        "bij 10 of meer huishoudens.",
        "en": "Counts below 10 are not shown, others rounded to 5; percentages only with 10 or "
        "more households.",
    },
    "need_note": {
        "nl": "Nood uit de monitor (laatste jaar); 'veel nood, weinig signalen': stapeling 3 of "
        "meer of buffer-score 75 of meer, en minder signalen per 1.000 inwoners dan de mediaan "
        "van de wijken.",
        "en": "Need from the monitor (latest year); 'high need, few signals': stacking 3 or more "
        "or buffer score 75 or more, and fewer signals per 1,000 inhabitants than the wijken's "
        "median.",
    },
    "map_title": {
        "nl": "Signalen per 1.000 inwoners per wijk",
        "en": "Signals per 1,000 inhabitants per wijk",
    },
    "page": {"nl": "Pagina", "en": "Page"},
    "next": {"nl": "Volgende", "en": "Next"},
    "all_wijken": {"nl": "zonder wijk", "en": "no wijk"},
    "error": {"nl": "Fout", "en": "Error"},
    # navigation to the partner-signal pages (ops/partners/web.py)
    "psignals": {"nl": "Signalen van partners", "en": "Partner signals"},
    "radar": {"nl": "Onder de radar", "en": "Under the radar"},
    "vindplaatsen": {"nl": "Vindplaatsen en dekking", "en": "Vindplaatsen and coverage"},
}
# the codes' Dutch names, read the same in English (they are the terms of the workflow)
for _table in (codes.CONTACT_KINDS, codes.PARTS_OF_DAY, codes.CASE_STATES):
    for _key, _value in _table.items():
        _ENTRIES.setdefault(f"code:{_key}", {"nl": _value, "en": _value})

WORDS = Words("ops", _ENTRIES)
